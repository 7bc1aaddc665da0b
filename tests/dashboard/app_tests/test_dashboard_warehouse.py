"""The reading side: which warehouse the environment names, Redshift's connection (with
redshift_connector.connect mocked: no Redshift exists here), DuckDB's read-only,
per-query connections next to a real writer process, and the queries' results
against figures computed from the rows."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
import synthetic_warehouse as sw
from dwh_dashboard import charts, config
from dwh_dashboard import queries as q
from dwh_dashboard.warehouse import (
    DuckDBWarehouse,
    Query,
    RedshiftWarehouse,
    WarehouseBusy,
    WarehouseMissing,
    WarehouseUnavailable,
    to_format_paramstyle,
)

# --- which warehouse ---------------------------------------------------------------


def test_local_is_the_default_and_follows_the_project_rule(tmp_path: Path) -> None:
    source = config.source_from_env({})
    assert source == config.DuckDBSource(config.REPO_ROOT / ".local" / "warehouse.duckdb")
    assert config.source_from_env({"DWH_STATE_DIR": str(tmp_path)}).path == (
        tmp_path.resolve() / "warehouse.duckdb")
    explicit = tmp_path / "elsewhere.duckdb"
    assert config.source_from_env({"DWH_STATE_DIR": "/x", "DWH_DUCKDB_PATH": str(explicit)}
                                  ).path == explicit


def test_redshift_connection_arguments_from_the_environment() -> None:
    source = config.source_from_env({
        "DWH_ENVIRONMENT": "staging", "DWH_REDSHIFT_WORKGROUP": "ecommerce-dwh-staging",
        "DWH_REDSHIFT_DATABASE": "analytics", "AWS_DEFAULT_REGION": "eu-west-1"})
    assert source.connect_kwargs() == {
        "iam": True, "is_serverless": True, "serverless_work_group": "ecommerce-dwh-staging",
        "database": "analytics", "region": "eu-west-1"}
    with_host = config.source_from_env({
        "DWH_ENVIRONMENT": "prod", "DWH_REDSHIFT_WORKGROUP": "wg", "DWH_REDSHIFT_HOST": "h.example",
        "DWH_REDSHIFT_PORT": "5440"})
    assert with_host.connect_kwargs() == {
        "iam": True, "is_serverless": True, "serverless_work_group": "wg", "database": "dev",
        "region": "us-east-2", "host": "h.example", "port": 5440}


@pytest.mark.parametrize(("environ", "message"), [
    ({"DWH_ENVIRONMENT": "qa"}, "not one of local, dev, staging, prod"),
    ({"DWH_ENVIRONMENT": "dev"}, "set DWH_REDSHIFT_WORKGROUP"),
    ({"DWH_ENVIRONMENT": "dev", "DWH_REDSHIFT_WORKGROUP": "w", "DWH_REDSHIFT_PORT": "x"},
     "not a port number"),
])
def test_bad_environments_say_what_to_set(environ: dict[str, str], message: str) -> None:
    with pytest.raises(config.ConfigError, match=message):
        config.source_from_env(environ)


# --- Redshift, mocked --------------------------------------------------------------


def _redshift() -> RedshiftWarehouse:
    return RedshiftWarehouse(config.RedshiftSource("ecommerce-dwh-dev", "dev", "us-east-2",
                                                   host="wg.example", port=5439))


def test_redshift_query_uses_iam_and_closes_the_connection() -> None:
    connection = mock.MagicMock()
    cursor = connection.cursor.return_value
    cursor.description = [("order_date",), ("net_revenue_usd",)]
    cursor.fetchall.return_value = [(dt.date(2024, 1, 1), Decimal("12.50"))]
    with mock.patch("redshift_connector.connect", return_value=connection) as connect:
        frame = _redshift().query(q.revenue_totals(dt.date(2024, 1, 1), dt.date(2024, 1, 2),
                                                   ["Books"]))
    connect.assert_called_once_with(iam=True, is_serverless=True,
                                    serverless_work_group="ecommerce-dwh-dev", database="dev",
                                    region="us-east-2", host="wg.example", port=5439)
    sql, params = cursor.execute.call_args.args
    assert "?" not in sql and sql.count("%s") == 3
    assert params == [dt.date(2024, 1, 1), dt.date(2024, 1, 2), "Books"]
    connection.close.assert_called_once()
    assert frame["net_revenue_usd"].tolist() == [12.5]  # Decimal became a float


def test_redshift_connection_failure_is_a_clear_error() -> None:
    with mock.patch("redshift_connector.connect", side_effect=OSError("no route to host")), \
            pytest.raises(WarehouseUnavailable, match="cannot connect to Redshift Serverless "
                                                      "workgroup ecommerce-dwh-dev"):
        _redshift().query(q.revenue_bounds())


def test_redshift_page_shows_a_connection_error_not_a_trace(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DWH_ENVIRONMENT", "dev")
    monkeypatch.setenv("DWH_REDSHIFT_WORKGROUP", "ecommerce-dwh-dev")
    with mock.patch("redshift_connector.connect", side_effect=OSError("no route to host")):
        app = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not app.exception
    assert any("Cannot read the warehouse" in e.value and "no route to host" in e.value
               for e in app.error)


def test_every_query_is_portable_placeholder_sql() -> None:
    """``?`` placeholders only, no ``%`` (redshift_connector's format paramstyle)."""
    for query in _all_queries():
        assert "%" not in query.sql, query.title
        assert query.sql.count("?") == len(query.params), query.title
        assert to_format_paramstyle(query.sql).count("%s") == len(query.params)


def _all_queries() -> list[Query]:
    day = dt.date(2024, 1, 2)
    return [
        q.revenue_bounds(), q.revenue_categories(), q.revenue_totals(day, day, ["Books"]),
        q.revenue_daily(day, day, ["Books", "Toys"]), q.customer_summary(), q.ltv_histogram(),
        q.top_customers(), q.new_vs_returning(), q.order_lifecycle(), q.most_versioned("customer"),
        q.versions("product", 1), q.entity_orders("customer", 1), q.last_day_of_data("product"),
        q.quarantine_by_day(), q.quarantine_sample(["orders"]), q.load_reconciliation(),
        q.fact_reconciliation(), q.last_loads(),
    ]


# --- DuckDB: read-only per query, next to a writer ---------------------------------

WRITER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])          # read-write: takes the file's lock
    con.execute("create or replace table audit.writer_was_here as select 1 as x")
    print("locked", flush=True)
    sys.stdin.readline()                       # hold the lock until told to stop
    con.close()
