output "ebs_key_arn" {
  description = "ARN of the customer managed key EBS encrypts new volumes with in this region."
  value       = aws_kms_key.ebs.arn
}

output "ebs_encryption_by_default" {
  description = "Whether EBS encryption by default is on in this region."
  value       = aws_ebs_encryption_by_default.this.enabled
}
