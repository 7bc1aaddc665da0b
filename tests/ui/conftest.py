"""Fixtures of the UI tests: a real local Airflow reached the way a newcomer reaches it,
and Debian's Chromium.

``airflow_ui`` runs the README's commands in a temporary state folder: ``make run``
(``python -m ecommerce_dwh.local run``: moto, Terraform, two days landed and
transformed by ``airflow dags test``, then moto stopped) and then ``make airflow``
(``airflow-start``: a new moto server, the local infrastructure applied to it, the local
Spark service, and api-server, scheduler, dag-processor and triggerer on a free port).
The history starts three days ago (``DWH_START_DATE``): ``make run`` lands the first two
days, so exactly one day is left for the schedule to catch up. Every process is stopped
by PID at the end (``airflow-stop``), whatever happened. ``page`` is a Playwright page
in ``/usr/bin/chromium`` (installed by ``scripts/setup_browser.sh``; no browser is ever
downloaded).

Screenshots go to ``.local/artifacts/`` (CI uploads that folder); when a test of
this folder failed, the Airflow logs of the run are copied there too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from ui_timeline import FIRST_DAY, MAKE_RUN_DAYS

from ecommerce_dwh.local.environment import local_environment
from ecommerce_dwh.local.moto_server import running_endpoint
from ecommerce_dwh.local.processes import free_port
from ecommerce_dwh.local.spark_service import running_spark_url
from ecommerce_dwh.settings import PROJECT_ROOT

#: Where screenshots (and, on failure, Airflow logs) go; CI uploads this folder.
ARTIFACTS = PROJECT_ROOT / ".local" / "artifacts"

CHROMIUM_BIN = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")

#: Headless Chromium on a closed network: without the background-networking flags
#: it keeps dialling out (updates, sync, field trials) and logs refused connections.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

USERNAME = "admin"

_failed: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ui: drives the Airflow web UI (Debian's Chromium through Playwright) and its REST "
        "API against a real local Airflow and moto server",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    report = yield
    if report.failed and "ui" in item.keywords:
        _failed.append(item.nodeid)
    return report


@dataclass
class AirflowUI:
    """A running local Airflow: its URL, the admin login and a small REST helper."""

    base_url: str
    password: str
    env: dict[str, str]
    state_dir: Path
    make_run_output: str = ""
    airflow_start_output: str = ""
    username: str = USERNAME
    _token: str | None = field(default=None, repr=False)

    def token(self) -> str:
        """A JWT for the REST API (``POST /auth/token`` of the simple auth manager)."""
        if self._token is None:
            body = json.dumps({"username": self.username, "password": self.password}).encode()
            request = urllib.request.Request(
                f"{self.base_url}/auth/token", data=body, method="POST",
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                self._token = json.load(response)["access_token"]
        return self._token

    def api(self, method: str, path: str, body: dict | None = None) -> dict:
        """Call ``/api/v2<path>`` with the admin token; the JSON answer."""
        request = urllib.request.Request(
            f"{self.base_url}/api/v2{path}",
            data=json.dumps(body).encode() if body is not None else None,
            method=method,
            headers={"Authorization": f"Bearer {self.token()}",
                     "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return json.load(response)

    def api_client(self):  # -> airflow_client.client.ApiClient
        """The official REST client (``apache-airflow-client``), logged in as admin."""
        from airflow_client.client import ApiClient, Configuration

        return ApiClient(Configuration(host=self.base_url, access_token=self.token()))


def _wait_for_api(airflow: AirflowUI, dag_ids: tuple[str, ...], timeout: float) -> None:
    """Wait until the API answers and knows every DAG (the dag-processor parsed them)."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            for dag_id in dag_ids:
                airflow.api("GET", f"/dags/{dag_id}")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            last_error = exc
            airflow._token = None  # noqa: SLF001 - the token request itself may have failed
            time.sleep(1)
    raise TimeoutError(f"Airflow API not ready with DAGs {dag_ids} after {timeout:.0f}s: "
                       f"{last_error}")


def local_cli(state_dir: Path, *args: str, env: dict[str, str]) -> str:
    """``python -m ecommerce_dwh.local --state-dir <state> <args>`` (what ``make run``,
    ``make airflow`` and ``make airflow-stop`` call); its output."""
    proc = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "ecommerce_dwh.local", "--state-dir", str(state_dir), *args],
        env=env, capture_output=True, text=True, timeout=900, check=False, cwd=PROJECT_ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc.stdout


@pytest.fixture(scope="session")
def airflow_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowUI]:
    """``make run`` then ``make airflow`` in a temporary state folder."""
    state_dir = tmp_path_factory.mktemp("ui-state")
    cli_env = {**os.environ, "DWH_START_DATE": FIRST_DAY.isoformat(),
               "DWH_RETRY_DELAY_SECONDS": "1"}
    made = local_cli(state_dir, "run", "--start", FIRST_DAY.isoformat(), "--days",
                     str(len(MAKE_RUN_DAYS)),
                     "--moto-port", str(free_port()), env=cli_env)
    port = free_port()
    try:
        started = local_cli(state_dir, "airflow-start", "--port", str(port),
                            "--moto-port", str(free_port()), env=cli_env)
        env = local_environment(state_dir, running_endpoint(state_dir) or "",
                                base=cli_env, spark_url=running_spark_url(state_dir))
        password_file = Path(env["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"
        airflow = AirflowUI(
            base_url=f"http://127.0.0.1:{port}",
            password=json.loads(password_file.read_text())[USERNAME],
            env=env,
            state_dir=state_dir,
            make_run_output=made,
            airflow_start_output=started,
        )
        _wait_for_api(airflow, ("dwh_ingest", "dwh_transform"), timeout=120)
        yield airflow
    finally:
        try:
            local_cli(state_dir, "airflow-stop", env=cli_env)
        finally:
            if _failed:
                _keep_logs(state_dir)


def _keep_logs(state_dir: Path) -> None:
    """Copy the Airflow and moto logs next to the screenshots, for CI's artifacts."""
    target = ARTIFACTS / "ui-logs"
    shutil.rmtree(target, ignore_errors=True)
    for source in (state_dir / "logs", state_dir / "airflow" / "logs"):
        if source.is_dir():
            shutil.copytree(source, target / source.relative_to(state_dir), dirs_exist_ok=True)
    print(f"\nUI test failed: Airflow logs copied to {target}")


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``.local/artifacts/``: screenshots for people and for CI's upload (this run's only)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("ui-*.png"):
        old.unlink()
    shutil.rmtree(ARTIFACTS / "ui-logs", ignore_errors=True)
    return ARTIFACTS


@pytest.fixture
def page(tmp_path: Path) -> Iterator[object]:
    """A Playwright page in Debian's Chromium, with a new empty profile."""
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
            viewport={"width": 1600, "height": 1000},
            timeout=60_000,
        )
        try:
            new_page = context.new_page()
            new_page.set_default_timeout(30_000)
            yield new_page
        finally:
            context.close()
