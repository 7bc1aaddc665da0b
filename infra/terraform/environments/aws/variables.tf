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

variable "redshift_subnet_ids" {
  description = "Subnets of the workgroup (empty: the default VPC)."
  type        = list(string)
  default     = []
}

variable "redshift_security_group_ids" {
  description = "Security groups of the workgroup (empty: the VPC default)."
  type        = list(string)
  default     = []
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

variable "raw_transition_to_glacier_days" {
  description = "Days before raw objects move to GLACIER_IR (Glacier Instant Retrieval, still readable by the ETL job)."
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
