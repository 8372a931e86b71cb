resource "aws_db_instance" "main" {
  identifier                  = "main"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  username                    = "app"
  manage_master_user_password = var.db_password == "null" ? true : null
  password                    = var.db_password == "null" ? null : var.db_password
}
