"""Every model compiles for the redshift adapter without a cluster and parses as Redshift SQL.

dbt needs a connection only to look up existing relations (is_incremental) and, in an
incremental run, for the intermediate models' query of the partitions to read; the
lookup is replaced, once answering "no table yet" (full build) and once "the table
exists" (incremental run, where the partition query answers one day), so that both
branches of every model are checked.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
import sqlglot
from dbt_harness import DBT_PROJECT_DIR, patched_environ

pytestmark = pytest.mark.dbt

#: Functions of the DuckDB dialect that must not leak into the Redshift SQL.
DUCKDB_ONLY = ("read_blob", "read_csv", "read_json", "regexp_full_match", "try_strptime",
               "try_cast", "string_split", "unnest", "regexp_extract_all")


def compile_for_redshift(target_path: Path, incremental: bool) -> list[Path]:
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
        return AdapterResponse(_message="OK"), agate.Table([["2024-01-05"]], ["dt"])

    cli = ["compile", "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
           str(DBT_PROJECT_DIR), "--target", "dev", "--no-populate-cache",
           "--select", "resource_type:model", "--target-path", str(target_path),
           "--log-path", str(target_path / "logs"), "--quiet"]
    env = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DWH_ENVIRONMENT": "dev"}
    queries: list[str] = []
    with patched_environ(env), mock.patch.object(RedshiftAdapter, "get_relation", get_relation), \
            mock.patch.object(RedshiftAdapter, "execute", execute):
        result = dbtRunner().invoke(cli)
    assert result.success, result.exception
    # Only the intermediate models query at compile time (their partitions), and only
    # when incremental.
    assert len(queries) == (4 if incremental else 0), queries
    compiled = sorted((target_path / "compiled" / "ecommerce_dwh" / "models").rglob("*.sql"))
    return [path for path in compiled if ".yml" not in str(path)]


@pytest.mark.parametrize("incremental", [False, True], ids=["full", "incremental"])
def test_models_compile_and_parse_as_redshift(tmp_path: Path, incremental: bool) -> None:
    models = compile_for_redshift(tmp_path, incremental)
    expected = {path.stem for path in (DBT_PROJECT_DIR / "models").rglob("*.sql")}
    assert {path.stem for path in models} == expected
    problems = []
    for path in models:
        sql = path.read_text()
        try:
            sqlglot.parse(sql, read="redshift", error_level=sqlglot.ErrorLevel.RAISE)
        except sqlglot.errors.ParseError as error:
            problems.append(f"{path.name}: {error}")
        leaked = [f for f in DUCKDB_ONLY if re.search(rf"\b{f}\s*\(", sql, re.IGNORECASE)]
        if leaked:
            problems.append(f"{path.name}: DuckDB-only functions {leaked}")
    assert not problems, "\n".join(problems)
    # The intermediate models read silver with literal partition values (Spectrum prunes
    # partitions only on constants), and nothing else reads silver data.
    for path in models:
        sql = path.read_text()
        reads_silver = '"ecommerce_silver"."' in sql or "ecommerce_silver." in sql
        if path.stem.startswith("int_"):
            assert ("dt in ('2024-01-05')" in sql) == incremental, path.name
        elif path.parent.name != "ecommerce" and path.parent.name != "generator":
            assert not reads_silver, f"{path.name} reads silver directly"
