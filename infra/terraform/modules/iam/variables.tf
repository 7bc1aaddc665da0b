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

variable "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the buckets (null for SSE-S3): the roles get kms:Decrypt on it."
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

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
