# expect: none
# passes: TFGEN_IAM_3
# A service publishing on behalf of one account and one resource: aws:SourceAccount with
# StringEquals and aws:SourceArn with ArnLike.
data "aws_iam_policy_document" "events" {
  statement {
    sid       = "S3Events"
    actions   = ["sns:Publish"]
    resources = ["arn:aws:sns:eu-west-1:123456789012:bucket-events"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["123456789012"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:aws:s3:::example-uploads"]
    }
  }
}

resource "aws_sns_topic" "bucket_events" {
  name              = "bucket-events"
  kms_master_key_id = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

resource "aws_sns_topic_policy" "bucket_events" {
  arn    = aws_sns_topic.bucket_events.arn
  policy = data.aws_iam_policy_document.events.json
}
