# Variables of the dashboard (infra/terraform/modules/dashboard, wired in dashboard.tf).
# Off by default; every value has a default so that <environment>.tfvars need not
# change. To turn it on, set enable_dashboard = true and the values without a usable
# default (image, network, domain, certificate, allowed ranges) in <environment>.tfvars.

variable "enable_dashboard" {
  description = "Run the warehouse dashboard (Streamlit on ECS Fargate behind a Cognito-authenticated load balancer)."
  type        = bool
  default     = false
}

variable "dashboard_image" {
  description = "Dashboard container image (dashboard/Dockerfile), pinned by tag or digest."
  type        = string
  default     = null
}

variable "dashboard_ecr_repository_arn" {
  description = "ECR repository of dashboard_image (lets the execution role pull it); null for a registry that needs no AWS permission."
  type        = string
  default     = null
}

variable "dashboard_vpc_id" {
  description = "VPC of the dashboard's load balancer and tasks (the Redshift workgroup's VPC)."
  type        = string
  default     = null
}

variable "dashboard_public_subnet_ids" {
  description = "Public subnets (two availability zones) of the dashboard's load balancer."
  type        = list(string)
  default     = []
}

variable "dashboard_private_subnet_ids" {
  description = "Private subnets of the dashboard's tasks."
  type        = list(string)
  default     = []
}

variable "dashboard_allowed_cidr_blocks" {
  description = "IPv4 ranges that may reach the dashboard's load balancer (people still sign in with Cognito)."
  type        = list(string)
  default     = []
}

variable "dashboard_domain_name" {
  description = "Host name of the dashboard (covered by dashboard_certificate_arn)."
  type        = string
  default     = null
}

variable "dashboard_certificate_arn" {
  description = "ACM certificate ARN of dashboard_domain_name."
  type        = string
  default     = null
}

variable "dashboard_desired_count" {
  description = "Dashboard tasks to run."
  type        = number
  default     = 1
}
