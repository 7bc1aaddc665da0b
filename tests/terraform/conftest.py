"""Fixtures for the Terraform tests: long-lived runners and the two slow applies.

Applying ``local`` and ``bootstrap`` against moto takes about a minute each, almost
all of it the AWS provider polling S3 lifecycle rules before it accepts them. Both
applies start together, in background threads, with the first test of this folder
(when the session selected a test that needs them), and the tests that do not need
them (checkov, fmt, validate, the dev plan) are ordered first, to run meanwhile.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecommerce_dwh.settings import TERRAFORM_DIR
from ecommerce_dwh.terraform import Terraform

#: Prefix of every resource the local apply creates, so that it can never collide
#: with the default-named local environment another test (or a DAG) applies to the
#: same moto server.
TEST_PREFIX = "ecommerce-dwh-tftest"

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
}
#: Extra outputs of dev, staging and prod.
AWS_OUTPUTS = LOCAL_OUTPUTS | {
    "redshift_workgroup_name",
    "redshift_namespace_name",
    "redshift_iam_role_arn",
    "redshift_admin_secret_arn",
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
    local = make_terraform("local", TF_VAR_name_prefix=TEST_PREFIX)
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
