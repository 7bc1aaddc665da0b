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
  description = "Glue database the raw crawler fills."
  value       = module.glue.raw_database_name
}

output "glue_staging_database" {
  description = "Glue staging database: the silver tables and the manifests (the Spectrum external schema's source)."
  value       = module.glue.staging_database_name
}

output "raw_crawler_name" {
  description = "Glue crawler over the raw tables (no schedule: dwh_ingest starts it)."
  value       = module.glue.raw_crawler_name
}

output "alerts_topic_arn" {
  description = "SNS topic for pipeline alerts."
  value       = module.monitoring.sns_topic_arn
}

output "kms_key_arn" {
  description = "KMS key of the raw and staging buckets."
  value       = module.s3.kms_key_arn
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
  description = "Role of the Airflow worker: the same policy as dev/staging/prod (without Redshift), assumable by the local Airflow's user (airflow_user_arn) and worker_trusted_principal_arns."
  value       = module.iam.worker_role_arn
}

output "airflow_user_name" {
  description = "IAM user that stands for the machine the local Airflow runs on: it may only assume the worker role. Terraform makes no access key for it; the aws_default connection carries one made at run time, with role_arn = worker_role_arn."
  value       = aws_iam_user.airflow.name
}

output "airflow_user_arn" {
  description = "ARN of the local Airflow's IAM user (airflow_user_name), the principal the worker role trusts."
  value       = local.airflow_user_arn
}