""")


def _writer(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # type: ignore[union-attr]
    if line.strip() != "locked":
        proc.kill()
        raise AssertionError(f"writer could not open {path}: {proc.stderr.read()}")  # type: ignore[union-attr]
    return proc


def _release(proc: subprocess.Popen) -> None:
    proc.communicate("\n", timeout=30)
    assert proc.returncode == 0


def test_a_query_leaves_no_lock_behind(small: sw.SmallWarehouse, copy_of: Callable) -> None:
    """After the dashboard read, a transform (another process) can open the file to write."""
    path = copy_of(small.path)
    assert not DuckDBWarehouse(config.DuckDBSource(path)).query(q.revenue_bounds()).empty
    _release(_writer(path))


def test_a_running_writer_makes_queries_fail_fast_not_block(small: sw.SmallWarehouse,
                                                            copy_of: Callable) -> None:
    path = copy_of(small.path)
    writer = _writer(path)
    try:
        with pytest.raises(WarehouseBusy, match="locked by a writer"):
            DuckDBWarehouse(config.DuckDBSource(path)).query(q.revenue_bounds())
    finally:
        _release(writer)


def test_a_page_during_a_transform(small: sw.SmallWarehouse, copy_of: Callable,
                                   open_page: Callable) -> None:
    """First render reads the file; while a writer holds it the page shows the last
    results with a note; with nothing read before, it says the warehouse is busy."""
    path = copy_of(small.path)
    before = open_page("orders", path)
    assert not before.exception and before.metric
    writer = _writer(path)  # it also writes, so the file's cache key changes
    try:
        during = open_page("orders", path)
        assert not during.exception
        assert [m.value for m in during.metric] == [m.value for m in before.metric]
        assert any("locked by a running transform" in w.value for w in during.warning)

        import streamlit as st
        from dwh_dashboard import ui

        st.cache_data.clear()
        ui._last_good.clear()  # noqa: SLF001
        cold = open_page("orders", path)
        assert not cold.exception and not cold.metric
        assert any("being written right now" in w.value for w in cold.warning)
    finally:
        _release(writer)


def test_missing_file_is_its_own_error(tmp_path: Path) -> None:
    with pytest.raises(WarehouseMissing, match="no warehouse file at"):
        DuckDBWarehouse(config.DuckDBSource(tmp_path / "x.duckdb")).query(q.revenue_bounds())


# --- the queries' results against the rows -----------------------------------------


@pytest.fixture
def run(small: sw.SmallWarehouse) -> Callable[[Query], pd.DataFrame]:
    warehouse = DuckDBWarehouse(config.DuckDBSource(small.path))
    return warehouse.query


def test_new_vs_returning(small: sw.SmallWarehouse, run: Callable) -> None:
    first_day: dict[int, dt.date] = {}
    days: set[tuple[int, dt.date]] = set()
    for ln in small.lines:
        day = ln.placed_at.date()
        days.add((ln.customer_id, day))
        first_day[ln.customer_id] = min(first_day.get(ln.customer_id, day), day)
    new = Counter(d for c, d in days if first_day[c] == d)
    returning = Counter(d for c, d in days if first_day[c] < d)
    frame = run(q.new_vs_returning())
    got = {pd.Timestamp(r.order_day).date(): (r.new_customers, r.returning_customers)
           for r in frame.itertuples()}
    assert got == {d: (new[d], returning[d]) for d in {d for _, d in days}}


def test_funnel_and_late_updates(small: sw.SmallWarehouse, run: Callable) -> None:
    orders = {ln.order_id: ln for ln in small.lines}
    status = Counter(ln.order_status for ln in orders.values())
    lifecycle = run(q.order_lifecycle())
    counts = lifecycle.groupby("order_status", as_index=False)["orders"].sum()
    stages = charts.funnel_stages(counts).set_index("stage")["orders"]
    assert stages["placed"] == len(orders)
    assert stages["paid"] == status["paid"] + status["shipped"] + status["delivered"] + status[
        "returned"]
    assert stages["delivered"] == status["delivered"] + status["returned"]
    assert stages["cancelled"] == status["cancelled"]
    delays = Counter((ln.order_status, (ln.order_updated_at.date() - ln.placed_at.date()).days)
                     for ln in orders.values())
    late = lifecycle.groupby(["order_status", "days_after_order_day"])["orders"].sum()
    assert {(s, int(d)): n for (s, d), n in late.items()} == dict(delays)
    per_day = Counter((ln.placed_at.date(), ln.order_status) for ln in orders.values())
    mix = lifecycle.groupby(["order_day", "order_status"])["orders"].sum()
    assert {(pd.Timestamp(d).date(), s): n for (d, s), n in mix.items()} == dict(per_day)


def test_ltv_histogram_counts_every_customer_with_orders(small: sw.SmallWarehouse,
                                                         run: Callable) -> None:
    buckets = run(q.ltv_histogram())
    assert int(buckets["customers"].sum()) == len({ln.customer_id for ln in small.lines})
    assert buckets["bucket"].between(0, q.LTV_BUCKETS - 1).all()
    chart = charts.ltv_histogram(buckets, q.LTV_BUCKETS)
    assert chart.to_dict()["mark"]["type"] == "bar"


def test_scd2_timeline_stops_at_the_last_day_of_data(small: sw.SmallWarehouse,
                                                     run: Callable) -> None:
    customer = next(v.entity_id for v in small.customers if not v.is_current)
    versions = run(q.versions("customer", customer))
    end = dt.datetime.combine(small.last_day + dt.timedelta(days=1), dt.time())
    drawn = charts.drawn_versions(versions, end)
    assert drawn["drawn_to"].iloc[-1] == pd.Timestamp(end)  # not 9999-12-31
    assert drawn["version"].iloc[-1].endswith("(current)")
    assert (drawn["drawn_to"].iloc[:-1].values == pd.to_datetime(versions["valid_to"]).iloc[:-1]
            .values).all()
    orders = charts.orders_in_versions(run(q.entity_orders("customer", customer)), drawn)
    expected = {ln.order_id for ln in small.lines if ln.customer_id == customer}
    assert set(orders["order_id"]) == expected and orders["in_window"].all()
    # In the chart, the bars end at drawn_to; no bar reaches 9999.
    spec = charts.scd2_timeline(drawn, orders).to_dict()
    assert spec["layer"][0]["encoding"]["x2"]["field"] == "drawn_to"
    bars = next(rows for rows in spec["datasets"].values() if "drawn_to" in rows[0])
    assert max(r["drawn_to"] for r in bars) == end.isoformat()


def test_last_loads(small: sw.SmallWarehouse, run: Callable) -> None:
    frame = run(q.last_loads())
    assert sorted(frame["source_table"]) == sorted(sw.RAW_TABLES)
    last = {r[0]: r for r in small.reconciliation if r[1] == small.last_day}
    for row in frame.itertuples():
        assert pd.Timestamp(row.last_load_date).date() == small.last_day
        assert row.rows_loaded == last[row.source_table][9]
