# expect: TFGEN_SECRETS_1
# A token inside a template rendered into user data: templatefile() puts it in the instance.
resource "aws_launch_template" "runner" {
  name_prefix   = "ci-runner-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data = base64encode(templatefile("${path.module}/templates/runner.sh.tpl", {
    runner_name = "ci-runner"
  }))
  metadata_options {
    http_tokens = "required"
  }
}
