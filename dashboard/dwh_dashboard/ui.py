"""What every page shares: the warehouse, cached queries, messages and chart blocks."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import altair as alt
import pandas as pd
import streamlit as st

from .config import ConfigError, source_from_env
from .warehouse import (
    Query,
    QueryError,
    Warehouse,
    WarehouseBusy,
    WarehouseMissing,
    WarehouseUnavailable,
    open_warehouse,
    table_names,
    tables_query,
)

#: Seconds a result is reused. Locally the key also holds the file's mtime, so a new
#: load shows at once; on Redshift this is how stale a page may be.
CACHE_SECONDS = 300

#: Last good result per query, shown while a transform holds the DuckDB file.
_last_good: dict[tuple[str, str, tuple], pd.DataFrame] = {}


class NoData(Exception):
    """A table the page needs is missing or empty: show "run the pipeline first"."""


def current_warehouse() -> Warehouse:
    """The warehouse of this process's environment (``DWH_ENVIRONMENT`` and companions)."""
    return open_warehouse(source_from_env())


@st.cache_data(ttl=CACHE_SECONDS, max_entries=512, show_spinner=False)
def _cached_query(label: str, version_key: str, title: str, sql: str, params: tuple,
                  _warehouse: Warehouse) -> pd.DataFrame:
    # label, version_key, sql and params are the cache key; the warehouse (leading
    # underscore) is not hashed. A changed file (mtime, size) is a new key.
    return _warehouse.query(Query(title, sql, params))


def fetch(query: Query) -> pd.DataFrame:
    """Run ``query`` through the cache; while the file is locked, reuse the last result."""
    warehouse = current_warehouse()
    memo = (warehouse.label, query.sql, query.params)
    try:
        frame = _cached_query(warehouse.label, warehouse.version_key(), query.title, query.sql,
                              query.params, _warehouse=warehouse)
    except WarehouseBusy:
        if memo not in _last_good:
            raise
        st.session_state["dwh_stale"] = True
        return _last_good[memo].copy()
    _last_good[memo] = frame
    return frame


def tables() -> set[str]:
    """``schema.table`` names present in the warehouse (cached like any query)."""
    return table_names(fetch(tables_query()))


def run_first_hint() -> str:
    """How to fill this world's warehouse."""
    try:
        local = current_warehouse().is_local
    except ConfigError:
        local = True
    if local:
        return "run the pipeline first: `make run`"
    return "run the pipeline first: trigger `dwh_ingest` (then `dwh_transform` builds the marts)"


def require_tables(names: Iterable[str]) -> None:
    """Raise :class:`NoData` unless every ``schema.table`` exists."""
    present = tables()
    missing = [name for name in names if name not in present]
    if missing:
        raise NoData(f"{', '.join(missing)} not found in {current_warehouse().label}")


def require_rows(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """Raise :class:`NoData` when ``frame`` is empty; else return it."""
    if frame.empty:
        raise NoData(f"{what} has no rows yet ({current_warehouse().label})")
    return frame


def show_no_data(detail: str) -> None:
    """The one "run the pipeline first" message."""
    st.info(f"**No data yet: {run_first_hint()}**\n\n{detail}", icon=":material/info:")


def page(title: str, intro: str, body: Callable[[], None]) -> None:
    """Render a page: title, intro, the body; warehouse problems become messages.

    A missing file or table and an empty table say "run the pipeline first"; a
    locked file (a transform is writing) says so; a failed connection or query names
    the warehouse (and the query). Anything else is a bug and raises (AppTest reports it).
    """
    st.title(title)
    st.markdown(intro)
    st.session_state["dwh_stale"] = False
    try:
        body()
    except ConfigError as exc:
        st.error(f"The dashboard's environment is incomplete: {exc}")
    except NoData as exc:
        show_no_data(str(exc))
    except WarehouseBusy as exc:
        st.warning(f"The warehouse is being written right now (a transform is running); "
                   f"reload the page when it has finished.\n\n{exc}", icon=":material/hourglass:")
    except WarehouseMissing as exc:
        show_no_data(str(exc))
    except WarehouseUnavailable as exc:
        st.error(f"Cannot read the warehouse: {exc}")
    except QueryError as exc:
        st.error(str(exc))
    if st.session_state.get("dwh_stale"):
        st.warning("The warehouse file is locked by a running transform: this page shows the "
                   "results read before it started.", icon=":material/hourglass:")


def render_sql(query: Query) -> str:
    """The query as shown to people: its SQL and, if any, its parameters."""
    text = query.sql.rstrip()
    if query.params:
        text += "\n-- parameters (?, in order): " + ", ".join(str(p) for p in query.params)
    return text + "\n"


def show_sql(*queries: Query, label: str = "SQL") -> None:
    """A folded expander with the SQL the block runs."""
    with st.expander(label, expanded=False, icon=":material/code:"):
        for query in queries:
            st.code(render_sql(query), language="sql")


def chart(what: str, figure: alt.TopLevelMixin, *queries: Query) -> None:
    """One chart with its one-line "what this shows" caption and its SQL."""
    st.caption(f"**What this shows:** {what}")
    st.altair_chart(figure, width="stretch")
    show_sql(*queries)


def date_columns(frame: pd.DataFrame) -> dict[str, object]:
    """Column settings that show day columns (``*_date``, ``*_day``) without a time."""
    return {name: st.column_config.DateColumn(format="YYYY-MM-DD") for name in frame.columns
            if str(name).endswith(("_date", "_day"))}


def table(what: str, frame: pd.DataFrame, *queries: Query) -> None:
    """One table with its caption and its SQL."""
    st.caption(f"**What this shows:** {what}")
    st.dataframe(frame, hide_index=True, width="stretch", column_config=date_columns(frame))
    show_sql(*queries)


def usd(value: float) -> str:
    """``$1,234.56``."""
    return f"${value:,.2f}"
