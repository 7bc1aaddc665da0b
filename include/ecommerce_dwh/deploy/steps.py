"""The Terraform steps of an environment: the one code path of the DAG, deploy.sh and CI.

Each step starts from nothing but the repository, credentials and the environment's
remote state, as if it ran on a fresh machine: it initialises its own working
directory (:class:`Workspace`, ``TF_DATA_DIR`` inside it), and the plan file travels
to the apply step through the plan store (:mod:`ecommerce_dwh.deploy.plans`).

    init      terraform init with <env>.backend.hcl (plus the emulator's endpoints)
    plan      init, plan with <env>.tfvars + <env>.account.tfvars to a file, store it
              next to the state, return its PlanRecord (location, SHA-256, summary)
    apply     init, fetch exactly the recorded plan, check its SHA-256 and the Glue
              zip's, apply that file, delete it
    outputs   init, terraform output
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecommerce_dwh.deploy.access import AwsAccess
from ecommerce_dwh.deploy.environments import Environment, safe_name
from ecommerce_dwh.deploy.plans import (
    FilePlanStore,
    PlanRecord,
    PlanRefused,
    PlanStore,
    S3PlanStore,
    fetch_verified,
    sha256_file,
)
from ecommerce_dwh.settings import PROJECT_ROOT, get_settings
from ecommerce_dwh.terraform import PlanSummary, Terraform, TerraformError

log = logging.getLogger(__name__)

#: Backend settings that point the S3 backend (and its lock table) at an emulator.
EMULATOR_BACKEND = """\
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


@dataclass(frozen=True)
class Workspace:
    """A machine's scratch space for one environment: ``TF_DATA_DIR``, plan files, CLI config."""

    root: Path

    @property
    def data_dir(self) -> Path:
        """``TF_DATA_DIR``."""
        return self.root / ".terraform"

    def plan_file(self, run_id: str) -> Path:
        """Where this machine keeps the plan of ``run_id``."""
        return self.root / "plans" / f"{safe_name(run_id)}.tfplan"

    @classmethod
    def persistent(cls, environment: str, state_dir: Path | None = None) -> Workspace:
        """``<state dir>/terraform/<env>``: a laptop's or a CI job's working directory."""
        state_dir = state_dir or get_settings().state_dir
        return cls(state_dir / "terraform" / environment)

    @classmethod
    @contextmanager
    def fresh(cls, environment: str) -> Iterator[Workspace]:
        """A new, empty working directory, removed afterwards: what a DAG task gets."""
        root = Path(tempfile.mkdtemp(prefix=f"dwh-terraform-{environment}-"))
        try:
            yield cls(root)
        finally:
            shutil.rmtree(root, ignore_errors=True)


def local_state_file(state_dir: Path | None = None) -> Path:
    """The ``local`` environment's state file."""
    return (state_dir or get_settings().state_dir) / "terraform" / "local.tfstate"


def variables(env: Environment, access: AwsAccess) -> dict[str, str]:
    """``-var`` values besides the var files: only the emulator switch, when there is one."""
    return {"aws_endpoint_url": access.endpoint_url} if access.endpoint_url else {}


def backend_settings(env: Environment, access: AwsAccess) -> dict[str, str]:
    """The backend this environment initialises with (for logs, summaries and tests)."""
    backend = env.backend
    if backend is None:
        return {"type": "local", "path": str(local_state_file())}
    return {"type": "s3", **backend.as_config(),
            **({"endpoint": access.endpoint_url} if access.endpoint_url else {})}


def describe(env: Environment, access: AwsAccess) -> dict[str, Any]:
    """Everything a plan of ``env`` depends on besides the code: root, var files,
    variables, backend. Two callers that describe the same thing plan the same thing."""
    def shown(path: Path) -> str:
        return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) \
            else str(path)

    return {
        "environment": env.name,
        "root": shown(env.root),
        "var_files": [shown(p) for p in env.var_files],
        "variables": variables(env, access),
        "backend": backend_settings(env, access),
    }


#: Seconds one Terraform command may take: a first apply creates a Redshift Serverless
#: namespace and workgroup (10-20 minutes); the workflow's apply job allows 60.
TERRAFORM_TIMEOUT_SECONDS = 3300


def terraform(env: Environment, access: AwsAccess, workspace: Workspace) -> Terraform:
    """A :class:`Terraform` on the environment's root with this workspace's data dir."""
    return Terraform(workdir=env.root, data_dir=workspace.data_dir,
                     env=access.terraform_env(), timeout=TERRAFORM_TIMEOUT_SECONDS)


def init(env: Environment, access: AwsAccess, workspace: Workspace,
         state_dir: Path | None = None) -> Terraform:
    """``terraform init`` in a (possibly empty) workspace; return the ready runner."""
    tf = terraform(env, access, workspace)
    if env.backend_file is None:
        state = local_state_file(state_dir)
        state.parent.mkdir(parents=True, exist_ok=True)
        tf.init(backend_config={"path": str(state)})
        return tf
    files = [env.backend_file]
    if access.endpoint_url:
        emulator = workspace.root / "emulator-backend.hcl"
        emulator.parent.mkdir(parents=True, exist_ok=True)
        emulator.write_text(EMULATOR_BACKEND.format(url=access.endpoint_url))
        files.append(emulator)
    tf.init(backend_config_files=files)
    return tf


