"""``environments/dev`` planned against moto, with its real S3 backend.

The backend choice: the state bucket and lock table that ``backend.hcl`` names are
created in moto (through boto3, so that this test need not wait for the slow
bootstrap apply, which test_bootstrap_apply.py proves on its own), then ``dev`` is
initialised with its committed ``backend.hcl`` plus a second ``-backend-config``
file that only adds moto's endpoints and the emulator switches. So the S3 backend,
its DynamoDB lock and the partial-configuration contract are exercised for real; no
``override.tf`` or ``-backend=false`` hides them. Redshift Serverless is only
planned: moto has no such API, and a plan of new resources never calls it.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

import pytest

from ecommerce_dwh.terraform import PlanSummary, Terraform

from .conftest import AWS_OUTPUTS

STATE_BUCKET = "tf-state-ecommerce-dwh"
LOCK_TABLE = "tf-locks-ecommerce-dwh"

pytestmark = pytest.mark.terraform

MOTO_BACKEND = """\
endpoints = {{
  s3       = "{url}"
  dynamodb = "{url}"
  iam      = "{url}"
  sts      = "{url}"
}}
use_path_style              = true
skip_credentials_validation = true
skip_requesting_account_id  = true
skip_metadata_api_check     = true
"""


@pytest.fixture(scope="module")
def dev_plan(
    make_terraform: Callable[..., Terraform],
    aws_env: dict[str, str],
) -> tuple[Terraform, dict[str, Any], PlanSummary]:
    """Init dev against a moto-hosted S3 backend, save a plan, return its JSON."""
    import boto3

    region = aws_env["AWS_DEFAULT_REGION"]
    session = boto3.session.Session(
        aws_access_key_id=aws_env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=aws_env["AWS_SECRET_ACCESS_KEY"],
        region_name=region,
    )
    s3 = session.client("s3", endpoint_url=aws_env["AWS_ENDPOINT_URL"])
    dynamodb = session.client("dynamodb", endpoint_url=aws_env["AWS_ENDPOINT_URL"])
    # Another test of the session (e.g. deploy.sh against moto) may have made them.
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(
            Bucket=STATE_BUCKET, CreateBucketConfiguration={"LocationConstraint": region}
        )
    s3.put_bucket_versioning(Bucket=STATE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    with contextlib.suppress(dynamodb.exceptions.ResourceInUseException):
        dynamodb.create_table(
            TableName=LOCK_TABLE,
            AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )

    tf = make_terraform("aws")
    home = tf.data_dir.parent
    override = home / "moto-backend.hcl"
    override.write_text(MOTO_BACKEND.format(url=aws_env["AWS_ENDPOINT_URL"]))
    tf.run(
        "init",
        "-input=false",
        "-no-color",
        "-reconfigure",
        "-backend-config=dev.backend.hcl",
        f"-backend-config={override}",
    )
    plan_file = home / "dev.tfplan"
    tf.run("plan", "-input=false", "-no-color", "-var-file=dev.tfvars", f"-out={plan_file}")
    doc = json.loads(tf.run("show", "-json", "-no-color", str(plan_file)))
    return tf, doc, PlanSummary.from_show_json(doc)


def _planned(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """address -> planned attribute values, over the root module and its children."""
    found: dict[str, dict[str, Any]] = {}

    def walk(module: dict[str, Any]) -> None:
        for res in module.get("resources", []):
            found[res["address"]] = res.get("values", {})
        for child in module.get("child_modules", []):
            walk(child)

    walk(doc["planned_values"]["root_module"])
    return found


def test_dev_plan_creates_every_module(
    dev_plan: tuple[Terraform, dict[str, Any], PlanSummary],
) -> None:
    _, doc, summary = dev_plan
    print(f"\ndev plan: {summary} ({len(summary.create)} resources to create)")
    assert summary.create and not (summary.update or summary.replace or summary.delete)
    modules = {a.split(".")[1] for a in summary.create}
    assert modules == {"s3", "iam", "glue", "redshift_serverless", "monitoring"}
    for must in (
        "module.redshift_serverless.aws_redshiftserverless_namespace.this[0]",
        "module.redshift_serverless.aws_redshiftserverless_workgroup.this[0]",
        "module.redshift_serverless.aws_redshiftserverless_usage_limit.this[0]",
        "module.monitoring.aws_ce_anomaly_monitor.this[0]",
        "module.monitoring.aws_cloudwatch_metric_alarm.redshift_rpu[0]",
        "module.glue.aws_glue_crawler.this[0]",
    ):
        assert must in summary.create
    assert doc["planned_values"]["outputs"].keys() >= AWS_OUTPUTS


def test_dev_plan_names_and_settings(
    dev_plan: tuple[Terraform, dict[str, Any], PlanSummary],
) -> None:
    _, doc, _ = dev_plan
    values = _planned(doc)
    buckets = {v["bucket"] for a, v in values.items() if a.endswith(("aws_s3_bucket.logs",))}
    buckets |= {
        values[f'module.s3.aws_s3_bucket.this["{layer}"]']["bucket"] for layer in ("raw", "staging")
    }
    assert buckets == {
        "ecommerce-dwh-raw-dev",
        "ecommerce-dwh-staging-dev",
        "ecommerce-dwh-logs-dev",
    }
    assert values["module.glue.aws_glue_catalog_database.raw"]["name"] == "ecommerce_dwh_raw_dev"
    crawler = values["module.glue.aws_glue_crawler.this[0]"]
    assert crawler["name"] == "ecommerce-dwh-raw-crawler-dev"
    assert crawler.get("schedule") in (None, "")
    assert len(crawler["s3_target"]) == 4
    namespace = values["module.redshift_serverless.aws_redshiftserverless_namespace.this[0]"]
    assert namespace["namespace_name"] == "ecommerce-dwh-dev"
    assert namespace["manage_admin_password"] is True
    assert "admin_user_password" not in namespace or namespace["admin_user_password"] is None
    workgroup = values["module.redshift_serverless.aws_redshiftserverless_workgroup.this[0]"]
    assert workgroup["workgroup_name"] == "ecommerce-dwh-dev"
    assert workgroup["base_capacity"] == 8
    assert workgroup["publicly_accessible"] is False
    limit = values["module.redshift_serverless.aws_redshiftserverless_usage_limit.this[0]"]
    assert limit["breach_action"] == "deactivate"


def test_dev_state_lives_in_the_backend(
    dev_plan: tuple[Terraform, dict[str, Any], PlanSummary], boto3_client: Callable[[str], Any]
) -> None:
    """dev was initialised with the S3 backend of dev.backend.hcl, locked in DynamoDB."""
    tf, _, _ = dev_plan
    backend = json.loads((tf.data_dir / "terraform.tfstate").read_text())["backend"]
    assert backend["type"] == "s3"
    assert backend["config"]["bucket"] == STATE_BUCKET
    assert backend["config"]["key"] == "ecommerce-dwh/dev/terraform.tfstate"
    assert backend["config"]["dynamodb_table"] == LOCK_TABLE
    # The plan took the lock and released it: no lock item may be left behind.
    items = boto3_client("dynamodb").scan(TableName=LOCK_TABLE)["Items"]
    assert not [i for i in items if "Info" in i], f"a state lock was left behind: {items}"
