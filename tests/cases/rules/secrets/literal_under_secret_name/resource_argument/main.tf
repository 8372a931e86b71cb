resource "aws_db_instance" "db" {
  password = "changeme123"
}
