# The warehouse's network: where the Redshift Serverless workgroup lives and who may
# reach it.
#
#   - a VPC with one private subnet per availability zone (Redshift Serverless needs
#     subnets in at least three), no internet gateway and no NAT: nothing in these
#     subnets is reachable from, or reaches, the internet;
#   - or "bring your own VPC" (create_vpc = false): the given VPC, private subnets and
#     their route tables;
#   - the workgroup's security group: port 5439 from the Airflow workers' CIDR blocks
#     or security groups only (never 0.0.0.0/0), and outbound HTTPS only to the VPC
#     endpoints below;
#   - the VPC endpoints that enhanced VPC routing needs: an S3 gateway endpoint on the
#     private route tables (COPY, UNLOAD, Spectrum's S3 reads) and interface endpoints
#     with private DNS (Glue for Spectrum's catalog lookups, by default) behind a
#     security group of their own;
#   - flow logs of the created VPC to S3, and its default security group emptied.

data "aws_region" "current" {}

# The zones of the created subnets, allowlisted by name (azs, or the region's a, b and
# c): the set never grows by itself when AWS opens a zone, and a zone that is not
# available in this account is simply missing (the precondition below then says so).
data "aws_availability_zones" "this" {
  count = var.create_vpc ? 1 : 0

  state = "available"

  filter {
    name   = "zone-name"
    values = length(var.azs) > 0 ? var.azs : [for letter in ["a", "b", "c"] : "${data.aws_region.current.name}${letter}"]
  }
}

# Bring your own VPC: read the given network to check it and to learn its CIDR block.
data "aws_vpc" "given" {
  count = var.create_vpc ? 0 : 1

  id = var.vpc_id
}

data "aws_subnet" "given" {
  for_each = var.create_vpc ? toset([]) : toset(var.private_subnet_ids)

  id = each.value
}

locals {
  name   = "${var.name_prefix}-${var.environment}"
  region = data.aws_region.current.name

  azs = (
    var.create_vpc
    ? sort(data.aws_availability_zones.this[0].names)
    : distinct([for s in data.aws_subnet.given : s.availability_zone])
  )

  vpc_id                  = var.create_vpc ? aws_vpc.this[0].id : var.vpc_id
  vpc_cidr_block          = var.create_vpc ? aws_vpc.this[0].cidr_block : data.aws_vpc.given[0].cidr_block
  private_subnet_ids      = var.create_vpc ? aws_subnet.private[*].id : var.private_subnet_ids
  private_route_table_ids = var.create_vpc ? aws_route_table.private[*].id : var.private_route_table_ids

  create_s3_endpoint         = var.create_vpc_endpoints && length(local.private_route_table_ids) > 0
  create_interface_endpoints = var.create_vpc_endpoints && length(var.interface_endpoint_services) > 0
}

################################################################################
# VPC and private subnets (create_vpc)
################################################################################

resource "aws_vpc" "this" {
  count = var.create_vpc ? 1 : 0

  cidr_block = var.vpc_cidr
  # Private DNS of the interface endpoints, and Redshift, need both.
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = merge(var.tags, { Name = local.name })
}

# The VPC's default security group keeps no rule: nothing may use it by accident.
resource "aws_default_security_group" "this" {
  count = var.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  tags = merge(var.tags, { Name = "${local.name}-default-unused" })
}

resource "aws_subnet" "private" {
  count = var.create_vpc ? length(local.azs) : 0

  vpc_id                  = aws_vpc.this[0].id
  availability_zone       = local.azs[count.index]
  cidr_block              = cidrsubnet(var.vpc_cidr, var.private_subnet_newbits, count.index)
  map_public_ip_on_launch = false

  tags = merge(var.tags, { Name = "${local.name}-private-${local.azs[count.index]}", Tier = "private" })
}

# One route table for every private subnet: there is no NAT per AZ to route to, only
# the VPC itself and the S3 gateway endpoint's prefix list.
resource "aws_route_table" "private" {
  count = var.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id

  tags = merge(var.tags, { Name = "${local.name}-private" })
}

resource "aws_route_table_association" "private" {
  count = var.create_vpc ? length(local.azs) : 0

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[0].id
}

resource "aws_flow_log" "this" {
  count = var.create_vpc && var.enable_flow_log ? 1 : 0

  vpc_id               = aws_vpc.this[0].id
  traffic_type         = var.flow_log_traffic_type
  log_destination_type = "s3"
  log_destination      = var.flow_log_destination_arn

  destination_options {
    file_format        = "parquet"
    per_hour_partition = true
  }

  tags = merge(var.tags, { Name = local.name })

  lifecycle {
    precondition {
      condition     = var.flow_log_destination_arn != null
      error_message = "enable_flow_log needs flow_log_destination_arn (an S3 bucket ARN, optionally with a folder)."
    }
  }
}

################################################################################
# Security group of the Redshift Serverless workgroup
################################################################################

