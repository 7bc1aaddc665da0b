output "raw_database_name" {
  description = "Name of the raw Glue database (the crawler's target, Spectrum's source)."
  value       = aws_glue_catalog_database.raw.name
}

output "raw_database_arn" {
  description = "ARN of the raw Glue database."
  value       = aws_glue_catalog_database.raw.arn
}

output "staging_database_name" {
  description = "Name of the staging Glue database (null when not created): the silver tables, the Spectrum external schema's source."
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

output "staging_database_arn" {
  description = "ARN of the staging Glue database (null when not created)."
  value       = try(aws_glue_catalog_database.staging[0].arn, null)
}

output "silver_table_names" {
  description = "Catalog tables of the staging database (the silver datasets and manifests)."
  value       = concat(keys(aws_glue_catalog_table.silver), [for t in aws_glue_catalog_table.manifests : t.name])
}

output "etl_job_name" {
  description = "Name of the ETL job bronze_to_silver (null when not created); the ingest DAG runs it."
  value       = try(aws_glue_job.this[0].name, null)
}

output "etl_job_arn" {
  description = "ARN of the ETL job (null when not created)."
  value       = try(aws_glue_job.this[0].arn, null)
}

output "silver_root" {
  description = "S3 URI of the silver zone."
  value       = local.silver_root
}

output "etl_artifact_keys" {
  description = "Keys of the job's script and zip in the staging bucket."
  value       = [for o in concat(aws_s3_object.etl_script, aws_s3_object.etl_package) : o.key]
}
