"""The Redshift side of dbt's sources: a Spectrum external schema over the Glue raw
database (which the crawler fills) and an external table over the generator's manifests.

``dwh_transform`` runs :func:`ensure_external_schema` before dbt, through the Redshift
Data API with the Serverless ``workgroup_name`` (no password, no network path to the
workgroup needed). Every statement is idempotent (``if not exists``), so it runs on
every transform. In the local environment there is no workgroup: DuckDB reads the raw
files from S3 directly and there is nothing to create.

The schema name is the dbt var ``raw_schema`` (``dbt_project.yml``), the one place the
dbt sources also read it from.
"""

from __future__ import annotations

import logging
import time
from functools import cache
from typing import Any

import yaml

from ecommerce_dwh.generator import BAD_ROW_KINDS
from ecommerce_dwh.settings import DBT_PROJECT_DIR, RAW_TABLES

log = logging.getLogger(__name__)

#: Terminal states of a Data API statement.
FINISHED, FAILED, ABORTED = "FINISHED", "FAILED", "ABORTED"


class SpectrumSchemaError(RuntimeError):
    """A DDL statement failed in Redshift (the message names the statement)."""


@cache
def raw_schema() -> str:
    """The external schema's name: dbt's ``raw_schema`` var."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return str(project["vars"]["raw_schema"])


def _manifest_counts_type() -> str:
    bad_rows = ", ".join(f"{kind}:bigint" for kind in BAD_ROW_KINDS)
    return f'struct<"rows":bigint, good_rows:bigint, bad_rows:struct<{bad_rows}>>'


def external_schema_ddl(
    glue_database: str, iam_role_arn: str, raw_bucket: str, schema: str | None = None
) -> list[str]:
    """The statements, in order: the external schema, then the manifests table in it.

    The manifests are one compact JSON object per file (the generator writes them on one
    line), which is what Spectrum's JSON SerDe reads.
    """
    schema = schema or raw_schema()
    counts = _manifest_counts_type()
    tables = ", ".join(f"{table}:{counts}" for table in RAW_TABLES)
    return [
        f"create external schema if not exists {schema}"
        f" from data catalog database '{glue_database}'"
        f" iam_role '{iam_role_arn}'",
        f"create external table if not exists {schema}.manifests ("
        f"day varchar(10), tables struct<{tables}>,"
        f" order_items_line_amount_usd varchar(32), bad_rows_total bigint)"
        f" row format serde 'org.openx.data.jsonserde.JsonSerDe'"
        f" location 's3://{raw_bucket}/raw/_manifests/'",
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
    """Create the external schema and the manifests table if missing.

    ``outputs`` are the Terraform outputs that ``dwh_infrastructure`` saved. Returns the
    statement ids; an environment without a Redshift workgroup (local) returns ``[]``.
    """
    workgroup = outputs.get("redshift_workgroup_name")
    if not workgroup:
        log.info("environment %r has no Redshift workgroup: dbt reads the raw files "
                 "directly, no external schema to create", outputs.get("environment"))
        return []
    missing = [name for name in ("redshift_database_name", "glue_raw_database",
                                 "redshift_iam_role_arn", "raw_bucket") if not outputs.get(name)]
    if missing:
        raise SpectrumSchemaError(
            f"Terraform outputs lack {', '.join(missing)}: apply dwh_infrastructure first"
        )
    statements = external_schema_ddl(
        outputs["glue_raw_database"], outputs["redshift_iam_role_arn"], outputs["raw_bucket"]
    )
    ids = []
    for sql in statements:
        ids.append(run_statement(client, sql, workgroup, outputs["redshift_database_name"],
                                 **wait))
        log.info("ran in %s: %s", workgroup, sql)
    return ids
