# With aws_endpoint_url set (an AWS emulator such as the moto server), every
# service this environment uses is pointed at it; null means real AWS.
# Credentials come from the standard AWS environment variables, never from code.
#
# The account id is still requested (from the emulator's STS when an endpoint
# is set): the provider builds Glue database and crawler ARNs from it to read
# their tags, and without it those tags never converge.
provider "aws" {
  region = var.region

  s3_use_path_style           = var.aws_endpoint_url != null
  skip_credentials_validation = var.aws_endpoint_url != null
  skip_requesting_account_id  = false
  skip_metadata_api_check     = var.aws_endpoint_url != null

  endpoints {
    ce                 = var.aws_endpoint_url
    cloudwatch         = var.aws_endpoint_url
    ec2                = var.aws_endpoint_url
    events             = var.aws_endpoint_url
    glue               = var.aws_endpoint_url
    iam                = var.aws_endpoint_url
    kms                = var.aws_endpoint_url
    redshiftserverless = var.aws_endpoint_url
    s3                 = var.aws_endpoint_url
    secretsmanager     = var.aws_endpoint_url
    sns                = var.aws_endpoint_url
    sts                = var.aws_endpoint_url
  }

  default_tags {
    tags = local.tags
  }
}
