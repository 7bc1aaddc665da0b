"""The pipeline the way a person runs it: in the Airflow web UI, in a real browser.

Log in, open ``dwh_ingest``, set Params in the trigger form and trigger; watch the run
succeed; open the ``dwh_transform`` run that the ``ecommerce_dwh_silver_landed`` Asset
started and see its Cosmos task group ``dbt`` succeed. Screenshots of the trigger
form and of the finished grids go to ``.local/artifacts/``. A step that fails says
which step, and shows the page's visible text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

# The bound of the whole test, set-up included (the waits inside are bounded tighter).
pytestmark = [pytest.mark.ui, pytest.mark.timeout(900)]

# The shop of the days make run landed (its defaults): a lake holds one shop, and a day
# of another would be refused. The bad-row rate may differ from day to day: this run
# asks for some, so the Params the form sends differ from the DAG's defaults.
ORDERS_PER_DAY = 200
SEED = 42
BAD_ROW_RATE = 0.05

#: Bounds of the waits (seconds); the transform's grows with the dbt project.
INGEST_TIMEOUT = float(os.environ.get("UI_TEST_INGEST_TIMEOUT", "240"))
TRANSFORM_TIMEOUT = float(os.environ.get("UI_TEST_TRANSFORM_TIMEOUT", "420"))

_FAILED_STATES = ("Failed", "Upstream Failed")


def _visible_text(page) -> str:
    try:
        return page.inner_text("body", timeout=5_000)[:6_000]
    except Exception as exc:  # noqa: BLE001 - the page itself may be gone
        return f"(no page text: {exc})"


@contextlib.contextmanager
def step(page, artifacts: Path, name: str, hint: Callable[[], str] | None = None
         ) -> Iterator[None]:
    """Run a step of the flow; on failure: a screenshot, and the page's visible text.

    ``hint`` adds a line of context (e.g. the failed tasks, from the REST API).
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - re-raised as a test failure with context
        extra = ""
        if hint is not None:
            with contextlib.suppress(Exception):
                extra = hint() + "\n"
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower())[:48].strip("-")
        shot = artifacts / f"ui-failed-{slug}.png"
        with contextlib.suppress(Exception):
            page.screenshot(path=str(shot), full_page=True)
        pytest.fail(
            f"UI step failed: {name}\n{type(exc).__name__}: {exc}\n{extra}"
            f"screenshot: {shot}\n--- visible text of {page.url} ---\n{_visible_text(page)}",
            pytrace=False,
        )


def wait_for_state(page, header, want: str, timeout: float) -> None:
    """Wait until ``header`` (a run's or a group's header card) shows state ``want``.

    The UI refreshes a running run by itself; the page is also reloaded now and then
    so that a stalled refresh cannot fake a hang. A failed state ends the wait at once.
    """
    deadline = time.monotonic() + timeout
    next_reload = time.monotonic() + 30
    text = ""
    while time.monotonic() < deadline:
        text = header.inner_text(timeout=15_000)
        if re.search(rf"\b{want}\b", text):
            return
        if any(re.search(rf"\b{state}\b", text) for state in _FAILED_STATES):
            raise AssertionError(f"expected {want!r}, the UI shows: {text!r}")
        if time.monotonic() > next_reload:
            page.reload()
            next_reload = time.monotonic() + 30
        page.wait_for_timeout(1_000)
    raise TimeoutError(f"not {want!r} after {timeout:.0f}s; the UI shows: {text!r}")


