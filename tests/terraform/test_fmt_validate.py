"""Static checks of infra/terraform: formatting and ``terraform validate`` per environment."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ecommerce_dwh.settings import TERRAFORM_DIR
from ecommerce_dwh.terraform import Terraform

from .conftest import terraform_binary

pytestmark = pytest.mark.terraform

#: Root modules: local (moto), aws (dev, staging and prod through their tfvars), bootstrap.
ENVIRONMENTS = ("local", "aws", "bootstrap")
MODULES = ("s3", "iam", "network", "redshift_serverless", "glue", "monitoring")
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


def _variables_without_default(root: Path) -> set[str]:
    text = (root / "variables.tf").read_text()
    blocks = re.findall(r'^variable "(\w+)" \{(.*?)^\}', text, re.M | re.S)
    return {name for name, body in blocks if not re.search(r"^\s*default\s*=", body, re.M)}


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_aws_environment_files(environment: str) -> None:
    """Each AWS environment's tfvars sets exactly the variables that have no default (its
    name and sizes), and its backend file keeps its state under its own key."""
    root = TERRAFORM_DIR / "environments" / "aws"
    declared = set(re.findall(r'^variable "(\w+)"', (root / "variables.tf").read_text(), re.M))
    tfvars = (root / f"{environment}.tfvars").read_text()
    assigned = re.findall(r"^(\w+)\s*=", tfvars, re.M)
    assert len(assigned) == len(set(assigned)), f"{environment}.tfvars assigns a name twice"
    assert set(assigned) <= declared, set(assigned) - declared
    assert set(assigned) == _variables_without_default(root)
    assert re.search(rf'^environment\s*=\s*"{environment}"', tfvars, re.M)
    backend = (root / f"{environment}.backend.hcl").read_text()
    assert re.search(rf'^key\s*=\s*"ecommerce-dwh/{environment}/terraform.tfstate"', backend,
                     re.M), backend
