locals {
  legacy_access_key = "AKIAZ4OXTRQ7D2EXJ3MB"
}
