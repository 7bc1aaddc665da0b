"""The plan store against a moto server: a plan comes back byte for byte, or it is refused.

Fast (no Terraform): the S3 store in a versioned, KMS-encrypted bucket like the
bootstrap stack's, and the file store of local mode.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ecommerce_dwh.deploy.plans import (
    PLAN_TAG,
    FilePlanStore,
    PlanRecord,
    PlanRefused,
    S3PlanStore,
    fetch_verified,
    sha256_file,
)


def _record(location: str, sha: str, version: str | None, env: str = "dev") -> PlanRecord:
    return PlanRecord(environment=env, run_id="run-1", location=location, sha256=sha,
                      version_id=version, etl_package_sha256="0" * 64,
                      summary="Plan: 1 to add, 0 to change, 0 to replace, 0 to destroy.",
                      has_changes=True)


@pytest.fixture
def state_bucket(boto3_client: Callable[[str], Any]) -> str:
    """A versioned bucket encrypted with a KMS key by default, as bootstrap makes it."""
    s3, kms = boto3_client("s3"), boto3_client("kms")
    bucket = f"tf-state-plans-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    key = kms.create_key()["KeyMetadata"]["Arn"]
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                "KMSMasterKeyID": key}}]})
    return bucket


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "machine-a" / "run-1.tfplan"
    path.parent.mkdir()
    path.write_bytes(b"PK\x03\x04 a saved plan " + uuid.uuid4().bytes)
    return path


def test_s3_plan_travels_to_another_machine_verified_and_encrypted(
        boto3_client: Callable[[str], Any], state_bucket: str, plan_file: Path,
        tmp_path: Path) -> None:
    s3 = boto3_client("s3")
    store = S3PlanStore(s3, state_bucket, "ecommerce-dwh/dev/plans")
    location, version = store.put(plan_file, "run-1")
    assert location == f"s3://{state_bucket}/ecommerce-dwh/dev/plans/run-1.tfplan"
    assert version, "the state bucket is versioned: the record pins the object version"
    head = s3.head_object(Bucket=state_bucket, Key="ecommerce-dwh/dev/plans/run-1.tfplan")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["Metadata"]["sha256"] == sha256_file(plan_file)
    tags = s3.get_object_tagging(Bucket=state_bucket, Key="ecommerce-dwh/dev/plans/run-1.tfplan")
    assert {"Key": PLAN_TAG[0], "Value": PLAN_TAG[1]} in tags["TagSet"]

    record = _record(location, sha256_file(plan_file), version)
    elsewhere = tmp_path / "machine-b" / "run-1.tfplan"
    fetch_verified(store, PlanRecord.from_dict(record.to_dict()), elsewhere)
    assert elsewhere.read_bytes() == plan_file.read_bytes()


def test_the_recorded_version_is_applied_even_if_the_key_is_overwritten(
        boto3_client: Callable[[str], Any], state_bucket: str, plan_file: Path,
        tmp_path: Path) -> None:
    s3 = boto3_client("s3")
    store = S3PlanStore(s3, state_bucket, "ecommerce-dwh/dev/plans")
    location, version = store.put(plan_file, "run-1")
    s3.put_object(Bucket=state_bucket, Key="ecommerce-dwh/dev/plans/run-1.tfplan",
                  Body=b"someone else's plan")
    dest = tmp_path / "b.tfplan"
    fetch_verified(store, _record(location, sha256_file(plan_file), version), dest)
    assert dest.read_bytes() == plan_file.read_bytes()


def test_an_altered_plan_is_refused(boto3_client: Callable[[str], Any], state_bucket: str,
                                    plan_file: Path, tmp_path: Path) -> None:
    """Without a version to pin (an unversioned bucket), altered bytes fail the SHA-256."""
    s3 = boto3_client("s3")
    store = S3PlanStore(s3, state_bucket, "ecommerce-dwh/dev/plans")
    location, _ = store.put(plan_file, "run-1")
    s3.put_object(Bucket=state_bucket, Key="ecommerce-dwh/dev/plans/run-1.tfplan",
                  Body=b"tampered")
    dest = tmp_path / "b.tfplan"
    with pytest.raises(PlanRefused, match="SHA-256 is .* the plan step recorded"):
        fetch_verified(store, _record(location, sha256_file(plan_file), None), dest)
    assert not dest.exists(), "a refused plan must not stay on disk"


def test_a_wrong_checksum_in_the_record_is_refused(boto3_client: Callable[[str], Any],
                                                   state_bucket: str, plan_file: Path,
                                                   tmp_path: Path) -> None:
    store = S3PlanStore(boto3_client("s3"), state_bucket, "ecommerce-dwh/dev/plans")
    location, version = store.put(plan_file, "run-1")
    forged = hashlib.sha256(b"another plan").hexdigest()
    with pytest.raises(PlanRefused):
        fetch_verified(store, _record(location, forged, version), tmp_path / "b.tfplan")


def test_a_missing_plan_is_refused(boto3_client: Callable[[str], Any], state_bucket: str,
                                   plan_file: Path, tmp_path: Path) -> None:
    s3 = boto3_client("s3")
    store = S3PlanStore(s3, state_bucket, "ecommerce-dwh/dev/plans")
    location, version = store.put(plan_file, "run-1")
    s3.delete_object(Bucket=state_bucket, Key="ecommerce-dwh/dev/plans/run-1.tfplan",
                     VersionId=version)
    with pytest.raises(PlanRefused, match="is gone"):
        fetch_verified(store, _record(location, sha256_file(plan_file), version),
                       tmp_path / "b.tfplan")
    with pytest.raises(PlanRefused, match="is gone"):
        fetch_verified(store, _record(location, sha256_file(plan_file), None),
                       tmp_path / "b.tfplan")


def test_a_plan_outside_the_environment_s_prefix_is_refused(
        boto3_client: Callable[[str], Any], state_bucket: str, plan_file: Path,
        tmp_path: Path) -> None:
    s3 = boto3_client("s3")
    staging = S3PlanStore(s3, state_bucket, "ecommerce-dwh/staging/plans")
    location, version = staging.put(plan_file, "run-1")
    dev = S3PlanStore(s3, state_bucket, "ecommerce-dwh/dev/plans")
    with pytest.raises(PlanRefused, match="not a plan of this environment"):
        fetch_verified(dev, _record(location, sha256_file(plan_file), version),
                       tmp_path / "b.tfplan")


def test_an_unencrypted_bucket_is_refused(boto3_client: Callable[[str], Any],
                                          plan_file: Path) -> None:
    """A plan holds planned values in clear text: it never rests unencrypted."""

    class NoEncryption:
        def put_object(self, **_: object) -> dict:
            return {"VersionId": "v1"}

    from ecommerce_dwh.terraform import TerraformError

    with pytest.raises(TerraformError, match="unencrypted"):
        S3PlanStore(NoEncryption(), "b", "p").put(plan_file, "run-1")


def test_file_store_of_local_mode(plan_file: Path, tmp_path: Path) -> None:
    store = FilePlanStore(tmp_path / "state" / "terraform" / "plans" / "local")
    location, version = store.put(plan_file, "run-1")
    assert location.startswith("file://") and version is None
    record = _record(location, sha256_file(plan_file), None, env="local")
    dest = tmp_path / "fresh" / "p.tfplan"
    fetch_verified(store, record, dest)
    assert dest.read_bytes() == plan_file.read_bytes()
    Path(location.removeprefix("file://")).write_bytes(b"tampered")
    with pytest.raises(PlanRefused):
        fetch_verified(store, record, dest)
    store.delete(record)
    with pytest.raises(PlanRefused, match="is gone"):
        fetch_verified(store, record, dest)


def test_a_record_missing_a_field_is_refused() -> None:
    data = _record("s3://b/k", "0" * 64, None).to_dict()
    del data["sha256"]
    with pytest.raises(PlanRefused, match="not a plan record"):
        PlanRecord.from_dict(data)
