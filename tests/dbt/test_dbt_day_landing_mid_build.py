"""A day that lands while a build runs waits for the next build.

Under the scheduler ``dwh_ingest`` lands day D+1 while the ``dwh_transform`` of day D
runs (catch-up, or a late day). The build fixes its days when it builds
``stg_ecommerce__loads`` (first), so a model compiled later in the same build does not
take a day that the models it joins to did not take. The race is staged here
deterministically: the build is split in two ``dbt run``s around the landing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from dbt_harness import EPOCH, Warehouse

from ecommerce_dwh.generator import GeneratorConfig

pytestmark = pytest.mark.dbt

DAY2 = EPOCH + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def landed_mid_build(tmp_path_factory: pytest.TempPathFactory, spark: object) -> Warehouse:
    wh = Warehouse(tmp_path_factory.mktemp("dbt_mid_build"),
                   GeneratorConfig(seed=7, orders_per_day=80, bad_row_rate=0.0), spark)
    wh.generate(EPOCH)
    # The build starts: staging (the loads first), then the versions of the days
    # landed so far.
    wh.dbt("run", "--select", "staging", "+int_order_versions", "+int_product_versions")
    # Day 2 lands (silver tables, quarantine, then loads) while the build goes on.
    wh.generate(DAY2)
    # The rest of the same build: the order lines, the audits and their tests.
    wh.dbt("build", "--select", "int_order_lines", "audit_quarantined_rows",
           "audit_load_reconciliation")
    return wh


def test_the_rest_of_the_build_takes_only_the_days_it_started_with(
        landed_mid_build: Warehouse) -> None:
    wh = landed_mid_build
    days = wh.query("select distinct load_date from intermediate.int_order_lines")
    assert days == [(EPOCH,)], f"order lines of {days} taken: day 2 landed mid-build"
    quarantined_days = wh.query("select distinct load_date from audit.audit_quarantined_rows "
                                "where rejected_by = 'etl_job' order by 1")
    assert set(quarantined_days) <= {(EPOCH,)}, quarantined_days


def test_no_line_of_the_new_day_is_rejected_and_the_next_build_takes_it_whole(
        landed_mid_build: Warehouse) -> None:
    wh = landed_mid_build
    wh.dbt("build")
    rejected = wh.query("select quarantine_reason, load_date, count(*) "
                        "from audit.audit_quarantined_rows group by all")
    assert rejected == [], f"good rows rejected after a day landed mid-build: {rejected}"
    lines = wh.query("select load_date, count(*) from intermediate.int_order_lines "
                     "group by 1 order by 1")
    expected = [(day, manifest["tables"]["order_items"]["rows"])
                for day, manifest in zip((EPOCH, DAY2), wh.manifests(), strict=True)]
    assert lines == expected
    # The reconciliation of the fact with the manifests passed within that build;
    # here its figures for both days.
    [(fact_rows, manifest_good_rows)] = wh.query(
        "select fact_rows, manifest_good_rows from audit.audit_fact_reconciliation")
    assert fact_rows == manifest_good_rows == sum(count for _, count in expected)
