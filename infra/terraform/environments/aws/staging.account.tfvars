# Where staging lives: the values that differ from one AWS account to another. The
# dwh_infrastructure DAG, scripts/deploy.sh and the delivery workflow all plan with
# staging.tfvars + this file (and nothing else), so they always plan the same thing.
# Edit it for your account and commit it; its state location is staging.backend.hcl.

region = "us-east-2"

# Bucket names are global: append something of yours (e.g. the account id) when the
# defaults (ecommerce-dwh-{raw,staging,logs}-staging) are taken. Changing it later
# replaces every bucket.
bucket_name_suffix = ""

# alert_email = "data-alerts@example.com"   # confirm the subscription e-mail AWS sends

# Who reaches the warehouse and who assumes the Airflow worker's role (modules/network,
# modules/iam); the defaults create an isolated VPC that no worker can reach yet.
# redshift_allowed_cidr_blocks  = ["10.0.0.0/16"]   # the Airflow workers' range
# worker_trust                  = "astro"
# worker_trusted_principal_arns = ["arn:aws:iam::111122223333:role/astro-staging-workload"]
# create_vpc = false   # bring your own: vpc_id, private_subnet_ids, private_route_table_ids
