"""
### dwh_ingest: land one day of shop data (bronze), crawl it, turn it into silver

For the run's logical date (a scheduled run covers the day that just ended):

1. `land_raw_day` generates the shop's extracts (customers, products, orders,
   order_items, plus a ground-truth manifest) and replaces that day's partitions under
   `s3://<raw bucket>/raw/<table>/dt=YYYY-MM-DD/` (bronze, CSV);
2. `crawl_raw`: the raw Glue crawler catalogs the new folders (the Amazon provider's
   crawler operator; the wait is deferred to the triggerer, no worker slot held);
3. `bronze_to_silver`: the Glue ETL job (Terraform's `aws_glue_job`, run by the Amazon
   provider's `GlueJobOperator`) writes the day's typed Parquet, its quarantined rows
   and its load counts under `s3://<staging bucket>/silver/` and registers the day's
   partitions in the Glue staging database. Success updates the
   `ecommerce_dwh_silver_landed` Asset, which schedules `dwh_transform`.

In local mode the same job definition (in moto) runs its script on local Spark.

Needs: `dwh_infrastructure` applied (its outputs in the `dwh_infra_outputs`
Variable) and the `aws_default` connection.

The history starts at `DWH_START_DATE` (default 2024-01-01): that day carries the
initial customers and products. A trigger for a day before it is refused (the form
says which day is the first allowed). Unpaused, the DAG catches up from the first day
that has no run yet: days already landed by hand (or by `make run`) are not run again.

**One shop per lake.** *Orders per day* and *Seed* choose the shop (its customers,
products and order ids); a day asked for another shop than the days already landed is
refused, naming both. The *Bad-row rate* may differ from day to day.

**Rerun or backfill.** Rerunning a day replaces that day's files, so clearing a run
is safe. For a range of days: Trigger → Backfill in the UI, or
`airflow backfill create --dag-id dwh_ingest --from-date … --to-date …`; each landed
day triggers `dwh_transform`.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Param, chain, dag, task

from ecommerce_dwh.assets import SILVER_LANDED
from ecommerce_dwh.crawler import BoundedGlueCrawlerRunOperator
from ecommerce_dwh.dag_defaults import (
    CRAWLER_POKE_INTERVAL,
    CRAWLER_TIMEOUT,
    DEFAULT_ARGS,
    START_DATE,
)
from ecommerce_dwh.settings import AWS_CONN_ID
from ecommerce_dwh.silver.operators import glue_job_operator_class
from ecommerce_dwh.timetables import DailyLandingTimetable

OUTPUTS = "var.json.dwh_infra_outputs"

# The provider's GlueJobOperator on AWS; in local mode its subclass that runs the
# job's script on local Spark (chosen by DWH_ENVIRONMENT, never in this file).
GlueJobOperator = glue_job_operator_class()


@dag(
    dag_id="dwh_ingest",
    # Daily: the scheduled run for day D starts after D ends and its logical date is D.
    # A manual run (`airflow dags test dwh_ingest 2024-01-05`, the UI's logical date)
    # lands the day of its logical date too, and counts as that day's run when the
    # schedule catches up; a day before START_DATE is refused (ecommerce_dwh.timetables).
    schedule=DailyLandingTimetable(START_DATE.date()),
    start_date=START_DATE,
    # Unpaused with a start date in the past, it lands every missed day, oldest first.
    catchup=True,
    max_active_runs=1,
    doc_md=__doc__,
    tags=["ecommerce-dwh", "ingest", "s3", "glue"],
    default_args=DEFAULT_ARGS,
    params={
        "orders_per_day": Param(
            200, type="integer", minimum=1, maximum=5_000_000,
            title="Orders per day",
            description="The shop's mean orders a day (1 to 5,000,000; days vary around "
            "it). It chooses the shop with the seed: every day of one lake uses the same.",
        ),
        "seed": Param(
            42, type="integer", minimum=0, maximum=2**32 - 1,
            title="Seed",
            description="Generator seed, 0 to 4294967295. The same seed and day give "
            "byte-identical files; every day of one lake uses the same seed.",
        ),
        "bad_row_rate": Param(
            0.0, type="number", minimum=0.0, maximum=0.5,
            title="Bad-row rate",
            description="Share of extra malformed rows injected, 0 to 0.5 (0 = clean data); "
            "it may differ from day to day.",
        ),
    },
)
def dwh_ingest() -> None:
    @task
    def land_raw_day(bucket: str, catalog_database: str, params: dict,
                     logical_date: dt.datetime) -> dict:
        # Imported when the task runs: the generator (Faker, NumPy) would add ~0.2 s to
        # every parse of this file by the DAG processor.
        from ecommerce_dwh import ingest
        from ecommerce_dwh.generator import GeneratorConfig

        config = GeneratorConfig(
            seed=params["seed"],
            orders_per_day=params["orders_per_day"],
            bad_row_rate=params["bad_row_rate"],
            epoch=START_DATE.date(),
        )
        return ingest.generate_and_land(logical_date.date(), bucket, config, catalog_database)

    # The provider's operator, deferred: the triggerer polls GetCrawler. Not retried: a
    # crawl that failed or outlived the timeout needs a person (the alert), and a retry
    # would only meet that crawl still running; botocore retries throttled calls itself.
    crawl_raw = BoundedGlueCrawlerRunOperator(
        task_id="crawl_raw",
        crawler_name=f"{{{{ {OUTPUTS}.raw_crawler_name }}}}",
        aws_conn_id=AWS_CONN_ID,
        poll_interval=int(CRAWLER_POKE_INTERVAL.total_seconds()),
        execution_timeout=CRAWLER_TIMEOUT,
        retries=0,
    )

    to_silver = GlueJobOperator(
        task_id="bronze_to_silver",
        aws_conn_id=AWS_CONN_ID,
        job_name=f"{{{{ {OUTPUTS}.etl_job_name }}}}",
        # The day; the roots, the catalog database and the zip are the job's default
        # arguments, which Terraform owns.
        script_args={"--day": "{{ ds }}"},
        wait_for_completion=True,
        # On AWS the wait is a trigger, not a worker slot held for minutes.
        deferrable=True,
        waiter_delay=30,
        stop_job_run_on_kill=True,
        outlets=[SILVER_LANDED],
    )

    landed = land_raw_day(bucket=f"{{{{ {OUTPUTS}.raw_bucket }}}}",
                          catalog_database=f"{{{{ {OUTPUTS}.glue_staging_database }}}}")
    chain(landed, crawl_raw, to_silver)


dwh_ingest()
