"""Plan on one machine, apply on another: the defect that made dwh_infrastructure need one disk.

Each "machine" has its own state directory and ``TF_DATA_DIR`` and shares nothing
with the others but the S3 backend, exactly like two Airflow workers (or two GitHub
runners). The plan step stores its file next to the state and returns a record; the
apply step re-initialises an empty working directory, downloads exactly that plan,
checks its SHA-256 and applies it. These are the functions the DAG's tasks and the
workflow's jobs call (``ecommerce_dwh.deploy.steps``).

The root module is ``tests/delivery/terraform_root``, because a *successful* apply
against moto needs a root whose every resource moto implements: ``environments/aws``
has Redshift Serverless (test_deploy_chain.py runs it as far as moto allows) and
``local``/``bootstrap`` keep their state in a local file by design.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ecommerce_dwh.deploy import steps
from ecommerce_dwh.deploy.access import AwsAccess
from ecommerce_dwh.deploy.environments import Environment
from ecommerce_dwh.deploy.plans import PlanRecord, PlanRefused
from ecommerce_dwh.local.moto_server import MOTO_ACCESS_KEY, MOTO_SECRET_KEY

from .conftest import boto3_for
from .moto_gaps import MotoGapProxy

pytestmark = pytest.mark.terraform

ROOT = Path(__file__).parent / "terraform_root"
BUCKET, TABLE = "tf-state-xmachine", "tf-locks-xmachine"


@pytest.fixture(scope="module")
def env(own_moto: MotoGapProxy, tmp_path_factory: pytest.TempPathFactory) -> Environment:
    """The fixture root with its S3 backend in moto (bucket versioned and KMS-encrypted)."""
    url = own_moto.endpoint_url
    s3, kms, dynamodb = (boto3_for(url, s) for s in ("s3", "kms", "dynamodb"))
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    key = kms.create_key()["KeyMetadata"]["Arn"]
    s3.put_bucket_encryption(Bucket=BUCKET, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                "KMSMasterKeyID": key}}]})
    dynamodb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                          AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
                          KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}])
    files = tmp_path_factory.mktemp("xmachine-files")
    backend = files / "dev.backend.hcl"
    backend.write_text(f'bucket = "{BUCKET}"\nkey = "ecommerce-dwh/dev/terraform.tfstate"\n'
                       f'region = "us-east-2"\ndynamodb_table = "{TABLE}"\nencrypt = true\n')
    return Environment(name="dev", root=ROOT, var_files=(), backend_file=backend)


@pytest.fixture(scope="module")
def access(own_moto: MotoGapProxy) -> AwsAccess:
    return AwsAccess(env={"AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY,
                          "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY},
                     endpoint_url=own_moto.endpoint_url)


def _machine(tmp_path: Path, name: str) -> tuple[steps.Workspace, Path]:
    """A machine: its working directory (TF_DATA_DIR inside) and its state directory."""
    return steps.Workspace(tmp_path / name / "work"), tmp_path / name / "state"


def _with_topic_suffix(env: Environment, tmp_path: Path, suffix: str) -> Environment:
    var_file = tmp_path / f"{suffix}.tfvars"
    var_file.write_text(f'topic_suffix = "{suffix}"\n')
    return Environment(env.name, env.root, (var_file,), env.backend_file)


def _serial(own_moto: MotoGapProxy) -> int:
    body = boto3_for(own_moto.endpoint_url, "s3").get_object(
        Bucket=BUCKET, Key="ecommerce-dwh/dev/terraform.tfstate")["Body"].read()
    return json.loads(body)["serial"]


def test_plan_on_one_machine_apply_on_another(env: Environment, access: AwsAccess,
                                              own_moto: MotoGapProxy, tmp_path: Path) -> None:
    (ws_a, state_a), (ws_b, state_b), (ws_c, state_c) = (
        _machine(tmp_path, m) for m in ("worker-a", "worker-b", "worker-c"))

    record = steps.plan(env, access, ws_a, "manual__2024-01-01T00:00:00+00:00", state_dir=state_a)
    assert record.has_changes and record.summary.startswith("Plan: 2 to add")
    assert record.location == ("s3://tf-state-xmachine/ecommerce-dwh/dev/plans/"
                               "manual__2024-01-01T00_00_00_00_00.tfplan")
    assert record.version_id, "the versioned state bucket pins the plan's version"
    # XCom carries the record as JSON: nothing else reaches worker B.
    carried = PlanRecord.from_dict(json.loads(json.dumps(record.to_dict())))

    assert not ws_b.data_dir.exists()
    steps.apply(env, access, ws_b, carried, state_dir=state_b)
    assert ws_b.data_dir.is_dir() and ws_b.data_dir != ws_a.data_dir

    sns, iam = boto3_for(own_moto.endpoint_url, "sns"), boto3_for(own_moto.endpoint_url, "iam")
    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    assert any(t.endswith(":ecommerce-dwh-xmachine-alerts-one") for t in topics), topics
    iam.get_role(RoleName="ecommerce-dwh-xmachine-role")
    outputs = steps.outputs(env, access, ws_b, state_dir=state_b)
    assert outputs["topic_arn"].endswith(":ecommerce-dwh-xmachine-alerts-one")

    # The applied plan is gone: a saved plan applies once.
    objects = boto3_for(own_moto.endpoint_url, "s3").list_objects_v2(
        Bucket=BUCKET, Prefix="ecommerce-dwh/dev/plans/").get("Contents", [])
    assert objects == []
    # A third machine sees the state B wrote: nothing left to do.
    again = steps.plan(env, access, ws_c, "manual__2024-01-02", state_dir=state_c)
    assert not again.has_changes, again.summary


def test_an_altered_plan_is_refused_and_nothing_changes(
        env: Environment, access: AwsAccess, own_moto: MotoGapProxy, tmp_path: Path) -> None:
    """Someone swaps the stored plan between plan and apply: the apply refuses it."""
    (ws_a, state_a), (ws_b, state_b) = (_machine(tmp_path, m) for m in ("a", "b"))
    changed = _with_topic_suffix(env, tmp_path, "two")
    record = steps.plan(changed, access, ws_a, "run-altered", state_dir=state_a)
    assert record.has_changes
    serial = _serial(own_moto)
    s3 = boto3_for(own_moto.endpoint_url, "s3")
    key = "ecommerce-dwh/dev/plans/run-altered.tfplan"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"PK\x03\x04 not the reviewed plan")
    unpinned = PlanRecord.from_dict({**record.to_dict(), "version_id": None})
    with pytest.raises(PlanRefused, match="SHA-256"):
        steps.apply(changed, access, ws_b, unpinned, state_dir=state_b)
    forged = PlanRecord.from_dict({**record.to_dict(), "sha256": "0" * 64})
    with pytest.raises(PlanRefused, match="SHA-256"):
        steps.apply(changed, access, ws_b, forged, state_dir=state_b)
    assert _serial(own_moto) == serial, "a refused plan must change no state"
    sns = boto3_for(own_moto.endpoint_url, "sns")
    topics = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    assert not any(t.endswith("-alerts-two") for t in topics)


def test_a_missing_plan_is_refused(env: Environment, access: AwsAccess,
                                   own_moto: MotoGapProxy, tmp_path: Path) -> None:
    (ws_a, state_a), (ws_b, state_b) = (_machine(tmp_path, m) for m in ("a", "b"))
    changed = _with_topic_suffix(env, tmp_path, "three")
    record = steps.plan(changed, access, ws_a, "run-missing", state_dir=state_a)
    s3 = boto3_for(own_moto.endpoint_url, "s3")
    s3.delete_object(Bucket=BUCKET, Key="ecommerce-dwh/dev/plans/run-missing.tfplan",
                     VersionId=record.version_id)
    with pytest.raises(PlanRefused, match="is gone"):
        steps.apply(changed, access, ws_b, record, state_dir=state_b)


def test_another_environments_plan_is_refused(env: Environment, access: AwsAccess,
                                              tmp_path: Path) -> None:
    (ws_a, state_a), (ws_b, state_b) = (_machine(tmp_path, m) for m in ("a", "b"))
    record = steps.plan(env, access, ws_a, "run-other", state_dir=state_a)
    staging = PlanRecord.from_dict({**record.to_dict(), "environment": "staging"})
    with pytest.raises(PlanRefused, match="a plan of 'staging' to 'dev'"):
        steps.apply(env, access, ws_b, staging, state_dir=state_b)
