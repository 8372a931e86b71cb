# The bundle declares a variable with the name of a schema input: two declarations after migration.
variable "tier" {
  type    = string
  default = "dev"
}
