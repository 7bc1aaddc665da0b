"""Saved plans that travel between machines: stored next to the state, checked on the way back.

The plan step and the apply step may run on different machines (Airflow workers on
Astro, Celery or Kubernetes; two jobs of a GitHub workflow). The plan step uploads its
plan file next to the environment's state and returns a :class:`PlanRecord` (through
XCom, or a job output): where the file is, its object version and its SHA-256. The
apply step downloads exactly that version and refuses it unless the bytes hash to the
recorded SHA-256. A missing or altered plan is never applied.

* AWS environments: ``s3://<state bucket>/<name_prefix>/<env>/plans/<run>.tfplan``, in
  the state bucket (versioned; encrypted with its KMS key by default), tagged so that
  the bucket's lifecycle expires plans that were never applied.
* ``local``: ``<state dir>/terraform/plans/local/<run>.tfplan``, next to the local state
  file. The local state is a file on this machine, so local mode's tasks share this
  disk by design; its plans go through the same record and checks.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from ecommerce_dwh.terraform import TerraformError

log = logging.getLogger(__name__)

#: Tag of plan objects; the state bucket's lifecycle expires them (bootstrap stack).
PLAN_TAG = ("ecommerce-dwh-object", "terraform-plan")


class PlanRefused(TerraformError):
    """A saved plan is missing, altered or not this environment's: nothing was applied."""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class PlanRecord:
    """What the plan step hands to the apply step (XCom, a job output, a file).

    Attributes:
        environment: the environment planned.
        run_id: the run (DAG run id, workflow run) that made it.
        location: ``s3://bucket/key`` or ``file:///path`` of the stored plan.
        sha256: SHA-256 of the plan file's bytes.
        version_id: the S3 object version (None for files or unversioned buckets).
        etl_package_sha256: SHA-256 of the Glue job's zip the plan uploads.
        summary: one line, ``Plan: 1 to add, ...``.
        has_changes: False for a no-op plan.
    """

    environment: str
    run_id: str
    location: str
    sha256: str
    version_id: str | None
    etl_package_sha256: str
    summary: str
    has_changes: bool

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (XCom)."""
        return asdict(self)

    def to_json(self) -> str:
        """Compact JSON (a GitHub job output)."""
        return json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanRecord:
        """Rebuild from :meth:`to_dict`; a missing field is a refused plan."""
        try:
            return cls(**{name: data[name] for name in cls.__dataclass_fields__})
        except (KeyError, TypeError) as exc:
            raise PlanRefused(f"not a plan record (missing {exc}): {data!r}") from exc


class PlanStore(Protocol):
    """Where plan files wait between the plan and the apply step."""

    def put(self, plan_file: Path, name: str) -> tuple[str, str | None]:
        """Store ``plan_file`` as ``name``; return (location, version id)."""

    def fetch(self, record: PlanRecord, dest: Path) -> None:
        """Write the recorded plan to ``dest``; raise :class:`PlanRefused` if it is gone."""

    def delete(self, record: PlanRecord) -> None:
        """Remove an applied plan (a saved plan applies once)."""


class S3PlanStore:
    """Plans in the state bucket, under the environment's state prefix."""

    def __init__(self, s3: Any, bucket: str, prefix: str) -> None:
        self.s3, self.bucket, self.prefix = s3, bucket, prefix.strip("/")

    def _key(self, name: str) -> str:
        return f"{self.prefix}/{name}.tfplan"

    def put(self, plan_file: Path, name: str) -> tuple[str, str | None]:
        key = self._key(name)
        with plan_file.open("rb") as body:
            answer = self.s3.put_object(
                Bucket=self.bucket, Key=key, Body=body,
                Metadata={"sha256": sha256_file(plan_file)},
                Tagging=f"{PLAN_TAG[0]}={PLAN_TAG[1]}",
                ContentType="application/octet-stream",
            )
        # A plan holds every planned value in clear text: it lives only in an
        # encrypted bucket (bootstrap: SSE-KMS with the state key, by default).
        if not answer.get("ServerSideEncryption"):
            raise TerraformError(f"s3://{self.bucket}/{key} was stored unencrypted: give the "
                                 "state bucket default encryption (the bootstrap stack does)")
        return f"s3://{self.bucket}/{key}", answer.get("VersionId")

    def fetch(self, record: PlanRecord, dest: Path) -> None:
        bucket, _, key = record.location.removeprefix("s3://").partition("/")
        if record.location != f"s3://{self.bucket}/{key}" or not key.startswith(self.prefix + "/"):
            raise PlanRefused(f"{record.location} is not a plan of this environment "
                              f"(expected s3://{self.bucket}/{self.prefix}/...)")
        extra = {"VersionId": record.version_id} if record.version_id else {}
        try:
            answer = self.s3.get_object(Bucket=bucket, Key=key, **extra)
        except self.s3.exceptions.NoSuchKey as exc:
            raise PlanRefused(f"the saved plan {record.location} is gone") from exc
        except Exception as exc:  # NoSuchVersion, 404s: botocore ClientError subclasses
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "NoSuchVersion", "404", "InvalidArgument"):
                raise PlanRefused(f"the saved plan {record.location} "
                                  f"(version {record.version_id}) is gone: {code}") from exc
            raise
        dest.parent.mkdir(parents=True, exist_ok=True)
        with dest.open("wb") as handle:
            for chunk in answer["Body"].iter_chunks(1 << 20):
                handle.write(chunk)

    def delete(self, record: PlanRecord) -> None:
        bucket, _, key = record.location.removeprefix("s3://").partition("/")
        # Removes the current version; the bucket's lifecycle removes old versions.
        self.s3.delete_object(Bucket=bucket, Key=key)


class FilePlanStore:
    """Plans in a directory (local mode: next to the local state file)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def put(self, plan_file: Path, name: str) -> tuple[str, str | None]:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{name}.tfplan"
        shutil.copyfile(plan_file, target)
        return target.resolve().as_uri(), None

    def fetch(self, record: PlanRecord, dest: Path) -> None:
        source = Path(record.location.removeprefix("file://"))
        if source.parent.resolve() != self.directory.resolve():
            raise PlanRefused(f"{record.location} is not a plan of this environment "
                              f"(expected {self.directory})")
        if not source.is_file():
            raise PlanRefused(f"the saved plan {record.location} is gone")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)

    def delete(self, record: PlanRecord) -> None:
        Path(record.location.removeprefix("file://")).unlink(missing_ok=True)


def fetch_verified(store: PlanStore, record: PlanRecord, dest: Path) -> Path:
    """Download the recorded plan to ``dest`` and check its SHA-256, or refuse it."""
    store.fetch(record, dest)
    actual = sha256_file(dest)
    if actual != record.sha256:
        dest.unlink(missing_ok=True)
        raise PlanRefused(
            f"refusing to apply {record.location}: its SHA-256 is {actual}, the plan step "
            f"recorded {record.sha256}. The file changed after it was planned; plan again."
        )
    log.info("plan %s verified (sha256 %s)", record.location, actual)
    return dest
