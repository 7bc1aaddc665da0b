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

variable "state_key_prefix" {
  description = "First part of every environment's state key (<prefix>/<env>/terraform.tfstate); deploy and plan roles are scoped to <prefix>/<env>/."
  type        = string
  default     = "ecommerce-dwh"
}

variable "environments" {
  description = "Environments whose state lives in this account's bucket: each gets a deploy role and a plan role."
  type        = list(string)
  default     = ["dev", "staging", "prod"]

  validation {
    condition     = alltrue([for env in var.environments : contains(["dev", "staging", "prod"], env)])
    error_message = "environments may only contain dev, staging and prod."
  }
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may assume the roles, spelled exactly as in its URL (the OIDC sub claim is case-sensitive). null: no GitHub OIDC provider and no roles."
  type        = string
  default     = null

  validation {
    condition     = var.github_repository == null || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC identity provider; false: use the one the account already has (an account holds one per URL)."
  type        = bool
  default     = true
}

variable "github_main_branch" {
  description = "Branch whose workflow runs may assume the plan roles without an environment (plans of the promotion)."
  type        = string
  default     = "main"
}

variable "pull_request_plan_environments" {
  description = "Environments that pull requests of the repository may plan (read-only plan role); the delivery workflow plans dev on every pull request."
  type        = list(string)
  default     = ["dev"]
}

variable "airflow_principal_arns" {
  description = "Per environment, IAM principals (the Airflow deployment's role: Astro workload identity, MWAA execution role) that may assume that environment's plan role, through the Airflow connection aws_terraform."
  type        = map(list(string))
  default     = {}
}

variable "mwaa_environments" {
  description = "Per environment, an Amazon MWAA environment the delivery workflow deploys to instead of Astro: its bucket (dags/, requirements.txt are synced) and its name (the smoke check calls its REST API)."
  type = map(object({
    bucket_name      = string
    environment_name = string
  }))
  default = {}
}

variable "deploy_role_max_session_seconds" {
  description = "Longest session of a deploy or plan role (a deploy job must finish within it)."
  type        = number
  default     = 3600
}

variable "plan_expiration_days" {
  description = "Days before a stored Terraform plan that was never applied is deleted from the state bucket."
  type        = number
  default     = 30
}

variable "artifacts_prefix" {
  description = "First part of the object keys Terraform uploads to an environment's buckets (the Glue job's script and zip, under artifacts/glue/); the roles touch no other object."
  type        = string
  default     = "artifacts"
}
