"""Fixtures for the dbt tests: scratch warehouses built from generated days."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from dbt_harness import EPOCH, N_DAYS, Warehouse, address_changes_after_orders

from ecommerce_dwh.generator import GeneratorConfig, generate_day


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "dbt: builds the dbt project on DuckDB or compiles it")


def pick_seed(tmp: Path, max_seed: int = 40) -> int:
    """The first seed whose first two days contain a customer with day-1 orders and an
    address change on day 2 (rare at test scale: a few changes a day among thousands)."""
    for seed in range(max_seed):
        raw = tmp / f"seed{seed}"
        config = GeneratorConfig(seed=seed, orders_per_day=200)
        generate_day(EPOCH, config, raw)
        generate_day(EPOCH + dt.timedelta(days=1), config, raw)
        if address_changes_after_orders(raw):
            return seed
    raise AssertionError(f"no seed below {max_seed} has an address change after an order")


@pytest.fixture(scope="session")
def daily_warehouse(tmp_path_factory: pytest.TempPathFactory, spark: object) -> dict:
    """Three clean days built one by one, then the last day rerun, then a full refresh.

    Returns the warehouse and the marts' content after each step, so that the
    tests can compare them without rebuilding.
    """
    seed = pick_seed(tmp_path_factory.mktemp("dbt_seeds"))
    wh = Warehouse(tmp_path_factory.mktemp("dbt_daily"),
                   GeneratorConfig(seed=seed, orders_per_day=200), spark)
    timings: dict[str, float] = {}
    snapshots: dict[str, dict] = {}
    for i in range(N_DAYS):
        wh.generate(EPOCH + dt.timedelta(days=i))
        start = time.perf_counter()
        wh.dbt("build")
        timings[f"day{i + 1}"] = time.perf_counter() - start
        snapshots[f"day{i + 1}"] = wh.marts_snapshot()
    start = time.perf_counter()
    wh.dbt("build")
    timings["rerun"] = time.perf_counter() - start
    snapshots["rerun"] = wh.marts_snapshot()
    start = time.perf_counter()
    wh.dbt("build", "--full-refresh")
    timings["full_refresh"] = time.perf_counter() - start
    snapshots["full_refresh"] = wh.marts_snapshot()
    return {"wh": wh, "snapshots": snapshots, "timings": timings}


@pytest.fixture(scope="session")
def bad_rows_warehouse(tmp_path_factory: pytest.TempPathFactory, spark: object) -> Warehouse:
    """Three days with 5 % extra bad rows of every kind, built in one run (a backfill)."""
    wh = Warehouse(
        tmp_path_factory.mktemp("dbt_bad"),
        GeneratorConfig(seed=42, orders_per_day=200, bad_row_rate=0.05),
        spark,
    )
    for i in range(3):
        wh.generate(EPOCH + dt.timedelta(days=i))
    wh.dbt("build")
    return wh
