"""``environments/bootstrap`` applied to moto: the state bucket and the lock table exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .conftest import BOOTSTRAP_BUCKET, BOOTSTRAP_TABLE, SlowApplies

pytestmark = pytest.mark.terraform


def test_bootstrap_creates_the_state_backend(
    slow_applies: SlowApplies, boto3_client: Callable[[str], Any]
) -> None:
    stack = slow_applies.bootstrap.result(timeout=600)
    assert stack.outputs["state_bucket"] == BOOTSTRAP_BUCKET
    assert stack.outputs["lock_table"] == BOOTSTRAP_TABLE
    s3 = boto3_client("s3")
    assert s3.get_bucket_versioning(Bucket=BOOTSTRAP_BUCKET)["Status"] == "Enabled"
    rule = s3.get_bucket_encryption(Bucket=BOOTSTRAP_BUCKET)["ServerSideEncryptionConfiguration"]
    default = rule["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    assert default == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": stack.outputs["kms_key_arn"]}
    block = s3.get_public_access_block(Bucket=BOOTSTRAP_BUCKET)["PublicAccessBlockConfiguration"]
    assert all(block.values()), block
    dynamodb = boto3_client("dynamodb")
    table = dynamodb.describe_table(TableName=BOOTSTRAP_TABLE)["Table"]
    assert table["KeySchema"] == [{"AttributeName": "LockID", "KeyType": "HASH"}]
    assert table["SSEDescription"]["Status"] == "ENABLED"
    backups = dynamodb.describe_continuous_backups(TableName=BOOTSTRAP_TABLE)
    pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"


def test_bootstrap_expires_plans_that_were_never_applied(
    slow_applies: SlowApplies, boto3_client: Callable[[str], Any]
) -> None:
    """Saved plans (tagged by ecommerce_dwh.deploy.plans) expire; state history stays."""
    from ecommerce_dwh.deploy.plans import PLAN_TAG

    slow_applies.bootstrap.result(timeout=600)
    rules = boto3_client("s3").get_bucket_lifecycle_configuration(Bucket=BOOTSTRAP_BUCKET)["Rules"]
    plans = next(r for r in rules if r["ID"] == "expire-unapplied-plans")
    assert plans["Filter"]["Tag"] == {"Key": PLAN_TAG[0], "Value": PLAN_TAG[1]}
    assert plans["Expiration"]["Days"] == 30
    history = next(r for r in rules if r["ID"] == "state-history")
    assert "Expiration" not in history, "current state versions must never expire"


def test_without_a_github_repository_there_is_no_oidc_trust(
    slow_applies: SlowApplies, boto3_client: Callable[[str], Any]
) -> None:
    """The roles exist only once github_repository names who may assume them
    (tests/delivery/test_deploy_roles.py checks them when it does)."""
    stack = slow_applies.bootstrap.result(timeout=600)
    assert stack.outputs.get("github_oidc_provider_arn") is None
    assert stack.outputs["deploy_role_arns"] == {} and stack.outputs["plan_role_arns"] == {}
    assert not [a for a in stack.created if "aws_iam" in a]
