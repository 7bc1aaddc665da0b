"""Orders: the status funnel and how statuses change after the order day."""

from __future__ import annotations

import streamlit as st
from dwh_dashboard import charts, ui
from dwh_dashboard import queries as q


def body() -> None:
    ui.require_tables([q.FACT])
    lifecycle_query = q.order_lifecycle()
    lifecycle = ui.require_rows(ui.fetch(lifecycle_query), q.FACT)
    counts = lifecycle.groupby("order_status", as_index=False)["orders"].sum()
    late = (lifecycle.dropna(subset=["days_after_order_day"])
            .groupby(["order_status", "days_after_order_day"], as_index=False)["orders"].sum())
    mix = lifecycle.groupby(["order_day", "order_status"], as_index=False)["orders"].sum()
    stages = charts.funnel_stages(counts)
    total = int(counts["orders"].sum())
    later = int(late.loc[late["days_after_order_day"] > 0, "orders"].sum())

    columns = st.columns(4)
    columns[0].metric("Orders", f"{total:,}")
    delivered = int(stages.loc[stages["stage"] == "delivered", "orders"].iloc[0])
    columns[1].metric("Delivered (or returned)", f"{delivered:,}")
    exits = int(stages.loc[stages["kind"] == "exit", "orders"].sum())
    columns[2].metric("Cancelled or returned", f"{exits:,}")
    columns[3].metric("Status written after the order day", f"{later:,}",
                      help="Late updates: the order's current status was written on a later "
                           "day than it was placed")

    ui.chart("orders that reached each stage (a delivered order was placed, paid and shipped; "
             "a returned one was delivered first; a cancelled one counts as placed only), "
             "then the two exits; labels are shares of all orders.",
             charts.status_funnel(stages), lifecycle_query)
    ui.chart("orders by the number of days between their order day and the day their current "
             "status was written (0 = same day): the late updates that the fact's lookback "
             "re-selects.", charts.late_updates(late), lifecycle_query)
    ui.chart("the current status of the orders of each order day: older days have moved "
             "further along.", charts.status_mix_by_day(mix), lifecycle_query)


ui.page(
    "Orders",
    f"From `{q.FACT}`: one row per order line, whose `order_status` is the order's latest "
    "status and `order_updated_at` when it was written.",
    body,
)
