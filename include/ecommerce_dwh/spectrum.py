"""The Redshift side of dbt's sources: a Spectrum external schema over the Glue staging
database, where Terraform declares the silver tables and the manifests table (columns
from the data contract) and the ETL job and the landing code register each day's
partitions.

``dwh_transform`` runs :func:`ensure_external_schema` before dbt, through the Redshift
Data API with the Serverless ``workgroup_name`` (no password, no network path to the
workgroup needed). The statement is idempotent (``if not exists``), so it runs on every
transform. In the local environment there is no workgroup: DuckDB reads the silver
files from S3 directly and there is nothing to create.

The schema name is the dbt var ``silver_schema`` (``dbt_project.yml``), the one place the
dbt sources also read it from.
"""

from __future__ import annotations

import logging
import time
from functools import cache
from typing import Any

import yaml

from ecommerce_dwh.settings import DBT_PROJECT_DIR

log = logging.getLogger(__name__)

#: Terminal states of a Data API statement.
FINISHED, FAILED, ABORTED = "FINISHED", "FAILED", "ABORTED"


class SpectrumSchemaError(RuntimeError):
    """A DDL statement failed in Redshift (the message names the statement)."""


@cache
def silver_schema() -> str:
    """The external schema's name: dbt's ``silver_schema`` var."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return str(project["vars"]["silver_schema"])


def external_schema_ddl(glue_database: str, iam_role_arn: str,
                        schema: str | None = None) -> list[str]:
    """The statements, in order: the external schema over the Glue staging database."""
    schema = schema or silver_schema()
    return [
        f"create external schema if not exists {schema}"
        f" from data catalog database '{glue_database}'"
        f" iam_role '{iam_role_arn}'",
    ]


def run_statement(
    client: Any,
    sql: str,
    workgroup: str,
    database: str,
    poll_seconds: float = 2.0,
    timeout_seconds: float = 300.0,
) -> str:
    """Run one statement through the Data API and wait for it; return its id."""
    statement_id = client.execute_statement(
        Sql=sql, WorkgroupName=workgroup, Database=database
    )["Id"]
    deadline = time.monotonic() + timeout_seconds
    while True:
        described = client.describe_statement(Id=statement_id)
        status = described["Status"]
        if status == FINISHED:
            return statement_id
        if status in (FAILED, ABORTED):
            raise SpectrumSchemaError(
                f"Redshift statement {statement_id} {status} in workgroup {workgroup!r}, "
                f"database {database!r}: {described.get('Error', 'no error text')}\n"
                f"statement: {sql}"
            )
        if time.monotonic() > deadline:
            raise SpectrumSchemaError(
                f"Redshift statement {statement_id} still {status} after "
                f"{timeout_seconds:.0f}s in workgroup {workgroup!r}\nstatement: {sql}"
            )
        time.sleep(poll_seconds)


def ensure_external_schema(client: Any, outputs: dict[str, Any], **wait: float) -> list[str]:
    """Create the external schema if missing.

    ``outputs`` are the Terraform outputs that ``dwh_infrastructure`` saved. Returns the
    statement ids; an environment without a Redshift workgroup (local) returns ``[]``.
    """
    workgroup = outputs.get("redshift_workgroup_name")
    if not workgroup:
        log.info("environment %r has no Redshift workgroup: dbt reads the silver files "
                 "directly, no external schema to create", outputs.get("environment"))
        return []
    missing = [name for name in ("redshift_database_name", "glue_staging_database",
                                 "redshift_iam_role_arn") if not outputs.get(name)]
    if missing:
        raise SpectrumSchemaError(
            f"Terraform outputs lack {', '.join(missing)}: apply dwh_infrastructure first"
        )
    statements = external_schema_ddl(outputs["glue_staging_database"],
                                      outputs["redshift_iam_role_arn"])
    ids = []
    for sql in statements:
        ids.append(run_statement(client, sql, workgroup, outputs["redshift_database_name"],
                                 **wait))
        log.info("ran in %s: %s", workgroup, sql)
    return ids
