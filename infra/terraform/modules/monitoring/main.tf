# Alerts for the pipeline: one SNS topic (the DAGs' on-failure callbacks and
# every alarm publish there), crawler and ETL job failures caught by EventBridge
# and alarmed on in CloudWatch, Redshift Serverless RPU usage, a dashboard, and a
# Cost Anomaly Detection monitor for the environment's tagged resources.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  name       = "${var.name_prefix}-${var.environment}"
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  kms_key_id = var.create_kms_key ? aws_kms_key.this[0].arn : var.kms_master_key_id

  # The topic's ARN from its name: known when planning, so its policy (and the worker's
  # sns:Publish) can be read in a plan.
  topic_arn = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${aws_sns_topic.this.name}"

  crawler_alarm = var.enable_crawler_failure_alarm && length(var.crawler_names) > 0
  etl_job_alarm = var.enable_etl_job_failure_alarm && length(var.etl_job_names) > 0
  redshift      = var.redshift_workgroup_name != null
  # Services that publish to the topic (and so must use its key).
  publishers = concat(
    ["cloudwatch.amazonaws.com", "events.amazonaws.com"],
    var.enable_cost_anomaly_detection ? ["costalerts.amazonaws.com"] : [],
  )
}

################################################################################
# KMS key of the topic
################################################################################

