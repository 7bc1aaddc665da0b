output "url" {
  description = "Where people open the dashboard (after a DNS record points domain_name at the load balancer)."
  value       = "https://${var.domain_name}"
}

output "alb_dns_name" {
  description = "DNS name of the load balancer: the target of domain_name's CNAME or alias record."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone of the load balancer, for a Route 53 alias record."
  value       = aws_lb.this.zone_id
}

output "task_role_arn" {
  description = "IAM role of the dashboard's tasks."
  value       = aws_iam_role.task.arn
}

output "task_role_name" {
  description = "Name of the task role."
  value       = aws_iam_role.task.name
}

output "redshift_database_user" {
  description = "Database user that GetCredentials maps the task role to: GRANT it USAGE and SELECT on the marts and audit schemas (nothing else)."
  value       = "IAMR:${aws_iam_role.task.name}"
}

output "task_security_group_id" {
  description = "Security group of the tasks (admit it on the Redshift port if redshift_security_group_id was not given)."
  value       = aws_security_group.task.id
}

output "cognito_user_pool_id" {
  description = "User pool whose users may sign in (add them with aws cognito-idp admin-create-user)."
  value       = aws_cognito_user_pool.this.id
}

output "cluster_name" {
  description = "ECS cluster of the dashboard."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service of the dashboard."
  value       = aws_ecs_service.this.name
}

output "log_group_name" {
  description = "CloudWatch log group of the tasks."
  value       = aws_cloudwatch_log_group.this.name
}
