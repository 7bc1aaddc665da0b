"""Glue Data Catalog partitions of the silver tables (and the bronze manifests).

Terraform declares the tables (columns from the contract, ``dt`` as partition key); the
ETL job registers the partitions of the day it wrote, and the landing code the
partition of the day's manifest. Registering is idempotent: an existing partition is
updated to the same location, so a rerun of a day changes nothing. Only boto3 (present
on Glue) is needed.
"""

from __future__ import annotations

import logging
from typing import Any

from ecommerce_dwh import contract

log = logging.getLogger(__name__)


def register_partition(glue: Any, database: str, table_name: str, day: str, location: str) -> str:
    """Create (or update) the ``dt=day`` partition of a catalog table at ``location``.

    The partition's storage descriptor is the table's (format, SerDe, columns) with the
    day's folder as location. Returns ``created`` or ``updated``.
    """
    table = glue.get_table(DatabaseName=database, Name=table_name)["Table"]
    descriptor = dict(table["StorageDescriptor"], Location=location)
    partition = {"Values": [day], "StorageDescriptor": descriptor}
    try:
        glue.create_partition(DatabaseName=database, TableName=table_name,
                              PartitionInput=partition)
        outcome = "created"
    except glue.exceptions.AlreadyExistsException:
        glue.update_partition(DatabaseName=database, TableName=table_name,
                              PartitionValueList=[day], PartitionInput=partition)
        outcome = "updated"
    log.info("%s partition %s.%s dt=%s at %s", outcome, database, table_name, day, location)
    return outcome


def register_silver_day(glue: Any, database: str, silver_root: str, day: str) -> dict[str, str]:
    """Register the day's partition of every silver dataset; ``{dataset: outcome}``.

    ``silver_root`` is the S3 URI of the silver zone (``s3://<staging bucket>/silver``).
    """
    root = silver_root.rstrip("/")
    return {
        dataset: register_partition(glue, database, dataset, day,
                                    f"{root}/{dataset}/{contract.day_folder(day)}/")
        for dataset in contract.SILVER_DATASETS
    }
