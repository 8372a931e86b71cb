# expect: TFGEN_ENC_1
# The community s3-bucket module's shape: the caller passes the encryption as a map, which the
# module turns into dynamic `rule` and `apply_server_side_encryption_by_default` blocks.
module "assets" {
  source = "./modules/bucket"
  bucket = "example-assets"

  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm = "AES256"
      }
    }
  }
}
