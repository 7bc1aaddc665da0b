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

variable "create_kms_key" {
  description = "Create a KMS key for the alerts topic whose policy lets CloudWatch, EventBridge and Cost Anomaly Detection publish (the AWS managed aws/sns key does not). False: use kms_master_key_id."
  type        = bool
  default     = true
}

variable "kms_master_key_id" {
  description = "Existing KMS key (id, ARN or alias) for the topic when create_kms_key is false."
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

variable "alert_email" {
  description = "E-mail address subscribed to the alerts topic (null: no subscription; the address must confirm it)."
  type        = string
  default     = null

  validation {
    condition     = var.alert_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alert_email))
    error_message = "alert_email must be null or an e-mail address."
  }
}

variable "crawler_names" {
  description = "Glue crawlers whose failed runs raise the crawler-failure alarm."
  type        = list(string)
  default     = []
}

variable "enable_crawler_failure_alarm" {
  description = "Create the EventBridge rule (crawler state Failed -> topic) and the CloudWatch alarm on it."
  type        = bool
  default     = true
}

variable "etl_job_names" {
  description = "Glue ETL jobs whose failed, timed-out or stopped runs raise the ETL-job-failure alarm."
  type        = list(string)
  default     = []
}

variable "enable_etl_job_failure_alarm" {
  description = "Create the EventBridge rule (job state FAILED/TIMEOUT/ERROR/STOPPED -> topic) and the CloudWatch alarm on it."
  type        = bool
  default     = true
}

variable "redshift_workgroup_name" {
  description = "Redshift Serverless workgroup to watch (null: no Redshift alarm or widget)."
  type        = string
  default     = null
}

variable "enable_redshift_alarms" {
  description = "Alarm when the workgroup's RPU usage stays at or above redshift_rpu_alarm_threshold. Needs redshift_workgroup_name."
  type        = bool
  default     = false
}

variable "redshift_rpu_alarm_threshold" {
  description = "ComputeCapacity (RPU) at or above which, for redshift_rpu_alarm_periods 5-minute periods, the alarm fires."
  type        = number
  default     = 32
}

variable "redshift_rpu_alarm_periods" {
  description = "Consecutive 5-minute periods over the threshold before the RPU alarm fires."
  type        = number
  default     = 3
}

variable "create_dashboard" {
  description = "Create a CloudWatch dashboard with crawler failures and (when a workgroup is given) Redshift RPU usage."
  type        = bool
  default     = true
}

variable "enable_cost_anomaly_detection" {
  description = "Create a Cost Anomaly Detection monitor (costs tagged Project/Environment) and a subscription that alerts the topic."
  type        = bool
  default     = false
}

variable "cost_anomaly_threshold_usd" {
  description = "Absolute impact in USD above which a cost anomaly is sent to the topic."
  type        = number
  default     = 10
}

variable "cost_anomaly_frequency" {
  description = "How often anomalies are sent. IMMEDIATE is the only frequency that can deliver to SNS."
  type        = string
  default     = "IMMEDIATE"

  validation {
    condition     = contains(["IMMEDIATE"], var.cost_anomaly_frequency)
    error_message = "cost_anomaly_frequency must be IMMEDIATE (DAILY and WEEKLY only deliver by e-mail, not to SNS)."
  }
}

variable "cost_tag_key" {
  description = "Cost allocation tag (activated in Billing) that the anomaly monitor filters on."
  type        = string
  default     = "Environment"
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
