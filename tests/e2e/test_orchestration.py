"""Orchestration under real Airflow runs (``airflow dags test``) against the pipeline's
moto server process (IAM enforced, every task acting as the worker's role), local Spark
and DuckDB: reruns are idempotent, a day landed again replaces its
silver partition and is reprocessed, a two-week backfill reconciles exactly with the
generator's manifests, bad rows are quarantined and reported, and faults (the S3
endpoint gone mid-upload, a crawler that never finishes, a failing dbt test) end in a
retry that lands the day whole or in an alert read back through SQS.

The fixtures run in timeline order (each takes the previous one): day 2 rerun twice (the
second time landed again with bad rows), days 3-14 (day 14 with bad rows), day 15 with
the upload fault, day 16 with the hung crawler, then a transform that meets a corrupted
dimension.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from e2e_timeline import (
    DAYS,
    ORDERS_PER_DAY,
    SEED,
    AlertInbox,
    day,
    fact_expectation,
    manifests,
    marts_snapshot,
    query,
)
from fault_proxy import FaultProxy

from ecommerce_dwh import contract
from ecommerce_dwh.contract import TABLE_NAMES
from ecommerce_dwh.local.moto_server import set_transition

pytestmark = pytest.mark.e2e

CONF = {"orders_per_day": ORDERS_PER_DAY, "seed": SEED}
BACKFILL_DAYS = [day(n) for n in range(3, 15)]
BAD_DAY = day(14)
BAD_ROW_RATE = 0.05
UPLOAD_FAULT_DAY = day(15)
CRAWLER_FAULT_DAY = day(16)


def started(log: str, task_id: str) -> int:
    """How many times ``dags test`` started ``task_id`` (a retry starts it again)."""
    return log.count(f"[DAG TEST] starting task_id={task_id} ")


# --- the timeline ------------------------------------------------------------------


@pytest.fixture(scope="module")
def reruns(local_airflow, two_days, infrastructure, admin_client) -> dict:
    """Marts after day 2's first run, after an identical rerun, and after day 2 landed
    again with bad rows (other bronze bytes, the same good rows). Before the reruns, a
    file of another name is left in day 2's bronze and silver folders (as an earlier
    version of the code might have written): the reruns must remove them."""
    s3 = admin_client("s3")
    s3.put_object(Bucket=infrastructure["raw_bucket"],
                  Key=f"raw/orders/dt={DAYS[1]}/orders-stale.csv", Body=b"stale")
    s3.put_object(Bucket=infrastructure["staging_bucket"],
                  Key=f"silver/orders/dt={DAYS[1]}/orders-stale.parquet", Body=b"stale")
    snapshots = [marts_snapshot(local_airflow.duckdb_path)]
    for conf in (CONF, CONF | {"bad_row_rate": BAD_ROW_RATE}):
        local_airflow.dags_test("dwh_ingest", DAYS[1], conf)
        local_airflow.dags_test("dwh_transform", DAYS[1])
        snapshots.append(marts_snapshot(local_airflow.duckdb_path))
    return {"snapshots": snapshots, "transform": local_airflow.run_log("dwh_transform", DAYS[1])}


@pytest.fixture(scope="module")
def backfill(local_airflow, reruns) -> dict[str, str]:
    """Days 3-14 through dwh_ingest, one run per day as catchup creates them; the last
    has bad rows. One transform then takes them together, as queued Asset events do."""
    for one_day in BACKFILL_DAYS:
        conf = CONF | {"bad_row_rate": BAD_ROW_RATE} if one_day == BAD_DAY else CONF
        local_airflow.dags_test("dwh_ingest", one_day, conf)
    local_airflow.dags_test("dwh_transform", BAD_DAY)
    return {"ingest": local_airflow.run_log("dwh_ingest", BAD_DAY),
            "transform": local_airflow.run_log("dwh_transform", BAD_DAY)}


@pytest.fixture(scope="module")
def alerts(infrastructure, admin_client) -> AlertInbox:
    return AlertInbox(admin_client("sqs"), admin_client("sns"),
                      infrastructure["alerts_topic_arn"])


@pytest.fixture(scope="module")
def upload_fault(local_airflow, backfill, alerts, pipeline_moto, worker) -> dict:
    """Day 15 lands while the S3 endpoint goes away after the first file of the day.

    botocore may not retry on its own here (one attempt), so what recovers the day is
    Airflow's task retry, 6 s later, when the endpoint is back. The worker reaches every
    service, STS included, through the proxy."""
    alerts.drain(0)
    proxy = FaultProxy(target_port=urlparse(pipeline_moto.endpoint_url).port,
                       trip_after=2, down_seconds=4).start()
    try:
        airflow = local_airflow.with_env(
            AIRFLOW_CONN_AWS_DEFAULT=worker.connection_uri(
                proxy.endpoint_url, config_kwargs={"retries": {"total_max_attempts": 1}}),
            DWH_RETRY_DELAY_SECONDS="6",
        )
        airflow.dags_test("dwh_ingest", UPLOAD_FAULT_DAY, CONF)
    finally:
        proxy.stop()
    return {"log": local_airflow.run_log("dwh_ingest", UPLOAD_FAULT_DAY),
            "outages": list(proxy.outages), "alerts": alerts.drain(3)}


@pytest.fixture(scope="module")
def crawler_hang(local_airflow, upload_fault, alerts, pipeline_moto, infrastructure,
                 admin_client) -> dict:
    """Day 16 lands, but its crawl never finishes: the crawl's wait ends after 6 s."""
    set_transition(pipeline_moto.endpoint_url, "glue::crawl",
                   {"progression": "manual", "times": 10**9})
    try:
        airflow = local_airflow.with_env(DWH_CRAWLER_TIMEOUT_SECONDS="6")
        log = airflow.dags_test_failing("dwh_ingest", CRAWLER_FAULT_DAY, CONF)
        received = alerts.drain(5)
    finally:
        set_transition(pipeline_moto.endpoint_url, "glue::crawl",
                       {"progression": "time", "seconds": 1})
        glue = admin_client("glue")
        deadline = time.monotonic() + 60
        while glue.get_crawler(Name=infrastructure["raw_crawler_name"])["Crawler"][
                "State"] != "READY":
            assert time.monotonic() < deadline, "the crawler never came back to READY"
            time.sleep(1)
    return {"log": log, "alerts": received}


