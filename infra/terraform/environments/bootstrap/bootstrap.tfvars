# The bootstrap stack's own values, committed: python -m ecommerce_dwh.deploy bootstrap
# (scripts/deploy.sh) reads this file. The state bucket, lock table, region and the
# environments of the account come from ../aws/<env>.backend.hcl, never from here.

# The repository whose GitHub Actions may assume the deploy and plan roles, exactly as
# spelled in its URL (the OIDC subject is case-sensitive). Unset: no GitHub OIDC
# provider and no roles (deploy.sh with your own credentials still works).
# github_repository = "your-org/ecommerce-dwh"

# The account already has GitHub's OIDC provider (from another project): reuse it.
# create_github_oidc_provider = false

# Who may plan from Airflow (the aws_terraform connection assumes the plan role):
# the Astro Deployment's workload identity or the MWAA execution role, per environment.
# airflow_principal_arns = {
#   dev = ["arn:aws:iam::123456789012:role/astro-dev-workload"]
# }

# Deploying Airflow to Amazon MWAA instead of Astro: its bucket and environment name.
# mwaa_environments = {
#   dev = { bucket_name = "my-mwaa-dev-bucket", environment_name = "ecommerce-dwh-dev" }
# }
