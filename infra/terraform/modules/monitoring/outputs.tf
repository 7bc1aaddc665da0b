output "sns_topic_arn" {
  description = "ARN of the alerts topic (DAG failure callbacks publish here); built from its name, so known when planning."
  value       = local.topic_arn
}

output "sns_topic_name" {
  description = "Name of the alerts topic."
  value       = aws_sns_topic.this.name
}

output "kms_key_arn" {
  description = "ARN of the topic's KMS key (null when the module did not create one)."
  value       = try(aws_kms_key.this[0].arn, null)
}

output "crawler_failure_rule_name" {
  description = "Name of the EventBridge rule that matches failed crawler runs (null when not created)."
  value       = try(aws_cloudwatch_event_rule.this[0].name, null)
}

output "crawler_failure_alarm_name" {
  description = "Name of the crawler-failure CloudWatch alarm (null when not created)."
  value       = try(aws_cloudwatch_metric_alarm.crawler_failed[0].alarm_name, null)
}

output "redshift_rpu_alarm_name" {
  description = "Name of the Redshift RPU alarm (null when not created)."
  value       = try(aws_cloudwatch_metric_alarm.redshift_rpu[0].alarm_name, null)
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard (null when not created)."
  value       = try(aws_cloudwatch_dashboard.this[0].dashboard_name, null)
}

output "cost_anomaly_monitor_arn" {
  description = "ARN of the cost anomaly monitor (null when not created)."
  value       = try(aws_ce_anomaly_monitor.this[0].arn, null)
}
