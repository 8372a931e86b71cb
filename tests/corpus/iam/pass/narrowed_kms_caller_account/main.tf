# expect: none
# passes: TFGEN_IAM_3
# The key policy AWS writes for its managed keys: any principal, but only of this account
# (kms:CallerAccount) and only through one service (kms:ViaService).
resource "aws_kms_key" "ebs" {
  description         = "EBS volumes"
  enable_key_rotation = true
  policy              = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "Admin",
          "Effect": "Allow",
          "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
          "Action": "kms:*",
          "Resource": "*"
        },
        {
          "Sid": "ViaEc2InThisAccount",
          "Effect": "Allow",
          "Principal": {"AWS": "*"},
          "Action": ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant"],
          "Resource": "*",
          "Condition": {
            "StringEquals": {
              "kms:CallerAccount": "123456789012",
              "kms:ViaService": "ec2.eu-west-1.amazonaws.com"
            }
          }
        }
      ]
    }
  EOT
}
