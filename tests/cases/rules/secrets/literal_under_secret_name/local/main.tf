locals {
  api_token = "tok-123456"
}
