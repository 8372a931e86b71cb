# expect: TFGEN_SECRETS_1
locals {
  deploy_key = <<-EOT
    -----BEGIN OPENSSH PRIVATE KEY-----
    b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
    QyNTUxOQAAACDexampleexampleexampleexampleexampleexampleAAAAAAAAAAAAAAAA
    -----END OPENSSH PRIVATE KEY-----
  EOT
}

output "deploy_key_length" {
  value = length(local.deploy_key)
}
