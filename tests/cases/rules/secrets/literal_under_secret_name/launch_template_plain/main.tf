# A script with no quotes inside base64encode(): evaluated, encoded, and read back as the instance gets it.
resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    DB_PASSWORD=hunter2-in-user-data
    /opt/app/start
  EOT
  )
}
