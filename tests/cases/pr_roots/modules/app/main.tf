variable "name" {
  type = string
}

module "data" {
  source     = "../shared"
  name       = "${var.name}-app"
  versioning = false
}

resource "aws_sns_topic" "events" {
  name = "${var.name}-events"
}
