"""The S3 data lake's raw zone: where one day's files land.

Layout (Hive-style partitions, which the Glue crawler and DuckDB both understand)::

    s3://<raw bucket>/raw/<table>/dt=YYYY-MM-DD/<table>.csv
    s3://<raw bucket>/raw/_manifests/dt=YYYY-MM-DD/manifest.json

the same layout the generator writes to a local folder, so dbt finds the data and
the ground-truth manifests under one root either way (the crawler's targets are the
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

log = logging.getLogger(__name__)

RAW_PREFIX = "raw"


def partition_prefix(table: str, day: dt.date, prefix: str = RAW_PREFIX) -> str:
    """``raw/<table>/dt=YYYY-MM-DD/``."""
    return f"{prefix}/{table}/dt={day.isoformat()}/" if prefix else f"{table}/dt={day}/"


def manifest_key(day: dt.date, prefix: str = RAW_PREFIX) -> str:
    """``raw/_manifests/dt=YYYY-MM-DD/manifest.json``."""
    return partition_prefix("_manifests", day, prefix) + "manifest.json"


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
        {"Key": obj["Key"]}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        for obj in page.get("Contents", [])
    ]
    for start in range(0, len(stale), 1000):  # DeleteObjects takes at most 1,000 keys
        s3.delete_objects(Bucket=bucket, Delete={"Objects": stale[start : start + 1000]})
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
    prefix: str = RAW_PREFIX,
) -> dict[str, Any]:
    """Upload one generated day: each table's file into its partition, then the manifest.

    The manifest goes last: a reader that finds it can trust that the day's data
    files are complete.
    """
    landed: dict[str, Any] = {}
    for table, path in table_files.items():
        objects = replace_prefix(s3, bucket, partition_prefix(table, day, prefix), [path])
        landed[table] = [obj.key for obj in objects]
    s3.upload_file(str(manifest_path), bucket, manifest_key(day, prefix))
    landed["manifest"] = manifest_key(day, prefix)
    return landed
