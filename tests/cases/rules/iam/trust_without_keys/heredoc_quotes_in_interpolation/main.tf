variable "sids" {
  type = map(string)
}

# The interpolation inside the JSON string holds quotes of its own, and its value is not known
# from the files: the policy is still read.
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Sid": "${lookup(var.sids, "trust")}", "Effect": "Allow", "Principal": {"Service": "proton.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EOT
}
