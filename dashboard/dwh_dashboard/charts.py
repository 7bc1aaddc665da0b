"""Altair charts built from query results: plain functions, no Streamlit, so the
benchmark and the tests can build them on their own."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

#: The order lifecycle (dbt var order_statuses), in lifecycle order.
STATUSES = ("placed", "paid", "shipped", "delivered", "cancelled", "returned")
STATUS_COLORS = ("#9ecae1", "#4292c6", "#2171b5", "#238b45", "#cb181d", "#fd8d3c")
_status_scale = alt.Scale(domain=list(STATUSES), range=list(STATUS_COLORS))

#: Funnel stages: an order whose current status is in the set has reached the stage.
#: A cancelled order reached "placed" only (when it was cancelled is not kept); a
#: returned order was delivered first.
FUNNEL = (
    ("placed", set(STATUSES)),
    ("paid", {"paid", "shipped", "delivered", "returned"}),
    ("shipped", {"shipped", "delivered", "returned"}),
    ("delivered", {"delivered", "returned"}),
)
EXITS = ("cancelled", "returned")

_USD = "$,.2f"


# --- Revenue -----------------------------------------------------------------------


def net_revenue_by_day(daily: pd.DataFrame) -> alt.Chart:
    """Stacked bars: net revenue per day, one colour per category."""
    return (
        alt.Chart(daily)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(order_date):T", title="order day"),
            y=alt.Y("sum(net_revenue_usd):Q", title="net revenue (USD)",
                    axis=alt.Axis(format="$,.0f")),
            color=alt.Color("category:N", title="category"),
            tooltip=[
                alt.Tooltip("yearmonthdate(order_date):T", title="day"),
                alt.Tooltip("category:N"),
                alt.Tooltip("sum(net_revenue_usd):Q", title="net", format=_USD),
                alt.Tooltip("sum(gross_revenue_usd):Q", title="gross", format=_USD),
            ],
        )
        .properties(height=320)
    )


def gross_vs_net_by_day(daily: pd.DataFrame) -> alt.Chart:
    """Two lines over the days: gross (every status) and net (not cancelled/returned)."""
    per_day = (
        daily.groupby("order_date", as_index=False)[["gross_revenue_usd", "net_revenue_usd"]]
        .sum()
        .rename(columns={"gross_revenue_usd": "gross", "net_revenue_usd": "net"})
        .melt(id_vars="order_date", var_name="revenue", value_name="usd")
    )
    return (
        alt.Chart(per_day)
        .mark_line(point=True)
        .encode(
            x=alt.X("yearmonthdate(order_date):T", title="order day"),
            y=alt.Y("usd:Q", title="revenue (USD)", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("revenue:N", scale=alt.Scale(domain=["gross", "net"],
                                                         range=["#9e9ac8", "#238b45"])),
            tooltip=[alt.Tooltip("yearmonthdate(order_date):T", title="day"), "revenue:N",
                     alt.Tooltip("usd:Q", format=_USD)],
        )
        .properties(height=280)
    )


def revenue_by_category(daily: pd.DataFrame) -> alt.Chart:
    """Gross and net revenue of the whole range, per category."""
    per_category = (
        daily.groupby("category", as_index=False)[["gross_revenue_usd", "net_revenue_usd"]]
        .sum()
        .rename(columns={"gross_revenue_usd": "gross", "net_revenue_usd": "net"})
        .melt(id_vars="category", var_name="revenue", value_name="usd")
    )
    return (
        alt.Chart(per_category)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", sort="-x", title=None),
            yOffset=alt.YOffset("revenue:N"),
            x=alt.X("usd:Q", title="revenue (USD)", axis=alt.Axis(format="$,.0f")),
            color=alt.Color("revenue:N", scale=alt.Scale(domain=["gross", "net"],
                                                         range=["#9e9ac8", "#238b45"])),
            tooltip=["category:N", "revenue:N", alt.Tooltip("usd:Q", format=_USD)],
        )
        .properties(height=alt.Step(14))
    )


# --- Customers ---------------------------------------------------------------------


def ltv_histogram(buckets: pd.DataFrame, n_buckets: int) -> alt.Chart:
    """Bars of customers per net-lifetime-value bucket (bucket edges from lo/hi)."""
    frame = buckets.copy()
    lo = float(frame["lo"].iloc[0])
    hi = float(frame["hi"].iloc[0])
    width = (hi - lo) / n_buckets if hi > lo else 1.0
    frame["from_usd"] = lo + frame["bucket"].astype(float) * width
    frame["to_usd"] = frame["from_usd"] + width
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("from_usd:Q", bin="binned", title="net lifetime value (USD)",
                    axis=alt.Axis(format="$,.0f")),
            x2="to_usd:Q",
            y=alt.Y("customers:Q", title="customers"),
            tooltip=[alt.Tooltip("from_usd:Q", title="from", format=_USD),
                     alt.Tooltip("to_usd:Q", title="to", format=_USD), "customers:Q"],
        )
        .properties(height=280)
    )


def top_customers(top: pd.DataFrame) -> alt.Chart:
    """Horizontal bars: net lifetime value of the top customers."""
    frame = top.assign(customer=top["customer_id"].astype(str))
    return (
        alt.Chart(frame)
        .mark_bar(color="#238b45")
        .encode(
            y=alt.Y("customer:N", sort="-x", title="customer_id"),
            x=alt.X("net_revenue_usd:Q", title="net lifetime value (USD)",
                    axis=alt.Axis(format="$,.0f")),
            tooltip=["customer:N", "segment:N", "order_count:Q",
                     alt.Tooltip("net_revenue_usd:Q", format=_USD)],
        )
        .properties(height=alt.Step(22))
    )


def new_vs_returning(per_day: pd.DataFrame) -> alt.Chart:
    """Stacked bars per order day: new customers (first order day) and returning ones."""
    frame = per_day.rename(columns={"new_customers": "new", "returning_customers": "returning"})
    frame = frame.melt(id_vars="order_day", value_vars=["new", "returning"],
                       var_name="customers", value_name="count")
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(order_day):T", title="order day"),
            y=alt.Y("count:Q", title="customers who ordered"),
            color=alt.Color("customers:N", scale=alt.Scale(domain=["new", "returning"],
                                                           range=["#fd8d3c", "#4292c6"])),
            tooltip=[alt.Tooltip("yearmonthdate(order_day):T", title="day"), "customers:N",
                     "count:Q"],
        )
        .properties(height=280)
    )


# --- Orders ------------------------------------------------------------------------


def funnel_stages(status_counts: pd.DataFrame) -> pd.DataFrame:
    """Orders that reached each stage, then the two exits, with shares of all orders."""
    counts = dict(zip(status_counts["order_status"], status_counts["orders"], strict=True))
    total = sum(int(v) for v in counts.values())
    rows = [
        {"stage": stage, "kind": "reached", "orders": sum(int(counts.get(s, 0)) for s in members)}
        for stage, members in FUNNEL
    ]
    rows += [{"stage": status, "kind": "exit", "orders": int(counts.get(status, 0))}
             for status in EXITS]
    frame = pd.DataFrame(rows)
    frame["share"] = frame["orders"] / total if total else 0.0
    return frame


def status_funnel(stages: pd.DataFrame) -> alt.Chart:
    """Horizontal funnel: placed -> paid -> shipped -> delivered, then cancelled, returned."""
    order = [stage for stage, _ in FUNNEL] + list(EXITS)
    bars = (
        alt.Chart(stages)
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", sort=order, title=None),
            x=alt.X("orders:Q", title="orders"),
            color=alt.Color("stage:N", scale=_status_scale, legend=None),
            tooltip=["stage:N", "kind:N", "orders:Q", alt.Tooltip("share:Q", format=".1%")],
        )
    )
    labels = bars.mark_text(align="left", dx=4).encode(
        text=alt.Text("share:Q", format=".1%"), color=alt.value("#333333"))
    return (bars + labels).properties(height=220)


def status_mix_by_day(per_day: pd.DataFrame) -> alt.Chart:
    """Share of each current status among the orders of each order day."""
    return (
        alt.Chart(per_day)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(order_day):T", title="order day"),
            y=alt.Y("sum(orders):Q", stack="normalize", title="share of the day's orders",
                    axis=alt.Axis(format="%")),
            color=alt.Color("order_status:N", scale=_status_scale, title="current status"),
            tooltip=[alt.Tooltip("yearmonthdate(order_day):T", title="day"), "order_status:N",
                     "sum(orders):Q"],
        )
        .properties(height=280)
    )


def late_updates(per_delay: pd.DataFrame) -> alt.Chart:
    """Orders by days between the order day and the day their current status was written."""
    return (
        alt.Chart(per_delay)
        .mark_bar()
        .encode(
            x=alt.X("days_after_order_day:O", title="days after the order day"),
            y=alt.Y("sum(orders):Q", title="orders"),
            color=alt.Color("order_status:N", scale=_status_scale, title="current status"),
            tooltip=["days_after_order_day:O", "order_status:N", "sum(orders):Q"],
        )
        .properties(height=280)
    )


# --- History (SCD2) ----------------------------------------------------------------


def drawn_versions(versions: pd.DataFrame, end: dt.datetime) -> pd.DataFrame:
    """Versions with a label and ``drawn_to``: valid_to, or ``end`` for the open version
    (valid_to 9999-12-31 is the SCD2 open end, not a date to draw)."""
    frame = versions.copy().reset_index(drop=True)
    frame["version"] = [f"v{i + 1}" + (" (current)" if cur else "")
                        for i, cur in enumerate(frame["is_current"])]
    valid_to = pd.to_datetime(frame["valid_to"])
    open_end = valid_to.dt.year >= 9999
    frame["drawn_to"] = valid_to.where(~open_end, pd.Timestamp(end)).astype("datetime64[us]")
    frame["valid_to_text"] = valid_to.dt.strftime("%Y-%m-%d %H:%M:%S")
    return frame


def orders_in_versions(orders: pd.DataFrame, drawn: pd.DataFrame) -> pd.DataFrame:
    """Orders with the label of the version the fact points at and whether ``placed_at``
    lies in that version's window [valid_from, valid_to)."""
    windows = drawn[["version_sk", "version", "valid_from", "valid_to"]]
    frame = orders.merge(windows, on="version_sk", how="left")
    frame["version"] = frame["version"].fillna("(unknown version)")
    placed = pd.to_datetime(frame["placed_at"])
    frame["in_window"] = (placed >= pd.to_datetime(frame["valid_from"])) & (
        placed < pd.to_datetime(frame["valid_to"]))
    return frame


