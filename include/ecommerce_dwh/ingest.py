"""The hand-written step of ``dwh_ingest``: generate one day and land it in S3.

No operator generates shop data: this is the DAG's one ``@task``. The crawl and the ETL
job are the Amazon provider's operators (:mod:`ecommerce_dwh.crawler`,
:mod:`ecommerce_dwh.silver.operators`).

The function takes plain values (bucket, day) so that the DAG wires them from
templates, and tests can call it directly.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path
from typing import Any

from ecommerce_dwh import contract, lake
from ecommerce_dwh.generator import GeneratorConfig, generate_day
from ecommerce_dwh.settings import AWS_CONN_ID
from ecommerce_dwh.silver.catalog import register_partition

log = logging.getLogger(__name__)


def _s3_client(aws_conn_id: str) -> Any:
    from airflow.providers.amazon.aws.hooks.s3 import S3Hook

    return S3Hook(aws_conn_id=aws_conn_id).get_conn()


def _glue_client(aws_conn_id: str) -> Any:
    from airflow.providers.amazon.aws.hooks.glue_crawler import GlueCrawlerHook

    return GlueCrawlerHook(aws_conn_id=aws_conn_id).glue_client


def generate_and_land(
    day: dt.date,
    bucket: str,
    config: GeneratorConfig,
    catalog_database: str | None = None,
    aws_conn_id: str = AWS_CONN_ID,
) -> dict[str, Any]:
    """Generate ``day`` into a scratch folder and replace its S3 partitions with it.

    With ``catalog_database`` (the Glue staging database), the day's partition of the
    ``manifests`` catalog table is registered, so the warehouse's reconciliation sees
    it. Returns the day's manifest summary (row counts, amounts), which is what the
    run reports and what later stages reconcile against.
    """
    with tempfile.TemporaryDirectory(prefix=f"dwh-ingest-{day}-") as scratch:
        result = generate_day(day, config, Path(scratch))
        landed = lake.land_day(_s3_client(aws_conn_id), bucket, day, result.files,
                               result.manifest_path)
        manifest = result.manifest
    if catalog_database:
        folder = contract.manifest_key(day).rsplit("/", 1)[0] + "/"
        register_partition(_glue_client(aws_conn_id), catalog_database, "manifests",
                           day.isoformat(), f"s3://{bucket}/{folder}")
    tables = manifest["tables"]
    summary = {
        "day": day.isoformat(),
        "bucket": bucket,
        "keys": landed,
        "rows": {table: tables[table]["rows"] for table in tables},
        "good_rows": {table: tables[table]["good_rows"] for table in tables},
        "bad_rows": {table: {kind: n for kind, n in tables[table]["bad_rows"].items() if n}
                     for table in tables},
        "bad_rows_total": manifest["bad_rows_total"],
        "order_items_line_amount_usd": manifest["order_items_line_amount_usd"],
    }
    log.info("landed %s in s3://%s: rows %s", day, bucket, summary["rows"])
    log.info("bad rows injected on %s: %d in all; by table and kind %s (the ETL job and "
             "the warehouse quarantine each with its reason)", day, summary["bad_rows_total"],
             summary["bad_rows"])
    return summary
