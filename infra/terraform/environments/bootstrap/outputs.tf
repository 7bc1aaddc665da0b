output "state_bucket" {
  description = "Bucket holding the state of dev, staging and prod (backend.hcl's bucket)."
  value       = aws_s3_bucket.this.id
}

output "lock_table" {
  description = "DynamoDB table for state locks (backend.hcl's dynamodb_table)."
  value       = aws_dynamodb_table.this.name
}

output "kms_key_arn" {
  description = "KMS key encrypting the state bucket and the lock table (backend.hcl's kms_key_id if objects should use it explicitly)."
  value       = aws_kms_key.this.arn
}

output "region" {
  description = "Region of the state bucket and the lock table (backend.hcl's region)."
  value       = var.region
}

output "github_oidc_provider_arn" {
  description = "GitHub Actions OIDC identity provider of the account (null without github_repository)."
  value       = local.github_enabled ? local.oidc_provider_arn : null
}

output "deploy_role_arns" {
  description = "Per environment, the role its delivery workflow job assumes to apply (GitHub environment variable DEPLOY_ROLE_ARN)."
  value       = { for env, role in aws_iam_role.deploy : env => role.arn }
}

output "plan_role_arns" {
  description = "Per environment, the read-only role that plans it: pull requests, the promotion's plan jobs (repository variables DWH_<ENV>_PLAN_ROLE_ARN) and Airflow's aws_terraform connection."
  value       = { for env, role in aws_iam_role.plan : env => role.arn }
}
