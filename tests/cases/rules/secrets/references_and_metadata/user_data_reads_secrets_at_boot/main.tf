# User data that fetches its secrets when the instance boots, or takes them from Terraform: none
# of these assignments is a literal credential.
variable "db_password_arn" {
  type = string
}

resource "aws_instance" "web" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data     = <<EOF
#!/bin/bash
export DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id ${var.db_password_arn} --query SecretString --output text)
API_TOKEN="$(cat /run/secrets/api_token)"
export CLIENT_SECRET="$1"
ADMIN_PASSWORD=$ADMIN_PASSWORD_FROM_SSM
PASSWORD_FILE=/run/secrets/db
PASSWORD_LENGTH=20
export GREETING="Hello there"
EOF
}

resource "aws_launch_configuration" "web" {
  name             = "web"
  image_id         = "ami-0abcdef1234567890"
  instance_type    = "t3.micro"
  user_data_base64 = "ZXhwb3J0IEVESVRPUj12aW1hY3M="
}
