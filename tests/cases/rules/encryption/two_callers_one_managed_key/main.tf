resource "aws_kms_key" "orders" {
  enable_key_rotation = true
}

module "orders" {
  source  = "./modules/queue"
  name    = "orders"
  kms_key = aws_kms_key.orders.arn
}

module "audit" {
  source  = "./modules/queue"
  name    = "audit"
  kms_key = "alias/aws/sqs"
}
