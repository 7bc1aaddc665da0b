# Glue catalog for the data lake: the raw database the crawler fills (one table
# per raw folder, dt=YYYY-MM-DD folders as partitions) and the staging database.
# The crawler has no schedule by default: dwh_ingest starts it after a load.

locals {
  database_prefix = replace(var.name_prefix, "-", "_")

  raw_database_name     = "${local.database_prefix}_raw_${var.environment}"
  staging_database_name = "${local.database_prefix}_staging_${var.environment}"

  # s3://bucket/raw/<table>/ is folder level 3 counted from the bucket (1):
  # tables are made at that level, so dt=... below always become partitions
  # instead of one table per day when schemas happen to differ.
  table_level = 2 + length(split("/", var.raw_prefix))

  crawler_configuration = {
    Version = 1.0
    Grouping = {
      TableGroupingPolicy     = "CombineCompatibleSchemas"
      TableLevelConfiguration = local.table_level
    }
    CrawlerOutput = {
      Partitions = { AddOrUpdateBehavior = "InheritFromTable" }
      Tables     = { AddOrUpdateBehavior = "MergeNewColumns" }
    }
    CreatePartitionIndex = true
  }
}

resource "aws_glue_catalog_database" "raw" {
  name        = local.raw_database_name
  description = "Raw (bronze) ${var.environment} tables, created by the ${var.name_prefix} raw crawler"

  tags = var.tags
}

resource "aws_glue_catalog_database" "staging" {
  count = var.create_staging_database ? 1 : 0

  name        = local.staging_database_name
  description = "Staging (silver) ${var.environment} tables"

  tags = var.tags
}

resource "aws_glue_security_configuration" "this" {
  count = var.create_security_configuration ? 1 : 0

  name = "${var.name_prefix}-${var.environment}"

  encryption_configuration {
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = var.kms_key_arn
    }

    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = var.kms_key_arn
    }

    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = var.kms_key_arn
    }
  }

  lifecycle {
    precondition {
      condition     = var.kms_key_arn != null
      error_message = "create_security_configuration needs kms_key_arn."
    }
  }
}

resource "aws_glue_crawler" "this" {
  count = var.create_raw_crawler ? 1 : 0

  name          = "${var.name_prefix}-raw-crawler-${var.environment}"
  description   = "Crawls s3://${var.raw_bucket_name}/${var.raw_prefix}/<table>/ into ${local.raw_database_name}"
  database_name = aws_glue_catalog_database.raw.name
  role          = var.crawler_role_arn
  schedule      = var.crawler_schedule

  security_configuration = try(aws_glue_security_configuration.this[0].name, null)
  configuration          = jsonencode(local.crawler_configuration)

  dynamic "s3_target" {
    for_each = var.raw_tables
    content {
      path = "s3://${var.raw_bucket_name}/${var.raw_prefix}/${s3_target.value}/"
    }
  }

  recrawl_policy {
    recrawl_behavior = var.recrawl_behavior
  }

  schema_change_policy {
    update_behavior = var.schema_change_update_behavior
    delete_behavior = var.schema_change_delete_behavior
  }

  lifecycle {
    precondition {
      condition     = var.crawler_role_arn != null
      error_message = "create_raw_crawler needs crawler_role_arn."
    }
  }

  tags = var.tags
}
