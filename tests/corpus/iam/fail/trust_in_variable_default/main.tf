# expect: TFGEN_IAM_1
# The trust policy is a variable default (a JSON string); the role uses the variable.
variable "trust_policy" {
  type        = string
  description = "Trust policy for the CodeBuild role."
  default     = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"codebuild.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"
}

resource "aws_iam_role" "build" {
  name               = "build"
  assume_role_policy = var.trust_policy
}
