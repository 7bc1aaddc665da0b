"""The second way to ship the Airflow project: Amazon MWAA's bucket instead of ``astro deploy``.

MWAA runs what its S3 bucket holds: the ``dags/`` prefix is copied to every worker's
DAGs folder (which is on ``sys.path``), and ``requirements.txt`` is installed when the
environment is updated to that object's version. The project is laid out there so that
the package finds its files exactly as in the Astro image (``settings.PROJECT_ROOT``
is the parent of ``include/``):

    s3://<bucket>/dags/*.py                    dags/
    s3://<bucket>/dags/include/...             include/ (the package, dbt project, Glue script)
    s3://<bucket>/dags/infra/terraform/...     infra/terraform/ (dwh_infrastructure)
    s3://<bucket>/dags/build/glue/...          the Glue job's zip of this build
    s3://<bucket>/dags/.airflowignore          keeps the scheduler out of include/, infra/, build/
    s3://<bucket>/requirements.txt

A sync uploads what changed (by MD5) and deletes what the checkout no longer has,
under ``dags/`` only. What the MWAA environment itself must provide (a startup script
that puts ``dags/include`` on ``PYTHONPATH`` and installs the Terraform CLI, and an
update to the new requirements version) is in docs/delivery.md.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecommerce_dwh.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

#: (local folder, key prefix under dags/) of what MWAA needs.
LAYOUT = (
    ("dags", ""),
    ("include", "include/"),
    ("infra/terraform", "infra/terraform/"),
    ("build/glue", "build/glue/"),
)
AIRFLOWIGNORE = "include/\ninfra/\nbuild/\n"
SKIPPED_PARTS = {"__pycache__", ".terraform", "target", "logs", "dbt_packages"}
SKIPPED_SUFFIXES = {".pyc", ".tfstate", ".tfplan"}


@dataclass(frozen=True)
class SyncResult:
    """What a sync changed."""

    uploaded: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int
    requirements_version: str | None


def _files(root: Path) -> Iterator[tuple[str, Path]]:
    for folder, prefix in LAYOUT:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(base)
            if not path.is_file() or SKIPPED_PARTS & set(relative.parts):
                continue
            if path.suffix in SKIPPED_SUFFIXES or path.name.startswith(".terraform"):
                continue
            yield f"dags/{prefix}{relative.as_posix()}", path
    # The dbt manifest of this build: Cosmos renders the task groups from it.
    manifest = root / "include" / "dbt" / "target" / "manifest.json"
    if manifest.is_file():
        yield "dags/include/dbt/target/manifest.json", manifest


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def sync(s3: Any, bucket: str, root: Path = PROJECT_ROOT, dry_run: bool = False) -> SyncResult:
    """Make ``s3://bucket/dags/`` and ``requirements.txt`` match the checkout at ``root``."""
    wanted: dict[str, bytes] = {key: path.read_bytes() for key, path in _files(root)}
    wanted["dags/.airflowignore"] = AIRFLOWIGNORE.encode()
    existing: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="dags/"):
        for item in page.get("Contents", []):
            existing[item["Key"]] = item["ETag"].strip('"')
    uploaded = [key for key, data in sorted(wanted.items()) if existing.get(key) != _md5(data)]
    deleted = sorted(set(existing) - set(wanted))
    requirements = (root / "requirements.txt").read_bytes()
    if dry_run:
        return SyncResult(tuple(uploaded), tuple(deleted), len(wanted) - len(uploaded), None)
    for key in uploaded:
        s3.put_object(Bucket=bucket, Key=key, Body=wanted[key])
    for start in range(0, len(deleted), 1000):
        chunk = deleted[start:start + 1000]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in chunk]})
    answer = s3.put_object(Bucket=bucket, Key="requirements.txt", Body=requirements)
    log.info("s3://%s: %d uploaded, %d deleted, %d unchanged; requirements.txt version %s",
             bucket, len(uploaded), len(deleted), len(wanted) - len(uploaded),
             answer.get("VersionId"))
    return SyncResult(tuple(uploaded), tuple(deleted), len(wanted) - len(uploaded),
                      answer.get("VersionId"))
