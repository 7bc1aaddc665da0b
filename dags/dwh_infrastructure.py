"""
### dwh_infrastructure: plan and apply the Terraform of one environment

Runs the real `terraform` CLI on the environment's root module
(`infra/terraform/environments/aws` with `<environment>.tfvars`,
`<environment>.account.tfvars` and `<environment>.backend.hcl` for dev, staging and
prod; `environments/local` for local), through the same package functions as
`scripts/deploy.sh` and the delivery workflow (`ecommerce_dwh.deploy`):
**plan** (the plan file is stored next to the state, its SHA-256 in XCom; summary in
the task log) **→ apply of exactly that file → outputs saved** in the Airflow Variable
`dwh_infra_outputs`, where `dwh_ingest` and `dwh_transform` read bucket, crawler and
warehouse names.

* `action=plan` stops after the stored plan; when the plan changes nothing, the
  current outputs are saved (after the delivery workflow applied the environment).
* `action=apply` applies exactly the plan of the same run: the apply task
  downloads it and refuses it if it is missing or its SHA-256 differs.

Every task starts from an empty working directory, so any task may run on any
worker. Terraform runs as the connection `aws_default` locally (moto) and
`aws_terraform` on AWS (the environment's plan role: it plans and reads outputs;
applies to AWS go through the delivery workflow, see docs/delivery.md). Trigger
it manually; it has no schedule.
"""

from __future__ import annotations

from airflow.sdk import Param, TriggerRule, Variable, dag, task

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
            description="plan: stop after the stored plan (outputs are saved when it changes "
                        "nothing). apply: plan, then apply exactly that plan.",
        ),
    },
)
def dwh_infrastructure() -> None:
    # Terraform has no Airflow operator that plans to a file and applies that file on
    # another worker: these tasks call the project's own Terraform steps.
    @task
    def plan(params: dict, run_id: str) -> dict:
        return infrastructure.plan(params["environment"], run_id)

    @task.branch
    def next_step(params: dict, record: dict) -> list[str]:
        return infrastructure.next_steps(params["action"], record)

    # A saved plan applies once: a blind retry after a partial apply would fail on a
    # stale plan, so a failed apply is rerun from `plan` by a person instead.
    @task(retries=0)
    def apply(params: dict, record: dict) -> dict:
        return infrastructure.apply(params["environment"], record)

    # After `apply`, or straight after a plan that changes nothing.
    @task(trigger_rule=TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
    def save_outputs(params: dict) -> None:
        outputs = infrastructure.outputs(params["environment"])
        Variable.set(INFRA_OUTPUTS_VARIABLE, outputs, serialize_json=True)

    record = plan()
    choice = next_step(record=record)
    applied = apply(record=record)
    saved = save_outputs()
    choice >> [applied, saved]
    applied >> saved


dwh_infrastructure()
