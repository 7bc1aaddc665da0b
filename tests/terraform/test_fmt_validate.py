"""Static checks of infra/terraform: formatting and ``terraform validate`` per environment."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest

from ecommerce_dwh.settings import TERRAFORM_DIR
from ecommerce_dwh.terraform import Terraform

from .conftest import terraform_binary

pytestmark = pytest.mark.terraform

ENVIRONMENTS = ("local", "dev", "staging", "prod", "bootstrap")
MODULES = ("s3", "iam", "redshift_serverless", "glue", "monitoring")
LAYOUT_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf")


def test_fmt_check() -> None:
    """``terraform fmt -check -recursive infra/terraform`` finds nothing to rewrite."""
    proc = subprocess.run(
        [
            terraform_binary(),
            "fmt",
            "-check",
            "-recursive",
            "-diff",
            "-no-color",
            str(TERRAFORM_DIR),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"terraform fmt would change:\n{proc.stdout}{proc.stderr}"


@pytest.mark.parametrize(
    "folder", [f"modules/{m}" for m in MODULES] + [f"environments/{e}" for e in ENVIRONMENTS]
)
def test_layout(folder: str) -> None:
    """Every module and environment has main/variables/outputs/versions.tf."""
    missing = [f for f in LAYOUT_FILES if not (TERRAFORM_DIR / folder / f).is_file()]
    assert not missing, f"{folder} lacks {missing}"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_validate(environment: str, make_terraform: Callable[..., Terraform]) -> None:
    """``terraform init -backend=false`` + ``terraform validate`` succeed."""
    tf = make_terraform(environment)
    tf.run("init", "-backend=false", "-input=false", "-no-color")
    out = tf.run("validate", "-no-color")
    assert "The configuration is valid" in out
