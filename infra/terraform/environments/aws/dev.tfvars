# dev: small and cheap; a day of use stays well under the usage limit.
environment = "dev"

redshift_base_capacity         = 8
redshift_max_capacity          = 16
redshift_usage_limit_rpu_hours = 24
redshift_usage_limit_period    = "daily"
redshift_rpu_alarm_threshold   = 16
cost_anomaly_threshold_usd     = 10

raw_transition_to_glacier_ir_days  = 90
noncurrent_version_expiration_days = 30
