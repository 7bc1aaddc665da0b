"""Fixtures of the dashboard tests (main venv): the dashboard's own venv, a warehouse,
a real ``streamlit run`` process and Debian's Chromium driven by Playwright.

Streamlit lives in ``.venv-dashboard`` (scripts/setup_dashboard.sh), not in this venv,
so the tests that need Streamlit in-process (AppTest) are in ``app_tests/`` and run in
that venv as a child pytest (test_dashboard_apptest.py); this folder's own tests drive
the app from outside: the browser, the settings parity, the Terraform plan.

``dashboard_warehouse`` is what the browser test serves: the warehouse of the real
local pipeline (tests/conftest.py's ``two_days``: Terraform against moto, two days
landed, turned into silver on local Spark and transformed by dbt under Airflow, every
task acting as the worker's role on a moto server that enforces IAM).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecommerce_dwh.local.processes import free_port, start, stop, wait_for_port
from ecommerce_dwh.settings import PROJECT_ROOT

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # synthetic_warehouse, shared with app_tests and the benchmark

import synthetic_warehouse  # noqa: E402

#: Folders pytest must not collect in the main venv: the in-venv tests (they import
#: streamlit; test_dashboard_apptest.py runs them) and the Terraform test root.
collect_ignore = ["app_tests", "terraform_root"]

DASHBOARD_DIR = PROJECT_ROOT / "dashboard"
DASHBOARD_VENV = Path(os.environ.get("DASHBOARD_VENV", PROJECT_ROOT / ".venv-dashboard"))
ARTIFACTS = PROJECT_ROOT / ".local" / "artifacts"
CHROMIUM_BIN = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")


def _ui_chromium_flags() -> list[str]:
    """``CHROMIUM_FLAGS`` of tests/ui/conftest.py, read without importing that conftest."""
    tree = ast.parse((PROJECT_ROOT / "tests" / "ui" / "conftest.py").read_text())
    for node in tree.body:
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        if any(isinstance(t, ast.Name) and t.id == "CHROMIUM_FLAGS" for t in targets):
            return list(ast.literal_eval(node.value))
    raise AssertionError("tests/ui/conftest.py defines no CHROMIUM_FLAGS")


CHROMIUM_FLAGS = _ui_chromium_flags()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "dashboard: the Streamlit dashboard (its own venv, a real streamlit process, Chromium)",
    )


@pytest.fixture(scope="session")
def dashboard_python() -> Path:
    """``.venv-dashboard/bin/python``, created or refreshed by scripts/setup_dashboard.sh.

    The script is idempotent (a stamp of the requirements' hash) and quick when nothing
    changed; if it cannot install, the tests fail with its output (never skip).
    """
    proc = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "setup_dashboard.sh")],
        capture_output=True, text=True, timeout=900, check=False,
        env={**os.environ, "DASHBOARD_VENV": str(DASHBOARD_VENV)},
    )
    if proc.returncode != 0:
        pytest.fail(f"scripts/setup_dashboard.sh failed (exit {proc.returncode}):\n"
                    f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}", pytrace=False)
    return DASHBOARD_VENV / "bin" / "python"


@pytest.fixture(scope="session")
def synthetic_small(tmp_path_factory: pytest.TempPathFactory) -> synthetic_warehouse.SmallWarehouse:
    """The hand-made warehouse (a few hundred rows, exact schemas) in a temporary folder."""
    return synthetic_warehouse.build_small(tmp_path_factory.mktemp("dash-wh") / "warehouse.duckdb")


@pytest.fixture(scope="session")
def dashboard_warehouse(local_airflow, two_days) -> Path:
    """The DuckDB file the browser test serves and checks against: the real pipeline's."""
    return local_airflow.duckdb_path


@dataclass
class DashboardServer:
    """A running ``streamlit run dashboard/app.py``."""

    base_url: str
    pid: int
    log_file: Path
    warehouse: Path


def _wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
                last = response.status
        except (urllib.error.URLError, ConnectionError) as exc:
            last = exc
        time.sleep(0.3)
    raise TimeoutError(f"{url} not healthy after {timeout:.0f}s: {last}")


def streamlit_command(python: Path, port: int) -> list[str]:
    """The launch command: the committed config's settings repeated as flags."""
    return [
        str(python), "-m", "streamlit", "run", str(DASHBOARD_DIR / "app.py"),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]


@pytest.fixture(scope="session")
def dashboard_server(dashboard_python: Path, dashboard_warehouse: Path,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[DashboardServer]:
    """The dashboard as a real process on 127.0.0.1 and a free port, stopped by PID."""
    state = tmp_path_factory.mktemp("dash-server")
    pid_file, log_file = state / "streamlit.pid", state / "streamlit.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DWH_", "STREAMLIT_"))}
    env.update({"DWH_ENVIRONMENT": "local", "DWH_DUCKDB_PATH": str(dashboard_warehouse)})
    pid = start(streamlit_command(dashboard_python, port), pid_file, log_file, env=env,
                cwd=DASHBOARD_DIR)
    try:
        wait_for_port("127.0.0.1", port, 60, pid_file, log_file)
        _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", 60)
        yield DashboardServer(f"http://127.0.0.1:{port}", pid, log_file, dashboard_warehouse)
    finally:
        stop(pid_file)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``.local/artifacts/``, where the screenshots go (this run's only)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("dashboard-*.png"):
        old.unlink()
    return ARTIFACTS


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[object]:
    """A Playwright page in Debian's Chromium (never a downloaded browser)."""
    if not Path(CHROMIUM_BIN).is_file():
        pytest.fail(f"{CHROMIUM_BIN} not found: run scripts/setup_browser.sh (installs Debian's "
                    "chromium) or set CHROMIUM_BIN", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM_BIN,
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport={"width": 1400, "height": 1000},
            timeout=60_000,
        )
        try:
            page = context.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            context.close()
