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
  description = "Raw tables: the crawler gets one S3 target s3://<raw bucket>/<raw_prefix>/<table>/ per table, with dt=YYYY-MM-DD partitions below."
  type        = list(string)
  default     = ["customers", "products", "orders", "order_items"]

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
  description = "Whether each run crawls every folder or only folders added since the last run."
  type        = string
  default     = "CRAWL_EVERYTHING"

  validation {
    condition     = contains(["CRAWL_EVERYTHING", "CRAWL_NEW_FOLDERS_ONLY"], var.recrawl_behavior)
    error_message = "recrawl_behavior must be CRAWL_EVERYTHING or CRAWL_NEW_FOLDERS_ONLY."
  }
}

variable "schema_change_update_behavior" {
  description = "What the crawler does when a table's schema changed (CRAWL_NEW_FOLDERS_ONLY requires LOG)."
  type        = string
  default     = "UPDATE_IN_DATABASE"

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