resource "aws_security_group" "redshift" {
  count = var.create_redshift_security_group ? 1 : 0

  #checkov:skip=CKV2_AWS_5:Attached to the Redshift Serverless workgroup by the redshift_serverless module (security_group_ids), which checkov's graph does not follow across modules.
  name        = "${local.name}-redshift"
  description = "Redshift Serverless ${local.name}: port ${var.redshift_port} from the Airflow workers only"
  vpc_id      = local.vpc_id

  tags = merge(var.tags, { Name = "${local.name}-redshift" })

  lifecycle {
    precondition {
      condition     = var.create_vpc || (var.vpc_id != null && length(var.private_subnet_ids) >= 3)
      error_message = "With create_vpc = false, give vpc_id and at least three private_subnet_ids."
    }
    precondition {
      condition     = length(local.azs) >= 3
      error_message = "Redshift Serverless needs subnets in at least three availability zones; these span ${length(local.azs)} (${join(", ", local.azs)}). Set azs to three zones available in this account."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "redshift_from_cidr" {
  for_each = var.create_redshift_security_group ? toset(var.redshift_allowed_cidr_blocks) : toset([])

  security_group_id = aws_security_group.redshift[0].id
  description       = "Redshift from Airflow workers in ${each.value}"
  ip_protocol       = "tcp"
  from_port         = var.redshift_port
  to_port           = var.redshift_port
  cidr_ipv4         = each.value

  tags = var.tags
}

# Keyed by position: a security group id may be unknown until it is created.
resource "aws_vpc_security_group_ingress_rule" "redshift_from_security_group" {
  for_each = var.create_redshift_security_group ? { for i, id in var.redshift_allowed_security_group_ids : tostring(i) => id } : {}

  security_group_id            = aws_security_group.redshift[0].id
  description                  = "Redshift from the Airflow workers' security group"
  ip_protocol                  = "tcp"
  from_port                    = var.redshift_port
  to_port                      = var.redshift_port
  referenced_security_group_id = each.value

  tags = var.tags
}

# Enhanced VPC routing: the workgroup's S3 and catalog traffic leaves through its own
# network interfaces, so it needs these two ways out (and no other).
resource "aws_vpc_security_group_egress_rule" "redshift_to_s3" {
  count = var.create_redshift_security_group && local.create_s3_endpoint ? 1 : 0

  security_group_id = aws_security_group.redshift[0].id
  description       = "HTTPS to S3 through the gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.s3[0].prefix_list_id

  tags = var.tags
}

resource "aws_vpc_security_group_egress_rule" "redshift_to_endpoints" {
  count = var.create_redshift_security_group && local.create_interface_endpoints ? 1 : 0

  security_group_id            = aws_security_group.redshift[0].id
  description                  = "HTTPS to the interface endpoints (${join(", ", var.interface_endpoint_services)})"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints[0].id

  tags = var.tags
}

# Bring your own VPC with a NAT or endpoints of its own: HTTPS to the given ranges.
resource "aws_vpc_security_group_egress_rule" "redshift_https_to_cidr" {
  for_each = var.create_redshift_security_group ? toset(var.redshift_egress_cidr_blocks) : toset([])

  security_group_id = aws_security_group.redshift[0].id
  description       = "HTTPS to ${each.value} (NAT or existing endpoints)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value

  tags = var.tags
}

################################################################################
# VPC endpoints (enhanced VPC routing)
################################################################################

resource "aws_vpc_endpoint" "s3" {
  count = local.create_s3_endpoint ? 1 : 0

  vpc_id            = local.vpc_id
  service_name      = "com.amazonaws.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = local.private_route_table_ids

  tags = merge(var.tags, { Name = "${local.name}-s3" })
}

resource "aws_security_group" "endpoints" {
  count = local.create_interface_endpoints ? 1 : 0

  name        = "${local.name}-vpc-endpoints"
  description = "Interface endpoints of ${local.name}: HTTPS from inside the VPC"
  vpc_id      = local.vpc_id

  tags = merge(var.tags, { Name = "${local.name}-vpc-endpoints" })
}

# Private DNS sends every caller in the VPC to the endpoint, not only Redshift: admit
# the VPC's range, on HTTPS only.
resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  count = local.create_interface_endpoints ? 1 : 0

  security_group_id = aws_security_group.endpoints[0].id
  description       = "HTTPS from inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = local.vpc_cidr_block

  tags = var.tags
}

resource "aws_vpc_endpoint" "interface" {
  for_each = local.create_interface_endpoints ? toset(var.interface_endpoint_services) : toset([])

  vpc_id              = local.vpc_id
  service_name        = "com.amazonaws.${local.region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.private_subnet_ids
  security_group_ids  = [aws_security_group.endpoints[0].id]

  tags = merge(var.tags, { Name = "${local.name}-${each.value}" })
}