def plan_store(env: Environment, access: AwsAccess, state_dir: Path | None = None) -> PlanStore:
    """The environment's plan store: next to its state."""
    backend = env.backend
    if backend is None:
        directory = (state_dir or get_settings().state_dir) / "terraform" / "plans" / env.name
        return FilePlanStore(directory)
    return S3PlanStore(access.client("s3", backend.region), backend.bucket,
                       backend.plans_prefix)


def etl_package(expected_sha256: str | None = None, build_if_missing: bool = True) -> str:
    """Make sure the Glue job's zip the roots upload is in place; return its SHA-256.

    With ``expected_sha256`` (a promoted build artifact, or the zip a plan was made
    with), the zip must be exactly that; a missing zip is rebuilt from the checkout
    (it is deterministic) and then compared. Without it, the zip is built.
    """
    from ecommerce_dwh.silver.package import DEFAULT_BUILD_DIR, ZIP_NAME, build_zip

    path = DEFAULT_BUILD_DIR / ZIP_NAME
    if expected_sha256 is None or (build_if_missing and not path.is_file()):
        build_zip()
    if not path.is_file():
        raise TerraformError(f"the Glue job's zip {path} is missing")
    actual = sha256_file(path)
    if expected_sha256 is not None and actual != expected_sha256:
        raise PlanRefused(f"the Glue job's zip {path} has SHA-256 {actual}, expected "
                          f"{expected_sha256}: it is not the artifact that was planned")
    return actual


def plan(env: Environment, access: AwsAccess, workspace: Workspace, run_id: str, *,
         state_dir: Path | None = None, store: bool = True, destroy: bool = False,
         etl_package_sha256: str | None = None) -> PlanRecord:
    """Init, plan to a file, store the file next to the state; return its record."""
    log.info("planning %s: %s", env.name, describe(env, access))
    package_sha = etl_package(etl_package_sha256, build_if_missing=False)
    tf = init(env, access, workspace, state_dir)
    plan_file = workspace.plan_file(run_id)
    summary = tf.plan(plan_file, var_files=env.var_files, variables=variables(env, access),
                      destroy=destroy)
    _log_summary(summary)
    sha = sha256_file(plan_file)
    if store:
        location, version = plan_store(env, access, state_dir).put(plan_file, safe_name(run_id))
    else:
        location, version = plan_file.resolve().as_uri(), None
    return PlanRecord(environment=env.name, run_id=run_id, location=location, sha256=sha,
                      version_id=version, etl_package_sha256=package_sha,
                      summary=str(summary), has_changes=summary.has_changes)


def apply(env: Environment, access: AwsAccess, workspace: Workspace, record: PlanRecord, *,
          state_dir: Path | None = None) -> None:
    """Apply exactly the recorded plan: refused if it is missing, altered or not ``env``'s."""
    if record.environment != env.name:
        raise PlanRefused(f"refusing to apply a plan of {record.environment!r} to {env.name!r}")
    store = plan_store(env, access, state_dir)
    tf = init(env, access, workspace, state_dir)
    plan_file = fetch_verified(store, record, workspace.plan_file(record.run_id))
    etl_package(record.etl_package_sha256, build_if_missing=True)
    tf.apply(plan_file)
    # A saved plan applies once: Terraform refuses it as stale from now on anyway.
    store.delete(record)
    plan_file.unlink(missing_ok=True)


def outputs(env: Environment, access: AwsAccess, workspace: Workspace,
            state_dir: Path | None = None) -> dict[str, Any]:
    """The environment's Terraform outputs as ``{name: value}``."""
    return init(env, access, workspace, state_dir).output()


def show(env: Environment, access: AwsAccess, workspace: Workspace, record: PlanRecord,
         state_dir: Path | None = None) -> tuple[str, dict[str, Any]]:
    """The recorded plan as text and JSON (for a reviewer), after checking its SHA-256."""
    tf = init(env, access, workspace, state_dir)
    plan_file = workspace.plan_file(record.run_id)
    if record.location.startswith("file://") and Path(record.location[7:]) == plan_file.resolve():
        if sha256_file(plan_file) != record.sha256:
            raise PlanRefused(f"{plan_file} changed after it was planned")
    else:
        fetch_verified(plan_store(env, access, state_dir), record, plan_file)
    return tf.show_plan_text(plan_file), tf.show_plan_json(plan_file)


def _log_summary(summary: PlanSummary) -> None:
    log.info("%s\n  create: %s\n  update: %s\n  replace: %s\n  delete: %s", summary,
             summary.create, summary.update, summary.replace, summary.delete)
