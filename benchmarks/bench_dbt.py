#!/usr/bin/env python
"""Benchmark `dbt build` of the warehouse on DuckDB: one day's transform after 1 day and
after 30 days, side by side, at the default scale and at 100,000 orders a day.

    .venv/bin/python benchmarks/bench_dbt.py                       # both scales, ~25 min
    .venv/bin/python benchmarks/bench_dbt.py --large-orders-per-day 0   # default only
    .venv/bin/python benchmarks/bench_dbt.py --days 8              # a shorter history

For each scale: generate days 1..N+1 from the epoch and turn each into silver with the
ETL job's transforms on one local SparkSession (the silver zone in a local folder, as
the tests do). Then two warehouses, side by side:

* **after 1 day**: build day 1, then time the incremental build of day 2;
* **after N days**: build days 1..N in one run (a backfill, timed), then time the
  incremental build of day N+1, a rerun of it (nothing new to read) and a
  ``--full-refresh`` of all N+1 days.

The goal (issue: incremental for real) is that day N+1 costs at most 1.3x day 2: a run
reads only the partitions it has not read. Each dbt command is a child process (`dbt`
next to this Python), start-up and parse included. Prints wall seconds, the partitions
each intermediate model read, and the fact's rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ecommerce_dwh import contract
from ecommerce_dwh.generator import GeneratorConfig, generate_day
from ecommerce_dwh.silver import job
from ecommerce_dwh.silver.local_run import local_spark_session

ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = ROOT / "include" / "dbt"
EPOCH = dt.date(2024, 1, 1)
GOAL = 1.3


def dbt(work: Path, silver: Path, raw: Path, *args: str) -> tuple[float, list[str]]:
    """One dbt command on the warehouse in ``work``; wall seconds and partitions read."""
    cmd = [str(Path(sys.executable).with_name("dbt")), *args,
           "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
           "--target", "local", "--target-path", str(work / "target"),
           "--log-path", str(work / "logs"),
           "--vars", json.dumps({"silver_root": str(silver), "raw_root": str(raw)})]
    env = {**os.environ, "DWH_DUCKDB_PATH": str(work / "warehouse.duckdb"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DWH_ENVIRONMENT": "local"}
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"dbt {' '.join(args)} failed:\n{proc.stdout[-4000:]}")
    read = re.findall(r"(int_\w+): partitions to read: ([^\n]+)", proc.stdout)
    return seconds, [f"{model}: {days}" for model, days in read]


def link_days(source: Path, target: Path, days: list[dt.date]) -> None:
    """Make ``target`` a silver zone holding ``days`` of ``source`` (hard links)."""
    for dataset in contract.SILVER_DATASETS:
        for day in days:
            folder = Path(dataset) / contract.day_folder(day)
            (target / folder).mkdir(parents=True, exist_ok=True)
            for path in (source / folder).iterdir():
                link = target / folder / path.name
                if not link.exists():
                    os.link(path, link)


def fact_rows(work: Path) -> int:
    import duckdb

    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select count(*) from marts.fact_order_items").fetchone()[0]


def bench(spark: object, label: str, orders_per_day: int, days: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_dbt_") as tmp:
        root = Path(tmp)
        raw, silver = root / "raw", root / "silver"
        cfg = GeneratorConfig(seed=42, orders_per_day=orders_per_day)
        all_days = [EPOCH + dt.timedelta(days=i) for i in range(days + 1)]
        start = time.perf_counter()
        items = {}
        for day in all_days:
            items[day] = generate_day(day, cfg, raw).manifest["tables"]["order_items"][
                "good_rows"]
            job.run_day(spark, day.isoformat(), raw.as_uri(), silver.as_uri())
        prepared = time.perf_counter() - start
        parquet_mb = sum(p.stat().st_size for p in silver.rglob("*.parquet")) / 1e6

        one, many = root / "after_one", root / "after_many"
        for work in (one, many):
            work.mkdir()
        link_days(silver, one / "silver", all_days[:1])
        dbt(one, one / "silver", raw, "build")
        link_days(silver, one / "silver", all_days[:2])
        day2, read2 = dbt(one, one / "silver", raw, "build")

        link_days(silver, many / "silver", all_days[:days])
        backfill, _ = dbt(many, many / "silver", raw, "build")
        rows_before = fact_rows(many)
        link_days(silver, many / "silver", all_days)
        last, read_last = dbt(many, many / "silver", raw, "build")
        rerun, read_rerun = dbt(many, many / "silver", raw, "build")
        full, _ = dbt(many, many / "silver", raw, "build", "--full-refresh")
        rows = fact_rows(many)
        assert rows == sum(items.values()), (rows, sum(items.values()))

        ratio = last / day2
        print(f"\n## {label}: {orders_per_day:,} orders/day, {days + 1} days, {rows:,} "
              f"order_items ({parquet_mb:,.0f} MB of silver Parquet; generated and "
              f"turned into silver in {prepared:.0f} s); {os.cpu_count()} cores")
        print("| step | fact rows after | wall s |")
        print("|---|---:|---:|")
        two_days = items[all_days[0]] + items[all_days[1]]
        print(f"| after 1 day: incremental build of day 2 | {two_days:,} | {day2:.1f} |")
        print(f"| build of days 1-{days} (backfill, from scratch) | {rows_before:,} "
              f"| {backfill:.1f} |")
        print(f"| after {days} days: incremental build of day {days + 1} | {rows:,} "
              f"| {last:.1f} |")
        print(f"| rerun of day {days + 1} (nothing new) | {rows:,} | {rerun:.1f} |")
        print(f"| build --full-refresh of all {days + 1} days | {rows:,} | {full:.1f} |")
        verdict = "met" if ratio <= GOAL else "MISSED"
        print(f"\nday {days + 1} after {days} days / day 2 after 1 day = {ratio:.2f}x "
              f"(goal <= {GOAL}x: {verdict})")
        print("partitions read, day 2:        " + "; ".join(read2))
        print(f"partitions read, day {days + 1}:       " + "; ".join(read_last))
        print("partitions read, the rerun:    " + "; ".join(read_rerun))
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30,
                        help="history before the measured day (default 30)")
    parser.add_argument("--default-orders-per-day", type=int, default=200,
                        help="orders/day of the default scale, 0 to skip")
    parser.add_argument("--large-orders-per-day", type=int, default=100_000,
                        help="orders/day of the large scale, 0 to skip")
    args = parser.parse_args()
    spark = local_spark_session("bench-dbt")
    try:
        if args.default_orders_per_day:
            bench(spark, "default scale", args.default_orders_per_day, args.days)
        if args.large_orders_per_day:
            bench(spark, "large scale", args.large_orders_per_day, args.days)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
