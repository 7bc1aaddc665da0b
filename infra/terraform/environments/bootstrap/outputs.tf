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
