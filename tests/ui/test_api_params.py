"""Airflow's REST API (the official ``apache-airflow-client``) refuses a bad trigger.

A run of ``dwh_ingest`` with a negative ``orders_per_day`` (or a bad-row rate above
its bound) must be rejected at trigger time with a message that names the Param and
the bound, and a run for a day before the shop's history with one that names the first
allowed day; in both cases no run may be created.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

# The bound of the whole test, set-up included (the waits inside are bounded tighter).
pytestmark = [pytest.mark.ui, pytest.mark.timeout(900)]


@pytest.mark.parametrize(
    ("conf", "message"),
    [
        ({"orders_per_day": -5}, "Invalid input for param orders_per_day: "
                                 "-5 is less than the minimum of 1"),
        ({"bad_row_rate": 0.9}, "Invalid input for param bad_row_rate: "
                                "0.9 is greater than the maximum of 0.5"),
    ],
    ids=["negative-orders-per-day", "bad-row-rate-above-bound"],
)
def test_trigger_with_a_bad_param_is_rejected(airflow_ui, conf: dict, message: str) -> None:
    from airflow_client.client import DagRunApi, TriggerDAGRunPostBody
    from airflow_client.client.exceptions import BadRequestException

    with airflow_ui.api_client() as client:
        runs = DagRunApi(client)
        before = runs.get_dag_runs("dwh_ingest").total_entries
        with pytest.raises(BadRequestException) as rejected:
            runs.trigger_dag_run(
                "dwh_ingest", TriggerDAGRunPostBody(logical_date=None, conf=conf)
            )
        after = runs.get_dag_runs("dwh_ingest").total_entries

    assert rejected.value.status == 400
    detail = json.loads(rejected.value.body)["detail"]
    assert message in detail, detail
    assert after == before, "a rejected trigger must not create a run"


def test_trigger_for_a_day_before_the_history_is_rejected(airflow_ui) -> None:
    """Before the fix this was accepted (200) and ended *success* with no task at all."""
    from airflow_client.client import DagRunApi, TriggerDAGRunPostBody
    from airflow_client.client.exceptions import BadRequestException

    first_day = dt.date.fromisoformat(airflow_ui.env["DWH_START_DATE"])
    too_early = dt.datetime.combine(first_day - dt.timedelta(days=200), dt.time(), dt.UTC)
    with airflow_ui.api_client() as client:
        runs = DagRunApi(client)
        before = runs.get_dag_runs("dwh_ingest").total_entries
        with pytest.raises(BadRequestException) as rejected:
            runs.trigger_dag_run(
                "dwh_ingest", TriggerDAGRunPostBody(logical_date=too_early, conf={}))
        after = runs.get_dag_runs("dwh_ingest").total_entries

    assert rejected.value.status == 400
    detail = json.loads(rejected.value.body)["detail"]
    assert f"{too_early.date()} is before the first day of the shop's history" in detail, detail
    assert f"The first allowed logical date is {first_day}." in detail, detail
    assert after == before, "a rejected trigger must not create a run"
