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
  description = "IAM principals (e.g. the local IAM user the pipeline runs as when moto enforces IAM) that may assume the Airflow worker's role. Empty: this account's root (moto matches principals literally, so name the user to assume the role there)."
  type        = list(string)
  default     = []
}

variable "etl_package_path" {
  description = "Path of the ETL job's module zip; null: build/glue/ecommerce_dwh_glue.zip in this repository (python -m ecommerce_dwh.silver.package builds it)."
  type        = string
  default     = null
}
