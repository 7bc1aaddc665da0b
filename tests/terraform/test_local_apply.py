"""``environments/local`` applied to a real moto server: what the outputs name exists.

One apply (started in the background by ``slow_applies``) serves every test here;
the last test destroys it. The resource prefix is ``ecommerce-dwh-tftest`` so that
nothing collides with a default-named local environment on the same server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ecommerce_dwh.contract import TABLE_NAMES
from ecommerce_dwh.local.moto_server import (
    AccessKey,
    EnforcingMotoServer,
    start_enforcing_moto,
    stop_moto,
)

from .conftest import LOCAL_OUTPUTS, TEST_PREFIX, AppliedStack, SlowApplies

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def stack(slow_applies: SlowApplies) -> AppliedStack:
    """The applied local environment (waits for the background apply)."""
    return slow_applies.local.result(timeout=600)


@pytest.fixture
def clients(boto3_client: Callable[[str], Any]) -> Callable[[str], Any]:
    return boto3_client


def test_outputs_are_the_contract(stack: AppliedStack) -> None:
    out = stack.outputs
    assert out.keys() >= LOCAL_OUTPUTS, f"missing outputs: {LOCAL_OUTPUTS - out.keys()}"
    assert out["environment"] == "local"
    assert out["region"] == "us-east-2"
    assert out["raw_bucket"] == f"{TEST_PREFIX}-raw-local"
    assert out["staging_bucket"] == f"{TEST_PREFIX}-staging-local"
    assert out["logs_bucket"] == f"{TEST_PREFIX}-logs-local"
    assert out["glue_raw_database"] == "ecommerce_dwh_tftest_raw_local"
    assert out["glue_staging_database"] == "ecommerce_dwh_tftest_staging_local"
    assert out["raw_crawler_name"] == f"{TEST_PREFIX}-raw-crawler-local"
    assert out["worker_role_arn"] == f"arn:aws:iam::123456789012:role/{TEST_PREFIX}-worker-local"
    assert out["airflow_user_name"] == f"{TEST_PREFIX}-airflow-local"
    assert out["airflow_user_arn"] == \
        f"arn:aws:iam::123456789012:user/{TEST_PREFIX}-airflow-local"
    print(f"\nlocal created {len(stack.created)} resources:\n  " + "\n  ".join(stack.created))


def test_buckets(stack: AppliedStack, clients: Callable[[str], Any]) -> None:
    s3 = clients("s3")
    out = stack.outputs
    kms_key_arn = out["kms_key_arn"]
    for name in (out["raw_bucket"], out["staging_bucket"], out["logs_bucket"]):
        s3.head_bucket(Bucket=name)
        assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
        block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        assert all(block.values()), block
        assert s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    for name in (out["raw_bucket"], out["staging_bucket"]):
        rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][
            0
        ]
        default = rule["ApplyServerSideEncryptionByDefault"]
        assert default["SSEAlgorithm"] == "aws:kms"
        assert default["KMSMasterKeyID"] == kms_key_arn
        logging = s3.get_bucket_logging(Bucket=name)["LoggingEnabled"]
        assert logging["TargetBucket"] == out["logs_bucket"]
    # S3 delivers server access logs only to SSE-S3 buckets.
    rule = s3.get_bucket_encryption(Bucket=out["logs_bucket"])["ServerSideEncryptionConfiguration"]
    assert rule["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    transitions = s3.get_bucket_lifecycle_configuration(Bucket=out["raw_bucket"])["Rules"][0]
    assert [t["StorageClass"] for t in transitions["Transitions"]] == ["STANDARD_IA", "GLACIER_IR"]


def test_raw_bucket_takes_the_ingest_writes(
    stack: AppliedStack, clients: Callable[[str], Any]
) -> None:
    """What dwh_ingest does: put a partition file, read it back (no policy in the way)."""
    s3 = clients("s3")
    bucket = stack.outputs["raw_bucket"]
    key = "raw/orders/dt=2024-01-01/orders.csv"
    s3.put_object(Bucket=bucket, Key=key, Body=b"order_id\n1\n")
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"order_id\n1\n"


def test_kms_key(stack: AppliedStack, clients: Callable[[str], Any]) -> None:
    kms = clients("kms")
    meta = kms.describe_key(KeyId=stack.outputs["kms_key_arn"])["KeyMetadata"]
    assert meta["KeyState"] == "Enabled"
    assert kms.get_key_rotation_status(KeyId=meta["KeyId"])["KeyRotationEnabled"]


def test_glue_catalog_and_crawler(stack: AppliedStack, clients: Callable[[str], Any]) -> None:
    glue = clients("glue")
    out = stack.outputs
    glue.get_database(Name=out["glue_raw_database"])
    glue.get_database(Name=out["glue_staging_database"])
    crawler = glue.get_crawler(Name=out["raw_crawler_name"])["Crawler"]
    paths = sorted(t["Path"] for t in crawler["Targets"]["S3Targets"])
    assert paths == sorted(f"s3://{out['raw_bucket']}/raw/{t}/" for t in TABLE_NAMES)
    assert crawler["DatabaseName"] == out["glue_raw_database"]
    assert "Schedule" not in crawler or not crawler["Schedule"].get("ScheduleExpression")
    assert crawler["Role"].endswith(f"role/{TEST_PREFIX}-glue-local")
    assert crawler["CrawlerSecurityConfiguration"] == f"{TEST_PREFIX}-local"


def test_iam_roles(stack: AppliedStack, clients: Callable[[str], Any]) -> None:
    iam = clients("iam")
    for role in (f"{TEST_PREFIX}-glue-local", f"{TEST_PREFIX}-redshift-local",
                 f"{TEST_PREFIX}-etl-local", f"{TEST_PREFIX}-worker-local"):
        assert iam.get_role(RoleName=role)["Role"]["RoleName"] == role
        assert iam.list_role_policies(RoleName=role)["PolicyNames"]


def test_etl_job_role_reads_raw_and_writes_silver_only(stack: AppliedStack,
                                                      clients: Callable[[str], Any]) -> None:
    """The ETL job's role: read raw/, write silver/ (and nothing else in the lake), read
    its own artifacts, register partitions in the staging database only."""
    iam = clients("iam")
    role = f"{TEST_PREFIX}-etl-local"
    [name] = iam.list_role_policies(RoleName=role)["PolicyNames"]
    statements = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]["Statement"]
    raw = f"arn:aws:s3:::{stack.outputs['raw_bucket']}"
    staging = f"arn:aws:s3:::{stack.outputs['staging_bucket']}"
    writes = {"s3:PutObject", "s3:DeleteObject"}
    for statement in statements:
        actions = set(_as_list(statement["Action"]))
        resources = _as_list(statement["Resource"])
        assert "*" not in actions and not any(a.endswith(":*") for a in actions), statement
        if actions & writes:
            assert resources == [f"{staging}/silver/*"], statement
        if any(r.startswith(raw) for r in resources):
            assert actions <= {"s3:ListBucket", "s3:GetObject", "s3:GetBucketLocation"}, statement
        if any(a.startswith("glue:") for a in actions):
            assert all(r.endswith(":catalog") or "ecommerce_dwh_tftest_staging_local" in r
                       for r in resources), statement
    reads = [s for s in statements if s["Action"] == "s3:GetObject"
             or "s3:GetObject" in _as_list(s["Action"])]
    assert {r for s in reads for r in _as_list(s["Resource"])} == {
        f"{raw}/raw/*", f"{staging}/artifacts/glue/*", f"{staging}/silver/*"}


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


def _worker_policy(stack: AppliedStack, iam: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    role = f"{TEST_PREFIX}-worker-local"
    trust = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
    [name] = iam.list_role_policies(RoleName=role)["PolicyNames"]
    return trust, iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]


def _airflow_user_policy(stack: AppliedStack, iam: Any) -> dict[str, Any]:
    user = stack.outputs["airflow_user_name"]
    [name] = iam.list_user_policies(UserName=user)["PolicyNames"]
    return iam.get_user_policy(UserName=user, PolicyName=name)["PolicyDocument"]


def test_worker_role_is_the_aws_policy_without_redshift(
        stack: AppliedStack, clients: Callable[[str], Any]) -> None:
    """local's worker: the module's policy (no Redshift here), local mode's artifact
    read, and a trust that names the local Airflow's user (moto matches principals
    literally), plus any principal given in worker_trusted_principal_arns."""
    trust, policy = _worker_policy(stack, clients("iam"))
    [statement] = trust["Statement"]
    given = json.loads(stack.tf.env.get("TF_VAR_worker_trusted_principal_arns", "[]"))
    assert set(_as_list(statement["Principal"]["AWS"])) == {
        stack.outputs["airflow_user_arn"], *given}
    sids = {s["Sid"] for s in policy["Statement"]}
    assert sids == {
        "ListRawPrefix", "ListSilverPrefix", "LocateDataLakeBuckets",
        "ReadWriteRawAndSilverObjects", "ReadEtlJobArtifacts", "UseDataLakeKeyThroughS3",
        "RunRawCrawler", "RunEtlJob", "RegisterStagingPartitions", "PublishAlerts",
        "UseAlertsKeyThroughSns"}
    for s in policy["Statement"]:
        assert "*" not in _as_list(s["Resource"]), s


def test_the_local_airflow_user_may_only_assume_the_worker_role(
        stack: AppliedStack, clients: Callable[[str], Any]) -> None:
    """The user that stands for the local Airflow's machine: one statement, no key
    (its access key is made at run time, so no secret is in the state)."""
    iam = clients("iam")
    user = stack.outputs["airflow_user_name"]
    assert _airflow_user_policy(stack, iam)["Statement"] == [{
        "Sid": "AssumeTheWorkerRole", "Effect": "Allow", "Action": "sts:AssumeRole",
        "Resource": stack.outputs["worker_role_arn"]}]
    assert iam.list_attached_user_policies(UserName=user)["AttachedPolicies"] == []
    assert iam.list_access_keys(UserName=user)["AccessKeyMetadata"] == []


@pytest.fixture
def enforcing_moto(tmp_path: Path) -> Iterator[EnforcingMotoServer]:
    """A moto server of its own that enforces IAM (its admin made with its first
    requests), without disturbing the session's (whose callers use moto's dummy keys)."""
    server = start_enforcing_moto(tmp_path)
    try:
        yield server
    finally:
        stop_moto(tmp_path)


def test_worker_role_under_moto_iam_enforcement(
        stack: AppliedStack, clients: Callable[[str], Any],
        enforcing_moto: EnforcingMotoServer) -> None:
    """The applied worker role and the local Airflow's user with its policy, copied into
    a moto server that enforces IAM: the user assumes the role, and S3 then allows raw/
    and silver/ only. (moto checks the Resource of S3 requests; for Glue, SNS and KMS it
    checks the action against "*" only: docs/terraform.md. The whole pipeline runs under
    this role on such a server in tests/e2e.)"""
    from botocore.exceptions import ClientError

    trust, policy = _worker_policy(stack, clients("iam"))
    user_policy = _airflow_user_policy(stack, clients("iam"))
    raw, staging = stack.outputs["raw_bucket"], stack.outputs["staging_bucket"]
    role_name = f"{TEST_PREFIX}-worker-local"

    # Set-up as the server's admin, as Terraform (the deploy role) would.
    iam, s3 = enforcing_moto.client("iam"), enforcing_moto.client("s3")
    user = stack.outputs["airflow_user_name"]
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="assume-worker-role",
                        PolicyDocument=json.dumps(user_policy))
    created = iam.create_access_key(UserName=user)["AccessKey"]
    access_key = AccessKey(created["AccessKeyId"], created["SecretAccessKey"])
    role_arn = iam.create_role(RoleName=role_name,
                               AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    assert role_arn == stack.outputs["worker_role_arn"]
    iam.put_role_policy(RoleName=role_name, PolicyName="airflow-worker",
                        PolicyDocument=json.dumps(policy))
    for bucket in (raw, staging):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint":
                                                                   "us-east-2"})
    s3.put_object(Bucket=staging, Key="artifacts/glue/bronze_to_silver.py", Body=b"# job")
    s3.put_object(Bucket=staging, Key="elsewhere/secret.txt", Body=b"no")

    # The user itself may do nothing but assume the role.
    with pytest.raises(ClientError, match="AccessDenied"):
        enforcing_moto.client("s3", key=access_key).list_objects_v2(Bucket=raw)
    sts = enforcing_moto.client("sts", key=access_key)
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="airflow-worker")["Credentials"]
    worker = enforcing_moto.client(
        "s3", key=AccessKey(creds["AccessKeyId"], creds["SecretAccessKey"]),
        aws_session_token=creds["SessionToken"])

    worker.put_object(Bucket=raw, Key="raw/orders/dt=2024-01-01/orders.csv", Body=b"id\n1\n")
    worker.get_object(Bucket=raw, Key="raw/orders/dt=2024-01-01/orders.csv")
    worker.put_object(Bucket=staging, Key="silver/orders/dt=2024-01-01/orders.parquet", Body=b"")
    worker.delete_object(Bucket=staging, Key="silver/orders/dt=2024-01-01/orders.parquet")
    worker.list_objects_v2(Bucket=raw, Prefix="raw/orders/")
    worker.get_object(Bucket=staging, Key="artifacts/glue/bronze_to_silver.py")
    for denied in (
        lambda: worker.put_object(Bucket=raw, Key="elsewhere/x.csv", Body=b""),
        lambda: worker.put_object(Bucket=staging, Key="artifacts/glue/bronze_to_silver.py",
                                  Body=b"# replaced"),
        lambda: worker.get_object(Bucket=staging, Key="elsewhere/secret.txt"),
        lambda: worker.delete_bucket(Bucket=raw),
    ):
        with pytest.raises(ClientError) as error:
            denied()
        assert error.value.response["Error"]["Code"] in ("AccessDenied", "403"), error.value
    # Another principal of the account is not trusted (moto compares principals).
    iam.create_user(UserName="outsider")
    iam.put_user_policy(UserName="outsider", PolicyName="assume-worker-role",
                        PolicyDocument=json.dumps(user_policy))
    made = iam.create_access_key(UserName="outsider")["AccessKey"]
    outsider = enforcing_moto.client("sts", key=AccessKey(made["AccessKeyId"],
                                                          made["SecretAccessKey"]))
    with pytest.raises(ClientError, match="AccessDenied"):
        outsider.assume_role(RoleArn=role_arn, RoleSessionName="not-the-worker")


def test_alerts_topic_and_alarms(stack: AppliedStack, clients: Callable[[str], Any]) -> None:
    topic_arn = stack.outputs["alerts_topic_arn"]
    attrs = clients("sns").get_topic_attributes(TopicArn=topic_arn)["Attributes"]
    assert attrs["KmsMasterKeyId"]
    assert "events.amazonaws.com" in attrs["Policy"]
    for rule_name, watched in (("crawler-failed", stack.outputs["raw_crawler_name"]),
                               ("etl-job-failed", stack.outputs["etl_job_name"])):
        rule = clients("events").describe_rule(Name=f"{TEST_PREFIX}-local-{rule_name}")
        assert watched in rule["EventPattern"]
        targets = clients("events").list_targets_by_rule(Rule=rule["Name"])["Targets"]
        assert [t["Arn"] for t in targets] == [topic_arn]
    alarms = clients("cloudwatch").describe_alarms(AlarmNamePrefix=TEST_PREFIX)["MetricAlarms"]
    assert sorted(a["AlarmName"] for a in alarms) == [
        f"{TEST_PREFIX}-local-crawler-failed", f"{TEST_PREFIX}-local-etl-job-failed"]
    assert [a["AlarmActions"] for a in alarms] == [[topic_arn]] * 2
    clients("cloudwatch").get_dashboard(DashboardName=f"{TEST_PREFIX}-local")


def test_second_plan_is_a_no_op(stack: AppliedStack) -> None:
    plan = stack.tf.plan(stack.home / "again.tfplan")
    assert not plan.has_changes, f"second plan not empty: {plan}\n{plan.update}{plan.replace}"


def test_destroy_removes_everything(stack: AppliedStack, clients: Callable[[str], Any]) -> None:
    """Last test of the module: plan -destroy, apply it, and check through boto3."""
    out = stack.outputs
    plan_file = stack.home / "destroy.tfplan"
    # The previous test refreshed the state a moment ago: skip a second refresh.
    args = ("plan", "-destroy", "-refresh=false", "-input=false", "-no-color")
    stack.tf.run(*args, f"-out={plan_file}")
    plan = stack.tf.show_plan(plan_file)
    assert len(plan.delete) == len(stack.created)
    stack.tf.apply(plan_file)

    existing = {b["Name"] for b in clients("s3").list_buckets()["Buckets"]}
    assert not existing & {out["raw_bucket"], out["staging_bucket"], out["logs_bucket"]}
    glue = clients("glue")
    databases = {d["Name"] for d in glue.get_databases()["DatabaseList"]}
    assert not databases & {out["glue_raw_database"], out["glue_staging_database"]}
    assert out["raw_crawler_name"] not in glue.list_crawlers()["CrawlerNames"]
    topics = {t["TopicArn"] for t in clients("sns").list_topics()["Topics"]}
    assert out["alerts_topic_arn"] not in topics
    key = clients("kms").describe_key(KeyId=out["kms_key_arn"])["KeyMetadata"]
    assert key["KeyState"] == "PendingDeletion"
    roles = {r["RoleName"] for r in clients("iam").list_roles()["Roles"]}
    assert not {r for r in roles if r.startswith(TEST_PREFIX)}
    users = {u["UserName"] for u in clients("iam").list_users()["Users"]}
    assert out["airflow_user_name"] not in users
    assert stack.tf.output() == {}
