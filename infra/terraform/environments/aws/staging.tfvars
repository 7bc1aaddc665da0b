# staging: production-like sizes at a smaller scale, for rehearsing releases.
environment = "staging"

redshift_base_capacity         = 8
redshift_max_capacity          = 32
redshift_usage_limit_rpu_hours = 48
redshift_usage_limit_period    = "daily"
redshift_rpu_alarm_threshold   = 24
cost_anomaly_threshold_usd     = 10

raw_transition_to_glacier_ir_days  = 90
noncurrent_version_expiration_days = 30
