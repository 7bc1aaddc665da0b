"""Fixtures of the UI tests: a real local Airflow and Debian's Chromium.

``airflow_ui`` is what ``make airflow`` runs, in a temporary state folder: its own
moto server, local Spark service and api-server, scheduler, dag-processor and
triggerer on a free port, with ``dwh_infrastructure`` applied first (``airflow dags
test``) so that the
Terraform outputs exist. Every process is stopped by PID at the end, whatever
happened. ``page`` is a Playwright page in ``/usr/bin/chromium`` (installed by
``scripts/setup_browser.sh``; no browser is ever downloaded).

Screenshots go to ``.local/artifacts/`` (CI uploads that folder); when a test of
this folder failed, the Airflow logs of the run are copied there too.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ecommerce_dwh.local import airflow_cli
from ecommerce_dwh.local.environment import local_environment
from ecommerce_dwh.local.moto_server import start_moto, stop_moto
from ecommerce_dwh.local.processes import free_port
from ecommerce_dwh.local.services import start_airflow, stop_airflow
from ecommerce_dwh.local.spark_service import start_spark_service, stop_spark_service
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


@pytest.fixture(scope="session")
def airflow_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AirflowUI]:
    """``make airflow`` in a temporary state folder, with the Terraform outputs in place."""
    state_dir = tmp_path_factory.mktemp("ui-state")
    moto = start_moto(state_dir)
    env: dict[str, str] | None = None
    try:
        spark = start_spark_service(state_dir)
        env = local_environment(state_dir, moto.endpoint_url, spark_url=spark.url)
        port = free_port()
        env["DWH_RETRY_DELAY_SECONDS"] = "1"
        # History starts yesterday: the day the schedule runs next is the generator's
        # epoch, so the one day the test lands is a complete warehouse on its own.
        yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
        env["DWH_START_DATE"] = yesterday.isoformat()
        log_dir = state_dir / "logs"
        airflow_cli.run(["db", "migrate"], env, log_dir / "airflow-db-migrate.log")
        # Setup, not under test here: the Terraform outputs that dwh_ingest reads.
        airflow_cli.dags_test(
            "dwh_infrastructure", yesterday.isoformat(), env, log_dir,
            conf=json.dumps({"environment": "local", "action": "apply"}),
        )
        start_airflow(env, api_port=port)
        password_file = Path(env["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"
        airflow = AirflowUI(
            base_url=f"http://127.0.0.1:{port}",
            password=json.loads(password_file.read_text())[USERNAME],
            env=env,
            state_dir=state_dir,
        )
        _wait_for_api(airflow, ("dwh_ingest", "dwh_transform"), timeout=120)
        yield airflow
    finally:
        if env is not None:
            stop_airflow(env)
        stop_spark_service(state_dir)
        stop_moto(state_dir)
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
