locals {
  env = [{ name = "API_KEY", value = "abc123def456" }]
}