@pytest.fixture(scope="module")
def dbt_failure(local_airflow, crawler_hang, alerts) -> dict:
    """A transform meets a corrupted dimension (two current rows for one customer, as a
    bad manual fix would leave): its SCD2 test fails after the dimension's run."""
    import duckdb

    path = local_airflow.duckdb_path
    before = marts_snapshot(path)
    con = duckdb.connect(str(path))
    try:
        for n in (1, 2):
            con.execute(
                "insert into marts.dim_customers select * replace "
                f"('e2e-corrupt-{n}' as customer_sk, -1 as customer_id) "
                "from marts.dim_customers where is_current limit 1")
    finally:
        con.close()
    try:
        log = local_airflow.dags_test_failing("dwh_transform", CRAWLER_FAULT_DAY)
        received = alerts.drain(5)
        after = marts_snapshot(path)
    finally:
        con = duckdb.connect(str(path))
        con.execute("delete from marts.dim_customers where customer_id = -1")
        con.close()
    return {"log": log, "alerts": received, "before": before, "after": after}


# --- idempotency -------------------------------------------------------------------


def test_rerunning_a_day_leaves_the_marts_identical(reruns) -> None:
    first, second, third = reruns["snapshots"]
    assert first["fact_order_items"]["rows"] > 0
    assert second == first
    assert third == first, "landed again with extra bad rows: the good rows are the same"


def test_a_day_landed_again_replaces_its_files_in_bronze_and_silver(
        reruns, infrastructure, admin_client) -> None:
    """Only the day's own files remain (the stale ones were deleted by the worker)."""
    s3, glue = admin_client("s3"), admin_client("glue")
    for table in TABLE_NAMES:
        listed = s3.list_objects_v2(Bucket=infrastructure["raw_bucket"],
                                    Prefix=f"raw/{table}/dt={DAYS[1]}/")
        assert [o["Key"] for o in listed["Contents"]] == [
            f"raw/{table}/dt={DAYS[1]}/{table}.csv"]
    for dataset in contract.SILVER_DATASETS:
        listed = s3.list_objects_v2(Bucket=infrastructure["staging_bucket"],
                                    Prefix=f"silver/{dataset}/dt={DAYS[1]}/")
        assert [o["Key"] for o in listed["Contents"]] == [
            f"silver/{dataset}/dt={DAYS[1]}/{dataset}.parquet"], dataset
        partitions = glue.get_partitions(DatabaseName=infrastructure["glue_staging_database"],
                                         TableName=dataset)["Partitions"]
        assert [p["Values"] for p in partitions].count([DAYS[1]]) == 1


