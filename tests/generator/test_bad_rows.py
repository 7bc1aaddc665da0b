"""Bad rows: extra rows of named kinds, counted exactly in the manifest, good rows untouched."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from gen_helpers import EPOCH, parse_line

from ecommerce_dwh.generator import BAD_ID_BASE, BAD_ROW_KINDS, GeneratorConfig, generate_day
from ecommerce_dwh.generator.badrows import BAD_TIMESTAMPS, KINDS_BY_TABLE

_TS_COLUMNS = {"customers": "signup_at", "products": "updated_at", "orders": "placed_at",
               "order_items": "updated_at"}
_QUANTITY_FREE = {"customers", "products", "orders"}


def _classify(table: str, header: list[str], line: bytes, good_lines: set[bytes]) -> str:
    """Which kind a bad line is, judged from its content only."""
    if line in good_lines:
        return "duplicate_id"
    try:
        fields = parse_line(line)
    except UnicodeDecodeError:
        return "invalid_utf8"
    if len(fields) != len(header):
        return "malformed_line"
    row = dict(zip(header, fields, strict=True))
    if row[_TS_COLUMNS[table]] in BAD_TIMESTAMPS:
        return "bad_timestamp"
    if any(v == "" for k, v in row.items() if k != "phone"):
        return "missing_required"
    if table not in _QUANTITY_FREE and int(row["quantity"]) < 0:
        return "negative_quantity"
    if table == "orders" and int(row["customer_id"]) >= BAD_ID_BASE:
        return "unknown_customer"
    if table == "order_items" and int(row["product_id"]) >= BAD_ID_BASE:
        return "unknown_product"
    return "unclassified"


@pytest.fixture(scope="module")
def clean_and_bad(tmp_path_factory):
    out = tmp_path_factory.mktemp("bad")
    day = EPOCH + dt.timedelta(days=6)
    clean_cfg = GeneratorConfig(seed=11, orders_per_day=300)
    bad_cfg = GeneratorConfig(seed=11, orders_per_day=300, bad_row_rate=0.15)
    return generate_day(day, clean_cfg, out / "clean"), generate_day(day, bad_cfg, out / "bad")


@pytest.mark.parametrize("table", list(KINDS_BY_TABLE))
def test_bad_rows_counted_per_kind_and_good_rows_intact(clean_and_bad, table):
    clean, bad = clean_and_bad
    clean_lines = clean.files[table].read_bytes().splitlines(keepends=True)
    bad_lines = bad.files[table].read_bytes().splitlines(keepends=True)
    assert bad_lines[0] == clean_lines[0]  # header
    header = parse_line(clean_lines[0])
    good = clean_lines[1:]
    # The clean file's rows appear in the same order inside the bad file; the rest are extras.
    extras, i = [], 0
    for line in bad_lines[1:]:
        if i < len(good) and line == good[i]:
            i += 1
        else:
            extras.append(line)
    assert i == len(good)
    entry = bad.manifest["tables"][table]
    assert entry["good_rows"] == len(good) == clean.manifest["tables"][table]["rows"]
    assert entry["rows"] == len(bad_lines) - 1
    kinds = Counter(_classify(table, header, line, set(good)) for line in extras)
    assert kinds == Counter({k: n for k, n in entry["bad_rows"].items() if n})
    assert set(entry["bad_rows"]) == set(BAD_ROW_KINDS)
    assert set(kinds) <= set(KINDS_BY_TABLE[table])
    assert extras and len(kinds) >= min(3, len(extras) // 10)


def test_every_kind_is_produced(clean_and_bad):
    _, bad = clean_and_bad
    produced = {k for t in bad.manifest["tables"].values() for k, n in t["bad_rows"].items() if n}
    assert produced == set(BAD_ROW_KINDS)


def test_good_totals_unchanged_by_bad_rows(clean_and_bad):
    clean, bad = clean_and_bad
    for key in ("order_items_line_amount_usd", "scd2_changes", "new_rows",
                "order_status_changes"):
        assert bad.manifest[key] == clean.manifest[key]
    assert bad.manifest["bad_rows_total"] == sum(
        sum(t["bad_rows"].values()) for t in bad.manifest["tables"].values()) > 0
    assert clean.manifest["bad_rows_total"] == 0
