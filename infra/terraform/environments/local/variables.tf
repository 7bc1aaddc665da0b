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


variable "etl_package_path" {
  description = "Path of the ETL job's module zip; null: build/glue/ecommerce_dwh_glue.zip in this repository (python -m ecommerce_dwh.silver.package builds it)."
  type        = string
  default     = null
}
