"""Every page rendered by Streamlit's AppTest on the small, the empty and a missing
warehouse; the figures on the pages against sums computed here from the rows."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import synthetic_warehouse as sw
from conftest import PAGES


def _usd(value: Decimal) -> str:
    return f"${value:,.2f}"


def _metrics(app) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def _no_failure(app) -> None:
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders_on_the_small_warehouse(page: str, small: sw.SmallWarehouse,
                                             open_page: Callable) -> None:
    app = open_page(page, small.path)
    _no_failure(app)
    assert not [i.value for i in app.info if "run the pipeline first" in i.value]
    assert app.title[0].value
    charts = app.get("vega_lite_chart")
    assert charts, "no chart drawn"
    captions = [c.value for c in app.caption if c.value.startswith("**What this shows:**")]
    assert len(captions) >= len(charts), (len(captions), len(charts))
    # Each block's SQL is in a folded expander, as st.code.
    assert app.expander and all(not e.proto.expanded for e in app.expander)
    sql = [c.value for c in app.code]
    assert sql and all(re.search(r"\bfrom\b", s.lower()) for s in sql)


@pytest.mark.parametrize("page", list(PAGES))
def test_page_on_an_empty_warehouse_says_run_the_pipeline(page: str, empty: Path,
                                                          open_page: Callable) -> None:
    app = open_page(page, empty)
    _no_failure(app)
    messages = [i.value for i in app.info]
    assert any("run the pipeline first: `make run`" in m for m in messages), messages
    if page == "quality":  # empty audit tables: the reconciliation and last loads say so
        assert sum("run the pipeline first" in m for m in messages) >= 2


@pytest.mark.parametrize("page", list(PAGES))
def test_page_without_a_warehouse_file_says_run_the_pipeline(page: str, tmp_path: Path,
                                                             open_page: Callable) -> None:
    missing = tmp_path / "nowhere" / "warehouse.duckdb"
    app = open_page(page, missing)
    _no_failure(app)
    [message] = [i.value for i in app.info]
    assert "run the pipeline first: `make run`" in message and str(missing) in message


@pytest.mark.parametrize("page", list(PAGES))
def test_page_without_the_audit_or_mart_tables(page: str, small: sw.SmallWarehouse,
                                               copy_of: Callable, open_page: Callable) -> None:
    """A warehouse built before the audit tables (or with a mart missing) explains itself."""
    path = copy_of(small.path)
    with duckdb.connect(str(path)) as con:
        con.execute("drop schema audit cascade")
        con.execute("drop table marts.rpt_customer_lifetime_value")
        con.execute("drop table marts.rpt_daily_revenue_by_category")
    app = open_page(page, path)
    _no_failure(app)
    if page in ("revenue", "customers", "quality"):
        assert any("not found in" in i.value for i in app.info), [i.value for i in app.info]


def _expected_revenue(small: sw.SmallWarehouse, start: dt.date, end: dt.date,
                      categories: set[str]) -> tuple[Decimal, Decimal, int]:
    lines = [ln for ln in small.lines
             if start <= ln.placed_at.date() <= end and ln.category in categories]
    gross = sum((ln.line_amount_usd for ln in lines), Decimal("0"))
    net = sum((ln.line_amount_usd for ln in lines if ln.is_revenue), Decimal("0"))
    return net, gross, sum(ln.quantity for ln in lines)


def test_revenue_totals_of_the_whole_history(small: sw.SmallWarehouse,
                                             open_page: Callable) -> None:
    app = open_page("revenue", small.path)
    net, gross, units = _expected_revenue(small, small.first_day, small.last_day,
                                          set(sw.CATEGORIES))
    metrics = _metrics(app)
    assert metrics["Net revenue"] == _usd(net)
    assert metrics["Gross revenue"] == _usd(gross)
    assert metrics["Units sold"] == f"{units:,}"
    assert app.date_input[0].value == (small.first_day, small.last_day)


def test_revenue_filters_from_the_url_and_the_widgets(small: sw.SmallWarehouse,
                                                      open_page: Callable) -> None:
    start, end = small.first_day + dt.timedelta(days=2), small.first_day + dt.timedelta(days=6)
    app = open_page("revenue", small.path, {"start": start.isoformat(), "end": end.isoformat(),
                                            "category": ["Books", "Toys"]})
    _no_failure(app)
    net, gross, _ = _expected_revenue(small, start, end, {"Books", "Toys"})
    assert _metrics(app)["Net revenue"] == _usd(net)
    assert _metrics(app)["Gross revenue"] == _usd(gross)
    assert net < gross  # the range holds cancelled or returned lines: the two differ

    # Now through the widgets: one day, one more category.
    day = small.first_day + dt.timedelta(days=4)
    app.date_input[0].set_value((day, day)).run()
    app.multiselect[0].select("Garden").run()
    _no_failure(app)
    net, _, _ = _expected_revenue(small, day, day, {"Books", "Toys", "Garden"})
    assert _metrics(app)["Net revenue"] == _usd(net)
    assert app.query_params["start"] == day.isoformat()  # the view stays bookmarkable


def test_revenue_with_no_category_asks_for_one(small: sw.SmallWarehouse,
                                               open_page: Callable) -> None:
    app = open_page("revenue", small.path)
    app.multiselect[0].set_value([]).run()
    _no_failure(app)
    assert any("at least one category" in i.value for i in app.info)


def test_customers_figures(small: sw.SmallWarehouse, open_page: Callable) -> None:
    app = open_page("customers", small.path)
    _no_failure(app)
    orders_per_customer = Counter()
    for _, customer_id in {(ln.order_id, ln.customer_id) for ln in small.lines}:
        orders_per_customer[customer_id] += 1
    customers = {v.entity_id for v in small.customers}
    net = sum((ln.line_amount_usd for ln in small.lines if ln.is_revenue), Decimal("0"))
    metrics = _metrics(app)
    assert metrics["Customers"] == f"{len(customers):,}"
    assert metrics["With orders"] == f"{len(orders_per_customer):,}"
    assert metrics["Repeat customers"] == f"{sum(n > 1 for n in orders_per_customer.values()):,}"
    # The mean of the per-customer net values: the report rounds each to cents.
    per_customer: dict[int, Decimal] = {}
    for ln in small.lines:
        per_customer[ln.customer_id] = per_customer.get(ln.customer_id, Decimal("0")) + (
            ln.line_amount_usd if ln.is_revenue else Decimal("0"))
    assert sum(per_customer.values()) == net
    expected_avg = net / len(per_customer)
    assert metrics["Average net lifetime value"] == _usd(expected_avg)


def test_orders_figures(small: sw.SmallWarehouse, open_page: Callable) -> None:
    app = open_page("orders", small.path)
    _no_failure(app)
    status = {ln.order_id: ln.order_status for ln in small.lines}
    counts = Counter(status.values())
    late = {ln.order_id for ln in small.lines if ln.order_updated_at.date() > ln.placed_at.date()}
    metrics = _metrics(app)
    assert metrics["Orders"] == f"{len(status):,}"
    assert metrics["Delivered (or returned)"] == f"{counts['delivered'] + counts['returned']:,}"
    assert metrics["Cancelled or returned"] == f"{counts['cancelled'] + counts['returned']:,}"
    assert metrics["Status written after the order day"] == f"{len(late):,}"


@pytest.mark.parametrize("entity", ["customer", "product"])
def test_history_shows_every_version_and_order(entity: str, small: sw.SmallWarehouse,
                                               open_page: Callable) -> None:
    versions = small.customers if entity == "customer" else small.products
    per_id = Counter(v.entity_id for v in versions)
    key = (lambda ln: ln.customer_id) if entity == "customer" else (lambda ln: ln.product_id)
    sk = (lambda ln: ln.customer_sk) if entity == "customer" else (lambda ln: ln.product_sk)
    used = Counter(i for i, _ in {(key(ln), sk(ln)) for ln in small.lines})
    # The page's first suggestion: orders under the most versions, then most versions.
    entity_id = min(per_id, key=lambda i: (-used[i], -per_id[i], i))
    app = open_page("history", small.path, {"entity": entity})
    _no_failure(app)
    assert app.selectbox[0].value == entity_id
    assert used[entity_id] >= 2  # the example shows orders under more than one version
    orders = {ln.order_id for ln in small.lines if key(ln) == entity_id}
    metrics = _metrics(app)
    assert metrics["Versions"] == str(per_id[entity_id])
    assert metrics["Orders"] == f"{len(orders):,}"
    assert metrics["Orders outside their version's window"] == "0"
    table = app.dataframe[0].value
    # The table shows valid_to as stored; only the chart stops at the last day of data.
    assert list(table["valid_to"])[-1] == "9999-12-31 00:00:00"


def test_history_of_an_id_from_the_url(small: sw.SmallWarehouse, open_page: Callable) -> None:
    app = open_page("history", small.path, {"entity": "product", "id": "3"})
    _no_failure(app)
    assert app.selectbox[0].value == 3
    assert _metrics(app)["Versions"] == str(sum(v.entity_id == 3 for v in small.products))


def test_history_of_an_unknown_id(small: sw.SmallWarehouse, open_page: Callable) -> None:
    app = open_page("history", small.path, {"entity": "customer", "id": "999999"})
    assert not app.exception
    assert any("No customer_id 999999" in w.value for w in app.warning)


def test_quality_figures(small: sw.SmallWarehouse, open_page: Callable) -> None:
    app = open_page("quality", small.path)
    _no_failure(app)
    metrics = _metrics(app)
    assert metrics["Rows set aside"] == f"{len(small.quarantined):,}"
    loads = len(small.reconciliation)
    assert metrics["Loads reconciled"] == f"{loads} of {loads}"
    assert metrics["Fact rows / expected"] == f"{len(small.lines):,} / {len(small.lines):,}"
    last = app.dataframe[-1].value
    assert set(last["source_table"]) == set(sw.RAW_TABLES)
    assert {pd_day.date() for pd_day in last["last_load_date"]} == {small.last_day}


def test_quality_flags_a_load_that_does_not_reconcile(small: sw.SmallWarehouse,
                                                      copy_of: Callable,
                                                      open_page: Callable) -> None:
    path = copy_of(small.path)
    with duckdb.connect(str(path)) as con:
        con.execute("update audit.audit_load_reconciliation set rows_loaded = rows_loaded - 1 "
                    "where source_table = 'orders' and load_date = ?", [small.first_day])
        con.execute("update audit.audit_fact_reconciliation set fact_rows = fact_rows - 2")
    app = open_page("quality", path)
    assert not app.exception
    total = len(small.reconciliation)
    assert _metrics(app)["Loads reconciled"] == f"{total - 1} of {total}"
    errors = [e.value for e in app.error]
    assert any("1 loads do not reconcile" in e for e in errors), errors
    assert any("does not match the manifests" in e for e in errors), errors


def test_quality_with_no_quarantined_row(small: sw.SmallWarehouse, copy_of: Callable,
                                         open_page: Callable) -> None:
    path = copy_of(small.path)
    with duckdb.connect(str(path)) as con:
        con.execute("delete from audit.audit_quarantined_rows")
    app = open_page("quality", path)
    _no_failure(app)
    assert any("No row was quarantined" in s.value for s in app.success)