def test_a_day_landed_again_is_read_again_and_only_that_day(
        reruns, local_airflow, infrastructure, admin_client) -> None:
    """The rerun with new bronze bytes read day 2 alone, replaced its rows (each line is
    in the warehouse once) and quarantined its bad rows."""
    log = reruns["transform"]
    for table in ("orders", "order_items"):
        assert f"int_{'order_versions' if table == 'orders' else 'order_lines'}: partitions " \
               f"to read: {DAYS[1]}" in log
    manifest = manifests(admin_client("s3"), infrastructure["raw_bucket"])[DAYS[1]]
    assert manifest["bad_rows_total"] > 0
    [(rows, loaded, quarantined)] = query(
        local_airflow.duckdb_path,
        "select sum(rows_read), sum(rows_loaded), sum(rows_quarantined + rows_rejected)"
        f" from audit.audit_load_reconciliation where load_date = '{DAYS[1]}'")
    assert rows == sum(t["rows"] for t in manifest["tables"].values())
    assert loaded == sum(t["good_rows"] for t in manifest["tables"].values())
    assert quarantined == manifest["bad_rows_total"]


# --- backfill ----------------------------------------------------------------------


def test_backfill_fact_totals_equal_the_manifests(backfill, local_airflow, infrastructure,
                                                  admin_client) -> None:
    landed = manifests(admin_client("s3"), infrastructure["raw_bucket"])
    fourteen = [landed[day(n)] for n in range(1, 15)]
    rows, amount = fact_expectation(fourteen)
    assert query(local_airflow.duckdb_path,
                 "select count(*), sum(line_amount_usd) from marts.fact_order_items"
                 ) == [(rows, amount)]
    assert rows > 14 * ORDERS_PER_DAY


def test_backfill_scd2_rows_equal_the_generated_changes(backfill, local_airflow,
                                                        infrastructure, admin_client) -> None:
    landed = manifests(admin_client("s3"), infrastructure["raw_bucket"])
    fourteen = [landed[day(n)] for n in range(1, 15)]
    for table, dim, key in (("customers", "dim_customers", "customer_id"),
                            ("products", "dim_products", "product_id")):
        new = sum(m["new_rows"][table] for m in fourteen)
        changes = sum(m["scd2_changes"][table] for m in fourteen)
        assert changes > 0, f"the generator made no {table} changes in 14 days"
        assert query(local_airflow.duckdb_path,
                     f"select count(*), count(distinct {key}), count(*) filter (is_current)"
                     f" from marts.{dim}") == [(new + changes, new, new)], dim


# --- bad input ---------------------------------------------------------------------


def test_bad_rows_are_quarantined_per_table_as_the_manifest_counts(
        backfill, local_airflow, infrastructure, admin_client) -> None:
    manifest = manifests(admin_client("s3"), infrastructure["raw_bucket"])[BAD_DAY]
    assert manifest["bad_rows_total"] > 0
    quarantined = Counter(dict(query(
        local_airflow.duckdb_path,
        "select source_table, count(*) from audit.audit_quarantined_rows"
        f" where load_date = '{BAD_DAY}' group by all")))
    expected = Counter({table: sum(stats["bad_rows"].values())
                        for table, stats in manifest["tables"].items()
                        if sum(stats["bad_rows"].values())})
    assert quarantined == expected
    reasons = query(local_airflow.duckdb_path,
                    "select count(*) filter (quarantine_reason is null or line_number is null"
                    " or (rejected_by = 'etl_job' and raw_line is null))"
                    " from audit.audit_quarantined_rows")
    assert reasons == [(0,)], "every quarantined row keeps its reason, its line and its bytes"


