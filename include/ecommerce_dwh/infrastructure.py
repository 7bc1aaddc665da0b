"""Terraform steps of ``dwh_infrastructure``: one function per step, the same in every world.

The ``aws_default`` connection decides where Terraform talks to: its credentials
and, locally, its ``endpoint_url`` (the moto server) become the process
environment and the ``aws_endpoint_url`` variable of the environment's root module.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ecommerce_dwh.settings import AWS_CONN_ID, TERRAFORM_DIR, get_settings
from ecommerce_dwh.terraform import PlanSummary, Terraform, TerraformError

log = logging.getLogger(__name__)

#: Terraform outputs the other DAGs need; apply fails if one is missing.
REQUIRED_OUTPUTS = ("raw_bucket", "staging_bucket", "glue_raw_database", "glue_staging_database",
                    "raw_crawler_name", "etl_job_name", "region")


def _aws_environment(aws_conn_id: str) -> tuple[dict[str, str], str | None]:
    """Process env with the connection's credentials, and its endpoint URL (None on AWS)."""
    from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook

    hook = AwsBaseHook(aws_conn_id=aws_conn_id, client_type="sts")
    env: dict[str, str] = {}
    region = hook.conn_config.region_name or get_settings().region
    env["AWS_DEFAULT_REGION"] = region
    env["TF_VAR_region"] = region
    credentials = hook.get_credentials()
    if credentials and credentials.access_key:
        env["AWS_ACCESS_KEY_ID"] = credentials.access_key
        env["AWS_SECRET_ACCESS_KEY"] = credentials.secret_key
        if credentials.token:
            env["AWS_SESSION_TOKEN"] = credentials.token
    endpoint = hook.conn_config.endpoint_url
    if endpoint:
        env["TF_VAR_aws_endpoint_url"] = endpoint
    return env, endpoint


#: dev, staging and prod are one root module, each with its own values
#: (``<environment>.tfvars``) and state (``<environment>.backend.hcl``); ``local`` (moto,
#: no Redshift) has a root of its own.
AWS_ROOT = TERRAFORM_DIR / "environments" / "aws"
LOCAL_ROOT = TERRAFORM_DIR / "environments" / "local"


def environment_files(environment: str) -> tuple[Path, Path | None, Path | None]:
    """Root module, var file and backend config file of ``environment``."""
    if environment == "local":
        return LOCAL_ROOT, None, None
    var_file = AWS_ROOT / f"{environment}.tfvars"
    backend_file = AWS_ROOT / f"{environment}.backend.hcl"
    for path in (var_file, backend_file):
        if not path.is_file():
            raise TerraformError(f"no Terraform environment {environment!r}: {path} is missing")
    return AWS_ROOT, var_file, backend_file


def terraform_for(environment: str, aws_conn_id: str = AWS_CONN_ID) -> Terraform:
    """A :class:`Terraform` for the environment's root, with working data of its own."""
    workdir, _, _ = environment_files(environment)
    env, _ = _aws_environment(aws_conn_id)
    data_dir = get_settings().state_dir / "terraform" / environment / ".terraform"
    return Terraform(workdir=workdir, data_dir=data_dir, env=env)


def init(environment: str, aws_conn_id: str = AWS_CONN_ID) -> None:
    """``terraform init``: local state file for ``local``, the S3 backend elsewhere."""
    tf = terraform_for(environment, aws_conn_id)
    _, _, backend_file = environment_files(environment)
    if backend_file is None:
        state = get_settings().state_dir / "terraform" / "local.tfstate"
        tf.init(backend_config={"path": str(state)})
    else:
        tf.init(backend_config_file=backend_file)


def plan(environment: str, run_id: str, aws_conn_id: str = AWS_CONN_ID) -> dict[str, Any]:
    """Save a plan for this run; return its path and summary (for XCom and the log)."""
    from ecommerce_dwh.silver.package import build_zip

    tf = terraform_for(environment, aws_conn_id)
    plan_file = plan_path(environment, run_id)
    _, var_file, _ = environment_files(environment)
    # The ETL job's zip, built from this checkout: the plan uploads exactly its bytes.
    package = build_zip()
    summary = tf.plan(plan_file, var_file=var_file, variables={"etl_package_path": str(package)})
    log.info("%s\n  create: %s\n  update: %s\n  replace: %s\n  delete: %s", summary,
             summary.create, summary.update, summary.replace, summary.delete)
    return {"plan_file": str(plan_file), "summary": str(summary),
            "has_changes": summary.has_changes}


def apply(environment: str, run_id: str, aws_conn_id: str = AWS_CONN_ID) -> dict[str, Any]:
    """Apply the plan saved by :func:`plan` in the same run; return the outputs."""
    plan_file = plan_path(environment, run_id)
    if not plan_file.is_file():
        raise TerraformError(
            f"refusing to apply {environment}: no plan saved by this run ({run_id}) at "
            f"{plan_file}. Trigger the DAG with action=apply so that plan runs first."
        )
    tf = terraform_for(environment, aws_conn_id)
    tf.apply(plan_file)
    plan_file.unlink()  # a saved plan applies once; never leave one to re-apply
    return outputs(environment, aws_conn_id)


def outputs(environment: str, aws_conn_id: str = AWS_CONN_ID) -> dict[str, Any]:
    """The environment's Terraform outputs; raise if one the DAGs need is missing."""
    values = terraform_for(environment, aws_conn_id).output()
    missing = [name for name in REQUIRED_OUTPUTS if name not in values]
    if missing:
        raise TerraformError(f"Terraform outputs of {environment} lack {', '.join(missing)}")
    return {"environment": environment, **values}


def plan_path(environment: str, run_id: str) -> Path:
    """Where this run's plan file lives (one per environment and run)."""
    safe_run = "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)
    return get_settings().state_dir / "terraform" / environment / "plans" / f"{safe_run}.tfplan"


__all__ = ["PlanSummary", "apply", "environment_files", "init", "outputs", "plan", "plan_path",
           "terraform_for"]
