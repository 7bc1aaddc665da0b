# Redshift Serverless: one namespace (storage, users, encryption) and one
# workgroup (compute). The admin password never exists in Terraform: with
# manage_admin_password Redshift generates it and keeps it in Secrets Manager.

locals {
  name = "${var.name_prefix}-${var.environment}"
}

resource "aws_redshiftserverless_namespace" "this" {
  count = var.create ? 1 : 0

  namespace_name = local.name
  db_name        = var.database_name

  admin_username                   = var.admin_username
  manage_admin_password            = true
  admin_password_secret_kms_key_id = var.kms_key_arn

  kms_key_id           = var.kms_key_arn
  iam_roles            = var.iam_role_arns
  default_iam_role_arn = try(var.iam_role_arns[0], null)
  log_exports          = var.log_exports

  tags = var.tags
}

resource "aws_redshiftserverless_workgroup" "this" {
  count = var.create ? 1 : 0

  workgroup_name = local.name
  namespace_name = aws_redshiftserverless_namespace.this[0].namespace_name

  base_capacity        = var.base_capacity
  max_capacity         = var.max_capacity
  publicly_accessible  = false
  enhanced_vpc_routing = var.enhanced_vpc_routing
  subnet_ids           = length(var.subnet_ids) > 0 ? var.subnet_ids : null
  security_group_ids   = length(var.security_group_ids) > 0 ? var.security_group_ids : null

  config_parameter {
    parameter_key   = "require_ssl"
    parameter_value = "true"
  }

  config_parameter {
    parameter_key   = "enable_user_activity_logging"
    parameter_value = "true"
  }

  tags = var.tags
}

resource "aws_redshiftserverless_usage_limit" "this" {
  count = var.create && var.create_usage_limit ? 1 : 0

  resource_arn  = aws_redshiftserverless_workgroup.this[0].arn
  usage_type    = "serverless-compute"
  amount        = var.usage_limit_rpu_hours
  period        = var.usage_limit_period
  breach_action = var.usage_limit_breach_action
}
