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
    # Bad rows on both days: the job quarantines some, the warehouse
    # rejects others (unknown customer, order, product), and each day must count its own.
    wh = Warehouse(tmp_path_factory.mktemp("dbt_mid_build"),
                   GeneratorConfig(seed=7, orders_per_day=80, bad_row_rate=0.05), spark)
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
    # The job quarantined rows on both days; this build counts day 1's only.
    landed = wh.query("select distinct load_date from staging.stg_ecommerce__quarantine "
                      "order by 1")
    assert landed == [(EPOCH,), (DAY2,)]
    counted = wh.query("select distinct load_date from audit.audit_quarantined_rows "
                       "where rejected_by = 'etl_job' order by 1")
    assert counted == [(EPOCH,)]


def test_the_next_build_takes_the_new_day_whole_and_rejects_only_its_bad_rows(
        landed_mid_build: Warehouse) -> None:
    wh = landed_mid_build
    wh.dbt("build")  # its reconciliation tests of the fact and the loads pass too
    expected = wh.expected_reasons()
    assert expected, "the fixture has bad rows"
    assert wh.quarantined_reasons() == expected
    mismatches = wh.query(
        "select * from audit.audit_load_reconciliation"
        " where rows_read != manifest_rows or rows_loaded != manifest_good_rows"
        " or rows_quarantined + rows_rejected != manifest_bad_rows or manifest_rows is null")
    assert mismatches == []
    loaded_days = wh.query("select distinct load_date from audit.audit_load_reconciliation "
                           "order by 1")
    assert loaded_days == [(EPOCH,), (DAY2,)]
    good_lines = sum(m["tables"]["order_items"]["good_rows"] for m in wh.manifests())
    assert wh.query("select count(*) from marts.fact_order_items") == [(good_lines,)]
