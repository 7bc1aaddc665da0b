output "raw_database_name" {
  description = "Name of the raw Glue database (the crawler's target, Spectrum's source)."
  value       = aws_glue_catalog_database.raw.name
}

output "raw_database_arn" {
  description = "ARN of the raw Glue database."
  value       = aws_glue_catalog_database.raw.arn
}

output "staging_database_name" {
  description = "Name of the staging Glue database (null when not created)."
  value       = try(aws_glue_catalog_database.staging[0].name, null)
}

output "raw_crawler_name" {
  description = "Name of the raw crawler (null when not created); the ingest DAG starts it."
  value       = try(aws_glue_crawler.this[0].name, null)
}

output "raw_crawler_arn" {
  description = "ARN of the raw crawler (null when not created)."
  value       = try(aws_glue_crawler.this[0].arn, null)
}

output "raw_crawler_s3_targets" {
  description = "S3 paths the raw crawler reads, one per raw table."
  value       = [for t in var.raw_tables : "s3://${var.raw_bucket_name}/${var.raw_prefix}/${t}/"]
}

output "security_configuration_name" {
  description = "Name of the Glue security configuration (null when not created)."
  value       = try(aws_glue_security_configuration.this[0].name, null)
}
