module "shared" {
  source = "../../modules/shared"
  name   = "a"
}

resource "aws_sqs_queue" "jobs" {
  name = "a-jobs"
}
