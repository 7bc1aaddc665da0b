"""The newcomer's path, under the real scheduler: ``make run``, then ``make airflow``, then
unpause ``dwh_ingest``. The schedule must catch up from the first day that has no run:
the days ``make run`` landed (manual runs) are not run again and do not stall the
scheduler ("run already exists; skipping dagrun creation" forever, before the fix).

Both commands run as a person runs them (``python -m ecommerce_dwh.local run`` and
``airflow-start``, what ``make run`` and ``make airflow`` call) in a temporary state
folder, with the history starting three days ago so that exactly one day is left to
catch up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ecommerce_dwh.local.processes import free_port
from ecommerce_dwh.settings import PROJECT_ROOT

pytestmark = [pytest.mark.ui, pytest.mark.timeout(900)]

TODAY = dt.datetime.now(dt.UTC).date()
FIRST_DAY = TODAY - dt.timedelta(days=3)
MAKE_RUN_DAYS = [FIRST_DAY, FIRST_DAY + dt.timedelta(days=1)]
CATCH_UP_DAY = FIRST_DAY + dt.timedelta(days=2)  # yesterday: the one day left


def local_cli(state_dir: Path, *args: str, env: dict[str, str]) -> str:
    """``python -m ecommerce_dwh.local --state-dir <state> <args>``; its output."""
    proc = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "ecommerce_dwh.local", "--state-dir", str(state_dir), *args],
        env=env, capture_output=True, text=True, timeout=600, check=False, cwd=PROJECT_ROOT)
    assert proc.returncode == 0, f"{args[0]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


class Api:
    def __init__(self, base_url: str, password: str) -> None:
        self.base_url = base_url
        body = json.dumps({"username": "admin", "password": password}).encode()
        request = urllib.request.Request(f"{base_url}/auth/token", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            self.token = json.load(response)["access_token"]

    def __call__(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.base_url}/api/v2{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return json.load(response)


@pytest.fixture(scope="module")
def after_make_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """``make run`` for two days, then ``make airflow`` on the same state folder."""
    state_dir = tmp_path_factory.mktemp("newcomer")
    env = {**os.environ, "DWH_START_DATE": FIRST_DAY.isoformat()}
    run_output = local_cli(state_dir, "run", "--start", FIRST_DAY.isoformat(), "--days", "2",
                           "--orders-per-day", "40", "--moto-port", str(free_port()), env=env)
    port = free_port()
    try:
        local_cli(state_dir, "airflow-start", "--port", str(port), "--moto-port",
                  str(free_port()), env=env)
        password = json.loads((state_dir / "airflow" /
                               "simple_auth_manager_passwords.json.generated").read_text())
        yield {"api": Api(f"http://127.0.0.1:{port}", password["admin"]),
               "state_dir": state_dir, "make_run": run_output}
    finally:
        local_cli(state_dir, "airflow-stop", env=env)


def _runs(api: Api) -> list[dict]:
    return api("GET", "/dags/dwh_ingest/dagRuns?limit=100&order_by=logical_date")["dag_runs"]


def test_unpaused_after_make_run_the_schedule_lands_the_next_day_only(after_make_run) -> None:
    api = after_make_run["api"]
    for day in MAKE_RUN_DAYS:
        assert f"dwh_ingest         : {day} success" in after_make_run["make_run"]
    manual = [(r["logical_date"][:10], r["run_type"], r["state"]) for r in _runs(api)]
    assert manual == [(str(d), "manual", "success") for d in MAKE_RUN_DAYS], manual

    api("PATCH", "/dags/dwh_ingest", {"is_paused": False})
    deadline = time.monotonic() + 300
    scheduled: list[dict] = []
    while time.monotonic() < deadline:
        scheduled = [r for r in _runs(api) if r["run_type"] == "scheduled"]
        if scheduled and scheduled[0]["state"] in ("success", "failed"):
            break
        time.sleep(2)
    api("PATCH", "/dags/dwh_ingest", {"is_paused": True})

    assert [r["logical_date"][:10] for r in scheduled] == [str(CATCH_UP_DAY)], scheduled
    assert scheduled[0]["state"] == "success", scheduled[0]
    dag = api("GET", "/dags/dwh_ingest")
    assert dag["next_dagrun_logical_date"][:10] == str(TODAY), dag
    log = (after_make_run["state_dir"] / "airflow" / "logs" / "scheduler.log").read_text(
        errors="replace")
    assert log.count("run already exists; skipping dagrun creation") <= len(MAKE_RUN_DAYS), \
        "the scheduler kept meeting make run's days"
