"""The Spectrum DDL that ``dwh_transform`` runs before dbt on Redshift: it parses as
Redshift SQL, and it travels over HTTP through the Redshift Data API of the moto
server with the Serverless workgroup (moto checks the wiring, not the SQL)."""

from __future__ import annotations

import pytest
import sqlglot

from ecommerce_dwh import spectrum
from ecommerce_dwh.generator import BAD_ROW_KINDS
from ecommerce_dwh.settings import RAW_TABLES

OUTPUTS = {
    "environment": "dev",
    "redshift_workgroup_name": "ecommerce-dwh-dev",
    "redshift_database_name": "ecommerce_dwh",
    "glue_raw_database": "ecommerce_dwh_dev_raw",
    "redshift_iam_role_arn": "arn:aws:iam::123456789012:role/ecommerce-dwh-dev-redshift",
    "raw_bucket": "ecommerce-dwh-raw-dev",
}


def test_ddl_parses_as_redshift_and_names_every_input() -> None:
    schema_sql, table_sql = spectrum.external_schema_ddl(
        "glue_db", "arn:aws:iam::123456789012:role/r", "bucket-x", schema="raw_x")
    for sql in (schema_sql, table_sql):
        sqlglot.parse_one(sql, read="redshift", error_level=sqlglot.ErrorLevel.RAISE)
    assert schema_sql.startswith("create external schema if not exists raw_x ")
    assert "database 'glue_db'" in schema_sql
    assert "iam_role 'arn:aws:iam::123456789012:role/r'" in schema_sql
    assert table_sql.startswith("create external table if not exists raw_x.manifests (")
    assert "location 's3://bucket-x/raw/_manifests/'" in table_sql
    for name in (*RAW_TABLES, *BAD_ROW_KINDS):
        assert f"{name}:" in table_sql, name


def test_schema_name_is_the_dbt_var() -> None:
    assert spectrum.raw_schema() == "ecommerce_raw"
    assert spectrum.external_schema_ddl("g", "r", "b")[0].startswith(
        "create external schema if not exists ecommerce_raw ")


def test_statement_reaches_the_data_api_and_is_awaited(boto3_client) -> None:
    """moto's Data API accepts a statement but never finishes it (it stays STARTED), so
    over HTTP this checks the request and that the run waits and then fails clearly."""
    client = boto3_client("redshift-data")
    with pytest.raises(spectrum.SpectrumSchemaError, match="still STARTED after 1s") as error:
        spectrum.ensure_external_schema(client, OUTPUTS, poll_seconds=0.2, timeout_seconds=1)
    statement_id = str(error.value).split()[2]
    described = client.describe_statement(Id=statement_id)
    expected = spectrum.external_schema_ddl(
        OUTPUTS["glue_raw_database"], OUTPUTS["redshift_iam_role_arn"], OUTPUTS["raw_bucket"])
    assert described["QueryString"] == expected[0]
    assert described["Database"] == OUTPUTS["redshift_database_name"]


class _DataApi:
    """An in-process Data API that finishes statements after a few polls."""

    def __init__(self, final: str = "FINISHED", polls: int = 2) -> None:
        self.final, self.polls = final, polls
        self.calls: list[dict] = []
        self.seen: dict[str, int] = {}

    def execute_statement(self, **kwargs):
        self.calls.append(kwargs)
        return {"Id": f"stmt-{len(self.calls)}"}

    def describe_statement(self, Id):  # noqa: N803 - boto3's parameter name
        self.seen[Id] = self.seen.get(Id, 0) + 1
        if self.seen[Id] < self.polls:
            return {"Status": "STARTED"}
        return {"Status": self.final, "Error": "permission denied for database"}


def test_statements_run_one_after_the_other_in_the_workgroup() -> None:
    api = _DataApi()
    assert spectrum.ensure_external_schema(api, OUTPUTS, poll_seconds=0) == ["stmt-1", "stmt-2"]
    expected = spectrum.external_schema_ddl(
        OUTPUTS["glue_raw_database"], OUTPUTS["redshift_iam_role_arn"], OUTPUTS["raw_bucket"])
    assert [call["Sql"] for call in api.calls] == expected
    assert {call["WorkgroupName"] for call in api.calls} == {"ecommerce-dwh-dev"}
    assert {call["Database"] for call in api.calls} == {"ecommerce_dwh"}
    assert api.seen == {"stmt-1": 2, "stmt-2": 2}  # the table waited for the schema


def test_local_environment_has_nothing_to_create(boto3_client) -> None:
    assert spectrum.ensure_external_schema(boto3_client("redshift-data"),
                                           {"environment": "local", "raw_bucket": "b"}) == []


def test_missing_outputs_are_named() -> None:
    with pytest.raises(spectrum.SpectrumSchemaError, match="glue_raw_database, redshift_iam"):
        spectrum.ensure_external_schema(object(), {"redshift_workgroup_name": "wg",
                                                   "redshift_database_name": "db",
                                                   "raw_bucket": "b"})


def test_a_failed_statement_raises_with_its_error_and_sql() -> None:
    api = _DataApi(final="FAILED")
    with pytest.raises(spectrum.SpectrumSchemaError) as error:
        spectrum.ensure_external_schema(api, OUTPUTS, poll_seconds=0)
    text = str(error.value)
    assert "stmt-1 FAILED" in text and "permission denied" in text
    assert "create external schema" in text
    assert len(api.calls) == 1  # the table is not attempted without its schema
