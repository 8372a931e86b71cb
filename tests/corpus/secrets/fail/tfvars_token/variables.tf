variable "repository_token" {
  type        = string
  description = "Token Proton uses to read the template repository."
  sensitive   = true
}
