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

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}

################################################################################
# The VPC: created here, or brought
################################################################################

variable "create_vpc" {
  description = "Create the VPC, its private subnets (one per availability zone) and their route table. False: use vpc_id, private_subnet_ids and private_route_table_ids."
  type        = bool
  default     = true
}

variable "vpc_cidr" {
  description = "IPv4 range of the created VPC."
  type        = string
  default     = "10.42.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 24
    error_message = "vpc_cidr must be an IPv4 CIDR block of /24 or larger."
  }
}

variable "azs" {
  description = "Availability zones of the created subnets (one private subnet each); empty: the region's zones a, b and c."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.azs) == 0 || length(distinct(var.azs)) >= 3
    error_message = "azs must name at least three distinct availability zones (Redshift Serverless needs three)."
  }
}

variable "private_subnet_newbits" {
  description = "Bits added to the VPC's prefix for each private subnet (4 on a /16: a /20, 4,091 usable addresses, room for the workgroup's RPUs and the endpoints)."
  type        = number
  default     = 4

  validation {
    condition     = var.private_subnet_newbits >= 1 && var.private_subnet_newbits <= 8
    error_message = "private_subnet_newbits must be between 1 and 8."
  }
}

variable "vpc_id" {
  description = "Existing VPC when create_vpc is false."
  type        = string
  default     = null
}

variable "private_subnet_ids" {
  description = "Existing private subnets (in at least three availability zones) when create_vpc is false."
  type        = list(string)
  default     = []
}

variable "private_route_table_ids" {
  description = "Route tables of private_subnet_ids when create_vpc is false: the S3 gateway endpoint is added to them (empty: no S3 gateway endpoint)."
  type        = list(string)
  default     = []
}

################################################################################
# Flow logs of the created VPC
################################################################################

variable "enable_flow_log" {
  description = "Record the created VPC's traffic (flow logs, Parquet, to flow_log_destination_arn)."
  type        = bool
  default     = true
}

variable "flow_log_destination_arn" {
  description = "S3 bucket ARN (optionally with a folder, e.g. arn:aws:s3:::logs/vpc-flow-logs/) that receives the flow logs; its policy must admit delivery.logs.amazonaws.com."
  type        = string
  default     = null
}

variable "flow_log_traffic_type" {
  description = "Which traffic the flow logs record: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_log_traffic_type)
    error_message = "flow_log_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

################################################################################
# VPC endpoints (what enhanced VPC routing needs)
################################################################################

variable "create_vpc_endpoints" {
  description = "Create the S3 gateway endpoint (on the private route tables) and the interface endpoints. False when the VPC already has them (a second interface endpoint with private DNS for the same service fails)."
  type        = bool
  default     = true
}

variable "interface_endpoint_services" {
  description = "Services that get an interface endpoint with private DNS. glue: Spectrum's Data Catalog calls under enhanced VPC routing. Add sts, kms, logs, secretsmanager, redshift-data or redshift-serverless for other callers inside the VPC."
  type        = list(string)
  default     = ["glue"]

  validation {
    condition     = alltrue([for s in var.interface_endpoint_services : contains(["glue", "sts", "kms", "logs", "secretsmanager", "redshift-data", "redshift-serverless"], s)])
    error_message = "interface_endpoint_services may only hold glue, sts, kms, logs, secretsmanager, redshift-data and redshift-serverless."
  }
}

################################################################################
# Who may reach the workgroup
################################################################################

variable "create_redshift_security_group" {
  description = "Create the workgroup's security group (5439 from the workers, HTTPS out to the endpoints)."
  type        = bool
  default     = true
}

variable "redshift_port" {
  description = "Port of the workgroup endpoint."
  type        = number
  default     = 5439
}

variable "redshift_allowed_cidr_blocks" {
  description = "IPv4 ranges of the Airflow workers (e.g. the Astro cluster's or MWAA's private subnets, reached through peering or a transit gateway) that may connect on redshift_port. Never 0.0.0.0/0."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.redshift_allowed_cidr_blocks : can(cidrhost(c, 0)) && !startswith(c, "0.0.0.0/")])
    error_message = "redshift_allowed_cidr_blocks must be IPv4 CIDR blocks, and none may be 0.0.0.0/0 (the workgroup is private)."
  }
}

variable "redshift_allowed_security_group_ids" {
  description = "Security groups of the Airflow workers (in this VPC or a peered one) that may connect on redshift_port."
  type        = list(string)
  default     = []
}

variable "redshift_egress_cidr_blocks" {
  description = "Extra IPv4 ranges the workgroup may reach on HTTPS, for a brought VPC whose S3/Glue path is a NAT or endpoints of its own."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.redshift_egress_cidr_blocks : can(cidrhost(c, 0))])
    error_message = "redshift_egress_cidr_blocks must be IPv4 CIDR blocks."
  }
}
