variable "aws_endpoint_url" {
  description = "Endpoint of an AWS emulator (the moto server, e.g. http://127.0.0.1:5000) used for every service; null: real AWS."
  type        = string
  default     = null
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "us-east-2"
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "ecommerce-dwh"
}

variable "worker_trusted_principal_arns" {
  description = "More IAM principals that may assume the Airflow worker's role, besides the local Airflow's IAM user this environment creates (output airflow_user_arn), which the role always trusts."
  type        = list(string)
  default     = []
}

variable "etl_package_path" {
  description = "Path of the ETL job's module zip; null: build/glue/ecommerce_dwh_glue.zip in this repository (python -m ecommerce_dwh.silver.package builds it)."
  type        = string
  default     = null
}
