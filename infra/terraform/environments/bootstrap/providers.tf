# With aws_endpoint_url set (an AWS emulator such as the moto server), every
# service this stack uses is pointed at it; null means real AWS.
provider "aws" {
  region = var.region

  s3_use_path_style           = var.aws_endpoint_url != null
  skip_credentials_validation = var.aws_endpoint_url != null
  skip_requesting_account_id  = var.aws_endpoint_url != null
  skip_metadata_api_check     = var.aws_endpoint_url != null

  endpoints {
    dynamodb = var.aws_endpoint_url
    iam      = var.aws_endpoint_url
    kms      = var.aws_endpoint_url
    s3       = var.aws_endpoint_url
    sts      = var.aws_endpoint_url
  }

  default_tags {
    tags = {
      Project   = var.name_prefix
      Component = "terraform-state"
      ManagedBy = "terraform"
    }
  }
}
