"""Landing files in the S3 data lake: a day's bronze files, and any prefix replaced whole.

Layout (the data contract's, Hive-style partitions)::

    s3://<raw bucket>/raw/<table>/dt=YYYY-MM-DD/<table>.csv
    s3://<raw bucket>/raw/_manifests/dt=YYYY-MM-DD/manifest.json

the same layout the generator writes to a local folder (the crawler's targets are the
table prefixes, so it never catalogs ``_manifests``).

A day's upload *replaces* that day's partition: every object under the day's
prefixes is deleted first, so rerunning a day never leaves yesterday's second copy
or a stale file of another name behind.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecommerce_dwh import contract

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LandedObject:
    """One object written to the raw zone."""

    key: str
    bytes: int


def replace_prefix(s3: Any, bucket: str, prefix: str, files: Iterable[Path]) -> list[LandedObject]:
    """Delete everything under ``s3://bucket/prefix`` then upload ``files`` there.

    Args:
        s3: a boto3 S3 client.
        bucket: the bucket name.
        prefix: a key prefix ending in ``/``.
        files: local files, uploaded under their own names.
    """
    stale = [
        obj["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for obj in page.get("Contents", [])
    ]
    # One DeleteObject per key (a day's prefix holds one file per dataset): a delete that
    # is refused raises. DeleteObjects answers 200 and lists refused keys in its body,
    # which went unread here, so a stale file could silently survive a rerun; moto's IAM
    # enforcement also checks DeleteObjects against the bucket, not the keys, and so
    # refuses every key to a role granted s3:DeleteObject on a prefix.
    for key in stale:
        s3.delete_object(Bucket=bucket, Key=key)
    landed = []
    for path in files:
        key = prefix + path.name
        s3.upload_file(str(path), bucket, key)
        landed.append(LandedObject(key=key, bytes=path.stat().st_size))
    if stale:
        log.info("replaced %d stale object(s) under s3://%s/%s", len(stale), bucket, prefix)
    return landed


def land_day(
    s3: Any,
    bucket: str,
    day: dt.date,
    table_files: dict[str, Path],
    manifest_path: Path,
    prefix: str = contract.BRONZE_PREFIX,
) -> dict[str, Any]:
    """Upload one generated day: each table's file into its partition, then the manifest.

    ``prefix`` is the bronze root in the bucket (the pipeline's is ``raw``; the generator's
    CLI can land anywhere). The manifest goes last: a reader that finds it can trust that
    the day's data files are complete.
    """
    landed: dict[str, Any] = {}
    for table, path in table_files.items():
        objects = replace_prefix(s3, bucket, contract.bronze_prefix(table, day, prefix), [path])
        landed[table] = [obj.key for obj in objects]
    s3.upload_file(str(manifest_path), bucket, contract.manifest_key(day, prefix))
    landed["manifest"] = contract.manifest_key(day, prefix)
    return landed