data "aws_iam_policy_document" "kms" {
  count = var.create_kms_key ? 1 : 0

  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" means this key only; the statement delegates to IAM policies of the same account.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" means this key only; the statement delegates to IAM policies of the same account.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" means this key only; there is no narrower resource to name.
  statement {
    sid       = "EnableIamPoliciesOfThisAccount"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "AllowAlarmPublishersToUseTheKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = local.publishers
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_kms_key" "this" {
  count = var.create_kms_key ? 1 : 0

  description             = "${local.name} alerts topic"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms[0].json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  count = var.create_kms_key ? 1 : 0

  name          = "alias/${local.name}-alerts"
  target_key_id = aws_kms_key.this[0].key_id
}

################################################################################
# Alerts topic
################################################################################

resource "aws_sns_topic" "this" {
  name              = "${local.name}-alerts"
  kms_master_key_id = local.kms_key_id

  tags = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "AccountMayManageAndPublish"
    actions   = ["SNS:Publish", "SNS:Subscribe", "SNS:GetTopicAttributes", "SNS:ListSubscriptionsByTopic"]
    resources = [local.topic_arn]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "AlarmPublishers"
    actions   = ["SNS:Publish"]
    resources = [local.topic_arn]

    principals {
      type        = "Service"
      identifiers = local.publishers
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["SNS:Publish"]
    resources = [local.topic_arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

resource "aws_sns_topic_subscription" "this" {
  count = var.alert_email == null ? 0 : 1

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = var.alert_email
}

################################################################################
# Crawler failures: EventBridge rule -> topic, CloudWatch alarm on the rule
################################################################################

resource "aws_cloudwatch_event_rule" "this" {
  count = local.crawler_alarm ? 1 : 0

  name        = "${local.name}-crawler-failed"
  description = "A ${local.name} Glue crawler run failed"
  event_pattern = jsonencode({
    source        = ["aws.glue"]
    "detail-type" = ["Glue Crawler State Change"]
    detail = {
      crawlerName = var.crawler_names
      state       = ["Failed"]
    }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  count = local.crawler_alarm ? 1 : 0

  rule      = aws_cloudwatch_event_rule.this[0].name
  target_id = "alerts-topic"
  arn       = aws_sns_topic.this.arn
}

resource "aws_cloudwatch_metric_alarm" "crawler_failed" {
  count = local.crawler_alarm ? 1 : 0

  alarm_name          = "${local.name}-crawler-failed"
  alarm_description   = "A Glue crawler of ${local.name} failed (EventBridge rule ${aws_cloudwatch_event_rule.this[0].name} matched)."
  namespace           = "AWS/Events"
  metric_name         = "TriggeredRules"
  dimensions          = { RuleName = aws_cloudwatch_event_rule.this[0].name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.this.arn]

  tags = var.tags
}

################################################################################
# ETL job failures: EventBridge rule -> topic, CloudWatch alarm on the rule
################################################################################

resource "aws_cloudwatch_event_rule" "etl_job_failed" {
  count = local.etl_job_alarm ? 1 : 0

  name        = "${local.name}-etl-job-failed"
  description = "A ${local.name} Glue ETL job run failed, timed out or was stopped"
  event_pattern = jsonencode({
    source        = ["aws.glue"]
    "detail-type" = ["Glue Job State Change"]
    detail = {
      jobName = var.etl_job_names
      state   = ["FAILED", "TIMEOUT", "ERROR", "STOPPED"]
    }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "etl_job_failed" {
  count = local.etl_job_alarm ? 1 : 0

  rule      = aws_cloudwatch_event_rule.etl_job_failed[0].name
  target_id = "alerts-topic"
  arn       = aws_sns_topic.this.arn
}

resource "aws_cloudwatch_metric_alarm" "etl_job_failed" {
  count = local.etl_job_alarm ? 1 : 0

  alarm_name          = "${local.name}-etl-job-failed"
  alarm_description   = "A Glue ETL job of ${local.name} failed (EventBridge rule ${aws_cloudwatch_event_rule.etl_job_failed[0].name} matched)."
  namespace           = "AWS/Events"
  metric_name         = "TriggeredRules"
  dimensions          = { RuleName = aws_cloudwatch_event_rule.etl_job_failed[0].name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.this.arn]

  tags = var.tags
}

################################################################################
# Redshift Serverless RPU usage
################################################################################

resource "aws_cloudwatch_metric_alarm" "redshift_rpu" {
  count = var.enable_redshift_alarms && local.redshift ? 1 : 0

  alarm_name          = "${local.name}-redshift-rpu-high"
  alarm_description   = "Redshift Serverless workgroup ${var.redshift_workgroup_name} used >= ${var.redshift_rpu_alarm_threshold} RPU for ${var.redshift_rpu_alarm_periods * 5} minutes."
  namespace           = "AWS/Redshift-Serverless"
  metric_name         = "ComputeCapacity"
  dimensions          = { Workgroup = var.redshift_workgroup_name }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = var.redshift_rpu_alarm_periods
  threshold           = var.redshift_rpu_alarm_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]

  tags = var.tags
}

################################################################################
# Dashboard
################################################################################

resource "aws_cloudwatch_dashboard" "this" {
  count = var.create_dashboard ? 1 : 0

  dashboard_name = local.name
  dashboard_body = jsonencode({
    widgets = concat(
      local.crawler_alarm ? [{
        type   = "metric"
        x      = 0
        y      = 0
        width  = 12
        height = 6
        properties = {
          title   = "Glue crawler failures"
          region  = local.region
          stat    = "Sum"
          period  = 300
          metrics = [["AWS/Events", "TriggeredRules", "RuleName", aws_cloudwatch_event_rule.this[0].name]]
        }
      }] : [],
      local.etl_job_alarm ? [{
        type   = "metric"
        x      = 0
        y      = 6
        width  = 12
        height = 6
        properties = {
          title   = "Glue ETL job failures"
          region  = local.region
          stat    = "Sum"
          period  = 300
          metrics = [["AWS/Events", "TriggeredRules", "RuleName", aws_cloudwatch_event_rule.etl_job_failed[0].name]]
        }
      }] : [],
      local.redshift ? [{
        type   = "metric"
        x      = 12
        y      = 0
        width  = 12
        height = 6
        properties = {
          title  = "Redshift Serverless RPU (${var.redshift_workgroup_name})"
          region = local.region
          stat   = "Average"
          period = 300
          metrics = [
            ["AWS/Redshift-Serverless", "ComputeCapacity", "Workgroup", var.redshift_workgroup_name],
            ["AWS/Redshift-Serverless", "ComputeSeconds", "Workgroup", var.redshift_workgroup_name, { stat = "Sum", yAxis = "right" }],
          ]
        }
      }] : [],
      [{
        type   = "text"
        x      = 0
        y      = 12
        width  = 24
        height = 2
        properties = {
          markdown = "## ${local.name}\nAlerts go to SNS topic `${aws_sns_topic.this.name}`."
        }
      }],
    )
  })
}

################################################################################
# Cost anomaly detection
################################################################################

resource "aws_ce_anomaly_monitor" "this" {
  count = var.enable_cost_anomaly_detection ? 1 : 0

  # A CUSTOM monitor on the environment's cost allocation tag: an account
  # may hold only one DIMENSIONAL/SERVICE monitor, and dev, staging and prod
  # may share an account.
  name         = "${local.name}-costs"
  monitor_type = "CUSTOM"
  monitor_specification = jsonencode({
    And            = null
    CostCategories = null
    Dimensions     = null
    Not            = null
    Or             = null
    Tags = {
      Key          = var.cost_tag_key
      MatchOptions = ["EQUALS"]
      Values       = [var.environment]
    }
  })

  tags = var.tags
}

resource "aws_ce_anomaly_subscription" "this" {
  count = var.enable_cost_anomaly_detection ? 1 : 0

  name             = "${local.name}-costs"
  frequency        = var.cost_anomaly_frequency
  monitor_arn_list = [aws_ce_anomaly_monitor.this[0].arn]

  subscriber {
    type    = "SNS"
    address = aws_sns_topic.this.arn
  }

  threshold_expression {
    dimension {
      key           = "ANOMALY_TOTAL_IMPACT_ABSOLUTE"
      match_options = ["GREATER_THAN_OR_EQUAL"]
      values        = [tostring(var.cost_anomaly_threshold_usd)]
    }
  }

  depends_on = [aws_sns_topic_policy.this]

  tags = var.tags
}
