variable "name_prefix" {
  description = "Prefix of every resource name (the project name)."
  type        = string
  default     = "ecommerce-dwh"
}

variable "environment" {
  description = "Environment name, the last part of every resource name (local, dev, staging or prod)."
  type        = string

  validation {
    condition     = contains(["local", "dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of local, dev, staging, prod."
  }
}

variable "create_redshift_role" {
  description = "Create the role Redshift Serverless assumes to read the data lake and the Glue catalog (Spectrum, COPY)."
  type        = bool
  default     = true
}

variable "create_glue_crawler_role" {
  description = "Create the role the Glue crawler assumes, scoped to the raw prefix and the raw database."
  type        = bool
  default     = true
}

variable "create_etl_job_role" {
  description = "Create the role the ETL job bronze_to_silver runs as: raw/ read, silver/ write, the staging database's partitions."
  type        = bool
  default     = true
}

variable "raw_bucket_arn" {
  description = "ARN of the raw bucket."
  type        = string
}

variable "staging_bucket_arn" {
  description = "ARN of the staging bucket."
  type        = string
}

variable "raw_prefix" {
  description = "Key prefix (no slashes around it) under which the raw tables land in the raw bucket."
  type        = string
  default     = "raw"
}

variable "silver_prefix" {
  description = "Key prefix (no slashes around it) of the silver zone in the staging bucket."
  type        = string
  default     = "silver"
}

variable "artifacts_prefix" {
  description = "Key prefix (no slashes around it) of the ETL job's script and zip in the staging bucket."
  type        = string
  default     = "artifacts/glue"
}

variable "use_kms_key" {
  description = "The buckets are SSE-KMS with kms_key_arn: the roles get the key uses they need (a boolean, since the key's ARN is unknown until it exists)."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the buckets (and the Redshift admin secret), when use_kms_key."
  type        = string
  default     = null
}

variable "glue_raw_database_name" {
  description = "Name of the Glue database the crawler writes and Redshift Spectrum reads."
  type        = string
}

variable "glue_staging_database_name" {
  description = "Name of the Glue staging database Redshift Spectrum may read (null: none)."
  type        = string
  default     = null
}

################################################################################
# Airflow worker
################################################################################

variable "create_worker_role" {
  description = "Create the Airflow worker's role: raw/ and silver/ objects, the crawler, the ETL job, the staging partitions, and (when enabled) Redshift and the alerts topic."
  type        = bool
  default     = true
}

variable "worker_trust" {
  description = "Who assumes the worker role: astro (an Astro Deployment's workload identity: worker_trusted_principal_arns, optionally worker_external_id), mwaa (airflow.amazonaws.com and airflow-env.amazonaws.com), ecs (ecs-tasks.amazonaws.com) or aws_principals (worker_trusted_principal_arns, e.g. local mode's IAM user)."
  type        = string
  default     = "astro"

  validation {
    condition     = contains(["astro", "mwaa", "ecs", "aws_principals"], var.worker_trust)
    error_message = "worker_trust must be astro, mwaa, ecs or aws_principals."
  }
}

variable "worker_trusted_principal_arns" {
  description = "IAM principals (role or user ARNs) that may assume the worker role when worker_trust is astro or aws_principals. Empty: this account's root, i.e. only principals of this account that an IAM policy allows sts:AssumeRole on the role."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.worker_trusted_principal_arns : can(regex("^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:", a))])
    error_message = "worker_trusted_principal_arns must be IAM or STS principal ARNs (never \"*\")."
  }
}

variable "worker_external_id" {
  description = "sts:ExternalId the trusted principals must present (astro, aws_principals); null: none required."
  type        = string
  default     = null

  validation {
    condition     = var.worker_external_id == null || try(length(var.worker_external_id) >= 2 && length(var.worker_external_id) <= 1224 && can(regex("^[A-Za-z0-9+=,.@:/-]+$", var.worker_external_id)), false)
    error_message = "worker_external_id must be 2-1224 characters of letters, digits and +=,.@:/-."
  }
}

variable "worker_max_session_duration" {
  description = "Longest session of the worker role, seconds (3600-43200)."
  type        = number
  default     = 3600

  validation {
    condition     = var.worker_max_session_duration >= 3600 && var.worker_max_session_duration <= 43200
    error_message = "worker_max_session_duration must be between 3600 and 43200."
  }
}

variable "worker_crawler_names" {
  description = "Glue crawlers the worker may start and watch (the raw crawler)."
  type        = list(string)
  default     = []
}

variable "worker_etl_job_names" {
  description = "Glue jobs the worker may run, watch and stop (bronze_to_silver)."
  type        = list(string)
  default     = []
}

variable "worker_read_etl_artifacts" {
  description = "Let the worker read the ETL job's script and zip (artifacts_prefix): local mode runs the job's script on the worker itself."
  type        = bool
  default     = false
}

variable "enable_worker_redshift_access" {
  description = "Grant the worker the Data API and redshift-serverless:GetCredentials on redshift_workgroup_arn."
  type        = bool
  default     = false
}

variable "redshift_workgroup_arn" {
  description = "ARN of the Redshift Serverless workgroup (enable_worker_redshift_access)."
  type        = string
  default     = null
}

variable "enable_worker_admin_secret_access" {
  description = "Grant the worker secretsmanager:GetSecretValue on redshift_admin_secret_arn (the one-time grants step runs as the admin through the Data API)."
  type        = bool
  default     = false
}

variable "redshift_admin_secret_arn" {
  description = "ARN of the Secrets Manager secret of the Redshift admin password (enable_worker_admin_secret_access)."
  type        = string
  default     = null
}

variable "enable_worker_alerts" {
  description = "Grant the worker sns:Publish on alerts_topic_arn (the DAGs' failure alerts)."
  type        = bool
  default     = false
}

variable "alerts_topic_arn" {
  description = "ARN of the alerts topic (enable_worker_alerts)."
  type        = string
  default     = null
}

variable "alerts_use_kms_key" {
  description = "The alerts topic is encrypted with alerts_kms_key_arn: the worker may use it through SNS."
  type        = bool
  default     = true
}

variable "alerts_kms_key_arn" {
  description = "ARN of the alerts topic's KMS key (alerts_use_kms_key)."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
