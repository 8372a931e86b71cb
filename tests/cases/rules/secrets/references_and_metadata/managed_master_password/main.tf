resource "aws_db_instance" "db" {
  manage_master_user_password = true
  password_length = 32
}
