# Eighteen instances of one module; only the last one's policy is every action.
module "reader_01" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject1"]
}

module "reader_02" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject2"]
}

module "reader_03" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject3"]
}

module "reader_04" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject4"]
}

module "reader_05" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject5"]
}

module "reader_06" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject6"]
}

module "reader_07" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject7"]
}

module "reader_08" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject8"]
}

module "reader_09" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject9"]
}

module "reader_10" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject10"]
}

module "reader_11" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject11"]
}

module "reader_12" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject12"]
}

module "reader_13" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject13"]
}

module "reader_14" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject14"]
}

module "reader_15" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject15"]
}

module "reader_16" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject16"]
}

module "reader_17" {
  source  = "../_modules/actions_on_everything"
  actions = ["s3:GetObject17"]
}

module "admin" {
  source  = "../_modules/actions_on_everything"
  actions = ["*"]
}
