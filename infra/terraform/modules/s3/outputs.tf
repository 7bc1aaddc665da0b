output "raw_bucket_id" {
  description = "Name of the raw (bronze) bucket (known when planning)."
  value       = aws_s3_bucket.this["raw"].bucket
}

output "raw_bucket_arn" {
  description = "ARN of the raw (bronze) bucket (built from its name: known when planning)."
  value       = local.bucket_arns["raw"]
}

output "staging_bucket_id" {
  description = "Name of the staging (silver) bucket (known when planning)."
  value       = aws_s3_bucket.this["staging"].bucket
}

output "staging_bucket_arn" {
  description = "ARN of the staging (silver) bucket (built from its name: known when planning)."
  value       = local.bucket_arns["staging"]
}

output "logs_bucket_id" {
  description = "Name of the bucket that receives S3 server access logs (known when planning)."
  value       = aws_s3_bucket.logs.bucket
}

output "logs_bucket_arn" {
  description = "ARN of the logs bucket."
  value       = local.bucket_arns["logs"]
}

output "flow_log_destination_arn" {
  description = "Where VPC flow logs go (the logs bucket's flow_log_prefix folder; null unless enable_flow_log_delivery)."
  value       = var.enable_flow_log_delivery ? "${local.bucket_arns["logs"]}/${local.flow_log_prefix}/" : null
}

output "kms_key_arn" {
  description = "ARN of the KMS key used for SSE-KMS on raw and staging (null when the buckets use SSE-S3)."
  value       = local.use_kms ? local.kms_key_arn : null
}

output "kms_key_alias" {
  description = "Alias of the KMS key created by the module (null when none was created)."
  value       = try(aws_kms_alias.this[0].name, null)
}
