variable "aws_endpoint_url" {
  description = "Endpoint of an AWS emulator (e.g. a moto server) used for every service; null (default): real AWS."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS region of the state bucket and lock table."
  type        = string
  default     = "us-east-2"
}

variable "name_prefix" {
  description = "Project name, used in descriptions, the key alias and tags."
  type        = string
  default     = "ecommerce-dwh"
}

variable "state_bucket_name" {
  description = "Name of the Terraform state bucket (globally unique: add the account id if the default is taken)."
  type        = string
  default     = "tf-state-ecommerce-dwh"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be a valid S3 bucket name."
  }
}

variable "lock_table_name" {
  description = "Name of the DynamoDB table Terraform locks state in."
  type        = string
  default     = "tf-locks-ecommerce-dwh"
}

variable "noncurrent_version_expiration_days" {
  description = "Days old state versions are kept (the undo history of every environment)."
  type        = number
  default     = 90
}

variable "deny_insecure_transport" {
  description = "Attach the bucket policy that denies requests not made over TLS. Only an emulator served over plain http (tests against moto) turns it off."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Allow destroying the state bucket while it holds state (only for throw-away test accounts)."
  type        = bool
  default     = false
}
