"""Assets that connect the DAGs: ingest produces the raw landing, transform consumes it
and publishes the marts."""

from __future__ import annotations

from airflow.sdk import Asset

#: A day of raw partitions landed in S3 and crawled into the Glue catalog.
RAW_LANDED = Asset(
    name="ecommerce_dwh_raw_landed", uri="dwh://ecommerce/raw", group="ecommerce_dwh"
)

#: The marts rebuilt and every dbt test passed (updated only by a fully green transform).
MARTS_PUBLISHED = Asset(
    name="ecommerce_dwh_marts", uri="dwh://ecommerce/marts", group="ecommerce_dwh"
)