def test_bad_day_good_rows_all_load(backfill, local_airflow, infrastructure,
                                    admin_client) -> None:
    manifest = manifests(admin_client("s3"), infrastructure["raw_bucket"])[BAD_DAY]
    for table in TABLE_NAMES:
        loaded = query(local_airflow.duckdb_path,
                       "select rows_read, rows_loaded from audit.audit_load_reconciliation"
                       f" where source_table = '{table}' and load_date = '{BAD_DAY}'")
        stats = manifest["tables"][table]
        assert loaded == [(stats["rows"], stats["good_rows"])], table


def test_bad_day_run_reports_the_numbers(backfill, infrastructure, admin_client) -> None:
    manifest = manifests(admin_client("s3"), infrastructure["raw_bucket"])[BAD_DAY]
    assert (f"bad rows injected on {BAD_DAY}: {manifest['bad_rows_total']} in all"
            in backfill["ingest"])
    # The transform's reconciliation tests ran and passed on that day.
    for test_task in ("dbt.audit_load_reconciliation.test",
                      "dbt.audit_fact_reconciliation.test"):
        assert started(backfill["transform"], test_task) == 1, test_task


# --- faults ------------------------------------------------------------------------


def test_upload_cut_mid_day_is_retried_and_the_day_lands_whole(
        upload_fault, infrastructure, admin_client) -> None:
    assert len(upload_fault["outages"]) == 1, "the endpoint never went down"
    assert started(upload_fault["log"], "land_raw_day") == 2
    s3 = admin_client("s3")
    bucket = infrastructure["raw_bucket"]
    manifest = manifests(s3, bucket)[UPLOAD_FAULT_DAY]
    for table in TABLE_NAMES:
        prefix = f"raw/{table}/dt={UPLOAD_FAULT_DAY}/"
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"]]
        assert keys == [f"{prefix}{table}.csv"]
        body = s3.get_object(Bucket=bucket, Key=keys[0])["Body"].read()
        assert hashlib.sha256(body).hexdigest() == manifest["tables"][table]["sha256"], table
    assert upload_fault["alerts"] == [], "a task that recovered on retry must not alert"


def test_hung_crawler_times_out_and_alerts(crawler_hang) -> None:
    log = crawler_hang["log"]
    assert started(log, "crawl_raw") == 1, "a crawl that outlived its timeout is not retried"
    assert "did not finish a successful crawl within 0:00:06" in log
    assert started(log, "bronze_to_silver") == 0
    [alert] = crawler_hang["alerts"]
    assert alert["subject"] == "[ecommerce-dwh] dwh_ingest.crawl_raw failed"
    for line in ("DAG:          dwh_ingest", "Task:         crawl_raw",
                 f"Logical date: {CRAWLER_FAULT_DAY}", "Log:          http"):
        assert line in alert["message"], alert["message"]


def test_failing_dbt_test_stops_downstream_marts_and_alerts(dbt_failure, infrastructure,
                                                             admin_client) -> None:
    log = dbt_failure["log"]
    assert started(log, "dbt.dim_customers.run") == 1
    assert started(log, "dbt.dim_customers.test") == 3  # the first try and two retries
    for downstream in ("dbt.fact_order_items.run", "dbt.rpt_customer_lifetime_value.run",
                       "dbt.rpt_daily_revenue_by_category.run", "publish_marts"):
        assert started(log, downstream) == 0, downstream
    before, after = dbt_failure["before"], dbt_failure["after"]
    for mart in ("fact_order_items", "rpt_customer_lifetime_value",
                 "rpt_daily_revenue_by_category"):
        assert after[mart] == before[mart], f"{mart} was rebuilt on failed data"
    # Days 15 and 16 are landed but not in the fact: it still holds days 1-14 exactly.
    landed = manifests(admin_client("s3"), infrastructure["raw_bucket"])
    assert {UPLOAD_FAULT_DAY, CRAWLER_FAULT_DAY} <= set(landed)
    rows, amount = fact_expectation([landed[day(n)] for n in range(1, 15)])
    assert (after["fact_order_items"]["rows"], after["fact_order_items"]["line_amount_usd"]
            ) == (rows, Decimal(amount))
    [alert] = dbt_failure["alerts"]
    assert alert["subject"] == "[ecommerce-dwh] dwh_transform.dbt.dim_customers.test failed"
    assert f"Logical date: {CRAWLER_FAULT_DAY}" in alert["message"]
    assert "Log:          http" in alert["message"]
