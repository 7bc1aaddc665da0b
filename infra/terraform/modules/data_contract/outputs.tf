output "contract_version" {
  description = "Version of the data contract (part of every silver load's id)."
  value       = local.contract.contract_version
}

output "tables" {
  description = "The shop's tables, in load order: one bronze folder raw/<table>/ and one silver table each."
  value       = local.tables
}

output "partition_key" {
  description = "Name of the day partition of every zone (dt=YYYY-MM-DD)."
  value       = local.contract.partition_key
}

output "bronze_prefix" {
  description = "Key prefix of the bronze zone in the raw bucket."
  value       = local.contract.lake.bronze_prefix
}

output "silver_prefix" {
  description = "Key prefix of the silver zone in the staging bucket."
  value       = local.contract.lake.silver_prefix
}

output "manifests_folder" {
  description = "Folder of the generator's manifests under the bronze prefix."
  value       = local.contract.lake.manifests
}

output "silver_columns" {
  description = "Columns (name, Glue type, comment) of each silver dataset: the tables, quarantine and loads."
  value       = local.silver_columns
}

output "manifest_columns" {
  description = "Columns (name, Glue type, comment) of the manifests table."
  value       = local.manifest_columns
}
