"""Assets that connect the DAGs: ingest lands a silver day, transform consumes it and
publishes the marts."""

from __future__ import annotations

from airflow.sdk import Asset

#: A landed day turned into silver by the ETL job (typed Parquet, quarantine, loads) and
#: registered in the Glue catalog: what the warehouse reads.
SILVER_LANDED = Asset(
    name="ecommerce_dwh_silver_landed", uri="dwh://ecommerce/silver", group="ecommerce_dwh"
)

#: The marts rebuilt and every dbt test passed (updated only by a fully green transform).
MARTS_PUBLISHED = Asset(
    name="ecommerce_dwh_marts", uri="dwh://ecommerce/marts", group="ecommerce_dwh"
)
