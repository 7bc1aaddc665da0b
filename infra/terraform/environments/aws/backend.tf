# Remote state in the bootstrap bucket, locked in the bootstrap DynamoDB table.
# Partial configuration: bucket, key, region and dynamodb_table come from
# `terraform init -backend-config=<environment>.backend.hcl` (scripts/deploy.sh passes it,
# plus overrides when the state bucket needed a unique name).
terraform {
  backend "s3" {}
}
