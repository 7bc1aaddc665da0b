# The warehouse dashboard (off by default: enable_dashboard). Reads the marts of this
# environment's Redshift Serverless workgroup with the task role's IAM identity; the
# database GRANT of that identity is documented in docs/dashboard.md.

module "dashboard" {
  source = "../../modules/dashboard"
  count  = var.enable_dashboard ? 1 : 0

  name_prefix = var.name_prefix
  environment = local.environment
  tags        = local.tags

  image              = var.dashboard_image
  ecr_repository_arn = var.dashboard_ecr_repository_arn
  desired_count      = var.dashboard_desired_count

  # The workgroup's VPC unless told otherwise (the security group rules between the
  # tasks and the workgroup need one VPC).
  vpc_id              = coalesce(var.dashboard_vpc_id, module.network.vpc_id)
  public_subnet_ids   = var.dashboard_public_subnet_ids
  private_subnet_ids  = length(var.dashboard_private_subnet_ids) > 0 ? var.dashboard_private_subnet_ids : module.network.private_subnet_ids
  allowed_cidr_blocks = var.dashboard_allowed_cidr_blocks
  domain_name         = var.dashboard_domain_name
  certificate_arn     = var.dashboard_certificate_arn

  redshift_workgroup_name    = module.redshift_serverless.workgroup_name
  redshift_workgroup_arn     = module.redshift_serverless.workgroup_arn
  redshift_database_name     = module.redshift_serverless.database_name
  redshift_host              = module.redshift_serverless.endpoint_address
  redshift_port              = coalesce(module.redshift_serverless.endpoint_port, 5439)
  redshift_security_group_id = module.network.redshift_security_group_id

  enable_redshift_security_group_rules = true
}

output "dashboard_url" {
  description = "URL of the dashboard (null when enable_dashboard is false)."
  value       = try(module.dashboard[0].url, null)
}

output "dashboard_redshift_database_user" {
  description = "Database user of the dashboard's task role: GRANT it USAGE and SELECT on schemas marts and audit (null when off)."
  value       = try(module.dashboard[0].redshift_database_user, null)
}
