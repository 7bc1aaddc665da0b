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

variable "create_staging_database" {
  description = "Create the staging (silver) Glue database next to the raw one."
  type        = bool
  default     = true
}

variable "create_raw_crawler" {
  description = "Create the crawler over the raw tables."
  type        = bool
  default     = true
}

variable "raw_bucket_name" {
  description = "Name of the raw bucket the crawler reads."
  type        = string
}

variable "raw_prefix" {
  description = "Key prefix (no slashes around it) under which each raw table has its folder."
  type        = string
  default     = "raw"
}

variable "raw_tables" {
  description = "Raw tables (the data contract's, modules/data_contract): the crawler gets one S3 target s3://<raw bucket>/<raw_prefix>/<table>/ per table, with dt=YYYY-MM-DD partitions below."
  type        = list(string)

  validation {
    condition     = length(var.raw_tables) > 0 && alltrue([for t in var.raw_tables : can(regex("^[a-z][a-z0-9_]*$", t))])
    error_message = "raw_tables must be a non-empty list of snake_case table names."
  }
}

variable "crawler_role_arn" {
  description = "ARN of the IAM role the crawler assumes."
  type        = string
  default     = null
}

variable "crawler_schedule" {
  description = "Cron schedule of the crawler, e.g. cron(15 2 * * ? *). Null (default): on demand only, the ingest DAG starts it."
  type        = string
  default     = null

  validation {
    condition     = var.crawler_schedule == null || can(regex("^cron\\(.+\\)$", var.crawler_schedule))
    error_message = "crawler_schedule must be null or a Glue cron(...) expression."
  }
}

variable "recrawl_behavior" {
  description = "Whether each run crawls every folder or only folders added since the last run (the default: the cost of a crawl then stays that of one day, whatever the history)."
  type        = string
  default     = "CRAWL_NEW_FOLDERS_ONLY"

  validation {
    condition     = contains(["CRAWL_EVERYTHING", "CRAWL_NEW_FOLDERS_ONLY"], var.recrawl_behavior)
    error_message = "recrawl_behavior must be CRAWL_EVERYTHING or CRAWL_NEW_FOLDERS_ONLY."
  }
}

variable "schema_change_update_behavior" {
  description = "What the crawler does when a table's schema changed (CRAWL_NEW_FOLDERS_ONLY requires LOG)."
  type        = string
  default     = "LOG"

  validation {
    condition     = contains(["LOG", "UPDATE_IN_DATABASE"], var.schema_change_update_behavior)
    error_message = "schema_change_update_behavior must be LOG or UPDATE_IN_DATABASE."
  }
}

variable "schema_change_delete_behavior" {
  description = "What the crawler does when a table's data disappeared (CRAWL_NEW_FOLDERS_ONLY requires LOG)."
  type        = string
  default     = "LOG"

  validation {
    condition     = contains(["LOG", "DELETE_FROM_DATABASE", "DEPRECATE_IN_DATABASE"], var.schema_change_delete_behavior)
    error_message = "schema_change_delete_behavior must be LOG, DELETE_FROM_DATABASE or DEPRECATE_IN_DATABASE."
  }
}

variable "create_security_configuration" {
  description = "Create a Glue security configuration (KMS for crawler logs and S3 writes) and attach it to the crawler. Needs kms_key_arn."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "ARN of the KMS key used by the security configuration."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}

variable "staging_bucket_name" {
  description = "Name of the staging bucket: silver zone, and the ETL job's artifacts."
  type        = string
}

variable "silver_prefix" {
  description = "Key prefix (no slashes around it) of the silver zone in the staging bucket."
  type        = string
  default     = "silver"
}

variable "manifests_folder" {
  description = "Folder of the generator's manifests under the raw prefix."
  type        = string
  default     = "_manifests"
}

variable "partition_key" {
  description = "Name of the day partition of every table (dt=YYYY-MM-DD folders)."
  type        = string
  default     = "dt"
}

variable "silver_columns" {
  description = "Columns of each silver table (the data contract: modules/data_contract): name, Glue type and comment, in file order."
  type = map(list(object({
    name    = string
    type    = string
    comment = string
  })))
  default = {}
}

variable "manifest_columns" {
  description = "Columns of the manifests table (the data contract); empty: no manifests table."
  type = list(object({
    name    = string
    type    = string
    comment = string
  }))
  default = []
}

variable "create_etl_job" {
  description = "Create the ETL job bronze_to_silver and upload its artifacts (needs the staging database)."
  type        = bool
  default     = true
}

variable "etl_job_role_arn" {
  description = "ARN of the IAM role the ETL job runs as."
  type        = string
  default     = null
}

variable "etl_script_path" {
  description = "Local path of the job's script (include/glue/bronze_to_silver.py)."
  type        = string
  default     = null
}

variable "etl_package_path" {
  description = "Local path of the zip of the modules the script imports (python -m ecommerce_dwh.silver.package builds it)."
  type        = string
  default     = null
}

variable "artifacts_prefix" {
  description = "Key prefix in the staging bucket where the job's script and zip are uploaded."
  type        = string
  default     = "artifacts/glue"
}

variable "glue_version" {
  description = "Glue version of the job (5.0: Spark 3.5, Python 3.11, the versions local mode pins)."
  type        = string
  default     = "5.0"
}

variable "etl_execution_class" {
  description = "STANDARD starts a run at once; FLEX runs on spare capacity, cheaper but may start minutes later."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "FLEX"], var.etl_execution_class)
    error_message = "etl_execution_class must be STANDARD or FLEX."
  }
}

variable "etl_worker_type" {
  description = "Worker type of the job."
  type        = string
  default     = "G.1X"

  validation {
    condition     = contains(["G.1X", "G.2X", "G.4X", "G.8X"], var.etl_worker_type)
    error_message = "etl_worker_type must be G.1X, G.2X, G.4X or G.8X."
  }
}

variable "etl_number_of_workers" {
  description = "Workers of each job run (2 is Glue's minimum; a day of 100,000 orders is a few hundred MB)."
  type        = number
  default     = 2

  validation {
    condition     = var.etl_number_of_workers >= 2
    error_message = "etl_number_of_workers must be at least 2."
  }
}

variable "etl_timeout_minutes" {
  description = "Minutes before Glue stops a run."
  type        = number
  default     = 30
}

variable "etl_max_concurrent_runs" {
  description = "Runs of the job at the same time (each run writes only its own day)."
  type        = number
  default     = 4
}
