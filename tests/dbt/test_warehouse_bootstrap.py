"""The SQL ``dwh_infrastructure`` runs as the Redshift admin before dbt's first run:
each statement parses as Redshift SQL and passes the rulebook (``redshift_rules``), the
worker owns every dbt schema, users are created only when missing, and the dashboard
gets read access to the marts and audit schemas and nothing else."""

from __future__ import annotations

import pytest
from redshift_rules import Statement, check

from ecommerce_dwh import warehouse_bootstrap as wb

OUTPUTS = {
    "redshift_database_name": "dev",
    "glue_staging_database": "ecommerce_dwh_staging_dev",
    "redshift_iam_role_arn": "arn:aws:iam::123456789012:role/ecommerce-dwh-redshift-dev",
    "worker_role_arn": "arn:aws:iam::123456789012:role/service/ecommerce-dwh-worker-dev",
    "dashboard_redshift_database_user": "IAMR:ecommerce-dwh-dashboard-dev-task",
}
WORKER = '"IAMR:ecommerce-dwh-worker-dev"'
READER = '"IAMR:ecommerce-dwh-dashboard-dev-task"'


def all_statements(existing: set[str] = frozenset()) -> list[str]:
    return [wb.external_schema_sql(OUTPUTS), wb.user_lookup_sql(OUTPUTS),
            *wb.bootstrap_statements(OUTPUTS, existing)]


def test_every_statement_parses_as_redshift_and_passes_the_rulebook() -> None:
    for n, sql in enumerate(all_statements()):
        assert check(Statement(f"bootstrap statement {n}", sql)) == [], sql


def test_the_schemas_are_dbt_s_and_the_external_schema_is_the_silver_var() -> None:
    assert wb.dbt_schemas() == ["audit", "intermediate", "marts", "staging"]
    assert wb.external_schema_sql(OUTPUTS) == (
        "create external schema if not exists ecommerce_silver from data catalog database "
        "'ecommerce_dwh_staging_dev' iam_role "
        "'arn:aws:iam::123456789012:role/ecommerce-dwh-redshift-dev'")


def test_the_worker_owns_dbt_s_schemas_and_may_read_silver() -> None:
    statements = wb.bootstrap_statements(OUTPUTS, existing=set())
    for schema in wb.dbt_schemas():
        assert f"create schema if not exists {schema} authorization {WORKER}" in statements
        assert f"alter schema {schema} owner to {WORKER}" in statements
    assert f'grant temp on database "dev" to {WORKER}' in statements
    assert f"grant usage on schema ecommerce_silver to {WORKER}" in statements


def test_users_are_created_only_when_missing_and_first() -> None:
    fresh = wb.bootstrap_statements(OUTPUTS, existing=set())
    assert fresh[:2] == [f"create user {WORKER} password disable",
                         f"create user {READER} password disable"]
    both = {"IAMR:ecommerce-dwh-worker-dev", "IAMR:ecommerce-dwh-dashboard-dev-task"}
    again = wb.bootstrap_statements(OUTPUTS, existing=both)
    assert not [s for s in again if s.startswith("create user")]
    assert again == fresh[2:]


def test_the_dashboard_reads_marts_and_audit_and_nothing_else() -> None:
    granted = [s for s in wb.bootstrap_statements(OUTPUTS, set()) if READER in s]
    assert granted[1:] == [
        f"grant usage on schema marts to {READER}",
        f"grant select on all tables in schema marts to {READER}",
        f"alter default privileges for user {WORKER} in schema marts grant select on tables "
        f"to {READER}",
        f"grant usage on schema audit to {READER}",
        f"grant select on all tables in schema audit to {READER}",
        f"alter default privileges for user {WORKER} in schema audit grant select on tables "
        f"to {READER}",
    ]
    without = {k: v for k, v in OUTPUTS.items() if k != "dashboard_redshift_database_user"}
    assert not [s for s in wb.bootstrap_statements(without, set()) if "dashboard" in s]


def test_the_lookup_answer_is_read_from_the_data_api_result_shape() -> None:
    results = [{"Records": [[{"stringValue": "IAMR:ecommerce-dwh-worker-dev"}]],
                "TotalNumRows": 1}]
    assert wb.existing_users(results) == {"IAMR:ecommerce-dwh-worker-dev"}
    assert wb.existing_users(None) == set()
    assert "'IAMR:ecommerce-dwh-worker-dev'" in wb.user_lookup_sql(OUTPUTS)


def test_missing_outputs_are_named() -> None:
    with pytest.raises(wb.BootstrapError, match="lack worker_role_arn"):
        wb.bootstrap_statements({"redshift_database_name": "dev"}, set())
    with pytest.raises(wb.BootstrapError, match="not an IAM role ARN"):
        wb.role_user("arn:aws:iam::123456789012:user/someone")
