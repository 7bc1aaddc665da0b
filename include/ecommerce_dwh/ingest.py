"""The hand-written step of ``dwh_ingest``: generate one day and land it in S3.

No operator generates shop data: this is the DAG's one ``@task``. The crawl and the ETL
job are the Amazon provider's operators (:mod:`ecommerce_dwh.crawler`,
:mod:`ecommerce_dwh.silver.operators`).

The function takes plain values (bucket, day) so that the DAG wires them from
templates, and tests can call it directly.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
from pathlib import Path
from typing import Any

from ecommerce_dwh import contract, lake
from ecommerce_dwh.generator import GeneratorConfig, generate_day
from ecommerce_dwh.settings import AWS_CONN_ID
from ecommerce_dwh.silver.catalog import register_partition

log = logging.getLogger(__name__)

#: The generator's parameters that choose the shop (its customers, products, the order
#: ids of every day): all days of one lake must share them. ``bad_row_rate`` and the
#: file format may differ from day to day.
SHOP_PARAMS = ("seed", "orders_per_day", "epoch", "locale", "initial_customers",
               "initial_products")


class OtherShopError(ValueError):
    """The day would be generated for another shop than the days already landed."""


def check_same_shop(s3: Any, bucket: str, day: dt.date, config: GeneratorConfig) -> None:
    """Refuse to land ``day`` for another shop than the lake's other days.

    The generator is one deterministic shop per (seed, orders per day, start date, ...):
    its order ids, customers and products follow from them. Days of two shops in one lake
    collide (the same order item id on two days, orders of customers the warehouse never
    saw), and the warehouse's tests would stop every transform after it. The nearest
    landed day (before ``day``, else after it) says which shop the lake holds.
    """
    root = f"{contract.BRONZE_PREFIX}/{contract.MANIFESTS}/"
    days = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=root,
                                                              Delimiter="/"):
        for common in page.get("CommonPrefixes", []):
            folder = common["Prefix"][len(root):].strip("/")
            if folder.startswith("dt=") and folder[3:] != day.isoformat():
                days.append(folder[3:])
    if not days:
        return
    earlier = [d for d in days if d < day.isoformat()]
    other = max(earlier) if earlier else min(days)
    body = s3.get_object(Bucket=bucket, Key=contract.manifest_key(other))["Body"].read()
    landed = json.loads(body)["params"]
    wanted = config.as_params()
    differing = [name for name in SHOP_PARAMS if landed.get(name) != wanted.get(name)]
    if differing:
        theirs = ", ".join(f"{name}={landed.get(name)!r}" for name in differing)
        ours = ", ".join(f"{name}={wanted.get(name)!r}" for name in differing)
        raise OtherShopError(
            f"refusing to land {day} in s3://{bucket}: the lake holds another shop. {other} "
            f"was generated with {theirs}; this run asks for {ours}. Every day of one "
            "warehouse must come from the same shop: trigger with the Params of the days "
            "already landed (the seed and orders per day; the bad-row rate may differ), or "
            "start an empty lake and warehouse.")


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
    s3 = _s3_client(aws_conn_id)
    check_same_shop(s3, bucket, day, config)
    with tempfile.TemporaryDirectory(prefix=f"dwh-ingest-{day}-") as scratch:
        result = generate_day(day, config, Path(scratch))
        landed = lake.land_day(s3, bucket, day, result.files, result.manifest_path)
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
