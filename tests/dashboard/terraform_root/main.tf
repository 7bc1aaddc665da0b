# Test root of tests/dashboard/test_dashboard_terraform.py: the dashboard module against
# a moto server, with a VPC of its own and stand-ins for what the aws root passes in
# (the Redshift workgroup is a plain string: a plan or apply of these resources never
# reads it; the ACM certificate is a variable, imported into moto by the apply test).

provider "aws" {
  region = var.region

  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_requesting_account_id  = false
  skip_metadata_api_check     = true

  endpoints {
    cognitoidp     = var.aws_endpoint_url
    ec2            = var.aws_endpoint_url
    ecs            = var.aws_endpoint_url
    elbv2          = var.aws_endpoint_url
    cloudwatchlogs = var.aws_endpoint_url
    iam            = var.aws_endpoint_url
    sts            = var.aws_endpoint_url
    wafv2          = var.aws_endpoint_url
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.42.0.0/16"
}

resource "aws_subnet" "public" {
  for_each = { a = "10.42.0.0/24", b = "10.42.1.0/24" }

  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = "${var.region}${each.key}"
}

resource "aws_subnet" "private" {
  for_each = { a = "10.42.10.0/24", b = "10.42.11.0/24" }

  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = "${var.region}${each.key}"
}

resource "aws_security_group" "redshift" {
  name        = "redshift-stand-in"
  description = "Stands in for the Redshift workgroup's security group"
  vpc_id      = aws_vpc.this.id
}

module "dashboard" {
  source = "../../../infra/terraform/modules/dashboard"

  environment = "dev"
  image       = "123456789012.dkr.ecr.us-east-2.amazonaws.com/ecommerce-dwh-dashboard:0.1.0"

  ecr_repository_arn  = "arn:aws:ecr:us-east-2:123456789012:repository/ecommerce-dwh-dashboard"
  vpc_id              = aws_vpc.this.id
  public_subnet_ids   = [for s in aws_subnet.public : s.id]
  private_subnet_ids  = [for s in aws_subnet.private : s.id]
  allowed_cidr_blocks = ["203.0.113.0/24"]
  domain_name         = "dashboard.example.com"
  certificate_arn     = var.certificate_arn

  redshift_workgroup_name    = "ecommerce-dwh-dev"
  redshift_workgroup_arn     = "arn:aws:redshift-serverless:us-east-2:123456789012:workgroup/11111111-2222-3333-4444-555555555555"
  redshift_database_name     = "dev"
  redshift_host              = "ecommerce-dwh-dev.123456789012.us-east-2.redshift-serverless.amazonaws.com"
  redshift_security_group_id = aws_security_group.redshift.id

  enable_redshift_security_group_rules = true
}
