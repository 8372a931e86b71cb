# expect: TFGEN_IAM_3
# MFA, the requested region, TLS, the time of day and the principal's type are met by a caller
# from any account.
data "aws_iam_policy_document" "queue" {
  statement {
    sid       = "SendWithMfa"
    actions   = ["sqs:SendMessage"]
    resources = ["arn:aws:sqs:eu-west-1:123456789012:orders"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalType"
      values   = ["AssumedRole"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
    condition {
      test     = "DateLessThan"
      variable = "aws:CurrentTime"
      values   = ["2030-01-01T00:00:00Z"]
    }
  }
}

resource "aws_sqs_queue" "orders" {
  name              = "orders"
  kms_master_key_id = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy    = data.aws_iam_policy_document.queue.json
}
