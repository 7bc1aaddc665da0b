"""Assets that connect the DAGs: ingest produces the raw landing, transform consumes it."""

from __future__ import annotations

from airflow.sdk import Asset

#: A day of raw partitions landed in S3 and crawled into the Glue catalog.
RAW_LANDED = Asset(
    name="ecommerce_dwh_raw_landed", uri="dwh://ecommerce/raw", group="ecommerce_dwh"
)
