"""Every model and data test compiles for Redshift without a cluster and passes the
Redshift rules of ``redshift_rules.py`` (sqlfluff's redshift parse, then one rule per
restriction a parser does not check).

dbt needs a connection only to look up existing relations (``is_incremental()``) and
for the intermediate models' query of the partitions to read (``partitions_to_process``,
from the build's table of loads). The compile runs with ``--no-introspect`` and those
two adapter calls replaced: once answering "no table yet" (a full build: every loaded
day) and once "the table exists" (an incremental run: the loaded days not processed
yet); each time exactly the four partition queries run, answered with one day. Both
branches of every model are checked, and the partition queries themselves too, since
Redshift runs them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from unittest import mock

import pytest
from dbt_harness import DBT_PROJECT_DIR, patched_environ
from redshift_rules import Statement, check, statements_from_manifest

from ecommerce_dwh import contract

pytestmark = pytest.mark.dbt

#: Functions of the DuckDB dialect that must not leak into the Redshift SQL.
DUCKDB_ONLY = ("read_blob", "read_csv", "read_json", "regexp_full_match", "try_strptime",
               "try_cast", "string_split", "unnest", "regexp_extract_all")
#: The day the replaced partition query answers in an incremental compile.
ANSWERED_DAY = "2024-01-05"


@dataclass(frozen=True)
class RedshiftCompile:
    """The project compiled for the redshift target, once full and once incremental."""

    incremental: bool
    manifest: dict
    statements: list[Statement]
    queries: list[str]


def compile_for_redshift(target_path: Path, incremental: bool) -> RedshiftCompile:
    """``dbt compile`` of every model and data test for the ``dev`` (redshift) target."""
    from dbt.adapters.redshift import RedshiftAdapter
    from dbt.cli.main import dbtRunner

    def get_relation(self, database, schema, identifier, needs_information=False):
        if not incremental:
            return None
        return self.Relation.create(database=database, schema=schema, identifier=identifier,
                                    type="table")

    def execute(self, sql, auto_begin=False, fetch=False, limit=None):
        import agate
        from dbt.adapters.contracts.connection import AdapterResponse

        queries.append(sql)
        return AdapterResponse(_message="OK"), agate.Table([[ANSWERED_DAY]], ["dt"])

    cli = ["compile", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
           str(DBT_PROJECT_DIR), "--target", "dev", "--no-populate-cache", "--no-introspect",
           "--select", "resource_type:model", "resource_type:test",
           "--target-path", str(target_path), "--log-path", str(target_path / "logs"),
           "--quiet"]
    env = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DWH_ENVIRONMENT": "dev"}
    queries: list[str] = []
    with patched_environ(env), mock.patch.object(RedshiftAdapter, "get_relation", get_relation), \
            mock.patch.object(RedshiftAdapter, "execute", execute):
        result = dbtRunner().invoke(cli)
    assert result.success, result.exception
    manifest = json.loads((target_path / "manifest.json").read_text())
    statements = statements_from_manifest(manifest, RedshiftAdapter.Column.translate_type)
    for query in queries:
        relations = sorted(set(re.findall(r'"(\w+)"(?=\s+as\s)', query)))
        statements.append(Statement(f"compile-time query of {', '.join(relations)}", query))
    return RedshiftCompile(incremental, manifest, statements, queries)


@pytest.fixture(scope="module", params=[False, True], ids=["full", "incremental"])
def redshift_compile(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory) -> RedshiftCompile:
    return compile_for_redshift(tmp_path_factory.mktemp("redshift_compile"), request.param)


def compiled(project: RedshiftCompile, resource_type: str) -> dict[str, dict]:
    return {node["name"]: node for node in project.manifest["nodes"].values()
            if node["resource_type"] == resource_type and node.get("compiled_code")}


def test_every_model_and_data_test_compiles(redshift_compile: RedshiftCompile) -> None:
    models = compiled(redshift_compile, "model")
    assert set(models) == {p.stem for p in (DBT_PROJECT_DIR / "models").rglob("*.sql")}
    tests = compiled(redshift_compile, "test")
    all_tests = [n for n in redshift_compile.manifest["nodes"].values()
                 if n["resource_type"] == "test"]
    assert len(tests) == len(all_tests) > 0
    singular = {p.stem for p in (DBT_PROJECT_DIR / "tests").glob("*.sql")}
    assert singular <= set(tests), "singular data tests missing from the compile"
    # Only the intermediate models query at compile time: their partitions, from the
    # build's loads; an incremental run leaves out what the model already holds.
    intermediate = [n for n in models.values() if n["config"]["materialized"] == "incremental"
                    and n["fqn"][1] == "intermediate"]
    assert len(redshift_compile.queries) == len(intermediate), redshift_compile.queries
    for query in redshift_compile.queries:
        assert '"stg_ecommerce__loads" as loads' in query, query  # partitions_to_process
        assert (" as processed" in query) == redshift_compile.incremental, query


def test_compiled_sql_passes_the_redshift_rules(redshift_compile: RedshiftCompile) -> None:
    findings = [f for statement in redshift_compile.statements for f in check(statement)]
    assert not findings, "\n".join(map(str, findings))


def test_no_duckdb_only_functions(redshift_compile: RedshiftCompile) -> None:
    leaks = [f"{s.name}: {f}" for s in redshift_compile.statements for f in DUCKDB_ONLY
             if re.search(rf"\b{f}\s*\(", s.sql, re.IGNORECASE)]
    assert not leaks, "\n".join(leaks)


def test_only_intermediate_models_read_silver_with_literal_partitions(
        redshift_compile: RedshiftCompile) -> None:
    # The intermediate models read silver with literal partition values (Spectrum prunes
    # partitions only on constants), and nothing but staging reads silver data.
    for name, node in compiled(redshift_compile, "model").items():
        sql = node["compiled_code"]
        reads_silver = '"ecommerce_silver"."' in sql or "ecommerce_silver." in sql
        if name.startswith("int_"):
            assert f"dt in ('{ANSWERED_DAY}')" in sql, name
        elif node["fqn"][1] != "staging":
            assert not reads_silver, f"{name} reads silver directly"


@pytest.mark.parametrize("redshift_compile", [False], ids=["full"], indirect=True)
def test_the_rules_catch_the_known_misses_in_the_real_project(
        redshift_compile: RedshiftCompile) -> None:
    """Each known miss, put back into the project's own compiled nodes, is flagged by its
    rule and by no other (the snippets of test_redshift_rules.py test each rule alone)."""
    models = {s.name.split()[1]: s for s in redshift_compile.statements
              if s.name.startswith("model ")}
    staging = models["stg_ecommerce__customers"]
    source = '"ecommerce_silver"."customers"\n'
    assert source in staging.sql
    quarantine = models["audit_quarantined_rows"]
    assert "cast(null as varchar(65535)) as raw_line" in quarantine.sql
    misses = [
        # the old staging dedupe: QUALIFY right after the unaliased source
        ("qualify_needs_from_alias", replace(staging, sql=staging.sql.replace(
            source, source + "    qualify row_number() over "
            "(partition by customer_id order by updated_at desc) = 1\n", 1))),
        # a POSIX pattern with a non-capturing group
        ("regex_is_posix", replace(staging, sql=staging.sql.replace(
            "lower(email) as email", "lower(email) ~ '^(?:[a-z]+)@' as email", 1))),
        # the staging views without `bind: false`
        ("view_over_external_table_needs_no_schema_binding", replace(staging, bind=None)),
        # a reporting mart made a (bound) view: its parents are rebuilt by dbt
        ("bound_view_dropped_by_parent_rebuild",
         replace(models["rpt_customer_lifetime_value"], materialized="view")),
        # a contract column declared plain varchar (street, as before the fix)
        ("character_type_needs_length", replace(
            models["dim_customers"],
            contract_types={**models["dim_customers"].contract_types, "street": "varchar"})),
        # the quarantine's raw_line cast to varchar with no length (as before the fix)
        ("character_type_needs_length", replace(quarantine, sql=quarantine.sql.replace(
            "cast(null as varchar(65535)) as raw_line", "cast(null as varchar) as raw_line"))),
    ]
    for rule, statement in misses:
        assert {f.rule for f in check(statement)} == {rule}, rule


@pytest.mark.parametrize("redshift_compile", [False], ids=["full"], indirect=True)
def test_declared_widths_hold_the_contract_domains(redshift_compile: RedshiftCompile) -> None:
    """A coded column's varchar(n) holds the longest value of its domain in the contract
    (the ETL job rejects every other value), so a domain change cannot make Redshift
    refuse the insert into a mart."""
    domains = {c.name: c.domain for t in contract.TABLES for c in t.columns if c.domain}
    domains["order_status"] = contract.table("orders").column("status").domain  # renamed
    checked = []
    for name, node in compiled(redshift_compile, "model").items():
        for column in node["columns"].values() if node["contract"]["enforced"] else ():
            width = re.fullmatch(r"varchar\((\d+)\)", column.get("data_type") or "")
            if width and column["name"] in domains:
                longest = max(len(v.encode()) for v in domains[column["name"]])
                assert longest <= int(width[1]), (name, column["name"], longest)
                checked.append((name, column["name"]))
    assert len(checked) >= 5, checked
