# A name ending in "secret" with a value that is no secret's name: the secret itself.
locals {
  app_secret = "Zq7/vK2+mW9pLx4=="
}
