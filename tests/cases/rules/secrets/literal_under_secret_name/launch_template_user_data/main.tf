resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    API_TOKEN=ghx-not-a-real-token-but-literal
    curl -H "Authorization: token $API_TOKEN" https://example.com/bootstrap
  EOT
  )
}
