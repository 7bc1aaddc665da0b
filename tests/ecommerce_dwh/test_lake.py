"""Landing a day replaces that day's partitions in S3 (a moto server process)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ecommerce_dwh import lake

DAY = dt.date(2024, 1, 3)


def _keys(s3, bucket: str, prefix: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(obj["Key"] for obj in listed.get("Contents", []))


def test_landing_a_day_twice_replaces_it(boto3_client, tmp_path: Path) -> None:
    s3 = boto3_client("s3")
    bucket = "lake-test-replace"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    # A stale file of another name from an earlier run of the same day...
    s3.put_object(Bucket=bucket, Key="raw/orders/dt=2024-01-03/part-old.csv", Body=b"x")
    # ...and another day's partition, which must stay.
    s3.put_object(Bucket=bucket, Key="raw/orders/dt=2024-01-02/orders.csv", Body=b"y")
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id\n1\n")
    manifest = tmp_path / "manifest.json"
    manifest.write_text("{}")

    for _ in range(2):
        landed = lake.land_day(s3, bucket, DAY, {"orders": orders}, manifest)

    assert landed == {"orders": ["raw/orders/dt=2024-01-03/orders.csv"],
                      "manifest": "raw/_manifests/dt=2024-01-03/manifest.json"}
    assert _keys(s3, bucket, "raw/orders/") == ["raw/orders/dt=2024-01-02/orders.csv",
                                                "raw/orders/dt=2024-01-03/orders.csv"]
    body = s3.get_object(Bucket=bucket, Key="raw/orders/dt=2024-01-03/orders.csv")["Body"].read()
    assert body == b"order_id\n1\n"
