"""The smoke check the workflow runs after a deploy, against a real local Airflow.

``scripts/delivery/deploy_cli.sh smoke-check`` triggers ``dwh_infrastructure``
(action=plan) through the Airflow 3 REST API and waits for it. Here the API is the
project's own local Airflow (``make airflow``: api-server, scheduler, dag-processor,
triggerer as separate processes, LocalExecutor, so every task runs in a process and a
working directory of its own) against moto, with the simple auth manager's user and
password instead of Astro's API token. Nothing has been applied there, so the DAG's
plan has changes: with ``--expect-no-changes`` the check must fail, and say so, after a
run that otherwise succeeded (plan stored, branch taken, nothing applied).

What stays unproven without Astro/MWAA: Astro's token auth on its API URL and MWAA's
``InvokeRestApi`` (the same calls through boto3).
"""

from __future__ import annotations

import json
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ecommerce_dwh.deploy.smoke import RestApi, SmokeCheckFailed, smoke_check
from ecommerce_dwh.local.environment import local_environment
from ecommerce_dwh.local.moto_server import start_moto, stop_moto
from ecommerce_dwh.local.processes import free_port
from ecommerce_dwh.local.services import start_airflow, stop_airflow

from .conftest import Machine

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def airflow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(API URL, user, password) of a local Airflow with dwh_infrastructure parsed."""
    state_dir = tmp_path_factory.mktemp("smoke-airflow")
    moto = start_moto(state_dir)
    env = local_environment(state_dir, moto.endpoint_url, parallelism=2)
    env["DWH_RETRY_DELAY_SECONDS"] = "1"
    port = free_port()
    try:
        start_airflow(env, api_port=port)
        url = f"http://127.0.0.1:{port}"
        passwords = Path(env["AIRFLOW_HOME"]) / "simple_auth_manager_passwords.json.generated"
        deadline = time.monotonic() + 180
        while True:
            try:
                password = json.loads(passwords.read_text())["admin"]
                RestApi(url, username="admin", password=password, attempts=1).call(
                    "GET", "/dags/dwh_infrastructure")
                break
            except (FileNotFoundError, KeyError, SmokeCheckFailed, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(3)
        yield url, "admin", password
    finally:
        stop_airflow(env)
        stop_moto(state_dir)


def test_smoke_check_triggers_waits_and_reads_the_plan(airflow: tuple[str, str, str],
                                                       tmp_path: Path) -> None:
    url, user, password = airflow
    machine = Machine(tmp_path / "runner", "http://127.0.0.1:9",
                      {"AIRFLOW_USERNAME": user, "AIRFLOW_PASSWORD": password})
    proc = machine.run("scripts/delivery/deploy_cli.sh", "smoke-check", "--env", "local",
                       "--airflow-url", url, "--expect-no-changes", "--poll", "2",
                       "--timeout", "600", "--summary", timeout=900)
    print(proc.stdout[-2000:], proc.stderr[-4000:])
    # The run itself succeeded; the check fails only because nothing was applied here.
    assert proc.returncode == 1
    assert "planned changes right after the workflow applied local: Plan: " in proc.stderr
    assert "to add" in proc.stderr

    api = RestApi(url, username=user, password=password)
    runs = api.call("GET", "/dags/dwh_infrastructure/dagRuns?order_by=-start_date&limit=1")
    (run,) = runs["dag_runs"]
    assert run["state"] == "success" and run["conf"] == {"environment": "local",
                                                           "action": "plan"}
    tasks = api.call("GET", f"/dags/dwh_infrastructure/dagRuns/{run['dag_run_id']}"
                            "/taskInstances")["task_instances"]
    states = {t["task_id"]: t["state"] for t in tasks}
    # A plan with changes saves no outputs, so the warehouse bootstrap after it is skipped.
    assert states == {"plan": "success", "next_step": "success", "apply": "skipped",
                      "save_outputs": "skipped", "warehouse_present": "skipped",
                      "create_spectrum_schema": "skipped", "find_database_users": "skipped",
                      "grant_privileges": "skipped"}
    assert "### Smoke check of `local`: failed" in machine.summary()


class FakeApi:
    """The REST API's answers for one run, in order of the calls."""

    def __init__(self, state: str, plan: dict[str, Any] | None) -> None:
        self.state, self.plan, self.calls = state, plan, []

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        self.calls.append((method, path, body))
        if method == "POST":
            return {"dag_run_id": body["dag_run_id"], "state": "queued"}
        if path.endswith("/taskInstances"):
            return {"task_instances": [{"task_id": "plan", "state": "success"}]}
        if "xcomEntries" in path:
            return {"value": self.plan}
        if method == "GET":
            return {"state": self.state}
        return {}


def test_a_no_op_plan_passes_and_a_failed_run_fails() -> None:
    clock = iter(range(0, 10_000, 5))
    api = FakeApi("success", {"has_changes": False, "summary": "Plan: 0 to add"})
    result = smoke_check(api, "prod", expect_no_changes=True, sleep=lambda _: None,
                         clock=lambda: next(clock))
    assert result.state == "success" and result.plan == {"has_changes": False,
                                                         "summary": "Plan: 0 to add"}
    method, path, body = api.calls[1]
    assert (method, path) == ("POST", "/dags/dwh_infrastructure/dagRuns")
    assert body["conf"] == {"environment": "prod", "action": "plan"}
    assert body["logical_date"] is None
    assert api.calls[0] == ("PATCH", "/dags/dwh_infrastructure", {"is_paused": False})

    with pytest.raises(SmokeCheckFailed, match="ended failed"):
        smoke_check(FakeApi("failed", None), "prod", sleep=lambda _: None,
                    clock=lambda: next(clock))


def test_a_run_that_never_ends_times_out() -> None:
    clock = iter(range(0, 10_000, 100))
    with pytest.raises(SmokeCheckFailed, match="still running after 300s"):
        smoke_check(FakeApi("running", None), "dev", timeout=300, sleep=lambda _: None,
                    clock=lambda: next(clock))
