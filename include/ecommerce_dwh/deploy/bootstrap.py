"""The one-time, per-account stack: state bucket, lock table, GitHub OIDC and the deploy roles.

``infra/terraform/environments/bootstrap`` is applied by a person with administrator
credentials, once per AWS account (and again when its variables change). Its inputs
come from the same files as every environment's:

* the state bucket, lock table and region: from ``<env>.backend.hcl`` (one source);
* the environments whose roles it creates: those whose backend names the same bucket
  (the environments of this account);
* everything else (the GitHub repository, who may plan from Airflow):
  ``environments/bootstrap/bootstrap.tfvars``.

Its own state cannot live in the bucket it creates, so it is a local file,
``<state dir>/terraform/bootstrap/<bucket>/terraform.tfstate``; after each apply a copy
goes to ``s3://<bucket>/<prefix>/bootstrap/terraform.tfstate`` (which no deploy role
can read), and a machine without the file restores it from there first.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from ecommerce_dwh.deploy.access import AwsAccess
from ecommerce_dwh.deploy.environments import (
    BOOTSTRAP_ROOT,
    environment,
    environments_sharing_state,
)
from ecommerce_dwh.deploy.steps import Workspace
from ecommerce_dwh.settings import get_settings
from ecommerce_dwh.terraform import Terraform, TerraformError

log = logging.getLogger(__name__)

#: Committed values of the bootstrap stack (the GitHub repository, Airflow principals).
BOOTSTRAP_VAR_FILE = BOOTSTRAP_ROOT / "bootstrap.tfvars"


def bootstrap_variables(env_name: str, access: AwsAccess,
                        github_repository: str | None = None) -> dict[str, str]:
    """``-var`` values of the bootstrap stack of ``env_name``'s account."""
    backend = environment(env_name).backend
    if backend is None:
        raise TerraformError("local has no bootstrap stack: its state is a local file")
    if not backend.dynamodb_table:
        raise TerraformError(f"{env_name}.backend.hcl names no dynamodb_table")
    sharing = environments_sharing_state(env_name)
    prefix = backend.key.split("/", 1)[0]
    for name in sharing:
        other = environment(name).backend
        assert other is not None
        if other.key != f"{prefix}/{name}/terraform.tfstate" or \
                other.dynamodb_table != backend.dynamodb_table:
            raise TerraformError(
                f"{name}.backend.hcl: expected key {prefix}/{name}/terraform.tfstate and "
                f"dynamodb_table {backend.dynamodb_table} like the other environments of "
                f"bucket {backend.bucket} (the deploy roles are scoped to that layout)")
    values = {
        "region": backend.region,
        "state_bucket_name": backend.bucket,
        "lock_table_name": backend.dynamodb_table,
        "state_key_prefix": prefix,
        "environments": json.dumps(list(sharing)),
    }
    if github_repository:
        values["github_repository"] = github_repository
    if access.endpoint_url:
        values["aws_endpoint_url"] = access.endpoint_url
        # An emulator speaks plain http: a TLS-only state bucket would lock us out.
        values["deny_insecure_transport"] = "false"
    return values


def _backup_key(prefix: str) -> str:
    return f"{prefix}/bootstrap/terraform.tfstate"


def bootstrap(env_name: str, access: AwsAccess, *, state_dir: Path | None = None,
              plan_only: bool = False, github_repository: str | None = None,
              var_files: tuple[Path, ...] = (BOOTSTRAP_VAR_FILE,)) -> dict[str, Any]:
    """Plan the bootstrap stack of ``env_name``'s account and apply it if it changes.

    Returns ``{"summary": ..., "outputs": {...}}`` (no outputs with ``plan_only``).
    """
    state_dir = state_dir or get_settings().state_dir
    values = bootstrap_variables(env_name, access, github_repository)
    bucket = values["state_bucket_name"]
    workspace = Workspace(state_dir / "terraform" / "bootstrap" / bucket)
    state = workspace.root / "terraform.tfstate"
    _restore_state(state, state_dir, access, values)
    tf = Terraform(workdir=BOOTSTRAP_ROOT, data_dir=workspace.data_dir,
                   env=access.terraform_env())
    tf.init(backend_config={"path": str(state)})
    plan_file = workspace.root / "bootstrap.tfplan"
    summary = tf.plan(plan_file, var_files=var_files, variables=values)
    log.info("bootstrap of %s (%s): %s", bucket, ", ".join(json.loads(values["environments"])),
             summary)
    result: dict[str, Any] = {"summary": str(summary), "has_changes": summary.has_changes,
                              "plan": tf.show_plan_text(plan_file) if plan_only else None}
    if plan_only:
        return result
    if summary.has_changes:
        tf.apply(plan_file)
    plan_file.unlink(missing_ok=True)
    _backup_state(state, access, values)
    result["outputs"] = tf.output()
    return result


def _restore_state(state: Path, state_dir: Path, access: AwsAccess,
                   values: dict[str, str]) -> None:
    """Bring the bootstrap state to this machine if it is not here yet."""
    if state.is_file():
        return
    state.parent.mkdir(parents=True, exist_ok=True)
    # The former scripts/deploy.sh kept one bootstrap state here, whatever the bucket.
    legacy = state_dir / "terraform" / "bootstrap.tfstate"
    if legacy.is_file() and _state_bucket_of(legacy) == values["state_bucket_name"]:
        log.info("using the bootstrap state of the former deploy.sh: %s", legacy)
        shutil.copyfile(legacy, state)
        return
    s3 = access.client("s3", values["region"])
    try:
        answer = s3.get_object(Bucket=values["state_bucket_name"],
                               Key=_backup_key(values["state_key_prefix"]))
    except Exception as exc:  # no bucket yet (first bootstrap), no backup, no access
        log.info("no bootstrap state to restore (%s): first bootstrap of this account",
                 type(exc).__name__)
        return
    state.write_bytes(answer["Body"].read())
    log.info("restored the bootstrap state from s3://%s/%s", values["state_bucket_name"],
             _backup_key(values["state_key_prefix"]))


def _state_bucket_of(state: Path) -> str | None:
    """The ``state_bucket`` output recorded in a bootstrap state file."""
    try:
        return json.loads(state.read_text())["outputs"]["state_bucket"]["value"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _backup_state(state: Path, access: AwsAccess, values: dict[str, str]) -> None:
    """Copy the bootstrap state into the bucket it created (encrypted by its default)."""
    if not state.is_file():
        return
    s3 = access.client("s3", values["region"])
    s3.put_object(Bucket=values["state_bucket_name"], Key=_backup_key(values["state_key_prefix"]),
                  Body=state.read_bytes(), ContentType="application/json")

