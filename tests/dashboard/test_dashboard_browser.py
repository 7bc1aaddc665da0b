"""The dashboard in a real browser: ``streamlit run`` as a process on 127.0.0.1 and a
free port, Debian's Chromium driven by Playwright.

Each page loads with its charts; the net revenue shown for a date range equals the same
sum queried here from the marts of ``dashboard_warehouse``; the sidebar navigates.
Screenshots: ``.local/artifacts/dashboard-<page>.png``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.dashboard

#: page -> (URL path, title, least number of charts). Revenue is the default page: "/".
PAGES = {
    "revenue": ("", "Revenue", 3),
    "customers": ("customers", "Customers", 3),
    "orders": ("orders", "Orders", 3),
    "history": ("history", "History (SCD2)", 1),
    "quality": ("quality", "Data quality", 2),
}


def _wait_rendered(page, title: str, charts: int) -> None:
    """The page's title, its charts drawn, and Streamlit idle (no script running)."""
    main = page.locator("[data-testid='stMain']")
    main.locator("h1", has_text=title).wait_for()
    page.wait_for_function(
        "n => document.querySelectorAll(\"[data-testid='stMain'] .vega-embed canvas, "
        "[data-testid='stMain'] .vega-embed svg\").length >= n", arg=charts, timeout=30_000)
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=30_000)
    page.wait_for_timeout(500)  # Vega's transitions


def _screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport."""
    height = page.evaluate(
        "() => document.querySelector(\"[data-testid='stMainBlockContainer']\").scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 120, 8000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 1000})


def _page_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_in_the_browser(name: str, dashboard_server, browser_page, artifacts: Path
                                   ) -> None:
    path, title, charts = PAGES[name]
    quarantined = _quarantined_rows(dashboard_server.warehouse)
    if name == "quality" and quarantined == 0:
        charts -= 1  # no quarantine chart: the page says that nothing was set aside
    browser_page.goto(f"{dashboard_server.base_url}/{path}")
    _wait_rendered(browser_page, title, charts)
    text = _page_text(browser_page)
    assert "run the pipeline first" not in text
    assert "Traceback" not in text and "Error" not in text.split("What this shows")[0]
    assert browser_page.locator("[data-testid='stException']").count() == 0
    assert text.count("What this shows:") >= charts
    assert browser_page.locator("[data-testid='stExpander']").count() >= charts
    if name == "quality":
        assert ("No row was quarantined or rejected in any load." in text) == (quarantined == 0)
    _screenshot(browser_page, artifacts / f"dashboard-{name}.png")


def _quarantined_rows(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from audit.audit_quarantined_rows").fetchone()[0]


def _net_revenue(warehouse: Path, start: dt.date, end: dt.date) -> Decimal:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [(total,)] = con.execute(
            "select coalesce(sum(net_revenue_usd), 0) from marts.rpt_daily_revenue_by_category "
            "where order_date between ? and ?", [start, end]).fetchall()
    return Decimal(total)


def _metric(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']", has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_revenue_total_for_a_range_matches_the_marts(dashboard_server, browser_page) -> None:
    with duckdb.connect(str(dashboard_server.warehouse), read_only=True) as con:
        [(first, last)] = con.execute(
            "select min(order_date), max(order_date) "
            "from marts.rpt_daily_revenue_by_category").fetchall()
    start = first + dt.timedelta(days=1) if last > first else first
    end = max(start, last - dt.timedelta(days=1))
    browser_page.goto(f"{dashboard_server.base_url}/?start={start}&end={end}")
    _wait_rendered(browser_page, "Revenue", 3)
    expected = _net_revenue(dashboard_server.warehouse, start, end)
    assert expected > 0
    assert _metric(browser_page, "Net revenue") == f"${expected:,.2f}"
    assert f"totals from {start} to {end}" in _page_text(browser_page)
    # The whole history is more (the range left out its first and last day).
    browser_page.goto(f"{dashboard_server.base_url}/")
    _wait_rendered(browser_page, "Revenue", 3)
    total = _net_revenue(dashboard_server.warehouse, first, last)
    assert _metric(browser_page, "Net revenue") == f"${total:,.2f}"


def test_sidebar_navigates_and_the_sql_unfolds(dashboard_server, browser_page) -> None:
    browser_page.goto(f"{dashboard_server.base_url}/")
    _wait_rendered(browser_page, "Revenue", 3)
    browser_page.locator("[data-testid='stSidebarNav'] a", has_text="Orders").click()
    _wait_rendered(browser_page, "Orders", 3)
    assert browser_page.url.rstrip("/").endswith("/orders")
    expander = browser_page.locator("[data-testid='stExpander']").first
    expander.locator("summary").click()
    code = expander.locator("[data-testid='stCode']")
    code.wait_for()
    assert "from marts.fact_order_items" in code.inner_text()
