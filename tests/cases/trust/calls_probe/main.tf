# Calls a module one directory up: outside the scanned PATH, and, from a copy of this
# directory in a temporary directory, a directory beside the copy.
module "probe" {
  source = "../x_outside_probe"
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = "alias/alerts"
}
