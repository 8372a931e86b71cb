# live/b/shared links to ../../modules/shared (made by the test: a case holds no links)
module "shared" {
  source = "./shared"
  conf   = "plain"
}
