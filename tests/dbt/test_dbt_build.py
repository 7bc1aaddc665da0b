"""The warehouse built on DuckDB from generated days: day by day, rerun, full refresh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dbt_harness import EPOCH, N_DAYS, address_changes_after_orders

pytestmark = pytest.mark.dbt


def test_day_by_day_builds_pass_and_reconcile(daily_warehouse: dict) -> None:
    """Every build passed (the fixture fails otherwise, tests included); the fact
    holds exactly the manifests' good order lines and their amount."""
    wh = daily_warehouse["wh"]
    manifests = wh.manifests()
    assert len(manifests) == N_DAYS
    good_lines = sum(m["tables"]["order_items"]["good_rows"] for m in manifests)
    amount = sum(Decimal(m["order_items_line_amount_usd"]) for m in manifests)
    [(rows, total)] = wh.query("select count(*), sum(line_amount_usd) from marts.fact_order_items")
    assert (rows, total) == (good_lines, amount)
    [(fact_rows, expected_rows, fact_amount, manifest_amount)] = wh.query(
        "select fact_rows, expected_fact_rows, fact_line_amount_usd, manifest_line_amount_usd"
        " from audit.audit_fact_reconciliation"
    )
    assert fact_rows == expected_rows == good_lines
    assert fact_amount == manifest_amount == amount
    assert wh.query("select count(*) from staging.stg_ecommerce__quarantine") == [(0,)]


def test_every_day_adds_facts(daily_warehouse: dict) -> None:
    snapshots = daily_warehouse["snapshots"]
    sizes = [len(snapshots[f"day{i + 1}"]["fact_order_items"]) for i in range(N_DAYS)]
    assert sizes == sorted(sizes) and len(set(sizes)) == N_DAYS


def test_address_change_gives_two_versions_and_old_facts_keep_old_key(
    daily_warehouse: dict,
) -> None:
    """A customer who ordered and then moved on day 2: two versions, the orders placed
    before the move keep the old version's key, later ones get the new key."""
    wh = daily_warehouse["wh"]
    changes = address_changes_after_orders(wh.raw_root)
    assert changes, "the fixture's seed was chosen to have one"
    customer_id, changed_at = changes[0]
    changed_at = dt.datetime.fromisoformat(changed_at)
    versions = wh.query(
        "select customer_sk, valid_from, valid_to, is_current,"
        " concat_ws('|', street, city, state, postal_code)"
        " from marts.dim_customers where customer_id = ? order by valid_from",
        [customer_id],
    )
    assert len(versions) >= 2
    [old] = [v for v in versions if v[1] < changed_at and v[2] == changed_at]
    [new] = [v for v in versions if v[1] == changed_at]
    assert old[4] != new[4], "the address differs between the versions"
    assert not old[3]
    facts = wh.query(
        "select placed_at, customer_sk from marts.fact_order_items where customer_id = ?",
        [customer_id],
    )
    before = {sk for placed_at, sk in facts if placed_at < changed_at}
    after = {sk for placed_at, sk in facts if placed_at >= changed_at}
    assert before == {old[0]}, "facts before the move point at the old version"
    assert not after or new[0] in after
    day1 = {sk for placed_at, sk in facts if placed_at.date() == EPOCH}
    assert day1 <= {old[0]}


def test_rerun_of_the_same_day_changes_nothing(daily_warehouse: dict) -> None:
    snapshots = daily_warehouse["snapshots"]
    assert snapshots["rerun"] == snapshots[f"day{N_DAYS}"]


def test_full_refresh_equals_incremental_runs(daily_warehouse: dict) -> None:
    snapshots = daily_warehouse["snapshots"]
    assert snapshots["full_refresh"] == snapshots[f"day{N_DAYS}"]


def test_late_status_changes_reach_existing_facts(daily_warehouse: dict) -> None:
    """Orders of day 1 whose status changed on a later day show the latest status."""
    wh = daily_warehouse["wh"]
    stale = wh.query(
        """
        with latest as (
            select order_id, order_status
            from staging.stg_ecommerce__orders
            qualify row_number() over (partition by order_id order by updated_at desc) = 1
        )
        select count(*)
        from marts.fact_order_items as fact
        join latest using (order_id)
        where fact.order_status != latest.order_status
        """
    )
    assert stale == [(0,)]
    changed = wh.query(
        "select count(*) from marts.fact_order_items"
        " where cast(placed_at as date) < cast(order_updated_at as date)"
    )
    assert changed[0][0] > 0, "some day-1 orders changed status on a later day"
