output "namespace_name" {
  description = "Name of the Redshift Serverless namespace (null when not created)."
  value       = try(aws_redshiftserverless_namespace.this[0].namespace_name, null)
}

output "namespace_arn" {
  description = "ARN of the namespace (null when not created)."
  value       = try(aws_redshiftserverless_namespace.this[0].arn, null)
}

output "admin_secret_arn" {
  description = "ARN of the Secrets Manager secret that holds the generated admin password (null when not created)."
  value       = try(aws_redshiftserverless_namespace.this[0].admin_password_secret_arn, null)
}

output "workgroup_name" {
  description = "Name of the Redshift Serverless workgroup (null when not created)."
  value       = try(aws_redshiftserverless_workgroup.this[0].workgroup_name, null)
}

output "workgroup_arn" {
  description = "ARN of the workgroup (null when not created)."
  value       = try(aws_redshiftserverless_workgroup.this[0].arn, null)
}

output "endpoint_address" {
  description = "Host name of the workgroup's endpoint (null when not created)."
  value       = try(aws_redshiftserverless_workgroup.this[0].endpoint[0].address, null)
}

output "endpoint_port" {
  description = "Port of the workgroup's endpoint (null when not created)."
  value       = try(aws_redshiftserverless_workgroup.this[0].endpoint[0].port, null)
}

output "database_name" {
  description = "Name of the first database."
  value       = var.database_name
}
