"""Terraform steps of ``dwh_infrastructure``: the package's one code path, from Airflow.

Every task runs the steps of :mod:`ecommerce_dwh.deploy.steps` (the same functions
``scripts/deploy.sh`` and the delivery workflow call) in a fresh, temporary working
directory, as if each task started on a machine of its own, which on Astro, Celery or
Kubernetes it may: ``plan`` stores its plan file next to the environment's state and
returns the plan's record (location, SHA-256) through XCom; ``apply`` re-initialises,
downloads exactly that file, checks its SHA-256 and applies it.

Which identity Terraform runs as is an Airflow connection, never the worker's own:

* ``local``: ``aws_default`` (moto's dummy keys and endpoint, as every local task);
* dev, staging, prod: ``aws_terraform`` (``DWH_TERRAFORM_CONN_ID`` to rename it), whose
  ``role_arn`` is the environment's Terraform plan role from the bootstrap stack
  (``tf-plan-<name prefix>-<env>``): it may read the environment and its state and store
  plans, nothing else. Applies to AWS go through the delivery workflow and its gated
  deploy role; docs/delivery.md explains the split.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from ecommerce_dwh.deploy import steps
from ecommerce_dwh.deploy.access import AwsAccess
from ecommerce_dwh.deploy.environments import AWS_ROOT, LOCAL_ROOT, environment
from ecommerce_dwh.deploy.plans import PlanRecord
from ecommerce_dwh.settings import AWS_CONN_ID
from ecommerce_dwh.terraform import TerraformError

log = logging.getLogger(__name__)

#: Terraform outputs the other DAGs need; saving them fails if one is missing.
REQUIRED_OUTPUTS = ("raw_bucket", "staging_bucket", "glue_raw_database", "glue_staging_database",
                    "raw_crawler_name", "etl_job_name", "region")

#: The connection Terraform uses for dev, staging and prod (local uses aws_default).
TERRAFORM_CONN_ID = "aws_terraform"


def terraform_conn_id(environment_name: str) -> str:
    """The Airflow connection whose identity runs Terraform for ``environment_name``."""
    if environment_name == "local":
        return AWS_CONN_ID
    return os.environ.get("DWH_TERRAFORM_CONN_ID", TERRAFORM_CONN_ID)


def access_for(environment_name: str) -> AwsAccess:
    """Credentials (and, locally, the moto endpoint) from the environment's connection."""
    conn_id = terraform_conn_id(environment_name)
    try:
        return AwsAccess.from_connection(conn_id)
    except Exception as exc:
        if "isn't defined" in str(exc) or "not found" in str(exc).lower():
            raise TerraformError(
                f"no Airflow connection {conn_id!r}: Terraform for {environment_name} runs "
                f"as the environment's plan role; create an Amazon Web Services connection "
                f"{conn_id!r} whose extra has role_arn = tf-plan-...-{environment_name} "
                f"(docs/delivery.md)") from exc
        raise


def plan(environment_name: str, run_id: str) -> dict[str, Any]:
    """Plan on a fresh machine and store the plan next to the state; return its record."""
    env, access = environment(environment_name), access_for(environment_name)
    with steps.Workspace.fresh(environment_name) as workspace:
        record = steps.plan(env, access, workspace, run_id)
    log.info("%s: %s, stored at %s (sha256 %s)", environment_name, record.summary,
             record.location, record.sha256)
    return record.to_dict()


def apply(environment_name: str, record: dict[str, Any] | None) -> dict[str, Any]:
    """Apply exactly the plan of ``record`` (the plan task's XCom), on a fresh machine."""
    if not record:
        raise TerraformError(
            f"refusing to apply {environment_name}: this run saved no plan. Trigger the "
            "DAG with action=apply so that the plan task runs first.")
    plan_record = PlanRecord.from_dict(record)
    env, access = environment(environment_name), access_for(environment_name)
    with steps.Workspace.fresh(environment_name) as workspace:
        steps.apply(env, access, workspace, plan_record)
    return {"applied": plan_record.location, "sha256": plan_record.sha256,
            "summary": plan_record.summary}


def outputs(environment_name: str) -> dict[str, Any]:
    """The environment's Terraform outputs; raise if one the DAGs need is missing."""
    env, access = environment(environment_name), access_for(environment_name)
    with steps.Workspace.fresh(environment_name) as workspace:
        values = steps.outputs(env, access, workspace)
    missing = [name for name in REQUIRED_OUTPUTS if name not in values]
    if missing:
        raise TerraformError(f"Terraform outputs of {environment_name} lack {', '.join(missing)}")
    return {"environment": environment_name, **values}


def next_steps(action: str, record: dict[str, Any]) -> list[str]:
    """Task ids to follow the plan: ``apply`` then ``save_outputs`` for action=apply;
    for action=plan, ``save_outputs`` only when the plan changes nothing (the state then
    is what the code describes), else nothing."""
    if action == "apply":
        return ["apply", "save_outputs"]
    return [] if record.get("has_changes", True) else ["save_outputs"]


__all__ = ["AWS_ROOT", "LOCAL_ROOT", "REQUIRED_OUTPUTS", "TERRAFORM_CONN_ID", "access_for",
           "apply", "next_steps", "outputs", "plan", "terraform_conn_id"]