def scd2_timeline(drawn: pd.DataFrame, orders: pd.DataFrame) -> alt.LayerChart:
    """One bar per version from valid_from to valid_to (the open one to the last day of
    data), with the orders as dots on the version that the fact points at."""
    order = list(drawn["version"])
    # Only what is drawn: valid_to itself (9999-12-31 for the open version) is text.
    shown = drawn[["version", "version_sk", "valid_from", "drawn_to", "valid_to_text",
                   "is_current"]]
    bars = (
        alt.Chart(shown)
        .mark_bar(height=22, opacity=0.75, cornerRadius=3)
        .encode(
            x=alt.X("valid_from:T", title="time (UTC)", axis=alt.Axis(format="%b %d")),
            x2="drawn_to:T",
            y=alt.Y("version:N", sort=order, title="version"),
            color=alt.Color("version:N", sort=order, legend=None),
            tooltip=["version:N", "version_sk:N",
                     alt.Tooltip("valid_from:T", format="%Y-%m-%d %H:%M:%S"),
                     alt.Tooltip("valid_to_text:N", title="valid_to"), "is_current:N"],
        )
    )
    layers = [bars]
    if not orders.empty:
        dots = (
            alt.Chart(orders)
            .mark_point(filled=True, size=90, color="#111111", shape="diamond")
            .encode(
                x="placed_at:T",
                y=alt.Y("version:N", sort=order),
                tooltip=["order_id:Q", alt.Tooltip("placed_at:T", format="%Y-%m-%d %H:%M:%S"),
                         "version:N", alt.Tooltip("line_amount_usd:Q", format=_USD),
                         alt.Tooltip("unit_price_usd:Q", format=_USD), "in_window:N"],
            )
        )
        layers.append(dots)
    return alt.layer(*layers).properties(height=max(120, 48 * len(order)))


