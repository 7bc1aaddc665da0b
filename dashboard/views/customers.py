"""Customers: lifetime value distribution, top customers, new vs returning by day."""

from __future__ import annotations

import streamlit as st
from dwh_dashboard import charts, ui
from dwh_dashboard import queries as q

TOP_N = 20


def body() -> None:
    ui.require_tables([q.RPT_CLV, q.FACT, q.DIM_CUSTOMERS])
    summary_query = q.customer_summary()
    summary = ui.fetch(summary_query).iloc[0]
    if int(summary["customers"] or 0) == 0:
        raise ui.NoData(f"{q.RPT_CLV} has no rows yet")

    with_orders = int(summary["customers_with_orders"] or 0)
    columns = st.columns(4)
    columns[0].metric("Customers", f"{int(summary['customers']):,}")
    columns[1].metric("With orders", f"{with_orders:,}")
    columns[2].metric("Repeat customers", f"{int(summary['repeat_customers'] or 0):,}",
                      help="More than one order")
    avg = summary["avg_net_ltv_usd"]
    columns[3].metric("Average net lifetime value",
                      ui.usd(float(avg)) if with_orders else "n/a",
                      help="Over the customers with at least one order")
    ui.show_sql(summary_query)
    if with_orders == 0:
        st.info("No customer has an order yet.")
        return

    histogram_query = q.ltv_histogram()
    ui.chart("how many customers (with at least one order) fall in each band of net lifetime "
             "value: 30 equal bands from the lowest to the highest.",
             charts.ltv_histogram(ui.fetch(histogram_query), q.LTV_BUCKETS), histogram_query)

    top_query = q.top_customers(TOP_N)
    top = ui.fetch(top_query)
    ui.chart(f"the {TOP_N} customers with the highest net lifetime value (current segment "
             "and state in the tooltip).", charts.top_customers(top), top_query)
    with st.expander(f"Top {TOP_N} customers as a table", icon=":material/table:"):
        st.dataframe(top, hide_index=True, width="stretch")

    new_query = q.new_vs_returning()
    per_day = ui.fetch(new_query)
    ui.chart("customers who ordered each day: *new* on their first order day in the "
             "warehouse, *returning* on any later day.", charts.new_vs_returning(per_day),
             new_query)


ui.page(
    "Customers",
    f"Lifetime value from `{q.RPT_CLV}` (one row per customer, current version); new and "
    f"returning customers from `{q.FACT}` joined to `{q.DIM_CUSTOMERS}`.",
    body,
)
