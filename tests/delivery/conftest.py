"""Fixtures of the delivery tests: moto servers of their own, "machines", the dev chain.

A :class:`Machine` is what a GitHub runner (or a laptop) is to the deploy steps: its own
state directory (so its own ``TF_DATA_DIR``, plan files and records), AWS credentials
and an endpoint, and ``$GITHUB_OUTPUT``/``$GITHUB_STEP_SUMMARY`` files. Its
:meth:`Machine.run` runs a project script exactly as a workflow step does.

The Terraform-heavy tests get a moto server each (never the session's shared one):
they write state, IAM roles and an OIDC provider that other tests must not see.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ecommerce_dwh.deploy.environments import AWS_ROOT
from ecommerce_dwh.local.moto_server import MOTO_ACCESS_KEY, MOTO_SECRET_KEY, start_moto, stop_moto
from ecommerce_dwh.settings import PROJECT_ROOT
from ecommerce_dwh.terraform import Terraform

from .moto_gaps import MotoGapProxy

REGION = "us-east-2"
#: The repository the test bootstrap trusts (what bootstrap.tfvars would name).
GITHUB_REPOSITORY = "acme-data/ecommerce-dwh"


@dataclass
class Machine:
    """One runner: a state directory, an identity, an endpoint, GitHub's output files."""

    root: Path
    endpoint_url: str
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "TF_VAR_", "GITHUB_", "DWH_"))}
        env.update({
            "AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY,
            "AWS_DEFAULT_REGION": REGION, "AWS_ENDPOINT_URL": self.endpoint_url,
            "DWH_STATE_DIR": str(self.root / "state"),
            "GITHUB_OUTPUT": str(self.root / "github_output"),
            "GITHUB_STEP_SUMMARY": str(self.root / "step_summary.md"),
            "CHECKPOINT_DISABLE": "1",
        })
        env.update(self.extra_env)
        return env

    def run(self, *argv: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        """Run a project script (relative to the repository) as a workflow step would."""
        self.root.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        proc = subprocess.run([str(PROJECT_ROOT / argv[0]), *argv[1:]], cwd=PROJECT_ROOT,
                              env=self.env(), capture_output=True, text=True,
                              timeout=timeout, check=False)
        print(f"\n$ {' '.join(argv)}  -> exit {proc.returncode} in "
              f"{time.monotonic() - started:.0f}s")
        if proc.returncode != 0:  # shown with the test that fails on it
            print(proc.stdout[-3000:], proc.stderr[-5000:], sep="\n")
        return proc

    def outputs(self) -> dict[str, str]:
        """The step outputs written so far (``name=value`` lines)."""
        path = self.root / "github_output"
        if not path.is_file():
            return {}
        return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)

    def summary(self) -> str:
        path = self.root / "step_summary.md"
        return path.read_text() if path.is_file() else ""

    def terraform(self, environment: str = "dev") -> Terraform:
        """A runner on this machine's working directory of ``environment``."""
        return Terraform(workdir=AWS_ROOT,
                         data_dir=self.root / "state" / "terraform" / environment / ".terraform",
                         env={"AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY,
                              "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY, "AWS_PROFILE": ""},
                         timeout=300)


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """Assert a step succeeded, showing its output when it did not."""
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout[-5000:]}\n" \
                                 f"{proc.stderr[-8000:]}"
    return proc


@pytest.fixture(scope="module")
def own_moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoGapProxy]:
    """A moto server of this test module, behind the proxy that answers its gaps at once."""
    state_dir = tmp_path_factory.mktemp("delivery-moto")
    server = start_moto(state_dir)
    proxy = MotoGapProxy(server.port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
        stop_moto(state_dir)


def boto3_for(endpoint_url: str, service: str) -> Any:
    import boto3

    return boto3.client(service, endpoint_url=endpoint_url, region_name=REGION,
                        aws_access_key_id=MOTO_ACCESS_KEY, aws_secret_access_key=MOTO_SECRET_KEY)


def show_json(tf: Terraform, plan_file: Path) -> dict[str, Any]:
    return json.loads(tf.run("show", "-json", "-no-color", str(plan_file), log_output=False))


@pytest.fixture(scope="session")
def chain_moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoGapProxy]:
    """The moto server of the dev chain (shared by the chain and the role tests)."""
    state_dir = tmp_path_factory.mktemp("chain-moto")
    server = start_moto(state_dir)
    proxy = MotoGapProxy(server.port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
        stop_moto(state_dir)


@dataclass
class DevChain:
    """The deploy steps of dev, run as the workflow runs them, and what they left."""

    admin: Machine
    plan_runner: Machine
    apply_runner: Machine
    bootstrap: subprocess.CompletedProcess[str]
    plan: subprocess.CompletedProcess[str]
    apply: subprocess.CompletedProcess[str]
    outputs: subprocess.CompletedProcess[str]
    record: dict[str, Any]
    plan_json: dict[str, Any]
    graph: str
    state: list[str]
    artifacts: Path


@pytest.fixture(scope="session")
def dev_chain(chain_moto: MotoGapProxy, tmp_path_factory: pytest.TempPathFactory) -> DevChain:
    """bootstrap (an administrator) -> build -> plan on runner A -> apply on runner B -> outputs.

    Exactly the commands of ci.yml and deploy-environment.yml (plus the one-time
    bootstrap of docs/delivery.md), each on the machine the workflow would use.
    """
    base = tmp_path_factory.mktemp("dev-chain")
    admin = Machine(base / "admin", chain_moto.endpoint_url)
    github_run = {"GITHUB_RUN_ID": "4242", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_JOB": "plan"}
    plan_runner = Machine(base / "runner-plan", chain_moto.endpoint_url, github_run)
    apply_runner = Machine(base / "runner-apply", chain_moto.endpoint_url)
    artifacts = base / "dist"

    bootstrap = ok(admin.run("scripts/delivery/deploy_cli.sh", "bootstrap", "--env", "dev",
                             "--github-repository", GITHUB_REPOSITORY))
    ok(plan_runner.run("scripts/delivery/artifacts.sh", "build", str(artifacts)))
    ok(plan_runner.run("scripts/delivery/artifacts.sh", "install", str(artifacts)))
    plan = ok(plan_runner.run("scripts/delivery/deploy_cli.sh", "plan", "--env", "dev",
                              "--artifacts", str(artifacts), "--summary"))
    record = json.loads(plan_runner.outputs()["plan_record"])
    plan_file = (plan_runner.root / "state" / "terraform" / "dev" / "plans"
                 / f"{record['run_id']}.tfplan")
    plan_json = show_json(plan_runner.terraform(), plan_file)
    graph = plan_runner.terraform().run("graph", "-type=apply", f"-plan={plan_file}",
                                        log_output=False)

    ok(apply_runner.run("scripts/delivery/artifacts.sh", "install", str(artifacts)))
    apply = apply_runner.run("scripts/delivery/deploy_cli.sh", "apply", "--env", "dev",
                             "--plan-record-json", plan_runner.outputs()["plan_record"],
                             "--summary", timeout=1500)
    outputs = apply_runner.run("scripts/delivery/deploy_cli.sh", "outputs", "--env", "dev",
                               "--summary")
    state = apply_runner.terraform().run("state", "list", "-no-color").split()
    return DevChain(admin, plan_runner, apply_runner, bootstrap, plan, apply, outputs, record,
                    plan_json, graph, state, artifacts)
