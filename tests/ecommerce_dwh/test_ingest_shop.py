"""One lake holds one shop: landing a day generated with another seed or volume than the
days already landed is refused with a message naming both, against a real moto server;
the bad-row rate may differ from day to day."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from ecommerce_dwh import contract
from ecommerce_dwh.generator import GeneratorConfig
from ecommerce_dwh.ingest import OtherShopError, check_same_shop

LANDED = GeneratorConfig(seed=42, orders_per_day=200, epoch=dt.date(2024, 1, 1))


@pytest.fixture
def lake(boto3_client):
    s3 = boto3_client("s3")
    bucket = f"shop-test-{time.monotonic_ns()}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})

    def land_manifest(day: str, config: GeneratorConfig) -> None:
        s3.put_object(Bucket=bucket, Key=contract.manifest_key(day),
                      Body=json.dumps({"day": day, "params": config.as_params()}).encode())

    return s3, bucket, land_manifest


def test_an_empty_lake_takes_any_shop(lake) -> None:
    s3, bucket, _ = lake
    check_same_shop(s3, bucket, dt.date(2024, 1, 1), LANDED)


def test_the_same_shop_is_landed_and_the_bad_row_rate_may_differ(lake) -> None:
    s3, bucket, land_manifest = lake
    land_manifest("2024-01-01", LANDED)
    check_same_shop(s3, bucket, dt.date(2024, 1, 2), LANDED)
    check_same_shop(s3, bucket, dt.date(2024, 1, 2),
                    GeneratorConfig(seed=42, orders_per_day=200, bad_row_rate=0.05))
    # The day itself, landed again with other Params, is compared with the others only.
    check_same_shop(s3, bucket, dt.date(2024, 1, 1), GeneratorConfig(seed=7))


def test_another_volume_is_refused_naming_both_shops(lake) -> None:
    s3, bucket, land_manifest = lake
    land_manifest("2024-01-01", LANDED)
    land_manifest("2024-01-02", LANDED)
    with pytest.raises(OtherShopError) as refused:
        check_same_shop(s3, bucket, dt.date(2024, 1, 3),
                        GeneratorConfig(seed=42, orders_per_day=150))
    message = str(refused.value)
    assert "refusing to land 2024-01-03" in message
    assert "2024-01-02 was generated with orders_per_day=200" in message
    assert "this run asks for orders_per_day=150" in message


def test_a_day_before_the_landed_ones_is_compared_with_the_first(lake) -> None:
    s3, bucket, land_manifest = lake
    land_manifest("2024-01-05", LANDED)
    land_manifest("2024-01-09", GeneratorConfig(seed=9, orders_per_day=200))
    with pytest.raises(OtherShopError, match="2024-01-05 was generated with seed=42"):
        check_same_shop(s3, bucket, dt.date(2024, 1, 3), GeneratorConfig(seed=7))
