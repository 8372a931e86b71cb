# A shell script in user data exporting a password as a literal: readable by anyone who can
# describe the instance (ec2:DescribeInstanceAttribute) and in the state.
resource "aws_launch_configuration" "web" {
  name          = "web"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data     = <<EOF
#!/bin/bash
export GREETING="Hello there"
export DATABASE_PASSWORD="SomeSortOfPassword"
EOF
}
