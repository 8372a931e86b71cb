# expect: TFGEN_SECRETS_4
# A generated token stored where no encryption applies: a String parameter and a DynamoDB item.
resource "random_password" "webhook" {
  length  = 32
  special = false
}

resource "aws_ssm_parameter" "webhook" {
  name  = "/app/webhook/settings"
  type  = "String"
  value = jsonencode({ url = "https://hooks.example.com/app", signing = random_password.webhook.result })
}

resource "aws_dynamodb_table_item" "webhook" {
  table_name = "settings"
  hash_key   = "id"
  item = jsonencode({
    id    = { S = "webhook" }
    token = { S = random_password.webhook.result }
  })
}
