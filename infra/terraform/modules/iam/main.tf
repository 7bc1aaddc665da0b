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
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
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
      "glue:GetSecurityConfiguration",
    ]
    resources = [
      "${local.glue_arn_prefix}:catalog",
      "${local.glue_arn_prefix}:database/${var.glue_raw_database_name}",
      "${local.glue_arn_prefix}:table/${var.glue_raw_database_name}/*",
    ]
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
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
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
    actions   = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
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
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
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
