# The same script given base64-encoded: `export DATABASE_PASSWORD="SomeSortOfPassword"`.
resource "aws_launch_configuration" "web" {
  name             = "web"
  image_id         = "ami-0abcdef1234567890"
  instance_type    = "t3.micro"
  user_data_base64 = "ZXhwb3J0IERBVEFCQVNFX1BBU1NXT1JEPSJTb21lU29ydE9mUGFzc3dvcmQi"
}
