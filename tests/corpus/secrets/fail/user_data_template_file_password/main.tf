# expect: TFGEN_SECRETS_4
# A generated password handed to cloud-init through data "template_file" vars (a shape common in
# public web-server examples): it lands in the instance's user data, readable in plain text.
resource "random_password" "db" {
  length  = 20
  special = false
}

data "template_file" "bootstrap" {
  template = file("${path.module}/templates/bootstrap.sh.tpl")
  vars = {
    db_host     = "db.internal"
    db_password = random_password.db.result
  }
}

data "template_cloudinit_config" "web" {
  gzip          = false
  base64_encode = true
  part {
    content_type = "text/x-shellscript"
    content      = data.template_file.bootstrap.rendered
  }
}

resource "aws_instance" "web" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data     = data.template_cloudinit_config.web.rendered
}
