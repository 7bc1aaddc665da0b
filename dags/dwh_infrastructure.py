"""
### dwh_infrastructure: plan and apply the Terraform of one environment

Runs the real `terraform` CLI on the environment's root module
(`infra/terraform/environments/aws` with `<environment>.tfvars` and
`<environment>.backend.hcl` for dev, staging and prod; `environments/local` for local):
**init → plan** (saved plan file, summary in the task log) **→ apply of that plan
file → outputs saved** in the Airflow Variable `dwh_infra_outputs`, where
`dwh_ingest` and `dwh_transform` read bucket, crawler and warehouse names.

* `action=plan` stops after the plan: review it in the `plan` task's log.
* `action=apply` applies exactly the plan made earlier in the same run; an apply
  without a plan of its run is refused.

Credentials and (locally) the moto endpoint come from the `aws_default`
connection. Trigger it manually; it has no schedule.
"""

from __future__ import annotations

from airflow.sdk import Param, Variable, chain, dag, task

from ecommerce_dwh import infrastructure
from ecommerce_dwh.dag_defaults import DEFAULT_ARGS, START_DATE
from ecommerce_dwh.settings import ENVIRONMENTS, INFRA_OUTPUTS_VARIABLE, get_settings


@dag(
    dag_id="dwh_infrastructure",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["ecommerce-dwh", "terraform", "infrastructure"],
    default_args=DEFAULT_ARGS,
    params={
        "environment": Param(
            get_settings().environment,
            type="string",
            enum=list(ENVIRONMENTS),
            title="Environment",
            description="local (moto), or dev/staging/prod (infra/terraform/environments/aws).",
        ),
        "action": Param(
            "apply",
            type="string",
            enum=["plan", "apply"],
            title="Action",
            description="plan: stop after the saved plan. apply: plan, then apply that plan.",
        ),
    },
)
def dwh_infrastructure() -> None:
    @task
    def init(params: dict) -> None:
        infrastructure.init(params["environment"])

    @task
    def plan(params: dict, run_id: str) -> dict:
        return infrastructure.plan(params["environment"], run_id)

    @task.short_circuit(ignore_downstream_trigger_rules=False)
    def apply_requested(params: dict) -> bool:
        return params["action"] == "apply"

    # A saved plan applies once: a blind retry after a partial apply would fail on a
    # stale plan, so a failed apply is rerun from `plan` by a person instead.
    @task(retries=0)
    def apply(params: dict, run_id: str) -> dict:
        return infrastructure.apply(params["environment"], run_id)

    @task
    def save_outputs(outputs: dict) -> None:
        Variable.set(INFRA_OUTPUTS_VARIABLE, outputs, serialize_json=True)

    applied = apply()
    chain(init(), plan(), apply_requested(), applied, save_outputs(applied))


dwh_infrastructure()
