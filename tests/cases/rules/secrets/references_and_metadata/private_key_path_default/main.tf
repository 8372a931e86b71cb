# Where a key file is on the machine that runs Terraform: a path, read with file() elsewhere.
variable "ssh_private_key" {
  description = "Path to the SSH private key used by the provisioner"
  default     = "~/.ssh/id_rsa"
}

variable "private_key_path" {
  default = "./keys/deployer.pem"
}

variable "tls_private_key" {
  default = "certs/server.key"
}

variable "deploy_key" {
  default = "../secrets/deploy_ed25519"
}
