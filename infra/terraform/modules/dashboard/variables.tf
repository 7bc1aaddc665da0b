variable "name_prefix" {
  description = "Prefix of every resource name (the project name)."
  type        = string
  default     = "ecommerce-dwh"
}

variable "environment" {
  description = "Environment name (dev, staging or prod): the last part of every resource name and the dashboard's DWH_ENVIRONMENT."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod (the dashboard reads Redshift there)."
  }
}

variable "tags" {
  description = "Tags of every resource (the provider's default_tags come on top)."
  type        = map(string)
  default     = {}
}

variable "image" {
  description = "Container image of the dashboard (built from dashboard/Dockerfile), pinned by tag or digest, e.g. <account>.dkr.ecr.us-east-2.amazonaws.com/ecommerce-dwh-dashboard:1.0.0."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ARN of the ECR repository holding the image, so that the execution role may pull from it; null when the image is in a registry that needs no AWS permission."
  type        = string
  default     = null
}

variable "vpc_id" {
  description = "VPC of the load balancer and the tasks."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets of the internet-facing load balancer (at least two availability zones)."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Private subnets of the tasks (no public IP; they reach AWS APIs through a NAT gateway or VPC endpoints)."
  type        = list(string)
}

variable "allowed_cidr_blocks" {
  description = "IPv4 ranges allowed to reach the load balancer on HTTPS (and HTTP, which only redirects). Everyone who gets through must still sign in with Cognito."
  type        = list(string)
}

variable "domain_name" {
  description = "Host name people open (a DNS record of yours points it at the load balancer); the ACM certificate must cover it and Cognito's callback uses it."
  type        = string
}

variable "certificate_arn" {
  description = "ARN of the ACM certificate of domain_name, served by the HTTPS listener."
  type        = string
}

variable "cognito_domain_prefix" {
  description = "Prefix of the Cognito hosted sign-in domain (<prefix>.auth.<region>.amazoncognito.com; globally unique). null: <name_prefix>-dashboard-<environment>."
  type        = string
  default     = null
}

variable "session_timeout_seconds" {
  description = "How long the load balancer's authentication session lasts before people sign in again."
  type        = number
  default     = 28800
}

variable "redshift_workgroup_name" {
  description = "Redshift Serverless workgroup the dashboard reads (DWH_REDSHIFT_WORKGROUP)."
  type        = string
}

variable "redshift_workgroup_arn" {
  description = "ARN of that workgroup: the only resource of the task role's redshift-serverless:GetCredentials."
  type        = string
}

variable "redshift_database_name" {
  description = "Database of the marts (DWH_REDSHIFT_DATABASE)."
  type        = string
}

variable "redshift_host" {
  description = "Endpoint address of the workgroup (DWH_REDSHIFT_HOST). Given, the driver needs no redshift-serverless:GetWorkgroup call (nor that permission)."
  type        = string
}

variable "redshift_port" {
  description = "Port of the workgroup endpoint."
  type        = number
  default     = 5439
}

variable "redshift_security_group_id" {
  description = "Security group of the workgroup; with enable_redshift_security_group_rules the tasks may reach it on redshift_port and it admits them."
  type        = string
  default     = null
}

variable "enable_redshift_security_group_rules" {
  description = "Create the two rules between the tasks and redshift_security_group_id (a toggle, since the id may be unknown until apply). false: admit task_security_group_id yourself."
  type        = bool
  default     = false
}

variable "container_port" {
  description = "Port Streamlit listens on in the container."
  type        = number
  default     = 8501

  validation {
    condition     = var.container_port > 1024 && var.container_port < 65536
    error_message = "container_port must be an unprivileged port (1025-65535): the container runs as a non-root user."
  }
}

variable "cpu" {
  description = "Fargate CPU units of a task (256 = 0.25 vCPU)."
  type        = number
  default     = 512
}

variable "memory" {
  description = "Fargate memory of a task, MiB."
  type        = number
  default     = 1024
}

variable "desired_count" {
  description = "Tasks to run (the load balancer keeps each browser session on one task)."
  type        = number
  default     = 1
}

variable "log_retention_days" {
  description = "Days the task logs are kept."
  type        = number
  default     = 365
}

variable "log_kms_key_arn" {
  description = "KMS key for the task log group (its key policy must admit logs.<region>.amazonaws.com); null: CloudWatch's own encryption."
  type        = string
  default     = null
}

variable "alb_access_logs_bucket" {
  description = "S3 bucket for the load balancer's access logs (its policy must let ELB write); null: no access logs."
  type        = string
  default     = null
}

variable "web_acl_arn" {
  description = "WAFv2 web ACL to associate with the load balancer; null: none."
  type        = string
  default     = null
}

variable "enable_http_redirect" {
  description = "Listen on HTTP port 80 only to redirect to HTTPS."
  type        = bool
  default     = true
}

variable "enable_deletion_protection" {
  description = "Protect the load balancer and the Cognito user pool from deletion (turn off before a destroy)."
  type        = bool
  default     = true
}
