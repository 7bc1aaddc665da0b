"""
### dwh_transform: build and test the warehouse with dbt (Cosmos)

Runs the dbt project in `include/dbt` as an Airflow task group: one task per dbt
model, each followed by its tests, in dependency order, so a failing test stops
everything downstream of it. The warehouse is DuckDB in local mode and Redshift
Serverless on AWS; dbt reads the silver days that `dwh_ingest` wrote, each model only
the partitions it has not processed yet.

On Redshift, dbt reads silver through the Spectrum external schema and writes to
schemas that `dwh_infrastructure` created and granted to the worker (its
`warehouse_bootstrap` tasks). When every model and test has passed, `publish_marts`
updates the `ecommerce_dwh_marts` Asset: a failing test leaves it untouched, so
nothing scheduled on the marts sees data that failed its checks.

Scheduled on the `ecommerce_dwh_silver_landed` Asset: every silver day triggers it
(days landed while a transform runs are taken together by the next one).
Trigger it by hand to pick up whatever silver holds that the warehouse has not read.
Clear a failed task with *Downstream* to retry it; to reload days, backfill
`dwh_ingest`, not this DAG.
"""

from __future__ import annotations

from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import chain, dag
from cosmos import DbtTaskGroup

from ecommerce_dwh import cosmos_config
from ecommerce_dwh.assets import MARTS_PUBLISHED, SILVER_LANDED
from ecommerce_dwh.dag_defaults import DEFAULT_ARGS, START_DATE


@dag(
    dag_id="dwh_transform",
    schedule=[SILVER_LANDED],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    max_active_tasks=cosmos_config.MAX_ACTIVE_DBT_TASKS,
    doc_md=__doc__,
    tags=["ecommerce-dwh", "dbt", "transform"],
    default_args=DEFAULT_ARGS,
    # dbt's AWS credentials, resolved by the provider's hook at run time.
    user_defined_macros=cosmos_config.USER_DEFINED_MACROS,
)
def dwh_transform() -> None:
    dbt = DbtTaskGroup(
        group_id="dbt",
        project_config=cosmos_config.PROJECT_CONFIG,
        profile_config=cosmos_config.PROFILE_CONFIG,
        execution_config=cosmos_config.EXECUTION_CONFIG,
        render_config=cosmos_config.RENDER_CONFIG,
        operator_args=cosmos_config.OPERATOR_ARGS,
    )
    cosmos_config.run_producer_first(dbt)
    publish_marts = EmptyOperator(task_id="publish_marts", outlets=[MARTS_PUBLISHED])
    chain(dbt, publish_marts)


dwh_transform()
