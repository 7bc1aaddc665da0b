output "raw_bucket_id" {
  description = "Name of the raw (bronze) bucket."
  value       = aws_s3_bucket.this["raw"].id
}

output "raw_bucket_arn" {
  description = "ARN of the raw (bronze) bucket."
  value       = aws_s3_bucket.this["raw"].arn
}

output "staging_bucket_id" {
  description = "Name of the staging (silver) bucket."
  value       = aws_s3_bucket.this["staging"].id
}

output "staging_bucket_arn" {
  description = "ARN of the staging (silver) bucket."
  value       = aws_s3_bucket.this["staging"].arn
}

output "logs_bucket_id" {
  description = "Name of the bucket that receives S3 server access logs."
  value       = aws_s3_bucket.logs.id
}

output "logs_bucket_arn" {
  description = "ARN of the logs bucket."
  value       = aws_s3_bucket.logs.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key used for SSE-KMS on raw and staging (null when the buckets use SSE-S3)."
  value       = local.use_kms ? local.kms_key_arn : null
}

output "kms_key_alias" {
  description = "Alias of the KMS key created by the module (null when none was created)."
  value       = try(aws_kms_alias.this[0].name, null)
}
