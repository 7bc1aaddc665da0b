"""The days the end-to-end tests walk through, and how they look at the results.

One moto server (IAM enforced, the pipeline acting as the worker's role), one Airflow
and one DuckDB warehouse serve the whole e2e folder, so the tests follow one timeline:
``test_local_pipeline`` lands and transforms days 1-2; ``test_orchestration`` reruns day
2, backfills days 3-14 (the last one with bad rows), then stages faults on days 15-16;
``test_worker_policy`` lands day 17 with a permission taken from the worker's policy.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

DAYS = ("2024-01-01", "2024-01-02")
ORDERS_PER_DAY = 60
SEED = 7


def day(n: int) -> str:
    """The n-th day of the timeline (1-based), ISO."""
    return (dt.date.fromisoformat(DAYS[0]) + dt.timedelta(days=n - 1)).isoformat()


def marts_snapshot(duckdb_path: Path) -> dict[str, dict[str, Any]]:
    """Every mart's row count and the sum of each of its numeric columns."""
    import duckdb

    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall()
        numeric = ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "HUGEINT", "SMALLINT")
        snapshot: dict[str, dict[str, Any]] = {}
        for table in sorted({t for t, _, _ in columns}):
            sums = [c for t, c, kind in columns if t == table and kind.startswith(numeric)]
            select = ", ".join(["count(*)", *(f'sum("{c}")' for c in sums)])
            values = con.execute(f"select {select} from marts.{table}").fetchone()
            snapshot[table] = {"rows": values[0], **dict(zip(sums, values[1:], strict=True))}
        return snapshot
    finally:
        con.close()


def query(duckdb_path: Path, sql: str) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def manifests(s3: Any, bucket: str) -> dict[str, dict]:
    """Every landed day's manifest, by day."""
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="raw/_manifests/")
    found = {}
    for obj in listed.get("Contents", []):
        manifest = json.loads(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
        found[manifest["day"]] = manifest
    return found


def fact_expectation(days: list[dict]) -> tuple[int, Decimal]:
    """Good order_items rows and their line amounts over the given manifests."""
    rows = sum(m["tables"]["order_items"]["good_rows"] for m in days)
    amount = sum((Decimal(m["order_items_line_amount_usd"]) for m in days), Decimal("0"))
    return rows, amount


class AlertInbox:
    """An SQS queue subscribed to the alerts topic: what a person would be sent."""

    def __init__(self, sqs: Any, sns: Any, topic_arn: str) -> None:
        self.sqs = sqs
        self.url = sqs.create_queue(QueueName=f"e2e-alerts-{time.monotonic_ns()}")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["QueueArn"])
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs",
                      Endpoint=arn["Attributes"]["QueueArn"])

    def drain(self, wait_seconds: float = 2.0) -> list[dict[str, str]]:
        """Every message that arrives within ``wait_seconds``: {subject, message}."""
        found: list[dict[str, str]] = []
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            received = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10,
                                                WaitTimeSeconds=1)
            for message in received.get("Messages", []):
                body = json.loads(message["Body"])
                found.append({"subject": body.get("Subject", ""), "message": body["Message"]})
                self.sqs.delete_message(QueueUrl=self.url,
                                        ReceiptHandle=message["ReceiptHandle"])
        return found
