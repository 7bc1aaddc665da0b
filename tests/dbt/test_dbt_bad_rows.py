"""A load with bad rows of every kind: each is quarantined with its reason, counts match
the manifests, and every good row loads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from dbt_harness import KIND_TO_REASON, Warehouse

pytestmark = pytest.mark.dbt


def test_every_bad_row_is_quarantined_with_its_reason(bad_rows_warehouse: Warehouse) -> None:
    wh = bad_rows_warehouse
    expected = wh.expected_reasons()
    kinds = {kind for (_, kind) in expected}
    assert kinds == set(KIND_TO_REASON.values()), "the fixture has every kind of bad row"
    assert wh.quarantined_reasons() == expected


def test_every_good_row_loads(bad_rows_warehouse: Warehouse) -> None:
    wh = bad_rows_warehouse
    mismatches = wh.query(
        "select * from audit.audit_load_reconciliation"
        " where rows_read != manifest_rows or rows_loaded != manifest_good_rows"
        " or rows_quarantined + rows_rejected != manifest_bad_rows or manifest_rows is null"
    )
    assert mismatches == []
    assert len(wh.query("select * from audit.audit_load_reconciliation")) == 4 * len(wh.days)
    manifests = wh.manifests()
    good_lines = sum(m["tables"]["order_items"]["good_rows"] for m in manifests)
    amount = sum(Decimal(m["order_items_line_amount_usd"]) for m in manifests)
    assert wh.query(
        "select count(*), sum(line_amount_usd) from marts.fact_order_items"
    ) == [(good_lines, amount)]


def test_invalid_utf8_lines_are_kept_readable(bad_rows_warehouse: Warehouse) -> None:
    rows = bad_rows_warehouse.query(
        "select raw_line from staging.stg_ecommerce__quarantine"
        " where quarantine_reason = 'invalid_utf8'"
    )
    assert rows and all("\\xFF\\xFE" in line for (line,) in rows)
