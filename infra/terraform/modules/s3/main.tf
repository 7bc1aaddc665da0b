# Data lake buckets: raw (bronze) and staging (silver) share one configuration
# (aws_s3_bucket.this, keyed by layer); the logs bucket that receives their
# server access logs is separate because S3 cannot deliver access logs to an
# SSE-KMS bucket, so it is the one bucket encrypted with SSE-S3.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  bucket_names = {
    for layer in ["raw", "staging", "logs"] :
    layer => join("-", compact([var.name_prefix, layer, var.environment, var.bucket_name_suffix]))
  }

  use_kms     = var.create_kms_key || var.kms_key_arn != null
  kms_key_arn = var.create_kms_key ? aws_kms_key.this[0].arn : var.kms_key_arn

  # Per-layer lifecycle: raw (bronze) ages into cheaper storage classes that stay
  # readable by a plain GET (STANDARD_IA, then Glacier Instant Retrieval), so the ETL
  # job, the raw crawler and Spectrum can still read any day without a restore; never
  # GLACIER (Flexible Retrieval) or DEEP_ARCHIVE, whose objects answer GET with
  # InvalidObjectState until restored. Nothing reads old raw days routinely (the
  # warehouse reads silver, the raw crawler crawls new folders only). Staging (silver)
  # is what Spectrum and DuckDB read on every run: it stays in STANDARD, and only old
  # versions and failed uploads are cleaned up.
  data_buckets = {
    raw = {
      transitions = [
        { days = var.raw_transition_to_ia_days, storage_class = "STANDARD_IA" },
        { days = var.raw_transition_to_glacier_ir_days, storage_class = "GLACIER_IR" },
      ]
    }
    staging = {
      transitions = []
    }
  }

  # Bucket ARNs from the names (known when planning, so that the IAM policies that
  # name the buckets can be read, and linted, in a plan), still depending on the buckets.
  bucket_arns = merge(
    { for layer, bucket in aws_s3_bucket.this : layer => "arn:${local.partition}:s3:::${bucket.bucket}" },
    { logs = "arn:${local.partition}:s3:::${aws_s3_bucket.logs.bucket}" },
  )

  flow_log_prefix = trim(var.flow_log_prefix, "/")

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

