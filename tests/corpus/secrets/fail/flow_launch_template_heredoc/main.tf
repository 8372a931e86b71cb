# expect: TFGEN_SECRETS_4
# A heredoc script inside base64encode() that writes a generated admin password on first boot.
resource "random_password" "admin" {
  length = 24
}

resource "aws_launch_template" "app" {
  name_prefix   = "app-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.small"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo "admin:${random_password.admin.result}" | chpasswd
  EOT
  )
}
