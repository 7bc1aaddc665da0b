# An AWS environment: data lake (S3 + KMS), IAM roles (the services' and the Airflow
# worker's), Glue catalog and raw crawler, the network (VPC, private subnets, VPC
# endpoints, the workgroup's security group), Redshift Serverless, and monitoring.
# dev, staging and prod are this one root module with their own values
# (<environment>.tfvars: name and sizes) and their own state (<environment>.backend.hcl):
#
#   terraform init -backend-config=dev.backend.hcl
#   terraform plan -var-file=dev.tfvars -out=dev.tfplan
#
# (with TF_DATA_DIR per environment, as the dwh_infrastructure DAG and
# scripts/deploy.sh do, so that switching environments never mixes their state).

module "contract" {
  source = "../../modules/data_contract"
}

locals {
  # The ETL job's artifacts, from the repository (the zip is built by make setup, the
  # Dockerfile and the dwh_infrastructure DAG: python -m ecommerce_dwh.silver.package).
  repository_root  = "${path.root}/../../../.."
  etl_script_path  = "${local.repository_root}/include/glue/bronze_to_silver.py"
  etl_package_path = coalesce(var.etl_package_path, "${local.repository_root}/build/glue/ecommerce_dwh_glue.zip")
  environment      = var.environment

  tags = {
    Project     = var.name_prefix
    Environment = local.environment
    ManagedBy   = "terraform"
  }
}

module "s3" {
  source = "../../modules/s3"

  name_prefix        = var.name_prefix
  environment        = local.environment
  bucket_name_suffix = var.bucket_name_suffix

  raw_transition_to_ia_days          = var.raw_transition_to_ia_days
  raw_transition_to_glacier_ir_days  = var.raw_transition_to_glacier_ir_days
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days

  # The created VPC's flow logs land in the logs bucket.
  enable_flow_log_delivery = var.create_vpc
}

module "network" {
  source = "../../modules/network"

  name_prefix = var.name_prefix
  environment = local.environment

  create_vpc               = var.create_vpc
  vpc_cidr                 = var.vpc_cidr
  vpc_id                   = var.vpc_id
  private_subnet_ids       = var.private_subnet_ids
  private_route_table_ids  = var.private_route_table_ids
  flow_log_destination_arn = module.s3.flow_log_destination_arn

  create_vpc_endpoints        = var.create_vpc_endpoints
  interface_endpoint_services = var.interface_endpoint_services

  redshift_allowed_cidr_blocks        = var.redshift_allowed_cidr_blocks
  redshift_allowed_security_group_ids = var.redshift_allowed_security_group_ids
  redshift_egress_cidr_blocks         = var.redshift_egress_cidr_blocks
}

module "iam" {
  source = "../../modules/iam"

  name_prefix                = var.name_prefix
  environment                = local.environment
  raw_bucket_arn             = module.s3.raw_bucket_arn
  staging_bucket_arn         = module.s3.staging_bucket_arn
  kms_key_arn                = module.s3.kms_key_arn
  glue_raw_database_name     = module.glue.raw_database_name
  glue_staging_database_name = module.glue.staging_database_name
  raw_prefix                 = module.contract.bronze_prefix
  silver_prefix              = module.contract.silver_prefix

  # The Airflow worker (Terraform itself runs as the separate deploy role).
  worker_trust                  = var.worker_trust
  worker_trusted_principal_arns = var.worker_trusted_principal_arns
  worker_external_id            = var.worker_external_id
  worker_crawler_names          = [module.glue.raw_crawler_name]
  worker_etl_job_names          = [module.glue.etl_job_name]

  enable_worker_redshift_access     = true
  redshift_workgroup_arn            = module.redshift_serverless.workgroup_arn
  enable_worker_admin_secret_access = true
  redshift_admin_secret_arn         = module.redshift_serverless.admin_secret_arn

  enable_worker_alerts = true
  alerts_topic_arn     = module.monitoring.sns_topic_arn
  alerts_kms_key_arn   = module.monitoring.kms_key_arn
}

module "glue" {
  source = "../../modules/glue"

  name_prefix      = var.name_prefix
  environment      = local.environment
  raw_bucket_name  = module.s3.raw_bucket_id
  raw_prefix       = module.contract.bronze_prefix
  raw_tables       = module.contract.tables
  crawler_role_arn = module.iam.glue_crawler_role_arn
  crawler_schedule = var.crawler_schedule
  kms_key_arn      = module.s3.kms_key_arn

  staging_bucket_name = module.s3.staging_bucket_id
  silver_prefix       = module.contract.silver_prefix
  manifests_folder    = module.contract.manifests_folder
  partition_key       = module.contract.partition_key
  silver_columns      = module.contract.silver_columns
  manifest_columns    = module.contract.manifest_columns

  etl_job_role_arn = module.iam.etl_job_role_arn
  etl_script_path  = local.etl_script_path
  etl_package_path = local.etl_package_path
}

module "redshift_serverless" {
  source = "../../modules/redshift_serverless"

  name_prefix    = var.name_prefix
  environment    = local.environment
  database_name  = var.redshift_database_name
  admin_username = var.redshift_admin_username
  iam_role_arns  = [module.iam.redshift_role_arn]
  kms_key_arn    = module.s3.kms_key_arn

  base_capacity        = var.redshift_base_capacity
  max_capacity         = var.redshift_max_capacity
  subnet_ids           = module.network.private_subnet_ids
  security_group_ids   = compact([module.network.redshift_security_group_id])
  enhanced_vpc_routing = var.redshift_enhanced_vpc_routing

  usage_limit_rpu_hours     = var.redshift_usage_limit_rpu_hours
  usage_limit_period        = var.redshift_usage_limit_period
  usage_limit_breach_action = var.redshift_usage_limit_breach_action
}

module "monitoring" {
  source = "../../modules/monitoring"

  name_prefix   = var.name_prefix
  environment   = local.environment
  alert_email   = var.alert_email
  crawler_names = [module.glue.raw_crawler_name]
  etl_job_names = [module.glue.etl_job_name]

  redshift_workgroup_name      = "${var.name_prefix}-${local.environment}"
  enable_redshift_alarms       = true
  redshift_rpu_alarm_threshold = var.redshift_rpu_alarm_threshold

  enable_cost_anomaly_detection = var.enable_cost_anomaly_detection
  cost_anomaly_threshold_usd    = var.cost_anomaly_threshold_usd
}

# Warnings (not errors) for settings that plan fine but leave the warehouse unusable.
check "workers_can_reach_redshift" {
  assert {
    condition     = length(var.redshift_allowed_cidr_blocks) + length(var.redshift_allowed_security_group_ids) > 0
    error_message = "No Airflow worker may connect to the workgroup on 5439: set redshift_allowed_cidr_blocks or redshift_allowed_security_group_ids, or dbt cannot reach Redshift (the Data API still works)."
  }
}

check "enhanced_vpc_routing_has_a_path" {
  assert {
    condition     = !var.redshift_enhanced_vpc_routing || var.create_vpc_endpoints || length(var.redshift_egress_cidr_blocks) > 0
    error_message = "Enhanced VPC routing is on without VPC endpoints (create_vpc_endpoints) or an egress range to a NAT (redshift_egress_cidr_blocks): COPY and Spectrum cannot reach S3 and Glue."
  }
}
