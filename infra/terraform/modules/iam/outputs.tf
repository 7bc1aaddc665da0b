output "redshift_role_arn" {
  description = "ARN of the role Redshift Serverless assumes (null when not created)."
  value       = try(aws_iam_role.redshift[0].arn, null)
}

output "redshift_role_name" {
  description = "Name of the Redshift role (null when not created)."
  value       = try(aws_iam_role.redshift[0].name, null)
}

output "glue_crawler_role_arn" {
  description = "ARN of the role the Glue crawler assumes (null when not created)."
  value       = try(aws_iam_role.glue_crawler[0].arn, null)
}

output "glue_crawler_role_name" {
  description = "Name of the Glue crawler role (null when not created)."
  value       = try(aws_iam_role.glue_crawler[0].name, null)
}

output "etl_job_role_arn" {
  description = "ARN of the role the ETL job runs as (null when not created)."
  value       = try(aws_iam_role.etl_job[0].arn, null)
}

output "etl_job_role_name" {
  description = "Name of the ETL job's role (null when not created)."
  value       = try(aws_iam_role.etl_job[0].name, null)
}

output "worker_role_arn" {
  description = "ARN of the Airflow worker's role (null when not created): the aws_default connection's role_arn, the Astro Deployment's workload identity role, the MWAA execution role or the ECS task role."
  value       = try(aws_iam_role.worker[0].arn, null)
}

output "worker_role_name" {
  description = "Name of the Airflow worker's role (null when not created); its database user is IAMR:<name>."
  value       = try(aws_iam_role.worker[0].name, null)
}
