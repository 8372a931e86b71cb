# Checkable types, but only conditionally created: checkov 3.3.30 does not evaluate a resource
# whose count resolves to 0, so an empty report is no proof of anything here.
variable "enabled" {
  type    = bool
  default = false
}

resource "aws_sns_topic" "maybe" {
  count = var.enabled ? 1 : 0
  name  = "maybe"
}