def test_trigger_ingest_with_params_then_transform_runs_on_the_asset(
    airflow_ui, page, artifacts: Path
) -> None:
    started = time.monotonic()
    base = airflow_ui.base_url
    # dwh_transform runs on the Asset, so it must be active before the trigger (setup).
    airflow_ui.api("PATCH", "/dags/dwh_transform", {"is_paused": False})
    # Land the day the schedule would run next (today once the schedule test caught up,
    # else yesterday): a person who triggers the scheduled day by hand; the scheduler
    # then sees that day done and adds no run.
    next_day = airflow_ui.api("GET", "/dags/dwh_ingest")["next_dagrun_logical_date"]
    logical_date = dt.datetime.fromisoformat(next_day.replace("Z", "+00:00"))

    with step(page, artifacts, "log in"):
        page.goto(f"{base}/dags/dwh_ingest")
        page.get_by_label("Username").fill(airflow_ui.username)
        page.get_by_label("Password").fill(airflow_ui.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/dags/dwh_ingest"))
        page.get_by_test_id("toggle-pause").wait_for()

    with step(page, artifacts, "fill the trigger form of dwh_ingest"):
        page.get_by_test_id("trigger-dag-button").click()
        form = page.get_by_role("dialog").filter(has_text="Trigger Dag - dwh_ingest")
        # The form explains itself: every Param has its title and its description (as
        # the API reports them: the DAG file is their one source).
        params = airflow_ui.api("GET", "/dags/dwh_ingest/details")["params"]
        for name in ("orders_per_day", "seed", "bad_row_rate"):
            title = params[name]["schema"]["title"]
            assert title and params[name]["description"], params[name]
            form.get_by_text(title).first.wait_for()  # the label also holds the "*"
            form.get_by_text(params[name]["description"]).first.wait_for()
        form.get_by_test_id("datetime-input").click()
        picker = page.locator("[data-scope=popover][data-part=content][data-state=open]")
        picker.get_by_placeholder("YYYY/MM/DD").fill(logical_date.strftime("%Y/%m/%d"))
        picker.get_by_placeholder("HH:mm").fill(logical_date.strftime("%H:%M"))
        form.get_by_text("Logical Date", exact=True).click()  # closes the picker
        # Unpaused below, once the run exists: unpausing first would let the scheduler
        # add its own run of the same day before ours.
        unpause = form.get_by_role("checkbox")
        if unpause.is_checked():
            form.get_by_text("Unpause dwh_ingest on trigger").click()
        assert not unpause.is_checked()
        numbers = form.get_by_role("spinbutton")
        numbers.nth(0).fill(str(ORDERS_PER_DAY))
        numbers.nth(1).fill(str(SEED))
        numbers.nth(2).fill(str(BAD_ROW_RATE))
        form.get_by_text("Logical Date", exact=True).click()  # blur: the form validates
        page.screenshot(path=str(artifacts / "ui-01-trigger-form.png"))

    with step(page, artifacts, "trigger dwh_ingest"):
        form.get_by_test_id("trigger-dag-submit").click()
        page.get_by_text("Dag run has been successfully triggered.").first.wait_for()
        page.wait_for_url(re.compile(r"/dags/dwh_ingest/runs/manual__"))
        ingest_run_id = page.url.split("/runs/", 1)[1].split("/")[0]
        ingest_run_id = unquote(ingest_run_id)

    with step(page, artifacts, "unpause dwh_ingest"):
        page.get_by_test_id("toggle-pause").click()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=toggle-pause]')"
            ".getAttribute('data-state') === 'checked'"
        )

    with step(page, artifacts, f"wait for dwh_ingest run {ingest_run_id} to succeed"):
        header = page.get_by_test_id("header-card").filter(has_text=ingest_run_id)
        wait_for_state(page, header, "Success", INGEST_TIMEOUT)
        page.screenshot(path=str(artifacts / "ui-02-ingest-run-success.png"))

    # The form's Params reached the run (ground truth from the API).
    run = airflow_ui.api("GET", f"/dags/dwh_ingest/dagRuns/{ingest_run_id}")
    assert run["conf"]["orders_per_day"] == ORDERS_PER_DAY, run["conf"]
    assert run["conf"]["seed"] == SEED, run["conf"]
    assert run["conf"]["bad_row_rate"] == BAD_ROW_RATE, run["conf"]
    assert run["triggering_user_name"] == airflow_ui.username, run
    assert run["logical_date"].startswith(logical_date.strftime("%Y-%m-%dT%H:%M")), run

    def started_by_our_ingest(run_id: str) -> bool:
        events = airflow_ui.api(
            "GET", f"/dags/dwh_transform/dagRuns/{run_id}/upstreamAssetEvents")["asset_events"]
        return {e["source_run_id"] for e in events} == {ingest_run_id}

    with step(page, artifacts, "open the dwh_transform run that the Asset started"):
        # The Asset event of our ingest run started one dwh_transform run (the schedule's
        # catch-up day, landed before, started another).
        page.goto(f"{base}/dags/dwh_transform/runs")
        transform_run_id = None
        deadline = time.monotonic() + 120
        while transform_run_id is None and time.monotonic() < deadline:
            runs = airflow_ui.api("GET", "/dags/dwh_transform/dagRuns?limit=50")["dag_runs"]
            ours = [r["dag_run_id"] for r in runs if r["run_type"] == "asset_triggered"
                    and started_by_our_ingest(r["dag_run_id"])]
            transform_run_id = ours[0] if len(ours) == 1 else None
            if transform_run_id is None:
                page.wait_for_timeout(2_000)
        assert transform_run_id, "no dwh_transform run was started by our ingest's Asset event"
        page.reload()
        page.get_by_role("link", name=transform_run_id).first.click()
        page.wait_for_url(re.compile(r"/dags/dwh_transform/runs/asset_triggered__"))
        assert unquote(page.url.split("/runs/", 1)[1].split("/")[0]) == transform_run_id

    def failed_tasks() -> str:
        found = airflow_ui.api(
            "GET", f"/dags/dwh_transform/dagRuns/{transform_run_id}/taskInstances?limit=500"
        )["task_instances"]
        bad = sorted(t["task_id"] for t in found if t["state"] == "failed")
        return f"failed tasks (REST API): {', '.join(bad) or 'none'} (logs: ui-logs/)"

    with step(page, artifacts, f"wait for dwh_transform run {transform_run_id} to succeed",
              hint=failed_tasks):
        header = page.get_by_test_id("header-card").filter(has_text=transform_run_id)
        wait_for_state(page, header, "Success", TRANSFORM_TIMEOUT)

    with step(page, artifacts, "see the Cosmos task group dbt succeed in the grid"):
        page.get_by_test_id("expand-all-button").click()
        page.get_by_test_id(f"grid-{transform_run_id}-dbt").wait_for()
        page.screenshot(path=str(artifacts / "ui-03-transform-grid.png"), full_page=True)
        page.goto(f"{page.url.split('?')[0]}/tasks/group/dbt")
        group = page.get_by_test_id("header-card").filter(has_text=re.compile("Total"))
        wait_for_state(page, group, "Success", 30)
        text = group.inner_text()
        assert "Failed" not in text, text
        page.screenshot(path=str(artifacts / "ui-04-dbt-task-group.png"), full_page=True)

    # Ground truth for the group the UI showed: every dbt task succeeded.
    instances = airflow_ui.api(
        "GET", f"/dags/dwh_transform/dagRuns/{transform_run_id}/taskInstances?limit=500"
    )["task_instances"]
    dbt_states = {
        ti["task_id"]: ti["state"] for ti in instances if ti["task_id"].startswith("dbt.")
    }
    assert dbt_states, "the dbt task group has no tasks"
    assert set(dbt_states.values()) == {"success"}, dbt_states
    print(f"\nUI flow: {len(dbt_states)} dbt tasks succeeded; "
          f"{time.monotonic() - started:.0f}s from login to the finished grid")

