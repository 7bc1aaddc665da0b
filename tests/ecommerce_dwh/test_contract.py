"""The data contract is one: every stage that needs it reads the same definitions, and the
files rendered for Terraform and dbt are current."""

from __future__ import annotations

import ast
import json

import pytest
import yaml

from ecommerce_dwh import contract, contract_files
from ecommerce_dwh.generator import badrows, schemas
from ecommerce_dwh.settings import PROJECT_ROOT


def test_rendered_files_are_current() -> None:
    stale = contract_files.stale()
    assert not stale, f"stale: {stale}; run: python -m ecommerce_dwh.contract write"


def test_check_fails_naming_a_stale_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "contract.json"
    target.write_text("{}\n")
    monkeypatch.setattr(contract_files, "TERRAFORM_CONTRACT", target)
    assert contract_files.stale() == [target]
    assert contract_files.main(["check"]) == 1
    assert contract_files.main(["write"]) == 0
    assert json.loads(target.read_text())["contract_version"] == contract.CONTRACT_VERSION
    assert contract_files.stale() == []


def test_the_generator_writes_the_contract_s_schemas_and_domains() -> None:
    for table in contract.TABLES:
        schema = schemas.SCHEMAS[table.name]
        assert schema.names == list(table.column_names)
        assert [schemas.ARROW_TYPES[c.type] for c in table.columns] == schema.types
    assert contract.table("customers").column("segment").domain == schemas.SEGMENTS
    assert badrows.BAD_ROW_KINDS == contract.BAD_ROW_KINDS


def test_the_generator_s_bad_rows_break_the_rule_their_reason_names() -> None:
    for table_name, columns in badrows.MISSING_COLUMNS.items():
        for name in columns:
            assert contract.table(table_name).column(name).required, (table_name, name)
    for table_name, name in badrows.TIMESTAMP_COLUMN.items():
        assert contract.table(table_name).column(name).type == contract.TIMESTAMP
    for table_name, name in badrows.UTF8_COLUMN.items():
        assert contract.table(table_name).column(name).type == contract.STRING
    for table_name, kinds in badrows.KINDS_BY_TABLE.items():
        for kind in kinds:
            reason = contract.BAD_ROW_KIND_REASONS[kind]
            if reason in contract.WAREHOUSE_REASONS:
                referenced = {r for _, r in contract.table(table_name).references.values()}
                assert reason in referenced, (table_name, kind)


def test_reasons_rules_and_references_are_consistent() -> None:
    assert len(set(contract.REASON_NAMES)) == len(contract.REASON_NAMES)
    assert set(contract.BAD_ROW_KIND_REASONS.values()) <= set(contract.REASON_NAMES)
    for table in contract.TABLES:
        for rule in table.rules:
            assert rule.reason in contract.ETL_JOB_REASONS
            for name in rule.columns:
                assert table.column(name).type in (contract.BIGINT, contract.MONEY)
        for column, (target, reason) in table.references.items():
            assert table.column(column).type == contract.BIGINT
            assert contract.table(target).key == column
            assert reason in contract.WAREHOUSE_REASONS
        assert table.column(table.key).required
        assert table.column(table.version_column).type == contract.TIMESTAMP
    with pytest.raises(KeyError, match="no table 'refunds' in the contract: customers, "):
        contract.table("refunds")


def test_terraform_and_dbt_read_the_same_tables_and_columns() -> None:
    rendered = json.loads(contract_files.TERRAFORM_CONTRACT.read_text())
    assert [t["name"] for t in rendered["tables"]] == list(contract.TABLE_NAMES)
    assert {name: [c["name"] for c in columns]
            for name, columns in rendered["silver_datasets"].items()} == {
        name: [c.name for c in contract.silver_columns(name)] for name in contract.SILVER_DATASETS}
    sources = yaml.safe_load(contract_files.DBT_SOURCES.read_text())["sources"]
    silver = {t["name"]: [c["name"] for c in t["columns"]]
              for t in next(s for s in sources if s["name"] == "ecommerce")["tables"]}
    assert silver == {name: [c.name for c in contract.silver_columns(name)] + ["dt"]
                      for name in contract.SILVER_DATASETS}
    project = yaml.safe_load(contract_files.DBT_PROJECT.read_text())
    assert project["vars"]["quarantine_reasons"] == list(contract.REASON_NAMES)
    assert project["vars"]["raw_tables"] == list(contract.TABLE_NAMES)


def test_no_other_file_spells_the_table_list() -> None:
    """The table list lives in the contract only: a literal tuple or list of the four
    names anywhere else in the Python code is a second copy."""
    names = set(contract.TABLE_NAMES)
    offenders = []
    for path in (PROJECT_ROOT / "include").rglob("*.py"):
        if path.name == "contract.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Tuple | ast.List):
                values = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                if values >= names:
                    offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    for path in (PROJECT_ROOT / "infra" / "terraform").rglob("*.tf*"):
        if '"customers", "products", "orders", "order_items"' in path.read_text():
            offenders.append(str(path.relative_to(PROJECT_ROOT)))
    assert not offenders
