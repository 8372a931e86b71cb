# A credential where the parser expected a comma: the credential is the unexpected token.
locals {
  keys = [1 AKIAIOSFODNN7EXAMPLE]
}
