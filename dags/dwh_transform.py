"""
### dwh_transform: build and test the warehouse with dbt (Cosmos)

Runs the dbt project in `include/dbt` as an Airflow task group: one task per dbt
model, each followed by its tests, in dependency order, so a failing test stops
everything downstream of it. The warehouse is DuckDB in local mode and Redshift
Serverless on AWS; dbt reads the raw partitions that `dwh_ingest` landed.

Scheduled on the `ecommerce_dwh_raw_landed` Asset: every landed day triggers it.
Trigger it by hand to rebuild from what is already in S3. Clear a failed task with
*Downstream* to retry it; to reload days, backfill `dwh_ingest`, not this DAG.
"""

from __future__ import annotations

from airflow.sdk import dag
from cosmos import DbtTaskGroup

from ecommerce_dwh import cosmos_config
from ecommerce_dwh.assets import RAW_LANDED
from ecommerce_dwh.dag_defaults import DEFAULT_ARGS, START_DATE


@dag(
    dag_id="dwh_transform",
    schedule=[RAW_LANDED],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    max_active_tasks=cosmos_config.MAX_ACTIVE_DBT_TASKS,
    doc_md=__doc__,
    tags=["ecommerce-dwh", "dbt", "transform"],
    default_args=DEFAULT_ARGS,
)
def dwh_transform() -> None:
    DbtTaskGroup(
        group_id="dbt",
        project_config=cosmos_config.PROJECT_CONFIG,
        profile_config=cosmos_config.PROFILE_CONFIG,
        execution_config=cosmos_config.EXECUTION_CONFIG,
        render_config=cosmos_config.RENDER_CONFIG,
        operator_args=cosmos_config.OPERATOR_ARGS,
    )


dwh_transform()
