# prod: room to scale; a weekly usage limit instead of a daily one.
environment = "prod"

redshift_base_capacity         = 32
redshift_max_capacity          = 128
redshift_usage_limit_rpu_hours = 1000
redshift_usage_limit_period    = "weekly"
redshift_rpu_alarm_threshold   = 96
cost_anomaly_threshold_usd     = 50

raw_transition_to_glacier_ir_days  = 180
noncurrent_version_expiration_days = 90
