# Two instances of one module: one passes a value tfgen cannot know, the other every action.
variable "reader_actions" {
  type = list(string)
}

module "reader" {
  source  = "../_modules/actions_on_everything"
  actions = var.reader_actions
}

module "admin" {
  source  = "../_modules/actions_on_everything"
  actions = ["*"]
}
