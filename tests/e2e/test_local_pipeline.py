"""The pipeline end to end: Terraform applies the local environment against a moto server
process that enforces IAM (as its admin), then, every task acting as the worker's role,
two consecutive days go through ``dwh_ingest`` (landing, crawl, the Glue
job's script on local Spark) and ``dwh_transform`` (real Airflow, real dbt on DuckDB
reading the silver Parquet from S3)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from e2e_timeline import DAYS, query

from ecommerce_dwh import contract
from ecommerce_dwh.contract import TABLE_NAMES
from ecommerce_dwh.silver import package

pytestmark = pytest.mark.e2e



def test_infrastructure_outputs_name_real_resources(infrastructure, admin_client) -> None:
    assert infrastructure["environment"] == "local"
    s3, glue = admin_client("s3"), admin_client("glue")
    s3.head_bucket(Bucket=infrastructure["raw_bucket"])
    glue.get_database(Name=infrastructure["glue_raw_database"])
    crawler = glue.get_crawler(Name=infrastructure["raw_crawler_name"])["Crawler"]
    paths = {t["Path"].rstrip("/") for t in crawler["Targets"]["S3Targets"]}
    for table in TABLE_NAMES:
        assert f"s3://{infrastructure['raw_bucket']}/raw/{table}" in paths
    assert crawler["RecrawlPolicy"]["RecrawlBehavior"] == "CRAWL_NEW_FOLDERS_ONLY"


def test_terraform_defines_the_etl_job_and_uploads_what_it_runs(infrastructure,
                                                                admin_client) -> None:
    s3, glue = admin_client("s3"), admin_client("glue")
    job = glue.get_job(JobName=infrastructure["etl_job_name"])["Job"]
    staging = infrastructure["staging_bucket"]
    assert job["GlueVersion"] == "5.0"
    assert job["DefaultArguments"]["--job-bookmark-option"] == "job-bookmark-disable"
    assert job["DefaultArguments"]["--silver_root"] == f"s3://{staging}/silver"
    assert job["DefaultArguments"]["--raw_root"] == f"s3://{infrastructure['raw_bucket']}/raw"
    assert job["DefaultArguments"]["--catalog_database"] == \
        infrastructure["glue_staging_database"]
    script = s3.get_object(Bucket=staging, Key="artifacts/glue/bronze_to_silver.py")
    assert script["Body"].read() == package.SCRIPT.read_bytes()
    zipped = s3.get_object(Bucket=staging, Key=f"artifacts/glue/{package.ZIP_NAME}")
    assert zipped["Body"].read() == (package.DEFAULT_BUILD_DIR / package.ZIP_NAME).read_bytes()
    assert job["DefaultArguments"]["--extra-py-files"] == \
        f"s3://{staging}/artifacts/glue/{package.ZIP_NAME}"


def test_silver_tables_are_declared_with_the_contract_s_columns(infrastructure,
                                                                admin_client) -> None:
    glue = admin_client("glue")
    for dataset in contract.SILVER_DATASETS:
        table = glue.get_table(DatabaseName=infrastructure["glue_staging_database"],
                               Name=dataset)["Table"]
        columns = [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]
        assert columns == [(c.name, c.type) for c in contract.silver_columns(dataset)], dataset
        assert [k["Name"] for k in table["PartitionKeys"]] == ["dt"]
        assert table["StorageDescriptor"]["Location"] == \
            f"s3://{infrastructure['staging_bucket']}/silver/{dataset}/"


def test_each_day_lands_one_csv_per_table_and_a_manifest(two_days, infrastructure,
                                                         admin_client, s3_text) -> None:
    bucket = infrastructure["raw_bucket"]
    s3 = admin_client("s3")
    for day in DAYS:
        manifest = json.loads(s3_text(bucket, f"raw/_manifests/dt={day}/manifest.json"))
        for table in TABLE_NAMES:
            listed = s3.list_objects_v2(Bucket=bucket, Prefix=f"raw/{table}/dt={day}/")
            keys = [obj["Key"] for obj in listed.get("Contents", [])]
            assert keys == [f"raw/{table}/dt={day}/{table}.csv"]
            rows = list(csv.DictReader(io.StringIO(s3_text(bucket, keys[0]))))
            assert len(rows) == manifest["tables"][table]["rows"] > 0


def test_crawler_finished_a_crawl(two_days, infrastructure, admin_client) -> None:
    crawler = admin_client("glue").get_crawler(Name=infrastructure["raw_crawler_name"])["Crawler"]
    assert crawler["State"] == "READY"
    assert crawler["LastCrawl"]["Status"] in {"SUCCEEDED", "COMPLETED"}


def test_each_day_lands_in_silver_with_its_catalog_partitions(two_days, infrastructure,
                                                              admin_client) -> None:
    s3, glue = admin_client("s3"), admin_client("glue")
    for day in DAYS:
        for dataset in contract.SILVER_DATASETS:
            listed = s3.list_objects_v2(Bucket=infrastructure["staging_bucket"],
                                        Prefix=f"silver/{dataset}/dt={day}/")
            assert [o["Key"] for o in listed["Contents"]] == [
                f"silver/{dataset}/dt={day}/{dataset}.parquet"]
        for table in (*contract.SILVER_DATASETS, "manifests"):
            partition = glue.get_partition(DatabaseName=infrastructure["glue_staging_database"],
                                           TableName=table, PartitionValues=[day])
            assert partition["Partition"]["StorageDescriptor"]["Location"].endswith(
                f"/dt={day}/")


def test_the_warehouse_holds_every_row_of_both_days_once(two_days, infrastructure,
                                                         local_airflow, s3_text) -> None:
    """Each bronze line is in the warehouse once: every version of customers and
    products, every order row and every order line, read from silver."""
    bucket = infrastructure["raw_bucket"]
    models = {"customers": "int_customer_versions", "products": "int_product_versions",
              "orders": "int_order_versions", "order_items": "int_order_lines"}
    for table, model in models.items():
        for day in DAYS:
            text = s3_text(bucket, f"raw/{table}/dt={day}/{table}.csv")
            lines = len(list(csv.DictReader(io.StringIO(text))))
            [(count,)] = query(local_airflow.duckdb_path,
                               f"select count(*) from intermediate.{model} where dt = '{day}'")
            assert count == lines > 0, (table, day)


def test_dbt_tests_ran_after_each_staging_model(two_days, local_airflow) -> None:
    log = (local_airflow.log_dir / f"dwh_transform-{DAYS[-1]}.log").read_text()
    for table in TABLE_NAMES:
        assert f"task_id=dbt.stg_ecommerce__{table}.test" in log
    for model in ("int_customer_versions", "int_order_lines", "dim_customers"):
        assert f"task_id=dbt.{model}.run" in log
    assert "state=success" in log


def test_the_only_assets_updated_are_the_silver_day_and_the_marts(two_days,
                                                                   local_airflow) -> None:
    """No Airflow Asset per dbt model (a model's would be updated before its tests ran):
    the runs updated exactly the two Assets the DAGs declare."""
    import sqlite3

    from ecommerce_dwh.assets import MARTS_PUBLISHED, SILVER_LANDED

    db = sqlite3.connect(local_airflow.state_dir / "airflow" / "airflow.db")
    try:
        updated = {name for (name,) in db.execute(
            "select distinct asset.name from asset_event join asset "
            "on asset.id = asset_event.asset_id")}
    finally:
        db.close()
    assert updated == {SILVER_LANDED.name, MARTS_PUBLISHED.name}
