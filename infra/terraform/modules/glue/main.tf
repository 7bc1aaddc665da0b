# Glue for the data lake:
#   - the raw database the raw crawler fills (one table per bronze folder,
#     dt=YYYY-MM-DD folders as partitions): the catalog of bronze for ad-hoc queries;
#   - the staging database with the silver tables declared here from the data
#     contract (exact Parquet types, never inferred), plus the generator's manifests;
#     the ETL job registers each day's partitions, so no crawler runs over silver;
#   - the ETL job bronze_to_silver (Glue 5.0, Spark) and its two artifacts.
# Neither the crawler nor the job has a schedule: dwh_ingest starts them after a load.

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

  silver_root = "s3://${var.staging_bucket_name}/${var.silver_prefix}"
  job_name    = "${var.name_prefix}-bronze-to-silver-${var.environment}"

  create_etl_job = var.create_etl_job && var.create_staging_database
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

################################################################################
# Silver catalog tables (columns from the data contract) and the manifests table
################################################################################

resource "aws_glue_catalog_table" "silver" {
  for_each = var.create_staging_database ? var.silver_columns : {}

  name          = each.key
  database_name = aws_glue_catalog_database.staging[0].name
  description   = "Silver ${each.key}: Parquet written by ${local.job_name}, one ${var.partition_key} partition per landed day"
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL              = "TRUE"
    classification        = "parquet"
    "parquet.compression" = "SNAPPY"
  }

  partition_keys {
    name    = var.partition_key
    type    = "string"
    comment = "The landed day, YYYY-MM-DD."
  }

  storage_descriptor {
    location      = "${local.silver_root}/${each.key}/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    dynamic "columns" {
      for_each = each.value
      content {
        name    = columns.value.name
        type    = columns.value.type
        comment = columns.value.comment
      }
    }
  }
}

# The generator's per-day manifests (one JSON object per file) beside the bronze
# files; the landing code registers each day's partition. Declared in the staging
# database so that one Spectrum external schema serves every dbt source.
resource "aws_glue_catalog_table" "manifests" {
  count = var.create_staging_database && length(var.manifest_columns) > 0 ? 1 : 0

  name          = "manifests"
  database_name = aws_glue_catalog_database.staging[0].name
  description   = "The generator's ground truth per landed day (s3://${var.raw_bucket_name}/${var.raw_prefix}/${var.manifests_folder}/)"
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    EXTERNAL       = "TRUE"
    classification = "json"
  }

  partition_keys {
    name    = var.partition_key
    type    = "string"
    comment = "The landed day, YYYY-MM-DD."
  }

  storage_descriptor {
    location      = "s3://${var.raw_bucket_name}/${var.raw_prefix}/${var.manifests_folder}/"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
    }

    dynamic "columns" {
      for_each = var.manifest_columns
      content {
        name    = columns.value.name
        type    = columns.value.type
        comment = columns.value.comment
      }
    }
  }
}

################################################################################
# ETL job bronze_to_silver and its artifacts
################################################################################

# The script and the zip of the modules it imports, uploaded from the repository
# (content, not a path: the saved plan carries the bytes, so it applies on another
# machine). ecommerce_dwh.silver.package builds the zip deterministically.
resource "aws_s3_object" "etl_script" {
  count = local.create_etl_job ? 1 : 0

  bucket                 = var.staging_bucket_name
  key                    = "${var.artifacts_prefix}/bronze_to_silver.py"
  content                = file(var.etl_script_path)
  content_type           = "text/x-python"
  server_side_encryption = var.kms_key_arn == null ? "AES256" : "aws:kms"
  kms_key_id             = var.kms_key_arn

  tags = var.tags
}

resource "aws_s3_object" "etl_package" {
  count = local.create_etl_job ? 1 : 0

  bucket                 = var.staging_bucket_name
  key                    = "${var.artifacts_prefix}/${basename(var.etl_package_path)}"
  content_base64         = filebase64(var.etl_package_path)
  content_type           = "application/zip"
  server_side_encryption = var.kms_key_arn == null ? "AES256" : "aws:kms"
  kms_key_id             = var.kms_key_arn

  tags = var.tags
}

resource "aws_glue_job" "this" {
  count = local.create_etl_job ? 1 : 0

  name        = local.job_name
  description = "Turns one landed bronze day (s3://${var.raw_bucket_name}/${var.raw_prefix}/<table>/dt=D/) into typed silver Parquet, quarantine and load counts under ${local.silver_root}/"
  role_arn    = var.etl_job_role_arn

  glue_version      = var.glue_version
  execution_class   = var.etl_execution_class
  worker_type       = var.etl_worker_type
  number_of_workers = var.etl_number_of_workers
  timeout           = var.etl_timeout_minutes
  # Airflow retries the task (and alerts once); a Glue-side retry would hide failures.
  max_retries = 0

  security_configuration = try(aws_glue_security_configuration.this[0].name, null)

  command {
    name            = "glueetl"
    script_location = "s3://${var.staging_bucket_name}/${aws_s3_object.etl_script[0].key}"
    python_version  = "3"
  }

  # Each run processes the day given as --day; different days may run side by side
  # (each writes only its own dt= folders).
  execution_property {
    max_concurrent_runs = var.etl_max_concurrent_runs
  }

  default_arguments = {
    "--job-language"                     = "python"
    "--job-bookmark-option"              = "job-bookmark-disable"
    "--extra-py-files"                   = "s3://${var.staging_bucket_name}/${aws_s3_object.etl_package[0].key}"
    "--enable-continuous-cloudwatch-log" = "true"
    "--enable-metrics"                   = "true"
    "--raw_root"                         = "s3://${var.raw_bucket_name}/${var.raw_prefix}"
    "--silver_root"                      = local.silver_root
    "--catalog_database"                 = aws_glue_catalog_database.staging[0].name
  }

  lifecycle {
    precondition {
      condition     = var.etl_job_role_arn != null
      error_message = "create_etl_job needs etl_job_role_arn."
    }
  }

  tags = var.tags
}
