terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 6.0"
    }
  }

  backend "s3" {}
}

provider "aws" {
  region                      = "us-east-2"
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true

  endpoints {
    iam = var.aws_endpoint_url
    sns = var.aws_endpoint_url
    sts = var.aws_endpoint_url
  }
}
