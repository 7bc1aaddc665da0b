"""Data quality: quarantined rows, reconciliation with the generator's manifests, and
the last load per table."""

from __future__ import annotations

import streamlit as st
from dwh_dashboard import charts, ui
from dwh_dashboard import queries as q


def _section(title: str, render: object) -> None:
    """One section; a missing or empty audit table stops only its own section."""
    st.subheader(title)
    try:
        render()  # type: ignore[operator]
    except ui.NoData as exc:
        ui.show_no_data(str(exc))


def quarantine() -> None:
    ui.require_tables([q.QUARANTINE])
    by_day_query = q.quarantine_by_day()
    by_day = ui.fetch(by_day_query)
    if by_day.empty:
        st.success("No row was quarantined or rejected in any load.", icon=":material/check:")
        return
    tables = sorted(str(t) for t in by_day["source_table"].unique())
    chosen = st.multiselect("Tables", tables, default=tables, key="quality_tables")
    if not chosen:
        st.info("Pick at least one table.")
        return
    shown = by_day[by_day["source_table"].isin(chosen)]
    st.metric("Rows set aside", f"{int(shown['n_rows'].sum()):,}",
              help="Quarantined by the ETL job or rejected by the warehouse")
    ui.chart("raw rows set aside per load day, by reason (tooltip: table and the stage that "
             "rejected them: the ETL job or the warehouse).", charts.quarantine_by_day(shown),
             by_day_query)
    summary = (shown.groupby(["source_table", "quarantine_reason", "rejected_by"], as_index=False)
               ["n_rows"].sum().sort_values(["source_table", "n_rows"], ascending=[True, False]))
    ui.table("rows set aside per table, reason and stage, over every load day.", summary,
             by_day_query)
    sample_query = q.quarantine_sample(chosen)
    ui.table("the latest quarantined raw lines as they arrived (raw_line is empty for rows "
             "the warehouse rejected after parsing).", ui.fetch(sample_query), sample_query)


def reconciliation() -> None:
    ui.require_tables([q.LOAD_RECON])
    recon_query = q.load_reconciliation()
    recon = ui.require_rows(ui.fetch(recon_query), q.LOAD_RECON)
    good = int(recon["is_reconciled"].sum())
    columns = st.columns(2)
    columns[0].metric("Loads reconciled", f"{good} of {len(recon)}",
                      help="rows_read = manifest_rows, rows_loaded = manifest_good_rows and "
                           "rows_quarantined + rows_rejected = manifest_bad_rows")
    ui.chart("each (table, load day) against the generator's manifest: green when every row "
             "read, loaded and set aside is accounted for.", charts.reconciliation_grid(recon),
             recon_query)
    mismatches = recon[recon["is_reconciled"] == 0]
    if len(mismatches):
        st.error(f"{len(mismatches)} loads do not reconcile with their manifest:")
        st.dataframe(mismatches, hide_index=True, width="stretch",
                     column_config=ui.date_columns(mismatches))

    if q.FACT_RECON not in ui.tables():
        ui.show_no_data(f"{q.FACT_RECON} not found in {ui.current_warehouse().label}")
        return
    fact_query = q.fact_reconciliation()
    fact = ui.fetch(fact_query)
    if fact.empty:
        ui.show_no_data(f"{q.FACT_RECON} has no rows yet")
        return
    row = fact.iloc[0]
    columns[1].metric("Fact rows / expected", f"{int(row['fact_rows']):,} / "
                      f"{int(row['expected_fact_rows']):,}",
                      delta=(int(row["fact_rows"]) - int(row["expected_fact_rows"])) or None,
                      delta_color="off")
    amounts = st.columns(2)
    amounts[0].metric("Line amount in the manifests",
                      ui.usd(float(row["manifest_line_amount_usd"])))
    diff = round(float(row["fact_line_amount_usd"]) - float(row["manifest_line_amount_usd"]), 2)
    amounts[1].metric("Line amount in the fact", ui.usd(float(row["fact_line_amount_usd"])),
                      delta=ui.usd(diff) if diff else None, delta_color="off")
    ui.show_sql(fact_query, label="SQL of the fact reconciliation")
    if int(row["fact_rows"]) != int(row["expected_fact_rows"]) or diff != 0:
        st.error("The fact does not match the manifests (rows or amounts).")


def last_loads() -> None:
    ui.require_tables([q.LOAD_RECON])
    last_query = q.last_loads()
    ui.table("per raw table, the last load day and what it brought.",
             ui.require_rows(ui.fetch(last_query), q.LOAD_RECON), last_query)


def body() -> None:
    _section("Quarantined rows", quarantine)
    _section("Reconciliation with the manifests", reconciliation)
    _section("Last load per table", last_loads)


ui.page(
    "Data quality",
    f"From the audit tables: `{q.QUARANTINE}` (one row per rejected raw row), "
    f"`{q.LOAD_RECON}` and `{q.FACT_RECON}`.",
    body,
)
