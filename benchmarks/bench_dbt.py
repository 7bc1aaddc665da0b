#!/usr/bin/env python
"""Benchmark `dbt build` of the warehouse on DuckDB: default scale and >= 1 M order_items.

    .venv/bin/python benchmarks/bench_dbt.py                  # both scales, ~3-5 min
    .venv/bin/python benchmarks/bench_dbt.py --large-orders-per-day 0   # default only
    .venv/bin/python benchmarks/bench_dbt.py --default-orders-per-day 0 # large only

For each scale: generate N days from the epoch into a temporary folder, `dbt build` the
first N-1 days in one run (a backfill; models and every test), then day N as an
incremental run, a rerun of the same day, and a `--full-refresh` of all N days. Each
dbt command is a child process (`dbt` next to this Python), as a scheduler would run
it, so the times include dbt's start-up and parse (~3-4 s). Prints wall seconds and the
row counts of the fact.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = ROOT / "include" / "dbt"
try:
    from ecommerce_dwh.generator import GeneratorConfig, generate_day
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "include"))
    from ecommerce_dwh.generator import GeneratorConfig, generate_day

EPOCH = dt.date(2024, 1, 1)


def dbt(work: Path, *args: str) -> float:
    """Run one dbt command against the scratch warehouse; return wall seconds."""
    cmd = [str(Path(sys.executable).with_name("dbt")), *args,
           "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
           "--target", "local", "--target-path", str(work / "target"),
           "--log-path", str(work / "logs"),
           "--vars", json.dumps({"raw_root": str(work / "raw")})]
    env = {**os.environ, "DWH_DUCKDB_PATH": str(work / "warehouse.duckdb"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"dbt {' '.join(args)} failed:\n{proc.stdout[-4000:]}")
    return seconds


def fact_rows(work: Path) -> int:
    import duckdb

    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("select count(*) from marts.fact_order_items").fetchone()[0]


def bench(label: str, orders_per_day: int, days: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench_dbt_") as tmp:
        work = Path(tmp)
        cfg = GeneratorConfig(seed=42, orders_per_day=orders_per_day)
        start = time.perf_counter()
        items = 0
        for i in range(days - 1):
            items += generate_day(EPOCH + dt.timedelta(days=i), cfg, work / "raw") \
                .manifest["tables"]["order_items"]["good_rows"]
        gen_seconds = time.perf_counter() - start
        backfill = dbt(work, "build")
        rows_before = fact_rows(work)
        last = generate_day(EPOCH + dt.timedelta(days=days - 1), cfg, work / "raw")
        items += last.manifest["tables"]["order_items"]["good_rows"]
        incremental = dbt(work, "build")
        rerun = dbt(work, "build")
        full_refresh = dbt(work, "build", "--full-refresh")
        rows = fact_rows(work)
        assert rows == items, (rows, items)
        raw_mb = sum(p.stat().st_size for p in (work / "raw").rglob("*.csv")) / 1e6
        print(f"\n## {label}: {orders_per_day:,} orders/day x {days} days, "
              f"{rows:,} order_items ({raw_mb:,.0f} MB of CSV, generated in {gen_seconds:.1f} s)")
        print("| step | fact rows after | wall s |")
        print("|---|---:|---:|")
        print(f"| build of days 1-{days - 1} (backfill, from scratch) | {rows_before:,} "
              f"| {backfill:.1f} |")
        print(f"| incremental build of day {days} | {rows:,} | {incremental:.1f} |")
        print(f"| rerun of day {days} (no change) | {rows:,} | {rerun:.1f} |")
        print(f"| build --full-refresh of all {days} days | {rows:,} | {full_refresh:.1f} |")
        sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=8,
                        help="days per scale (the last one is the incremental day)")
    parser.add_argument("--default-orders-per-day", type=int, default=200,
                        help="orders/day of the default scale (the generator's default), "
                             "0 to skip")
    parser.add_argument("--large-orders-per-day", type=int, default=65_000,
                        help="orders/day of the large scale, 0 to skip (65,000 x 8 days "
                             "gives >= 1 M order_items)")
    args = parser.parse_args()
    if args.default_orders_per_day:
        bench("default scale", args.default_orders_per_day, args.days)
    if args.large_orders_per_day:
        bench("large scale", args.large_orders_per_day, args.days)


if __name__ == "__main__":
    main()
