# An unterminated heredoc: the lexer takes the rest of the file as one token.
resource "aws_ssm_parameter" "doc" {
  name  = "doc"
  type  = "String"
  value = <<EOT