################################################################################
# KMS key (SSE-KMS for raw and staging)
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

  # Glue crawlers write their CloudWatch logs encrypted with this key (the
  # Glue security configuration); CloudWatch Logs needs to use it for that. Only the
  # cryptographic operations: they carry the log group's ARN as encryption context,
  # which the condition checks (a Describe* here could never match it). StringLike,
  # since an encryption context value is a string (the IAM linter checks the type).
  statement {
    sid       = "AllowCloudWatchLogsForGlueLogGroups"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws-glue/*"]
    }
  }
}

resource "aws_kms_key" "this" {
  count = var.create_kms_key ? 1 : 0

  description             = "${var.name_prefix} ${var.environment} data lake (S3 SSE-KMS, Glue, Redshift)"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms[0].json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  count = var.create_kms_key ? 1 : 0

  name          = "alias/${var.name_prefix}-data-lake-${var.environment}"
  target_key_id = aws_kms_key.this[0].key_id
}

################################################################################
# Raw and staging buckets
################################################################################

resource "aws_s3_bucket" "this" {
  for_each = local.data_buckets

  #checkov:skip=CKV_AWS_144:Cross-region replication doubles storage cost; raw data is re-creatable from the sources and staging from raw, versioning covers accidental deletes.
  #checkov:skip=CKV2_AWS_62:No consumer for S3 event notifications: the ingest DAG starts the Glue crawler itself after a partition lands.
  bucket        = local.bucket_names[each.key]
  force_destroy = var.force_destroy

  tags = merge(var.tags, { Layer = each.key })
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.data_buckets

  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.this[each.key].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = local.use_kms ? "aws:kms" : "AES256"
      kms_master_key_id = local.use_kms ? local.kms_key_arn : null
    }
    bucket_key_enabled = local.use_kms
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = local.data_buckets

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    id     = "${each.key}-lifecycle"
    status = "Enabled"

    filter {}

    dynamic "transition" {
      for_each = local.data_buckets[each.key].transitions
      content {
        days          = transition.value.days
        storage_class = transition.value.storage_class
      }
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]

  lifecycle {
    precondition {
      condition     = var.raw_transition_to_glacier_ir_days >= var.raw_transition_to_ia_days + 30
      error_message = "raw_transition_to_glacier_ir_days must be at least 30 days after raw_transition_to_ia_days (S3 keeps objects 30 days in STANDARD_IA before the next transition)."
    }
  }
}

data "aws_iam_policy_document" "tls_only" {
  for_each = var.attach_deny_insecure_transport_policy ? local.data_buckets : {}

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arns[each.key], "${local.bucket_arns[each.key]}/*"]

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

resource "aws_s3_bucket_policy" "this" {
  for_each = var.attach_deny_insecure_transport_policy ? local.data_buckets : {}

  bucket = aws_s3_bucket.this[each.key].id
  policy = data.aws_iam_policy_document.tls_only[each.key].json

  # A policy on a bucket whose public access block is still being written fails.
  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_logging" "this" {
  for_each = var.enable_access_logging ? local.data_buckets : {}

  bucket        = aws_s3_bucket.this[each.key].id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "s3-access/${each.key}/"

  # S3 checks that the logs bucket policy lets the logging service write.
  depends_on = [aws_s3_bucket_policy.logs]
}

################################################################################
# Logs bucket (server access logs of raw and staging)
################################################################################

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:This is the access-log target; logging it into itself would log every log delivery.
  #checkov:skip=CKV_AWS_144:Access logs are operational data kept in one region; replicating them doubles cost for no recovery need.
  #checkov:skip=CKV_AWS_145:S3 server access logging only delivers to buckets with SSE-S3 default encryption, not SSE-KMS.
  #checkov:skip=CKV2_AWS_62:No consumer for events on log objects.
  bucket        = local.bucket_names["logs"]
  force_destroy = var.force_destroy

  tags = merge(var.tags, { Layer = "logs" })
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "logs-expiration"
    status = "Enabled"

    filter {}

    expiration {
      days = var.logs_expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "S3ServerAccessLogsDelivery"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arns["logs"]}/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  # VPC flow logs (network module) delivered by the log delivery service, into
  # <flow_log_prefix>/AWSLogs/<account>/ only, from this account's log deliveries only.
  dynamic "statement" {
    for_each = var.enable_flow_log_delivery ? ["${local.bucket_arns["logs"]}/${local.flow_log_prefix}/AWSLogs/${local.account_id}/*"] : []
    content {
      sid       = "VpcFlowLogsDelivery"
      actions   = ["s3:PutObject"]
      resources = [statement.value]

      principals {
        type        = "Service"
        identifiers = ["delivery.logs.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }

      condition {
        test     = "StringEquals"
        variable = "s3:x-amz-acl"
        values   = ["bucket-owner-full-control"]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:*"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.enable_flow_log_delivery ? [local.bucket_arns["logs"]] : []
    content {
      sid       = "VpcFlowLogsAclCheck"
      actions   = ["s3:GetBucketAcl", "s3:ListBucket"]
      resources = [statement.value]

      principals {
        type        = "Service"
        identifiers = ["delivery.logs.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:SourceArn"
        values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:*"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.attach_deny_insecure_transport_policy ? [local.bucket_arns["logs"]] : []
    content {
      sid       = "DenyInsecureTransport"
      effect    = "Deny"
      actions   = ["s3:*"]
      resources = [statement.value, "${statement.value}/*"]

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
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json

  depends_on = [aws_s3_bucket_public_access_block.logs]
}
