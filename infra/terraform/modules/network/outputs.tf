output "vpc_id" {
  description = "ID of the VPC (created or given)."
  value       = local.vpc_id
}

output "vpc_cidr_block" {
  description = "IPv4 range of the VPC."
  value       = local.vpc_cidr_block
}

output "private_subnet_ids" {
  description = "Private subnets of the workgroup and the interface endpoints (one per availability zone)."
  value       = local.private_subnet_ids
}

output "private_route_table_ids" {
  description = "Route tables of the private subnets (the S3 gateway endpoint's)."
  value       = local.private_route_table_ids
}

output "availability_zones" {
  description = "Availability zones the private subnets span."
  value       = local.azs
}

output "redshift_security_group_id" {
  description = "Security group of the Redshift Serverless workgroup (null when not created)."
  value       = try(aws_security_group.redshift[0].id, null)
}

output "vpc_endpoint_security_group_id" {
  description = "Security group of the interface endpoints (null when none were created)."
  value       = try(aws_security_group.endpoints[0].id, null)
}

output "s3_gateway_endpoint_id" {
  description = "ID of the S3 gateway endpoint (null when not created)."
  value       = try(aws_vpc_endpoint.s3[0].id, null)
}

output "s3_prefix_list_id" {
  description = "Prefix list of S3 in this region (the gateway endpoint's; null when not created)."
  value       = try(aws_vpc_endpoint.s3[0].prefix_list_id, null)
}

output "interface_endpoint_ids" {
  description = "IDs of the interface endpoints, by service (glue, ...)."
  value       = { for service, endpoint in aws_vpc_endpoint.interface : service => endpoint.id }
}

output "flow_log_id" {
  description = "ID of the VPC's flow log (null when not created)."
  value       = try(aws_flow_log.this[0].id, null)
}
