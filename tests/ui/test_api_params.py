"""Airflow's REST API (the official ``apache-airflow-client``) refuses a bad Param.

A run of ``dwh_ingest`` with a negative ``orders_per_day`` (or a bad-row rate above
its bound) must be rejected at trigger time with a message that names the Param and
the bound, and no run may be created.
"""

from __future__ import annotations

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
