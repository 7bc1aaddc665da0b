"""The Spectrum DDL that ``dwh_transform`` runs before dbt on Redshift: it parses as
Redshift SQL, and it travels over HTTP through the Redshift Data API of the moto
server with the Serverless workgroup (moto checks the wiring, not the SQL)."""

from __future__ import annotations

import pytest
import sqlglot

from ecommerce_dwh import spectrum

OUTPUTS = {
    "environment": "dev",
    "redshift_workgroup_name": "ecommerce-dwh-dev",
    "redshift_database_name": "ecommerce_dwh",
    "glue_staging_database": "ecommerce_dwh_staging_dev",
    "redshift_iam_role_arn": "arn:aws:iam::123456789012:role/ecommerce-dwh-dev-redshift",
}


def test_ddl_parses_as_redshift_and_names_every_input() -> None:
    [schema_sql] = spectrum.external_schema_ddl(
        "glue_db", "arn:aws:iam::123456789012:role/r", schema="silver_x")
    sqlglot.parse_one(schema_sql, read="redshift", error_level=sqlglot.ErrorLevel.RAISE)
    assert schema_sql.startswith("create external schema if not exists silver_x ")
    assert "database 'glue_db'" in schema_sql
    assert "iam_role 'arn:aws:iam::123456789012:role/r'" in schema_sql


def test_schema_name_is_the_dbt_var() -> None:
    assert spectrum.silver_schema() == "ecommerce_silver"
    assert spectrum.external_schema_ddl("g", "r")[0].startswith(
        "create external schema if not exists ecommerce_silver ")


def test_statement_reaches_the_data_api_and_is_awaited(boto3_client) -> None:
    """moto's Data API accepts a statement but never finishes it (it stays STARTED), so
    over HTTP this checks the request and that the run waits and then fails clearly."""
    client = boto3_client("redshift-data")
    with pytest.raises(spectrum.SpectrumSchemaError, match="still STARTED after 1s") as error:
        spectrum.ensure_external_schema(client, OUTPUTS, poll_seconds=0.2, timeout_seconds=1)
    statement_id = str(error.value).split()[2]
    described = client.describe_statement(Id=statement_id)
    [expected] = spectrum.external_schema_ddl(OUTPUTS["glue_staging_database"],
                                              OUTPUTS["redshift_iam_role_arn"])
    assert described["QueryString"] == expected
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


def test_the_statement_runs_in_the_workgroup_and_is_awaited() -> None:
    api = _DataApi()
    assert spectrum.ensure_external_schema(api, OUTPUTS, poll_seconds=0) == ["stmt-1"]
    assert [call["Sql"] for call in api.calls] == spectrum.external_schema_ddl(
        OUTPUTS["glue_staging_database"], OUTPUTS["redshift_iam_role_arn"])
    assert {call["WorkgroupName"] for call in api.calls} == {"ecommerce-dwh-dev"}
    assert {call["Database"] for call in api.calls} == {"ecommerce_dwh"}
    assert api.seen == {"stmt-1": 2}


def test_local_environment_has_nothing_to_create(boto3_client) -> None:
    assert spectrum.ensure_external_schema(boto3_client("redshift-data"),
                                           {"environment": "local"}) == []


def test_missing_outputs_are_named() -> None:
    with pytest.raises(spectrum.SpectrumSchemaError,
                       match="glue_staging_database, redshift_iam_role_arn"):
        spectrum.ensure_external_schema(object(), {"redshift_workgroup_name": "wg",
                                                   "redshift_database_name": "db"})


def test_a_failed_statement_raises_with_its_error_and_sql() -> None:
    api = _DataApi(final="FAILED")
    with pytest.raises(spectrum.SpectrumSchemaError) as error:
        spectrum.ensure_external_schema(api, OUTPUTS, poll_seconds=0)
    text = str(error.value)
    assert "stmt-1 FAILED" in text and "permission denied" in text
    assert "create external schema" in text
