"""The newcomer's path, under the real scheduler: ``make run``, then ``make airflow``, then
unpause the DAGs (the ``airflow_ui`` fixture ran the first two commands). ``make
airflow`` carries on from ``make run``'s moto server (its lake), warehouse and run
history, and the schedule catches up from the first day that has no run: the days
``make run`` landed (manual runs) are not run again and do not stall the scheduler
("run already exists; skipping dagrun creation" forever, before the fix), and the day it
lands is transformed, its reconciliation with the generator's manifests included.
"""

from __future__ import annotations

import re
import time

import pytest
from ui_timeline import CATCH_UP_DAY, MAKE_RUN_DAYS, TODAY

pytestmark = [pytest.mark.ui, pytest.mark.timeout(900)]


def _runs(airflow_ui, dag_id: str) -> list[dict]:
    return airflow_ui.api(
        "GET", f"/dags/{dag_id}/dagRuns?limit=100&order_by=logical_date")["dag_runs"]


def _wait_for(airflow_ui, dag_id: str, pick, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    found: list[dict] = []
    while time.monotonic() < deadline:
        found = [r for r in _runs(airflow_ui, dag_id) if pick(r)]
        if found and found[0]["state"] in ("success", "failed"):
            return found[0]
        time.sleep(2)
    raise TimeoutError(f"no finished {dag_id} run after {timeout:.0f}s: {found}")


def test_make_airflow_carries_on_from_make_run_s_moto_server(airflow_ui) -> None:
    for day in MAKE_RUN_DAYS:
        assert f"dwh_ingest         : {day} success" in airflow_ui.make_run_output
    [endpoint] = re.findall(r"left running at (http://[\d.]+:\d+)", airflow_ui.make_run_output)
    assert f"moto server : {endpoint}" in airflow_ui.airflow_start_output
    assert "new and empty" not in airflow_ui.airflow_start_output
    manual = [(r["logical_date"][:10], r["run_type"], r["state"])
              for r in _runs(airflow_ui, "dwh_ingest")]
    assert manual == [(str(d), "manual", "success") for d in MAKE_RUN_DAYS], manual


def test_unpaused_the_schedule_lands_and_transforms_the_next_day_only(airflow_ui) -> None:
    airflow_ui.api("PATCH", "/dags/dwh_transform", {"is_paused": False})
    airflow_ui.api("PATCH", "/dags/dwh_ingest", {"is_paused": False})
    try:
        scheduled = _wait_for(airflow_ui, "dwh_ingest",
                              lambda r: r["run_type"] == "scheduled", timeout=300)
    finally:
        airflow_ui.api("PATCH", "/dags/dwh_ingest", {"is_paused": True})
    assert scheduled["logical_date"][:10] == str(CATCH_UP_DAY), scheduled
    assert scheduled["state"] == "success", scheduled
    assert [r["logical_date"][:10] for r in _runs(airflow_ui, "dwh_ingest")
            if r["run_type"] == "scheduled"] == [str(CATCH_UP_DAY)]
    dag = airflow_ui.api("GET", "/dags/dwh_ingest")
    assert dag["next_dagrun_logical_date"][:10] == str(TODAY), dag

    def from_the_scheduled_day(run: dict) -> bool:
        if run["state"] == "queued":  # the API answers 500 for events of a queued run
            return False
        events = airflow_ui.api("GET", f"/dags/dwh_transform/dagRuns/{run['dag_run_id']}"
                                       "/upstreamAssetEvents")["asset_events"]
        # Days landed while dwh_transform was paused (make run's) are taken together.
        return scheduled["dag_run_id"] in {e["source_run_id"] for e in events}

    transform = _wait_for(airflow_ui, "dwh_transform", from_the_scheduled_day, timeout=300)
    assert transform["state"] == "success", transform

    log = (airflow_ui.state_dir / "airflow" / "logs" / "scheduler.log").read_text(
        errors="replace")
    assert log.count("run already exists; skipping dagrun creation") <= len(MAKE_RUN_DAYS), \
        "the scheduler kept meeting make run's days"
