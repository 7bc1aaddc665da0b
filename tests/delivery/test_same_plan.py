"""The DAG and scripts/deploy.sh plan exactly the same thing for an environment.

Before, the DAG's plan dropped ``bucket_name_suffix`` (deploy.sh passed it as ``--var``)
and the two read different state buckets (``TF_STATE_BUCKET`` vs ``<env>.backend.hcl``),
so the "should change nothing" plan of the README would have replaced every bucket.
Now both go through ``ecommerce_dwh.deploy``: here the DAG task's function (with the
Airflow connection ``aws_terraform``, as on a deployment) and ``scripts/deploy.sh
--plan-only`` (with a shell's AWS variables) plan dev against the same moto-hosted S3
backend, and their plan files are compared: same inputs, same variables, same changes,
same backend (both stored next to the same state).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ecommerce_dwh import infrastructure
from ecommerce_dwh.deploy import steps
from ecommerce_dwh.deploy.access import AwsAccess
from ecommerce_dwh.deploy.environments import AWS_ROOT, Environment, environment
from ecommerce_dwh.deploy.plans import PlanRecord, fetch_verified
from ecommerce_dwh.local.moto_server import MOTO_ACCESS_KEY, MOTO_SECRET_KEY

from .conftest import Machine, boto3_for, ok, show_json
from .moto_gaps import MotoGapProxy

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


@pytest.fixture(scope="module")
def backend(own_moto: MotoGapProxy) -> MotoGapProxy:
    """The state bucket and lock table dev.backend.hcl names, as bootstrap makes them."""
    dev = environment("dev").backend
    assert dev is not None
    s3, kms = boto3_for(own_moto.endpoint_url, "s3"), boto3_for(own_moto.endpoint_url, "kms")
    s3.create_bucket(Bucket=dev.bucket,
                     CreateBucketConfiguration={"LocationConstraint": dev.region})
    s3.put_bucket_versioning(Bucket=dev.bucket, VersioningConfiguration={"Status": "Enabled"})
    key = kms.create_key()["KeyMetadata"]["Arn"]
    s3.put_bucket_encryption(Bucket=dev.bucket, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                "KMSMasterKeyID": key}}]})
    boto3_for(own_moto.endpoint_url, "dynamodb").create_table(
        TableName=dev.dynamodb_table, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}])
    return own_moto


@pytest.fixture(scope="module")
def access(own_moto: MotoGapProxy) -> AwsAccess:
    return AwsAccess(env={"AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY,
                          "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY},
                     endpoint_url=own_moto.endpoint_url)


def _plan_doc(record: PlanRecord, access: AwsAccess, reviewer: Path) -> dict[str, Any]:
    """A third machine fetches the stored plan (checking its SHA-256) and shows it."""
    env = environment(record.environment)
    workspace = steps.Workspace(reviewer)
    tf = steps.init(env, access, workspace)
    plan_file = fetch_verified(steps.plan_store(env, access), record,
                               workspace.plan_file(record.run_id))
    return show_json(tf, plan_file)


def _changes(doc: dict[str, Any]) -> dict[str, Any]:
    return {c["address"]: (c["change"]["actions"], c["change"]["after"])
            for c in doc["resource_changes"]}


def test_the_dag_and_deploy_sh_plan_the_same_thing(
        backend: MotoGapProxy, access: AwsAccess, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The DAG's plan task, with the deployment's Terraform connection.
    monkeypatch.setenv("AIRFLOW_CONN_AWS_TERRAFORM", json.dumps({
        "conn_type": "aws", "login": MOTO_ACCESS_KEY, "password": MOTO_SECRET_KEY,
        "extra": {"region_name": "us-east-2", "endpoint_url": backend.endpoint_url}}))
    monkeypatch.setenv("DWH_STATE_DIR", str(tmp_path / "airflow-worker"))
    dag_access = infrastructure.access_for("dev")
    dag_record = PlanRecord.from_dict(infrastructure.plan("dev", "manual__2024-01-01T00:00:00"))

    # scripts/deploy.sh on a laptop, with the shell's AWS variables.
    laptop = Machine(tmp_path / "laptop", backend.endpoint_url)
    proc = ok(laptop.run("scripts/deploy.sh", "--env", "dev", "--plan-only", "--skip-bootstrap"))
    record_file = Path(re.search(r"plan record: (\S+)", proc.stdout).group(1))
    cli_record = PlanRecord.from_dict(json.loads(record_file.read_text()))
    described = json.loads(ok(laptop.run("scripts/delivery/deploy_cli.sh", "describe",
                                         "--env", "dev")).stdout)

    # Same inputs: root, var files, variables, backend.
    assert steps.describe(environment("dev"), dag_access) == described
    assert described["var_files"] == ["infra/terraform/environments/aws/dev.tfvars",
                                      "infra/terraform/environments/aws/dev.account.tfvars"]
    # Same backend: both plans are stored next to the same state.
    prefix = "s3://tf-state-ecommerce-dwh/ecommerce-dwh/dev/plans/"
    assert dag_record.location.startswith(prefix) and cli_record.location.startswith(prefix)
    assert dag_record.etl_package_sha256 == cli_record.etl_package_sha256

    dag_doc = _plan_doc(dag_record, access, tmp_path / "reviewer-1")
    cli_doc = _plan_doc(cli_record, access, tmp_path / "reviewer-2")
    assert dag_doc["variables"] == cli_doc["variables"]
    assert _changes(dag_doc) == _changes(cli_doc)
    assert dag_doc["planned_values"]["outputs"] == cli_doc["planned_values"]["outputs"]
    assert dag_record.summary == cli_record.summary and dag_record.has_changes

    # The per-account values come from dev.account.tfvars, on both paths.
    account = (AWS_ROOT / "dev.account.tfvars").read_text()
    suffix = re.search(r'^bucket_name_suffix\s*=\s*"(.*)"', account, re.M).group(1)
    assert dag_doc["variables"]["bucket_name_suffix"]["value"] == suffix
    region = re.search(r'^region\s*=\s*"(.*)"', account, re.M).group(1)
    assert dag_doc["variables"]["region"]["value"] == region


def test_a_per_account_value_reaches_the_plan(backend: MotoGapProxy, access: AwsAccess,
                                              tmp_path: Path) -> None:
    """The value the old DAG dropped: an account's bucket suffix renames every bucket."""
    account = tmp_path / "dev.account.tfvars"
    account.write_text('region = "us-east-2"\nbucket_name_suffix = "123456789012"\n')
    dev = environment("dev")
    env = Environment("dev", dev.root, (dev.var_files[0], account), dev.backend_file)
    with steps.Workspace.fresh("dev") as workspace:
        record = steps.plan(env, access, workspace, "suffix", store=False)
        doc = show_json(steps.terraform(env, access, workspace),
                        Path(record.location.removeprefix("file://")))
    buckets = {c["change"]["after"]["bucket"] for c in doc["resource_changes"]
               if c["type"] == "aws_s3_bucket"}
    assert buckets == {f"ecommerce-dwh-{layer}-dev-123456789012"
                       for layer in ("raw", "staging", "logs")}