# --- Data quality ------------------------------------------------------------------


def quarantine_by_day(per_day: pd.DataFrame) -> alt.Chart:
    """Stacked bars per load day: quarantined rows by reason."""
    return (
        alt.Chart(per_day)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(load_date):T", title="load day"),
            y=alt.Y("sum(n_rows):Q", title="rows set aside"),
            color=alt.Color("quarantine_reason:N", title="reason"),
            tooltip=[alt.Tooltip("yearmonthdate(load_date):T", title="day"), "source_table:N",
                     "quarantine_reason:N", "rejected_by:N",
                     alt.Tooltip("sum(n_rows):Q", title="rows")],
        )
        .properties(height=280)
    )


def reconciliation_grid(recon: pd.DataFrame) -> alt.Chart:
    """A cell per (table, load day): green when it reconciles with the manifest."""
    frame = recon.assign(verdict=recon["is_reconciled"].map({1: "reconciled", 0: "MISMATCH"}))
    return (
        alt.Chart(frame)
        .mark_rect(stroke="white")
        .encode(
            x=alt.X("yearmonthdate(load_date):O", title="load day"),
            y=alt.Y("source_table:N", title=None),
            color=alt.Color("verdict:N", scale=alt.Scale(domain=["reconciled", "MISMATCH"],
                                                         range=["#41ab5d", "#cb181d"])),
            tooltip=["source_table:N", alt.Tooltip("load_date:T", format="%Y-%m-%d"), "verdict:N",
                     "manifest_rows:Q", "rows_read:Q", "manifest_good_rows:Q", "rows_loaded:Q",
                     "manifest_bad_rows:Q", "rows_quarantined:Q", "rows_rejected:Q"],
        )
        .properties(height=alt.Step(28))
    )
