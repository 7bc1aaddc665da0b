variable "name_prefix" {
  description = "Prefix of every resource name (the project name)."
  type        = string
  default     = "ecommerce-dwh"
}

variable "environment" {
  description = "Environment name, the last part of every resource name (dev, staging or prod)."
  type        = string

  validation {
    condition     = contains(["local", "dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of local, dev, staging, prod."
  }
}

variable "create" {
  description = "Create the namespace, workgroup and usage limit."
  type        = bool
  default     = true
}

variable "database_name" {
  description = "Name of the first database in the namespace."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_$]{0,62}$", var.database_name))
    error_message = "database_name must be a lowercase Redshift identifier of at most 63 characters."
  }
}

variable "admin_username" {
  description = "Admin user name; its password is generated and kept in Secrets Manager (manage_admin_password)."
  type        = string
  default     = "dwh_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,127}$", var.admin_username))
    error_message = "admin_username must start with a lowercase letter and hold only lowercase letters, digits and underscores."
  }
}

variable "iam_role_arns" {
  description = "IAM roles associated with the namespace (Spectrum, COPY); the first one is the default role."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts the namespace and the admin password secret (null: AWS owned key)."
  type        = string
  default     = null
}

variable "base_capacity" {
  description = "Base capacity of the workgroup in Redshift Processing Units (8 to 1024, in steps of 8)."
  type        = number
  default     = 8

  validation {
    condition     = var.base_capacity >= 8 && var.base_capacity <= 1024 && var.base_capacity % 8 == 0
    error_message = "base_capacity must be a multiple of 8 between 8 and 1024."
  }
}

variable "max_capacity" {
  description = "Upper bound of RPUs the workgroup may scale to (null: no bound besides the usage limit)."
  type        = number
  default     = null

  validation {
    condition     = var.max_capacity == null || try(var.max_capacity >= 8 && var.max_capacity % 8 == 0, false)
    error_message = "max_capacity must be null or a multiple of 8 of at least 8."
  }
}

variable "subnet_ids" {
  description = "Private subnets of the workgroup, in at least three availability zones (the network module's). Empty: AWS picks the default VPC's subnets, where nothing admits the workers: only for experiments."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.subnet_ids) == 0 || length(var.subnet_ids) >= 3
    error_message = "Redshift Serverless needs subnets in at least three availability zones: give three or more subnet_ids."
  }
}

variable "security_group_ids" {
  description = "Security groups of the workgroup (the network module's, which admits the Airflow workers on 5439). Empty: the VPC's default security group."
  type        = list(string)
  default     = []
}

variable "enhanced_vpc_routing" {
  description = "Route COPY/UNLOAD and Spectrum's catalog traffic through the VPC instead of AWS's public network; the subnets then need an S3 gateway endpoint and a Glue interface endpoint (or a NAT)."
  type        = bool
  default     = true
}

variable "log_exports" {
  description = "Logs exported to CloudWatch."
  type        = list(string)
  default     = ["connectionlog", "userlog", "useractivitylog"]

  validation {
    condition     = alltrue([for l in var.log_exports : contains(["connectionlog", "userlog", "useractivitylog"], l)])
    error_message = "log_exports may only contain connectionlog, userlog and useractivitylog."
  }
}

variable "create_usage_limit" {
  description = "Cap the workgroup's compute with a usage limit (cost guard)."
  type        = bool
  default     = true
}

variable "usage_limit_rpu_hours" {
  description = "RPU-hours the workgroup may use per usage_limit_period."
  type        = number
  default     = 24

  validation {
    condition     = var.usage_limit_rpu_hours >= 1
    error_message = "usage_limit_rpu_hours must be at least 1."
  }
}

variable "usage_limit_period" {
  description = "Period of the usage limit."
  type        = string
  default     = "daily"

  validation {
    condition     = contains(["daily", "weekly", "monthly"], var.usage_limit_period)
    error_message = "usage_limit_period must be daily, weekly or monthly."
  }
}

variable "usage_limit_breach_action" {
  description = "What happens when the usage limit is reached: log, emit-metric, or deactivate (queries stop until the next period)."
  type        = string
  default     = "deactivate"

  validation {
    condition     = contains(["log", "emit-metric", "deactivate"], var.usage_limit_breach_action)
    error_message = "usage_limit_breach_action must be log, emit-metric or deactivate."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
