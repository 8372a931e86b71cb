# Planted where `..` leads from the scanned directory or from its copy: if checkov ever reads
# it, its report names this file and this unencrypted topic.
resource "aws_sns_topic" "planted_outside" {
  name = "planted"
}
