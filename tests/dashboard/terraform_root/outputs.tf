output "redshift_database_user" {
  description = "The task role's database user."
  value       = module.dashboard.redshift_database_user
}

output "url" {
  description = "The dashboard's URL."
  value       = module.dashboard.url
}
