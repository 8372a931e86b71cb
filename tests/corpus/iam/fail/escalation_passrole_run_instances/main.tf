# expect: TFGEN_IAM_5, TFGEN_IAM_4
# A build agent's role may start instances with any instance profile: an instance running as
# an administrator role (Rhino Security Labs' method 3).
resource "aws_iam_role" "build_agent" {
  name = "build-agent"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })

  inline_policy {
    name = "launch"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = ["ec2:RunInstances", "ec2:CreateTags", "ec2:Describe*"], Resource = "*" },
        { Effect = "Allow", Action = "iam:PassRole", Resource = "*" },
      ]
    })
  }
}
