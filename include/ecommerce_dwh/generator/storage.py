"""Output destinations: a local folder, or s3://bucket/prefix through boto3.

boto3 reads the endpoint from the AWS_ENDPOINT_URL environment variable, so the same code
writes to a moto server locally and to real S3 in AWS.
"""

from __future__ import annotations

from typing import Any

from .day import DayResult


def parse_s3_url(url: str) -> tuple[str, str]:
    """('bucket', 'prefix') of 's3://bucket/prefix' (prefix without slashes at the ends)."""
    if not url.startswith("s3://") or len(url) <= 5:
        raise ValueError(f"not an s3:// URL: {url!r}")
    bucket, _, prefix = url[5:].partition("/")
    if not bucket:
        raise ValueError(f"no bucket in {url!r}")
    return bucket, prefix.strip("/")


def s3_client() -> Any:
    """A boto3 S3 client configured from the environment (AWS_ENDPOINT_URL included)."""
    import boto3

    return boto3.client("s3")


def check_bucket(client: Any, bucket: str) -> None:
    """Raise if the bucket cannot be reached (missing, no access, endpoint down)."""
    client.head_bucket(Bucket=bucket)


def upload_day(result: DayResult, client: Any, bucket: str, prefix: str) -> list[str]:
    """Upload a generated day below ``prefix``, replacing that day's partitions.

    Same layout and semantics as the pipeline's landing (``ecommerce_dwh.lake``):
    each table's day partition is replaced, the manifest goes last.
    """
    from ecommerce_dwh.lake import land_day

    landed = land_day(client, bucket, result.day, result.files, result.manifest_path, prefix)
    return [key for table in result.files for key in landed[table]] + [landed["manifest"]]
