"""Fixtures for the Terraform tests: long-lived runners, the dev plans, the slow applies.

Applying ``local`` and ``bootstrap`` against moto takes about a minute each, almost
all of it the AWS provider's fixed wait after it writes an S3 lifecycle configuration
(it reads the rules back until they have matched ten times in a row, five seconds
apart: docs/terraform.md). Both applies start together, in background threads, with
the first test of this folder (when the session selected a test that needs them), and
the tests that do not need them (checkov, fmt, validate, the dev plans, the IAM lint)
are ordered first, to run meanwhile.

``dev`` is planned against moto with its real S3 backend (the bucket and lock table
``dev.backend.hcl`` names are created in moto, through boto3, so that these tests
need not wait for the slow bootstrap apply, which test_bootstrap_apply.py proves on
its own), initialised with its committed ``dev.backend.hcl`` plus a second
``-backend-config`` file that only adds moto's endpoints and the emulator switches.
Two plans share that working directory: ``dev.tfvars`` exactly as committed, and the
same with every optional part on (workers admitted to Redshift, an Astro workload
identity, the dashboard), so that every policy document and security group rule the
modules can write is in a plan.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecommerce_dwh.settings import TERRAFORM_DIR
from ecommerce_dwh.terraform import PlanSummary, Terraform

#: Prefix of every resource the local apply creates, so that it can never collide
#: with the default-named local environment another test (or a DAG) applies to the
#: same moto server.
TEST_PREFIX = "ecommerce-dwh-tftest"
#: The local IAM user the test's worker role trusts (moto matches principals literally).
WORKER_USER_ARN = f"arn:aws:iam::123456789012:user/{TEST_PREFIX}-pipeline"

#: Outputs the DAGs read from ``local`` (and every AWS environment).
LOCAL_OUTPUTS = {
    "raw_bucket",
    "staging_bucket",
    "logs_bucket",
    "glue_raw_database",
    "glue_staging_database",
    "raw_crawler_name",
    "etl_job_name",
    "silver_root",
    "alerts_topic_arn",
    "region",
    "environment",
    "worker_role_arn",
}
#: Extra outputs of dev, staging and prod.
AWS_OUTPUTS = LOCAL_OUTPUTS | {
    "redshift_workgroup_name",
    "redshift_namespace_name",
    "redshift_iam_role_arn",
    "redshift_admin_secret_arn",
    "vpc_id",
    "private_subnet_ids",
    "redshift_security_group_id",
}


def terraform_binary() -> str:
    """The terraform CLI, or fail loudly (these tests are the proof of the infra code)."""
    binary = shutil.which(os.environ.get("TERRAFORM_BIN", "terraform"))
    if binary is None:
        pytest.fail("terraform CLI not found on PATH (set TERRAFORM_BIN)", pytrace=False)
    return binary


@pytest.fixture(scope="session")
def make_terraform(
    tmp_path_factory: pytest.TempPathFactory, aws_env: dict[str, str]
) -> Callable[..., Terraform]:
    """``make_terraform("local")``: a runner with its own data dir, aimed at moto."""
    binary = terraform_binary()

    def make(environment: str, **extra_env: str) -> Terraform:
        home = tmp_path_factory.mktemp(f"tf-{environment}")
        env = {**aws_env, "TF_VAR_aws_endpoint_url": aws_env["AWS_ENDPOINT_URL"], **extra_env}
        # No profile or session token of the caller's may leak into a test run.
        env.update({"AWS_PROFILE": "", "AWS_SESSION_TOKEN": "", "AWS_SECURITY_TOKEN": ""})
        return Terraform(
            workdir=TERRAFORM_DIR / "environments" / environment,
            data_dir=home / ".terraform",
            env=env,
            binary=binary,
            timeout=600,
        )

    return make


#: The state bucket and lock table ``dev.backend.hcl`` names.
STATE_BUCKET = "tf-state-ecommerce-dwh"
LOCK_TABLE = "tf-locks-ecommerce-dwh"

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

#: What ``dev_full_plan`` adds to dev.tfvars: every optional part of the modules on.
#: Made-up ids and ARNs: a plan of new resources never looks them up.
DEV_FULL_TFVARS: dict[str, object] = {
    "redshift_allowed_cidr_blocks": ["10.60.0.0/16"],
    "redshift_allowed_security_group_ids": ["sg-0123456789abcdef0"],
    "worker_trusted_principal_arns": ["arn:aws:iam::123456789012:role/astro-workload-identity"],
    "worker_external_id": "ecommerce-dwh-dev",
    "enable_dashboard": True,
    "dashboard_image": "123456789012.dkr.ecr.us-east-2.amazonaws.com/dwh-dashboard:1.0.0",
    "dashboard_ecr_repository_arn": "arn:aws:ecr:us-east-2:123456789012:repository/dwh-dashboard",
    "dashboard_public_subnet_ids": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"],
    "dashboard_allowed_cidr_blocks": ["203.0.113.0/24"],
    "dashboard_domain_name": "dwh.example.com",
    "dashboard_certificate_arn": "arn:aws:acm:us-east-2:123456789012:certificate/"
    "0f0e0d0c-0b0a-0908-0706-050403020100",
}


@dataclass
class DevPlan:
    """A saved plan of ``environments/aws`` for dev, and its ``terraform show -json``."""

    tf: Terraform
    doc: dict[str, object]
    summary: PlanSummary
    text: str


@pytest.fixture(scope="session")
def dev_terraform(make_terraform: Callable[..., Terraform], aws_env: dict[str, str]) -> Terraform:
    """``environments/aws`` initialised for dev against a moto-hosted S3 backend."""
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
    return tf


def _plan_dev(tf: Terraform, name: str, *var_files: str) -> DevPlan:
    plan_file = tf.data_dir.parent / f"{name}.tfplan"
    args = [f"-var-file={path}" for path in ("dev.tfvars", *var_files)]
    text = tf.run("plan", "-input=false", "-no-color", *args, f"-out={plan_file}")
    doc = json.loads(tf.run("show", "-json", "-no-color", str(plan_file)))
    return DevPlan(tf, doc, PlanSummary.from_show_json(doc), text)


@pytest.fixture(scope="session")
def dev_plan(dev_terraform: Terraform) -> DevPlan:
    """dev planned with ``dev.tfvars`` exactly as committed."""
    return _plan_dev(dev_terraform, "dev")


@pytest.fixture(scope="session")
def dev_full_plan(dev_terraform: Terraform) -> DevPlan:
    """dev planned with every optional part on (``DEV_FULL_TFVARS`` on top of dev.tfvars)."""
    extra = dev_terraform.data_dir.parent / "dev-full.tfvars.json"
    extra.write_text(json.dumps(DEV_FULL_TFVARS, indent=2))
    return _plan_dev(dev_terraform, "dev-full", str(extra))


@dataclass
class AppliedStack:
    """An environment applied to the moto server."""

    tf: Terraform
    home: Path
    outputs: dict[str, object]
    created: tuple[str, ...]


def _apply_local(tf: Terraform) -> AppliedStack:
    home = tf.data_dir.parent
    tf.init(backend_config={"path": str(home / "terraform.tfstate")})
    plan = tf.plan(home / "local.tfplan")
    tf.apply(home / "local.tfplan")
    return AppliedStack(tf, home, tf.output(), plan.create)


#: Names the bootstrap apply uses (not the defaults: the dev plan test owns those).
BOOTSTRAP_BUCKET = "tf-state-ecommerce-dwh-bootstrap-test"
BOOTSTRAP_TABLE = "tf-locks-ecommerce-dwh-bootstrap-test"


def _apply_bootstrap(tf: Terraform) -> AppliedStack:
    home = tf.data_dir.parent
    tf.init(backend_config={"path": str(home / "terraform.tfstate")})
    # moto is served over plain http: the TLS-only policy would deny the backend.
    plan = tf.plan(
        home / "bootstrap.tfplan",
        variables={
            "state_bucket_name": BOOTSTRAP_BUCKET,
            "lock_table_name": BOOTSTRAP_TABLE,
            "deny_insecure_transport": "false",
            "force_destroy": "true",
        },
    )
    tf.apply(home / "bootstrap.tfplan")
    return AppliedStack(tf, home, tf.output(), plan.create)


@dataclass
class SlowApplies:
    """Futures of the two applies that run in the background."""

    local: Future[AppliedStack]
    bootstrap: Future[AppliedStack]


@pytest.fixture(scope="session")
def slow_applies(make_terraform: Callable[..., Terraform]) -> Iterator[SlowApplies]:
    """Start the ``local`` and ``bootstrap`` applies against moto, side by side."""
    local = make_terraform("local", TF_VAR_name_prefix=TEST_PREFIX,
                           TF_VAR_worker_trusted_principal_arns=json.dumps([WORKER_USER_ARN]))
    bootstrap = make_terraform("bootstrap")
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tf-apply")
    try:
        yield SlowApplies(
            pool.submit(_apply_local, local), pool.submit(_apply_bootstrap, bootstrap)
        )
    finally:
        pool.shutdown(wait=True)


@pytest.fixture(scope="session", autouse=True)
def _start_slow_applies_early(request: pytest.FixtureRequest) -> None:
    """Kick off the background applies now if any selected test will wait for them."""
    if any("slow_applies" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("slow_applies")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Within this folder, run the tests that wait for the background applies last."""
    here = Path(__file__).parent
    slots = [i for i, item in enumerate(items) if here in Path(str(item.path)).parents]
    mine = [items[i] for i in slots]
    mine.sort(key=lambda item: "slow_applies" in getattr(item, "fixturenames", ()))
    for slot, item in zip(slots, mine, strict=True):
        items[slot] = item
