"""Revenue: net and gross revenue by day and category, for a date range and categories.

The filters also live in the URL (``?start=2024-01-02&end=2024-01-05&category=Books``),
so a view can be bookmarked or shared.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from dwh_dashboard import charts, ui
from dwh_dashboard import queries as q


def _as_date(value: object) -> dt.date:
    return pd.Timestamp(value).date()


def _url_date(name: str, default: dt.date, first: dt.date, last: dt.date) -> dt.date:
    raw = st.query_params.get(name)
    try:
        value = dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        value = default
    return min(max(value, first), last)


def _date_filter(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    key = "revenue_dates"
    current = st.session_state.get(key)
    if not current:
        current = (_url_date("start", first, first, last), _url_date("end", last, first, last))
    # Keep a remembered range inside the data (a rebuilt warehouse may be shorter).
    clamped = tuple(min(max(d, first), last) for d in current)
    st.session_state[key] = clamped
    picked = st.date_input("Order days", key=key, min_value=first, max_value=last,
                           format="YYYY-MM-DD")
    if len(picked) == 1:  # the second click of the range is still to come
        return picked[0], picked[0]
    start, end = picked
    return start, end


def _category_filter(all_categories: list[str]) -> list[str]:
    key = "revenue_categories"
    if key not in st.session_state:
        wanted = [c for c in st.query_params.get_all("category") if c in all_categories]
        st.session_state[key] = wanted or all_categories
    else:
        st.session_state[key] = [c for c in st.session_state[key] if c in all_categories]
    return st.multiselect("Categories", all_categories, key=key,
                          placeholder="pick at least one category")


def body() -> None:
    ui.require_tables([q.RPT_REVENUE])
    bounds = ui.fetch(q.revenue_bounds())
    if bounds.empty or int(bounds["n_rows"].iloc[0]) == 0:
        raise ui.NoData(f"{q.RPT_REVENUE} has no rows yet")
    first, last = _as_date(bounds["first_day"].iloc[0]), _as_date(bounds["last_day"].iloc[0])
    all_categories = [str(c) for c in ui.fetch(q.revenue_categories())["category"]]

    left, right = st.columns([1, 2])
    with left:
        start, end = _date_filter(first, last)
    with right:
        categories = _category_filter(all_categories)
    params: dict[str, str | list[str]] = {"start": start.isoformat(), "end": end.isoformat()}
    if set(categories) != set(all_categories):
        params["category"] = categories
    st.query_params.from_dict(params)
    if not categories:
        st.info("Pick at least one category to see its revenue.")
        return

    totals_query = q.revenue_totals(start, end, categories)
    totals = ui.fetch(totals_query).iloc[0]
    st.caption(f"**What this shows:** totals from {start} to {end} (both included) over "
               f"{len(categories)} of {len(all_categories)} categories.")
    columns = st.columns(4)
    columns[0].metric("Net revenue", ui.usd(float(totals["net_revenue_usd"])),
                      help="Line amounts of orders not cancelled or returned")
    columns[1].metric("Gross revenue", ui.usd(float(totals["gross_revenue_usd"])),
                      help="Line amounts of every order, whatever its status")
    columns[2].metric("Discounts", ui.usd(float(totals["discount_usd"])))
    columns[3].metric("Units sold", f"{int(totals['units_sold']):,}")
    ui.show_sql(totals_query)

    daily_query = q.revenue_daily(start, end, categories)
    daily = ui.fetch(daily_query)
    if daily.empty:
        st.info(f"No revenue between {start} and {end} in these categories.")
        return
    ui.chart("net revenue per order day, stacked by product category (the category of the "
             "product version sold).", charts.net_revenue_by_day(daily), daily_query)
    ui.chart("gross revenue (every line) against net revenue (without cancelled and "
             "returned orders) per day.", charts.gross_vs_net_by_day(daily), daily_query)
    ui.chart("gross and net revenue of the selected days per category.",
             charts.revenue_by_category(daily), daily_query)


ui.page(
    "Revenue",
    f"Daily revenue by product category from `{q.RPT_REVENUE}`. *Net* leaves out orders "
    "whose current status is cancelled or returned; *gross* counts every line.",
    body,
)
