"""History: one customer's or product's SCD2 versions on a timeline, with the orders
placed under each version (the fact's point-in-time join made visible).

URL parameters: ``?entity=product&id=42``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from dwh_dashboard import charts, ui
from dwh_dashboard import queries as q

LABELS = {"customer": "Customer (customer_id)", "product": "Product (product_id)"}


def _last_day_end(last: pd.DataFrame) -> dt.datetime:
    """Midnight after the last day of data: where the current version's bar stops."""
    stamps = [pd.Timestamp(v) for v in last.iloc[0] if v is not None and not pd.isna(v)]
    latest = max(stamps) if stamps else pd.Timestamp.now()
    return (latest.normalize() + pd.Timedelta(days=1)).to_pydatetime()


def _pick_entity() -> str:
    key = "history_entity"
    if key not in st.session_state:
        wanted = st.query_params.get("entity", "customer")
        st.session_state[key] = wanted if wanted in LABELS else "customer"
    return st.radio("Dimension", list(LABELS), format_func=LABELS.__getitem__, horizontal=True,
                    key=key)


def _pick_id(entity: str, natural_key: str, suggestions: pd.DataFrame) -> int | None:
    counts = {int(r.entity_id): (int(r.versions), int(r.versions_with_orders))
              for r in suggestions.itertuples()}
    options: list[int | str] = list(counts)
    key = f"history_{entity}_id"
    if key not in st.session_state:
        raw = st.query_params.get("id")
        st.session_state[key] = int(raw) if raw and raw.isdigit() else options[0]
    if st.session_state[key] not in counts:  # an id typed in, or from the URL
        options.insert(0, st.session_state[key])
    picked = st.selectbox(
        f"{natural_key} (listed: the {len(counts)} whose orders span the most versions; "
        "type any other)",
        options, key=key, accept_new_options=True,
        format_func=lambda v: (f"{v}: {counts[v][0]} versions, orders under {counts[v][1]}"
                               if v in counts else str(v)),
    )
    try:
        return int(picked)
    except (TypeError, ValueError):
        st.error(f"{natural_key} must be a whole number, not {picked!r}")
        return None


def body() -> None:
    entity = _pick_entity()
    table, natural_key, surrogate_key, attributes = q.ENTITIES[entity]
    ui.require_tables([table, q.FACT])
    suggestions = ui.require_rows(ui.fetch(q.most_versioned(entity)), table)
    entity_id = _pick_id(entity, natural_key, suggestions)
    if entity_id is None:
        return
    st.query_params.from_dict({"entity": entity, "id": str(entity_id)})

    versions_query = q.versions(entity, entity_id)
    versions = ui.fetch(versions_query)
    if versions.empty:
        st.warning(f"No {natural_key} {entity_id} in {table}.")
        return
    orders_query = q.entity_orders(entity, entity_id)
    last_query = q.last_day_of_data(entity)
    drawn = charts.drawn_versions(versions, _last_day_end(ui.fetch(last_query)))
    orders = charts.orders_in_versions(ui.fetch(orders_query), drawn)

    outside = int((~orders["in_window"]).sum()) if len(orders) else 0
    columns = st.columns(3)
    columns[0].metric("Versions", f"{len(drawn)}")
    columns[1].metric("Orders", f"{len(orders):,}")
    columns[2].metric("Orders outside their version's window", f"{outside}",
                      help="Orders whose placed_at is not in [valid_from, valid_to) of the "
                           f"{surrogate_key} the fact points at; 0 when the join is right")
    ui.chart(f"each bar is one version of {natural_key} {entity_id}, from valid_from to "
             "valid_to (the current one, open until 9999-12-31, is drawn to the end of the last "
             f"day of data); each diamond is an order, on the version its {surrogate_key} in "
             "the fact points at.",
             charts.scd2_timeline(drawn, orders), versions_query, orders_query, last_query)

    per_version = orders.groupby("version_sk").agg(
        orders=("order_id", "nunique"), line_amount_usd=("line_amount_usd", "sum"))
    shown = drawn.merge(per_version, left_on="version_sk", right_index=True, how="left")
    shown[["orders", "line_amount_usd"]] = shown[["orders", "line_amount_usd"]].fillna(0)
    shown = shown[["version", "version_sk", "valid_from", "valid_to_text", "is_current",
                   *attributes, "orders", "line_amount_usd"]].rename(
        columns={"version_sk": surrogate_key, "valid_to_text": "valid_to"})
    ui.table(f"the versions of {natural_key} {entity_id} with the attributes that changed "
             "between them, and the orders placed under each.", shown, versions_query,
             orders_query)
    if outside:
        st.error(f"{outside} orders point at a version whose window does not contain their "
                 "placed_at: the point-in-time join is broken.")


ui.page(
    "History (SCD2)",
    f"Type-2 history of `{q.DIM_CUSTOMERS}` and `{q.DIM_PRODUCTS}`: windows are half-open "
    "[valid_from, valid_to). Every fact row points at the version valid at its `placed_at`.",
    body,
)
