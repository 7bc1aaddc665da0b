output "environment" {
  description = "Environment name."
  value       = local.environment
}

output "region" {
  description = "AWS region of every resource."
  value       = var.region
}

output "raw_bucket" {
  description = "Raw (bronze) bucket: dwh_ingest writes s3://<raw_bucket>/raw/<table>/dt=YYYY-MM-DD/."
  value       = module.s3.raw_bucket_id
}

output "staging_bucket" {
  description = "Staging (silver) bucket."
  value       = module.s3.staging_bucket_id
}

output "logs_bucket" {
  description = "Bucket that receives S3 server access logs."
  value       = module.s3.logs_bucket_id
}

output "glue_raw_database" {
  description = "Glue database the raw crawler fills (the Spectrum external schema's source)."
  value       = module.glue.raw_database_name
}

output "glue_staging_database" {
  description = "Glue staging database: the silver tables and the manifests (the Spectrum external schema's source)."
  value       = module.glue.staging_database_name
}

output "raw_crawler_name" {
  description = "Glue crawler over the raw tables (no schedule by default: dwh_ingest starts it)."
  value       = module.glue.raw_crawler_name
}

output "alerts_topic_arn" {
  description = "SNS topic for pipeline alerts."
  value       = module.monitoring.sns_topic_arn
}

output "kms_key_arn" {
  description = "KMS key of the raw and staging buckets, the Glue security configuration and the Redshift namespace."
  value       = module.s3.kms_key_arn
}

output "redshift_workgroup_name" {
  description = "Redshift Serverless workgroup (dbt-redshift and the Data API connect to it)."
  value       = module.redshift_serverless.workgroup_name
}

output "redshift_namespace_name" {
  description = "Redshift Serverless namespace."
  value       = module.redshift_serverless.namespace_name
}

output "redshift_endpoint_address" {
  description = "Host name of the workgroup endpoint."
  value       = module.redshift_serverless.endpoint_address
}

output "redshift_database_name" {
  description = "First database of the namespace."
  value       = module.redshift_serverless.database_name
}

output "redshift_iam_role_arn" {
  description = "Role Redshift assumes for Spectrum and COPY (use it in CREATE EXTERNAL SCHEMA)."
  value       = module.iam.redshift_role_arn
}

output "redshift_admin_secret_arn" {
  description = "Secrets Manager secret holding the generated admin password."
  value       = module.redshift_serverless.admin_secret_arn
}

output "etl_job_name" {
  description = "Glue ETL job bronze_to_silver (dwh_ingest runs it after each landing)."
  value       = module.glue.etl_job_name
}

output "silver_root" {
  description = "S3 URI of the silver zone: s3://<staging_bucket>/silver."
  value       = module.glue.silver_root
}

output "worker_role_arn" {
  description = "Role of the Airflow worker (the aws_default connection's role_arn, Astro's workload identity role, MWAA's execution role or the ECS task role)."
  value       = module.iam.worker_role_arn
}

output "vpc_id" {
  description = "VPC of the Redshift Serverless workgroup."
  value       = module.network.vpc_id
}

output "private_subnet_ids" {
  description = "Private subnets of the workgroup (one per availability zone)."
  value       = module.network.private_subnet_ids
}

output "redshift_security_group_id" {
  description = "Security group of the workgroup: admit more workers with a rule on it."
  value       = module.network.redshift_security_group_id
}
