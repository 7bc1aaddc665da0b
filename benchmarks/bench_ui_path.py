#!/usr/bin/env python
"""The UI path: one triggered ``dwh_ingest`` day to a green ``dwh_transform``, under the
real scheduler (goal <= 90 s), with where the seconds go.

    .venv/bin/python benchmarks/bench_ui_path.py                 # ~3 min
    .venv/bin/python benchmarks/bench_ui_path.py --orders-per-day 1000

What ``make airflow`` runs, in a temporary state folder: a moto server, the local Spark
service, and Airflow's api-server, scheduler, dag-processor and triggerer as separate
processes (LocalExecutor, parallelism 4). ``dwh_infrastructure`` is applied first and is
not timed (it is the set-up a person does once). Then, timed: ``dwh_transform`` is
unpaused, ``dwh_ingest`` is triggered through the REST API (what the UI's trigger button
posts) for the first day of the history, and the clock stops when the ``dwh_transform``
run that its Asset event started has succeeded. Printed: the total against the goal,
each DAG run's span, and per task its queued wait and its running time (from the REST
API's task instances), grouped for the dbt consumers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import ecommerce_dwh  # noqa: F401
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "include"))

from ecommerce_dwh.local import airflow_cli  # noqa: E402
from ecommerce_dwh.local.environment import local_environment  # noqa: E402
from ecommerce_dwh.local.moto_server import start_moto, stop_moto  # noqa: E402
from ecommerce_dwh.local.processes import free_port  # noqa: E402
from ecommerce_dwh.local.services import start_airflow, stop_airflow  # noqa: E402
from ecommerce_dwh.local.spark_service import (  # noqa: E402
    start_spark_service,
    stop_spark_service,
)

GOAL_SECONDS = 90.0


class Api:
    """The REST API of the local Airflow, as the simple auth manager's admin."""

    def __init__(self, base_url: str, password: str) -> None:
        self.base_url = base_url
        body = json.dumps({"username": "admin", "password": password}).encode()
        request = urllib.request.Request(f"{base_url}/auth/token", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            self.token = json.load(response)["access_token"]

    def __call__(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.base_url}/api/v2{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return json.load(response)


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def wait_for(predicate, timeout: float, what: str):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(1)
    raise TimeoutError(f"{what}: not after {timeout:.0f}s")


def report(api: Api, dag_id: str, run_id: str) -> None:
    run = api("GET", f"/dags/{dag_id}/dagRuns/{run_id}")
    start, end = _when(run["start_date"]), _when(run["end_date"])
    print(f"\n{dag_id} {run_id}: {(end - start).total_seconds():.1f} s from start to end")
    tis = api("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances?limit=500")
    rows = []
    for ti in tis["task_instances"]:
        started, ended = _when(ti["start_date"]), _when(ti["end_date"])
        queued = _when(ti["queued_when"]) or _when(ti["scheduled_when"])
        if not (started and ended):
            continue
        rows.append((ti["task_id"], (started - queued).total_seconds() if queued else 0.0,
                     (ended - started).total_seconds(), started, ended))
    consumers = [r for r in rows if r[0].startswith("dbt.") and "producer" not in r[0]]
    for task_id, wait, took, *_ in sorted(rows, key=lambda r: r[3]):
        if (task_id, wait, took) in [(c[0], c[1], c[2]) for c in consumers]:
            continue
        print(f"  {task_id:<40} queued {wait:6.1f} s  ran {took:6.1f} s")
    if consumers:
        first = min(c[3] for c in consumers)
        last = max(c[4] for c in consumers)
        print(f"  {len(consumers)} dbt consumer tasks: span {(last - first).total_seconds():.1f} s;"
              f" each ran median {statistics.median(c[2] for c in consumers):.1f} s, "
              f"queued median {statistics.median(c[1] for c in consumers):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders-per-day", type=int, default=150)
    args = parser.parse_args()
    state_dir = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    moto = start_moto(state_dir)
    env: dict[str, str] | None = None
    try:
        spark = start_spark_service(state_dir)
        env = local_environment(state_dir, moto.endpoint_url, spark_url=spark.url)
        first_day = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
        env["DWH_START_DATE"] = first_day.isoformat()
        log_dir = state_dir / "logs"
        airflow_cli.run(["db", "migrate"], env, log_dir / "migrate.log")
        airflow_cli.dags_test("dwh_infrastructure", first_day.isoformat(), env, log_dir,
                              conf=json.dumps({"environment": "local", "action": "apply"}))
        port = free_port()
        start_airflow(env, api_port=port)
        password = json.loads((Path(env["AIRFLOW_HOME"]) /
                               "simple_auth_manager_passwords.json.generated").read_text())
        api = Api(f"http://127.0.0.1:{port}", password["admin"])
        wait_for(lambda: api("GET", "/dags/dwh_transform").get("dag_id"), 120, "DAGs parsed")
        api("PATCH", "/dags/dwh_transform", {"is_paused": False})
        api("PATCH", "/dags/dwh_ingest", {"is_paused": False})

        started = time.monotonic()
        run = api("POST", "/dags/dwh_ingest/dagRuns", {
            "logical_date": f"{first_day.isoformat()}T00:00:00Z",
            "conf": {"orders_per_day": args.orders_per_day}})
        ingest_id = run["dag_run_id"]

        def transform_run() -> dict | None:
            runs = api("GET", "/dags/dwh_transform/dagRuns")["dag_runs"]
            done = [r for r in runs if r["state"] in ("success", "failed")]
            return done[0] if done else None

        transform = wait_for(transform_run, 900, "a finished dwh_transform run")
        total = time.monotonic() - started
        verdict = "met" if total <= GOAL_SECONDS and transform["state"] == "success" else "MISSED"
        print(f"\nUI path, {args.orders_per_day} orders: trigger of dwh_ingest to "
              f"dwh_transform {transform['state']}: {total:.1f} s (goal <= {GOAL_SECONDS:.0f} s: "
              f"{verdict}); machine load {__import__('os').getloadavg()[0]:.1f}")
        report(api, "dwh_ingest", ingest_id)
        report(api, "dwh_transform", transform["dag_run_id"])
    finally:
        if env is not None:
            stop_airflow(env)
        stop_spark_service(state_dir)
        stop_moto(state_dir)
        print(f"\nstate and logs: {state_dir}")


if __name__ == "__main__":
    main()
