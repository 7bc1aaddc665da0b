variable "name_prefix" {
  description = "Prefix of every resource name (the project name)."
  type        = string
  default     = "ecommerce-dwh"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 3-32 lowercase letters, digits or hyphens (it becomes part of bucket names)."
  }
}

variable "environment" {
  description = "Environment name, the last part of every resource name (local, dev, staging or prod)."
  type        = string

  validation {
    condition     = contains(["local", "dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of local, dev, staging, prod."
  }
}

variable "bucket_name_suffix" {
  description = "Optional suffix appended to every bucket name (e.g. the account id) to make it globally unique. Empty: ecommerce-dwh-<layer>-<environment>."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^[a-z0-9-]{0,20}$", var.bucket_name_suffix))
    error_message = "bucket_name_suffix may only hold up to 20 lowercase letters, digits and hyphens."
  }
}

variable "create_kms_key" {
  description = "Create a customer managed KMS key (rotated yearly) for SSE-KMS on the raw and staging buckets. False: use kms_key_arn."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for SSE-KMS when create_kms_key is false. Null with create_kms_key false: SSE-S3 (AES256)."
  type        = string
  default     = null
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before a destroyed KMS key is deleted (7-30 days)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be between 7 and 30."
  }
}

variable "force_destroy" {
  description = "Allow destroying buckets that still hold objects (true only for disposable environments such as local)."
  type        = bool
  default     = false
}

variable "enable_access_logging" {
  description = "Write S3 server access logs of the raw and staging buckets to the logs bucket."
  type        = bool
  default     = true
}

variable "attach_deny_insecure_transport_policy" {
  description = "Attach a bucket policy that denies every request not made over TLS. Only an emulator served over plain http (local) turns it off."
  type        = bool
  default     = true
}

variable "raw_transition_to_ia_days" {
  description = "Days after which raw objects move to STANDARD_IA."
  type        = number
  default     = 30

  validation {
    condition     = var.raw_transition_to_ia_days >= 30
    error_message = "S3 requires at least 30 days before a transition to STANDARD_IA."
  }
}

variable "raw_transition_to_glacier_ir_days" {
  description = "Days after which raw objects move to GLACIER_IR (Glacier Instant Retrieval: still read by a plain GET, in milliseconds, so the crawler, the ETL job and Spectrum keep working; at least 30 days after the STANDARD_IA transition)."
  type        = number
  default     = 90

  validation {
    condition     = var.raw_transition_to_glacier_ir_days >= 60
    error_message = "raw_transition_to_glacier_ir_days must be at least 60 (30 days before STANDARD_IA, then 30 days in it)."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions are deleted, in every bucket."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted, in every bucket."
  type        = number
  default     = 7
}

variable "logs_expiration_days" {
  description = "Days after which access log objects are deleted."
  type        = number
  default     = 365
}

variable "enable_flow_log_delivery" {
  description = "Let the log delivery service write VPC flow logs into the logs bucket, under flow_log_prefix/AWSLogs/<account>/ (the network module's flow logs)."
  type        = bool
  default     = false
}

variable "flow_log_prefix" {
  description = "Folder of the logs bucket that receives VPC flow logs."
  type        = string
  default     = "vpc-flow-logs"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9/_-]*$", trim(var.flow_log_prefix, "/")))
    error_message = "flow_log_prefix must be a plain folder name (lowercase letters, digits, '-', '_' and '/')."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
