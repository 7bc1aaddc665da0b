"""The walking skeleton end to end: Terraform applies the local environment against a
moto server process, then two consecutive days go through ``dwh_ingest`` and
``dwh_transform`` (real Airflow, real dbt on DuckDB reading S3)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from e2e_timeline import DAYS

from ecommerce_dwh.local.warehouse_summary import relations
from ecommerce_dwh.settings import RAW_TABLES

pytestmark = pytest.mark.e2e

KEYS = {"customers": "customer_id", "products": "product_id", "orders": "order_id",
        "order_items": "order_item_id"}


def test_infrastructure_outputs_name_real_resources(infrastructure, boto3_client) -> None:
    assert infrastructure["environment"] == "local"
    s3, glue = boto3_client("s3"), boto3_client("glue")
    s3.head_bucket(Bucket=infrastructure["raw_bucket"])
    glue.get_database(Name=infrastructure["glue_raw_database"])
    crawler = glue.get_crawler(Name=infrastructure["raw_crawler_name"])["Crawler"]
    paths = {t["Path"].rstrip("/") for t in crawler["Targets"]["S3Targets"]}
    for table in RAW_TABLES:
        assert f"s3://{infrastructure['raw_bucket']}/raw/{table}" in paths


def test_each_day_lands_one_csv_per_table_and_a_manifest(two_days, infrastructure,
                                                         boto3_client, s3_text) -> None:
    bucket = infrastructure["raw_bucket"]
    s3 = boto3_client("s3")
    for day in DAYS:
        manifest = json.loads(s3_text(bucket, f"raw/_manifests/dt={day}/manifest.json"))
        for table in RAW_TABLES:
            listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"raw/{table}/dt={day}/")
            keys = [obj["Key"] for obj in listed.get("Contents", [])]
            assert keys == [f"raw/{table}/dt={day}/{table}.csv"]
            rows = list(csv.DictReader(io.StringIO(s3_text(bucket, keys[0]))))
            assert len(rows) == manifest["tables"][table]["rows"] > 0


def test_crawler_finished_a_crawl(two_days, infrastructure, boto3_client) -> None:
    crawler = boto3_client("glue").get_crawler(Name=infrastructure["raw_crawler_name"])["Crawler"]
    assert crawler["State"] == "READY"
    assert crawler["LastCrawl"]["Status"] in {"SUCCEEDED", "COMPLETED"}


def test_staging_models_hold_every_distinct_key_of_both_days(two_days, infrastructure,
                                                             local_airflow, s3_text,
                                                             moto_server) -> None:
    bucket = infrastructure["raw_bucket"]
    found = {r.name: r.rows for r in relations(local_airflow.duckdb_path,
                                               moto_server.endpoint_url)}
    for table, key in KEYS.items():
        ids = set()
        for day in DAYS:
            text = s3_text(bucket, f"raw/{table}/dt={day}/{table}.csv")
            ids |= {row[key] for row in csv.DictReader(io.StringIO(text))}
        assert found[f"stg_ecommerce__{table}"] == len(ids) > 0, table


def test_dbt_tests_ran_after_each_staging_model(two_days, local_airflow) -> None:
    log = (local_airflow.log_dir / f"dwh_transform-{DAYS[-1]}.log").read_text()
    for table in RAW_TABLES:
        assert f"task_id=dbt.stg_ecommerce__{table}.test" in log
    assert "state=success" in log
