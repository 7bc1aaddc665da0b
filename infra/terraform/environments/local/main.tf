# The laptop environment: the modules moto implements (S3, IAM, Glue, SNS,
# CloudWatch, EventBridge, KMS), applied against the moto server. The warehouse
# is a DuckDB file, so there is no redshift_serverless module here, nor the network
# that exists for it (modules/network), and moto has no Cost Explorer anomaly API,
# so that part of monitoring is switched off.
#
# One thing exists here only: the IAM user that stands for the machine the local
# Airflow runs on (what an Astro workload identity or an instance role is on AWS). It
# may do one thing, assume the worker's role; its access key is made at run time by
# whoever starts that Airflow (the end-to-end tests, on a moto server that enforces
# IAM), never by Terraform, so no secret is in the state.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

module "contract" {
  source = "../../modules/data_contract"
}

locals {
  # The ETL job's artifacts, from the repository (the zip is built by make setup, the
  # Dockerfile and the dwh_infrastructure DAG: python -m ecommerce_dwh.silver.package).
  repository_root  = "${path.root}/../../../.."
  etl_script_path  = "${local.repository_root}/include/glue/bronze_to_silver.py"
  etl_package_path = coalesce(var.etl_package_path, "${local.repository_root}/build/glue/ecommerce_dwh_glue.zip")
  environment      = "local"

  tags = {
    Project     = var.name_prefix
    Environment = local.environment
    ManagedBy   = "terraform"
  }

  # ARNs written from names, so that the policies naming them are known when planning
  # (the plan tests and the IAM linter read them) and the trust names the user exactly
  # (moto compares principals literally).
  iam_arn_prefix   = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}"
  airflow_user_arn = "${local.iam_arn_prefix}:user/${aws_iam_user.airflow.name}"
  worker_role_arn  = "${local.iam_arn_prefix}:role/${module.iam.worker_role_name}"
}

module "s3" {
  source = "../../modules/s3"

  name_prefix = var.name_prefix
  environment = local.environment

  # Disposable: destroy must succeed even after the DAGs wrote data.
  force_destroy                   = true
  kms_key_deletion_window_in_days = 7
  # The moto endpoint is plain http, so a TLS-only policy would (rightly) deny
  # every object request of the DAGs; moto also evaluates policy conditions
  # without request context, so any conditional Deny denies everything.
  attach_deny_insecure_transport_policy = false
}

module "glue" {
  source = "../../modules/glue"

  name_prefix      = var.name_prefix
  environment      = local.environment
  raw_bucket_name  = module.s3.raw_bucket_id
  raw_prefix       = module.contract.bronze_prefix
  raw_tables       = module.contract.tables
  crawler_role_arn = module.iam.glue_crawler_role_arn
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

  # The Airflow worker's role, with the very policy of dev/staging/prod (no Redshift
  # here), assumed by the local Airflow's IAM user (below) and any principal added in
  # worker_trusted_principal_arns. Local mode also runs the ETL job's script on the
  # worker, so it reads the job's artifacts.
  worker_trust                  = "aws_principals"
  worker_trusted_principal_arns = distinct(concat([local.airflow_user_arn], var.worker_trusted_principal_arns))
  worker_crawler_names          = [module.glue.raw_crawler_name]
  worker_etl_job_names          = [module.glue.etl_job_name]
  worker_read_etl_artifacts     = true

  enable_worker_alerts = true
  alerts_topic_arn     = module.monitoring.sns_topic_arn
  alerts_kms_key_arn   = module.monitoring.kms_key_arn
}

module "monitoring" {
  source = "../../modules/monitoring"

  name_prefix                     = var.name_prefix
  environment                     = local.environment
  crawler_names                   = [module.glue.raw_crawler_name]
  etl_job_names                   = [module.glue.etl_job_name]
  kms_key_deletion_window_in_days = 7

  enable_cost_anomaly_detection = false
}

################################################################################
# The local Airflow's own identity: it may only assume the worker's role
################################################################################

resource "aws_iam_user" "airflow" {
  #checkov:skip=CKV_AWS_273:Local mode only (moto): the user stands for the machine the local Airflow runs on; on AWS that is a workload identity or an instance role, never a user.
  name = "${var.name_prefix}-airflow-${local.environment}"
  tags = local.tags
}

data "aws_iam_policy_document" "airflow_user" {
  statement {
    sid       = "AssumeTheWorkerRole"
    actions   = ["sts:AssumeRole"]
    resources = [local.worker_role_arn]
  }
}

resource "aws_iam_user_policy" "airflow" {
  #checkov:skip=CKV_AWS_40:Local mode only (moto): one user, one statement (sts:AssumeRole on the worker role); a group for it would add nothing.
  name   = "assume-worker-role"
  user   = aws_iam_user.airflow.name
  policy = data.aws_iam_policy_document.airflow_user.json
}
