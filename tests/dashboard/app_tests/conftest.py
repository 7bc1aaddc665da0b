"""Fixtures of the in-venv dashboard tests: warehouses on disk and an AppTest factory.

Runs in .venv-dashboard only (see pytest.ini). The warehouses are real DuckDB files
built by ../synthetic_warehouse.py: ``small`` with hand-made rows whose figures the
tests compute from the Python objects, ``empty`` with every table and no row, and a
path where no file exists.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
DASHBOARD = REPO / "dashboard"
APP = DASHBOARD / "app.py"
for path in (DASHBOARD, HERE.parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

try:
    import streamlit  # noqa: F401
except ImportError:  # the main venv: these tests need .venv-dashboard
    pytest.exit("tests/dashboard/app_tests need Streamlit: run them with "
                ".venv-dashboard/bin/python -m pytest -c tests/dashboard/app_tests/pytest.ini "
                "tests/dashboard/app_tests (scripts/setup_dashboard.sh creates that venv)",
                returncode=4)

import synthetic_warehouse  # noqa: E402

#: Page files, relative to app.py, as AppTest.switch_page wants them.
PAGES = {
    "revenue": "views/revenue.py",
    "customers": "views/customers.py",
    "orders": "views/orders.py",
    "history": "views/history.py",
    "quality": "views/quality.py",
}


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> synthetic_warehouse.SmallWarehouse:
    """The small warehouse with its rows (read-only: copy it before changing it)."""
    return synthetic_warehouse.build_small(tmp_path_factory.mktemp("small") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every table of the schemas, no rows."""
    return synthetic_warehouse.build_empty(tmp_path_factory.mktemp("empty") / "warehouse.duckdb")


@pytest.fixture
def copy_of(tmp_path: Path) -> Callable[[Path], Path]:
    """``copy_of(path)``: a private copy of a warehouse file, to change in a test."""
    def make(path: Path) -> Path:
        target = tmp_path / "copy.duckdb"
        shutil.copyfile(path, target)
        return target
    return make


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with no cached result and only the variables it sets."""
    import streamlit as st
    from dwh_dashboard import ui

    for name in ("DWH_ENVIRONMENT", "DWH_DUCKDB_PATH", "DWH_STATE_DIR", "DWH_REDSHIFT_WORKGROUP",
                 "DWH_REDSHIFT_DATABASE", "DWH_REDSHIFT_HOST", "DWH_REDSHIFT_PORT"):
        monkeypatch.delenv(name, raising=False)
    st.cache_data.clear()
    ui._last_good.clear()  # noqa: SLF001 - the module's memo of results
    yield
    st.cache_data.clear()
    ui._last_good.clear()  # noqa: SLF001


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """``open_page("orders", warehouse_path, query_params={...})``: the page, rendered."""
    from streamlit.testing.v1 import AppTest

    def render(page: str, warehouse: Path, query_params: dict[str, object] | None = None):
        monkeypatch.setenv("DWH_ENVIRONMENT", "local")
        monkeypatch.setenv("DWH_DUCKDB_PATH", str(warehouse))
        app = AppTest.from_file(str(APP), default_timeout=60)
        # The url_paths are the files' stems, so a switch before the first run finds the
        # page; the query parameters are then those of the page's first run.
        app.query_params.update(query_params or {})
        if page != "revenue":
            app.switch_page(PAGES[page])
        return app.run()

    return render
