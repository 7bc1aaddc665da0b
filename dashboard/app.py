"""Entry point of the warehouse dashboard: ``streamlit run app.py`` (from dashboard/).

Local mode reads the DuckDB file of ``make run`` (``DWH_DUCKDB_PATH``, else
``<DWH_STATE_DIR or .local>/warehouse.duckdb``); ``DWH_ENVIRONMENT=dev|staging|prod``
reads Redshift Serverless with IAM. See docs/dashboard.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts this folder on sys.path; AppTest and other launchers may not.
_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

import streamlit as st  # noqa: E402
from dwh_dashboard.config import ConfigError, source_from_env  # noqa: E402

st.set_page_config(page_title="ecommerce-dwh dashboard", page_icon=":material/monitoring:",
                   layout="wide")

PAGES = [
    # The default page is served at "/" (Streamlit ignores its url_path).
    st.Page("views/revenue.py", title="Revenue", icon=":material/payments:", default=True),
    st.Page("views/customers.py", title="Customers", icon=":material/group:",
            url_path="customers"),
    st.Page("views/orders.py", title="Orders", icon=":material/local_shipping:",
            url_path="orders"),
    st.Page("views/history.py", title="History (SCD2)", icon=":material/history:",
            url_path="history"),
    st.Page("views/quality.py", title="Data quality", icon=":material/rule:",
            url_path="quality"),
]

navigation = st.navigation(PAGES)
with st.sidebar:
    st.markdown("**ecommerce-dwh**")
    try:
        st.caption(f"Reading {source_from_env().label}")
    except ConfigError as exc:
        st.caption(f"Misconfigured: {exc}")
    if st.button("Reload data", icon=":material/refresh:",
                 help="Forget cached results (locally they refresh by themselves when the "
                      "file changes)"):
        st.cache_data.clear()
navigation.run()
