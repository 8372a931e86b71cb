variable "documents" {
  type = list(string)
}

module "b" {
  source           = "./modules/bucket"
  name             = "example-b"
  policy_documents = var.documents
}
