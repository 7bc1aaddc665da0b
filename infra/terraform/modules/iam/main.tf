# Two service roles, each with one inline least-privilege policy: nothing here
# grants a `*` action, and resources are named down to the bucket, prefix,
# Glue database and log group.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  glue_arn_prefix    = "arn:${local.partition}:glue:${local.region}:${local.account_id}"
  spectrum_databases = compact([var.glue_raw_database_name, var.glue_staging_database_name])
}

################################################################################
# Redshift (Serverless namespace role: Spectrum + COPY from the data lake)
################################################################################

data "aws_iam_policy_document" "redshift_assume" {
  count = var.create_redshift_role ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "redshift" {
  count = var.create_redshift_role ? 1 : 0

  name               = "${var.name_prefix}-redshift-${var.environment}"
  description        = "Redshift Serverless reads the ${var.environment} data lake and Glue catalog"
  assume_role_policy = data.aws_iam_policy_document.redshift_assume[0].json

  tags = var.tags
}

data "aws_iam_policy_document" "redshift" {
  count = var.create_redshift_role ? 1 : 0

  statement {
    sid       = "ListDataLakeBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.raw_bucket_arn, var.staging_bucket_arn]
  }

  statement {
    sid       = "ReadDataLakeObjects"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${var.raw_bucket_arn}/*", "${var.staging_bucket_arn}/*"]
  }

  statement {
    sid = "ReadGlueCatalogForSpectrum"
    actions = [
      "glue:GetDatabase",
      "glue:GetDatabases",
      "glue:GetTable",
      "glue:GetTables",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
    ]
    resources = concat(
      ["${local.glue_arn_prefix}:catalog"],
      [for db in local.spectrum_databases : "${local.glue_arn_prefix}:database/${db}"],
      [for db in local.spectrum_databases : "${local.glue_arn_prefix}:table/${db}/*"],
    )
  }

  dynamic "statement" {
    for_each = var.use_kms_key ? [var.kms_key_arn] : []
    content {
      sid       = "DecryptDataLake"
      actions   = ["kms:Decrypt", "kms:DescribeKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "redshift" {
  count = var.create_redshift_role ? 1 : 0

  name   = "data-lake-read"
  role   = aws_iam_role.redshift[0].id
  policy = data.aws_iam_policy_document.redshift[0].json
}

################################################################################
# Glue crawler (raw prefix -> raw database)
################################################################################

data "aws_iam_policy_document" "glue_assume" {
  count = var.create_glue_crawler_role ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "glue_crawler" {
  count = var.create_glue_crawler_role ? 1 : 0

  name               = "${var.name_prefix}-glue-${var.environment}"
  description        = "Glue crawler over s3://<raw bucket>/${var.raw_prefix}/ in ${var.environment}"
  assume_role_policy = data.aws_iam_policy_document.glue_assume[0].json

  tags = var.tags
}

data "aws_iam_policy_document" "glue_crawler" {
  count = var.create_glue_crawler_role ? 1 : 0

  statement {
    sid       = "ListRawPrefix"
    actions   = ["s3:ListBucket"]
    resources = [var.raw_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.raw_prefix}/*", "${var.raw_prefix}/"]
    }
  }

  statement {
    sid       = "LocateRawBucket"
    actions   = ["s3:GetBucketLocation"]
    resources = [var.raw_bucket_arn]
  }

  statement {
    sid       = "ReadRawObjects"
    actions   = ["s3:GetObject"]
    resources = ["${var.raw_bucket_arn}/${var.raw_prefix}/*"]
  }

  statement {
    sid = "WriteRawCatalog"
    actions = [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetTables",
      "glue:CreateTable",
      "glue:UpdateTable",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:BatchGetPartition",
      "glue:CreatePartition",
      "glue:BatchCreatePartition",
      "glue:UpdatePartition",
      "glue:BatchUpdatePartition",
      "glue:CreatePartitionIndex",
    ]
    resources = [
      "${local.glue_arn_prefix}:catalog",
      "${local.glue_arn_prefix}:database/${var.glue_raw_database_name}",
      "${local.glue_arn_prefix}:table/${var.glue_raw_database_name}/*",
    ]
  }

  # The crawler reads its security configuration (KMS for its logs). The action has no
  # resource type, so it only takes "*": granted beside the catalog ARNs above it was
  # never in effect (the IAM linter, parliament, reports that as RESOURCE_MISMATCH).
  statement {
    sid       = "ReadSecurityConfiguration"
    actions   = ["glue:GetSecurityConfiguration"]
    resources = ["*"]
  }

  statement {
    sid = "WriteCrawlerLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:AssociateKmsKey",
    ]
    resources = [
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/crawlers*",
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/crawlers*:log-stream:*",
    ]
  }

  dynamic "statement" {
    for_each = var.use_kms_key ? [var.kms_key_arn] : []
    content {
      sid       = "UseDataLakeKey"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "glue_crawler" {
  count = var.create_glue_crawler_role ? 1 : 0

  name   = "raw-crawler"
  role   = aws_iam_role.glue_crawler[0].id
  policy = data.aws_iam_policy_document.glue_crawler[0].json
}

################################################################################
# ETL job bronze_to_silver (raw/ read, silver/ write, its own partitions)
################################################################################

resource "aws_iam_role" "etl_job" {
  count = var.create_etl_job_role ? 1 : 0

  name               = "${var.name_prefix}-etl-${var.environment}"
  description        = "Glue job bronze_to_silver in ${var.environment}: reads raw/, writes silver/ and its partitions"
  assume_role_policy = data.aws_iam_policy_document.etl_assume[0].json

  tags = var.tags
}

data "aws_iam_policy_document" "etl_assume" {
  count = var.create_etl_job_role ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "etl_job" {
  count = var.create_etl_job_role ? 1 : 0

  statement {
    sid       = "ListRawPrefix"
    actions   = ["s3:ListBucket"]
    resources = [var.raw_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.raw_prefix}/*", "${var.raw_prefix}/"]
    }
  }

  statement {
    sid       = "ReadRawObjects"
    actions   = ["s3:GetObject"]
    resources = ["${var.raw_bucket_arn}/${var.raw_prefix}/*"]
  }

  statement {
    sid       = "ListSilverAndArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [var.staging_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values = [
        "${var.silver_prefix}/*", "${var.silver_prefix}/",
        "${var.artifacts_prefix}/*", "${var.artifacts_prefix}/",
      ]
    }
  }

  statement {
    sid       = "LocateBuckets"
    actions   = ["s3:GetBucketLocation"]
    resources = [var.raw_bucket_arn, var.staging_bucket_arn]
  }

  statement {
    sid       = "ReadJobArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["${var.staging_bucket_arn}/${var.artifacts_prefix}/*"]
  }

  statement {
    sid = "ReplaceSilverDays"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${var.staging_bucket_arn}/${var.silver_prefix}/*"]
  }

  statement {
    sid = "RegisterSilverPartitions"
    actions = [
      "glue:GetDatabase",
      "glue:GetTable",
      "glue:GetPartition",
      "glue:CreatePartition",
      "glue:UpdatePartition",
      "glue:BatchCreatePartition",
    ]
    resources = [
      "${local.glue_arn_prefix}:catalog",
      "${local.glue_arn_prefix}:database/${var.glue_staging_database_name}",
      "${local.glue_arn_prefix}:table/${var.glue_staging_database_name}/*",
    ]
  }

  statement {
    sid = "WriteJobLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:AssociateKmsKey",
    ]
    resources = [
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/jobs*",
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/jobs*:log-stream:*",
    ]
  }

  #checkov:skip=CKV_AWS_356:cloudwatch:PutMetricData has no resource type; the condition pins it to the Glue namespace.
  statement {
    sid       = "PutJobMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Glue"]
    }
  }

  dynamic "statement" {
    for_each = var.use_kms_key ? [var.kms_key_arn] : []
    content {
      sid       = "UseDataLakeKey"
      actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "etl_job" {
  count = var.create_etl_job_role ? 1 : 0

  name   = "bronze-to-silver"
  role   = aws_iam_role.etl_job[0].id
  policy = data.aws_iam_policy_document.etl_job[0].json
}

################################################################################
# Airflow worker (every DAG task: landing, crawler, ETL job, Data API, dbt, alerts)
################################################################################

locals {
  # Who may assume the worker role. astro and aws_principals: the given principals
  # (Astro: the Deployment's workload identity), this account's root (IAM policies of
  # the account then decide) when none is given yet; mwaa and ecs: the service, from
  # this account only.
  worker_trusts_principals = contains(["astro", "aws_principals"], var.worker_trust)
  worker_principal_arns = (
    length(var.worker_trusted_principal_arns) > 0
    ? var.worker_trusted_principal_arns
    : ["arn:${local.partition}:iam::${local.account_id}:root"]
  )
  worker_services = {
    mwaa = ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]
    ecs  = ["ecs-tasks.amazonaws.com"]
  }

  worker_crawler_arns = [for name in var.worker_crawler_names : "${local.glue_arn_prefix}:crawler/${name}"]
  worker_job_arns     = [for name in var.worker_etl_job_names : "${local.glue_arn_prefix}:job/${name}"]
}

data "aws_iam_policy_document" "worker_assume" {
  count = var.create_worker_role ? 1 : 0

  dynamic "statement" {
    for_each = local.worker_trusts_principals ? [local.worker_principal_arns] : []
    content {
      sid     = "AirflowWorkerPrincipals"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = statement.value
      }

      dynamic "condition" {
        for_each = var.worker_external_id == null ? [] : [var.worker_external_id]
        content {
          test     = "StringEquals"
          variable = "sts:ExternalId"
          values   = [condition.value]
        }
      }
    }
  }

  dynamic "statement" {
    for_each = local.worker_trusts_principals ? [] : [lookup(local.worker_services, var.worker_trust, [])]
    content {
      sid     = "AirflowWorkerService"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "Service"
        identifiers = statement.value
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_iam_role" "worker" {
  count = var.create_worker_role ? 1 : 0

  name                 = "${var.name_prefix}-worker-${var.environment}"
  description          = "Airflow worker of ${var.name_prefix} ${var.environment} (${var.worker_trust}): lands raw/, runs the crawler and the ETL job, registers partitions, the Data API, alerts"
  assume_role_policy   = data.aws_iam_policy_document.worker_assume[0].json
  max_session_duration = var.worker_max_session_duration

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.worker_trusts_principals || (length(var.worker_trusted_principal_arns) == 0 && var.worker_external_id == null)
      error_message = "worker_trusted_principal_arns and worker_external_id apply to worker_trust astro and aws_principals only; ${var.worker_trust} trusts its service."
    }
  }
}

data "aws_iam_policy_document" "worker" {
  count = var.create_worker_role ? 1 : 0

  # The data lake: raw/ (landing) and silver/ (local mode's ETL run, reads) and
  # nothing else; listing only under those prefixes.
  statement {
    sid       = "ListRawPrefix"
    actions   = ["s3:ListBucket"]
    resources = [var.raw_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.raw_prefix}/", "${var.raw_prefix}/*"]
    }
  }

  statement {
    sid       = "ListSilverPrefix"
    actions   = ["s3:ListBucket"]
    resources = [var.staging_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.silver_prefix}/", "${var.silver_prefix}/*"]
    }
  }

  statement {
    sid       = "LocateDataLakeBuckets"
    actions   = ["s3:GetBucketLocation"]
    resources = [var.raw_bucket_arn, var.staging_bucket_arn]
  }

  statement {
    sid = "ReadWriteRawAndSilverObjects"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = [
      "${var.raw_bucket_arn}/${var.raw_prefix}/*",
      "${var.staging_bucket_arn}/${var.silver_prefix}/*",
    ]
  }

  # Local mode runs the Glue job's script on this machine: it downloads the script and
  # zip that only the job's role reads on AWS.
  dynamic "statement" {
    for_each = var.worker_read_etl_artifacts ? ["${var.staging_bucket_arn}/${var.artifacts_prefix}/*"] : []
    content {
      sid       = "ReadEtlJobArtifacts"
      actions   = ["s3:GetObject"]
      resources = [statement.value]
    }
  }

  # SSE-KMS of the buckets: only through S3 (and the admin secret, through Secrets
  # Manager, below), never a direct Decrypt of anything else the key protects.
  dynamic "statement" {
    for_each = var.use_kms_key ? [var.kms_key_arn] : []
    content {
      sid       = "UseDataLakeKeyThroughS3"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }

  # The raw crawler: started and watched (GetCrawler is what the project's poll, the
  # provider's crawler_ready waiter and its trigger call). No UpdateCrawler: Terraform
  # owns the crawler's definition, and the DAG never passes one.
  dynamic "statement" {
    for_each = length(local.worker_crawler_arns) > 0 ? [local.worker_crawler_arns] : []
    content {
      sid       = "RunRawCrawler"
      actions   = ["glue:StartCrawler", "glue:GetCrawler"]
      resources = statement.value
    }
  }

  # GlueJobOperator: GetJob (the job exists), StartJobRun, GetJobRun (its wait and
  # trigger), BatchStopJobRun (stop_job_run_on_kill).
  dynamic "statement" {
    for_each = length(local.worker_job_arns) > 0 ? [local.worker_job_arns] : []
    content {
      sid       = "RunEtlJob"
      actions   = ["glue:GetJob", "glue:StartJobRun", "glue:GetJobRun", "glue:BatchStopJobRun"]
      resources = statement.value
    }
  }

  # The landing code registers each day's manifests partition (and local mode's ETL
  # run the silver ones): read the table, create or update its partition.
  dynamic "statement" {
    for_each = var.glue_staging_database_name == null ? [] : [var.glue_staging_database_name]
    content {
      sid       = "RegisterStagingPartitions"
      actions   = ["glue:GetTable", "glue:CreatePartition", "glue:UpdatePartition"]
      resources = ["${local.glue_arn_prefix}:catalog", "${local.glue_arn_prefix}:database/${statement.value}", "${local.glue_arn_prefix}:table/${statement.value}/*"]
    }
  }

  # Redshift: the Data API on this workgroup (the Spectrum schema, the grants) and
  # temporary database credentials for dbt (IAM authentication).
  dynamic "statement" {
    for_each = var.enable_worker_redshift_access ? [var.redshift_workgroup_arn] : []
    content {
      sid       = "RunStatementsOnWorkgroup"
      actions   = ["redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"]
      resources = [statement.value]
    }
  }

  # These actions have no resource type; AWS documents this condition to limit them
  # to the statements the caller itself ran.
  dynamic "statement" {
    for_each = var.enable_worker_redshift_access ? ["*"] : []
    content {
      sid = "FollowOwnStatements"
      actions = [
        "redshift-data:DescribeStatement",
        "redshift-data:GetStatementResult",
        "redshift-data:CancelStatement",
        "redshift-data:ListStatements",
      ]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "redshift-data:statement-owner-iam-userid"
        values   = ["&{aws:userid}"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.enable_worker_redshift_access ? [var.redshift_workgroup_arn] : []
    content {
      sid       = "RedshiftTemporaryCredentials"
      actions   = ["redshift-serverless:GetCredentials"]
      resources = [statement.value]
    }
  }

  # The one-time grants step runs as the admin through the Data API (SecretArn).
  dynamic "statement" {
    for_each = var.enable_worker_admin_secret_access ? [var.redshift_admin_secret_arn] : []
    content {
      sid       = "ReadRedshiftAdminSecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.enable_worker_admin_secret_access && var.use_kms_key ? [var.kms_key_arn] : []
    content {
      sid       = "DecryptAdminSecretThroughSecretsManager"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }

  # Failure alerts: publish to the one topic, encrypting with its key through SNS.
  dynamic "statement" {
    for_each = var.enable_worker_alerts ? [var.alerts_topic_arn] : []
    content {
      sid       = "PublishAlerts"
      actions   = ["sns:Publish"]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = var.enable_worker_alerts && var.alerts_use_kms_key ? [var.alerts_kms_key_arn] : []
    content {
      sid       = "UseAlertsKeyThroughSns"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["sns.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "worker" {
  count = var.create_worker_role ? 1 : 0

  name   = "airflow-worker"
  role   = aws_iam_role.worker[0].id
  policy = data.aws_iam_policy_document.worker[0].json

  lifecycle {
    precondition {
      condition     = !var.use_kms_key || var.kms_key_arn != null
      error_message = "use_kms_key needs kms_key_arn."
    }
    precondition {
      condition     = !var.enable_worker_redshift_access || var.redshift_workgroup_arn != null
      error_message = "enable_worker_redshift_access needs redshift_workgroup_arn."
    }
    precondition {
      condition     = !var.enable_worker_admin_secret_access || var.redshift_admin_secret_arn != null
      error_message = "enable_worker_admin_secret_access needs redshift_admin_secret_arn."
    }
    precondition {
      condition     = !var.enable_worker_alerts || var.alerts_topic_arn != null
      error_message = "enable_worker_alerts needs alerts_topic_arn."
    }
  }
}
