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

On AWS the run then readies the warehouse for dbt, as the Redshift namespace's admin
(its Secrets Manager secret) through the Redshift Data API, every statement idempotent:
`create_spectrum_schema` (the external schema over the Glue staging database),
`find_database_users`, `grant_privileges` (the worker's and the dashboard's database
users, dbt's schemas owned by the worker, the dashboard's read access). Locally there
is no Redshift and `warehouse_present` skips them.

Every task starts from an empty working directory, so any task may run on any
worker. Terraform runs as the connection `aws_default` locally (moto) and
`aws_terraform` on AWS (the environment's plan role: it plans and reads outputs;
applies to AWS go through the delivery workflow, see docs/delivery.md). Trigger
it manually; it has no schedule.
"""

from __future__ import annotations

from airflow.providers.amazon.aws.operators.redshift_data import RedshiftDataOperator
from airflow.sdk import Param, TriggerRule, Variable, chain, dag, task

from ecommerce_dwh import infrastructure, warehouse_bootstrap
from ecommerce_dwh.dag_defaults import DEFAULT_ARGS, START_DATE
from ecommerce_dwh.settings import (
    AWS_CONN_ID,
    ENVIRONMENTS,
    INFRA_OUTPUTS_VARIABLE,
    get_settings,
)

OUTPUTS = f"var.json.{INFRA_OUTPUTS_VARIABLE}"

#: The Redshift Data API as the namespace's admin: the workgroup and its admin secret
#: from the outputs that save_outputs wrote.
AS_WAREHOUSE_ADMIN = {
    "aws_conn_id": AWS_CONN_ID,
    "workgroup_name": f"{{{{ {OUTPUTS}.redshift_workgroup_name }}}}",
    "database": f"{{{{ {OUTPUTS}.redshift_database_name }}}}",
    "secret_arn": f"{{{{ {OUTPUTS}.redshift_admin_secret_arn }}}}",
    "wait_for_completion": True,
    "poll_interval": 5,
}


@dag(
    dag_id="dwh_infrastructure",
    schedule=None,
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["ecommerce-dwh", "terraform", "infrastructure"],
    default_args=DEFAULT_ARGS,
    # The warehouse bootstrap's statements are built from the saved outputs by these
    # macros; native rendering lets `grant_privileges` receive a list of statements.
    user_defined_macros={"warehouse_bootstrap": warehouse_bootstrap},
    render_template_as_native_obj=True,
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

    @task.short_circuit
    def warehouse_present() -> bool:
        outputs = Variable.get(INFRA_OUTPUTS_VARIABLE, deserialize_json=True)
        return bool(outputs.get("redshift_workgroup_name"))

    create_spectrum_schema = RedshiftDataOperator(
        task_id="create_spectrum_schema",
        sql=f"{{{{ warehouse_bootstrap.external_schema_sql({OUTPUTS}) }}}}",
        **AS_WAREHOUSE_ADMIN,
    )
    # Redshift has no `create user if not exists`: ask which users exist first.
    find_database_users = RedshiftDataOperator(
        task_id="find_database_users",
        sql=f"{{{{ warehouse_bootstrap.user_lookup_sql({OUTPUTS}) }}}}",
        return_sql_result=True,
        **AS_WAREHOUSE_ADMIN,
    )
    grant_privileges = RedshiftDataOperator(
        task_id="grant_privileges",
        sql=(f"{{{{ warehouse_bootstrap.bootstrap_statements({OUTPUTS}, "
             "warehouse_bootstrap.existing_users("
             "ti.xcom_pull(task_ids='find_database_users'))) }}"),
        **AS_WAREHOUSE_ADMIN,
    )

    record = plan()
    choice = next_step(record=record)
    applied = apply(record=record)
    saved = save_outputs()
    choice >> [applied, saved]
    applied >> saved
    chain(saved, warehouse_present(), create_spectrum_schema, find_database_users,
          grant_privileges)


dwh_infrastructure()
