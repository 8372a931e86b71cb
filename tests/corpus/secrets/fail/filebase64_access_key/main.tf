# expect: TFGEN_SECRETS_1
# An AWS access key in a cloud-init file read with filebase64(): base64 hides nothing.
resource "aws_launch_template" "worker" {
  name_prefix   = "worker-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  user_data     = filebase64("${path.module}/cloud-init.cfg")
  metadata_options {
    http_tokens = "required"
  }
}
