variable "environment" {
  description = "Which AWS environment this is: dev, staging or prod (its <environment>.tfvars sets it with the sizes below)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "aws_endpoint_url" {
  description = "Endpoint of an AWS emulator (e.g. a moto server) used for every service; null (default): real AWS."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-2"
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "ecommerce-dwh"
}

variable "bucket_name_suffix" {
  description = "Optional suffix (e.g. the account id) appended to bucket names to make them globally unique."
  type        = string
  default     = ""
}

variable "crawler_schedule" {
  description = "Cron schedule of the raw crawler; null: on demand (dwh_ingest starts it)."
  type        = string
  default     = null
}

variable "alert_email" {
  description = "E-mail address subscribed to the alerts topic (null: none)."
  type        = string
  default     = null
}

variable "redshift_database_name" {
  description = "First database of the Redshift Serverless namespace."
  type        = string
  default     = "dev"
}

variable "redshift_admin_username" {
  description = "Redshift admin user (its password is managed by Secrets Manager)."
  type        = string
  default     = "dwh_admin"
}

variable "redshift_base_capacity" {
  description = "Base RPUs of the workgroup."
  type        = number
}

variable "redshift_max_capacity" {
  description = "Maximum RPUs the workgroup may scale to (null: unbounded)."
  type        = number
}

variable "redshift_usage_limit_rpu_hours" {
  description = "RPU-hours per redshift_usage_limit_period before the breach action."
  type        = number
}

variable "redshift_usage_limit_period" {
  description = "Period of the usage limit: daily, weekly or monthly."
  type        = string
}

variable "redshift_usage_limit_breach_action" {
  description = "Action when the usage limit is reached: log, emit-metric or deactivate."
  type        = string
  default     = "deactivate"
}

variable "redshift_rpu_alarm_threshold" {
  description = "RPU level that, sustained for 15 minutes, raises the Redshift alarm."
  type        = number
}

variable "redshift_enhanced_vpc_routing" {
  description = "Route the workgroup's COPY/UNLOAD and Spectrum catalog traffic through the VPC (its S3 gateway and Glue interface endpoints) instead of AWS's public network."
  type        = bool
  default     = true
}

################################################################################
# Network (modules/network): a VPC created here, or your own
################################################################################

variable "create_vpc" {
  description = "Create the warehouse's VPC (private subnets in three availability zones, no internet access). False: bring your own with vpc_id, private_subnet_ids and private_route_table_ids."
  type        = bool
  default     = true
}

variable "vpc_cidr" {
  description = "IPv4 range of the created VPC (pick one that does not overlap the Airflow workers' network if you peer them)."
  type        = string
  default     = "10.42.0.0/16"
}

variable "vpc_id" {
  description = "Your VPC when create_vpc is false."
  type        = string
  default     = null
}

variable "private_subnet_ids" {
  description = "Your private subnets (at least three availability zones) when create_vpc is false."
  type        = list(string)
  default     = []
}

variable "private_route_table_ids" {
  description = "Route tables of private_subnet_ids when create_vpc is false (they get the S3 gateway endpoint)."
  type        = list(string)
  default     = []
}

variable "create_vpc_endpoints" {
  description = "Create the S3 gateway endpoint and the interface endpoints (false if your VPC already has them)."
  type        = bool
  default     = true
}

variable "interface_endpoint_services" {
  description = "Services that get an interface endpoint with private DNS (glue: Spectrum's catalog under enhanced VPC routing)."
  type        = list(string)
  default     = ["glue"]
}

variable "redshift_allowed_cidr_blocks" {
  description = "IPv4 ranges of the Airflow workers that may connect to the workgroup on 5439 (never 0.0.0.0/0)."
  type        = list(string)
  default     = []
}

variable "redshift_allowed_security_group_ids" {
  description = "Security groups of the Airflow workers that may connect to the workgroup on 5439."
  type        = list(string)
  default     = []
}

variable "redshift_egress_cidr_blocks" {
  description = "Extra ranges the workgroup may reach on HTTPS (your VPC's NAT or endpoints, when create_vpc_endpoints is false)."
  type        = list(string)
  default     = []
}

################################################################################
# Airflow worker role (modules/iam)
################################################################################

variable "worker_trust" {
  description = "Who assumes the Airflow worker's role: astro, mwaa, ecs or aws_principals (see modules/iam)."
  type        = string
  default     = "astro"
}

variable "worker_trusted_principal_arns" {
  description = "Principals that may assume the worker role (astro: the Deployment's workload identity ARN). Empty: this account only, through IAM policies."
  type        = list(string)
  default     = []
}

variable "worker_external_id" {
  description = "sts:ExternalId the worker's principal must present (null: none)."
  type        = string
  default     = null
}

variable "enable_cost_anomaly_detection" {
  description = "Create the Cost Anomaly Detection monitor and its SNS subscription."
  type        = bool
  default     = true
}

variable "cost_anomaly_threshold_usd" {
  description = "Absolute cost impact (USD) that triggers an anomaly alert."
  type        = number
}

variable "raw_transition_to_ia_days" {
  description = "Days before raw objects move to STANDARD_IA."
  type        = number
  default     = 30
}

variable "raw_transition_to_glacier_ir_days" {
  description = "Days before raw objects move to GLACIER_IR: Glacier Instant Retrieval, read by a plain GET like STANDARD (never GLACIER Flexible Retrieval, which needs a restore first)."
  type        = number
}

variable "noncurrent_version_expiration_days" {
  description = "Days before noncurrent object versions are deleted."
  type        = number
}

variable "etl_package_path" {
  description = "Path of the ETL job's module zip; null: build/glue/ecommerce_dwh_glue.zip in this repository (python -m ecommerce_dwh.silver.package builds it)."
  type        = string
  default     = null
}
