#!/usr/bin/env python
"""Benchmark the data generator against tpchgen-cli and a naive per-row Faker loop.

    .venv/bin/python benchmarks/bench_generator.py            # >= 5 M order_items, CSV

Runs ours as a child process (``python -m ecommerce_dwh.generator``) on steady-state days
(well after the epoch, so every day also re-derives 40 days of order lifecycles), then
``tpchgen-cli csv`` at a scale factor with a similar total row count, then Faker row by row
for a few seconds. Prints rows/s, MB/s and peak RSS (from wait4) and the ratio ours/tpchgen.
tpchgen-cli (PyPI: tpchgen-cli==4.0.0) is found via $TPCHGEN_CLI, beside the running Python
(the venv's bin/), or on PATH.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    from ecommerce_dwh.generator import GeneratorConfig
    from ecommerce_dwh.generator.volume import volumes
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "include"))
    from ecommerce_dwh.generator import GeneratorConfig
    from ecommerce_dwh.generator.volume import volumes

TPCH_ROWS_PER_SF = 8_661_245  # all eight tables at scale factor 1


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak RSS bytes of the child)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def count_rows_and_bytes(folder: Path, pattern: str) -> tuple[int, int]:
    """Data rows (lines minus one header per file) and bytes of the matching files."""
    rows = size = 0
    for path in folder.rglob(pattern):
        size += path.stat().st_size
        with path.open("rb") as fh:
            lines = sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 24), b""))
        rows += lines - 1
    return rows, size


def days_for(cfg: GeneratorConfig, start: dt.date, target_items: int) -> int:
    """How many days from ``start`` make at least ``target_items`` order items."""
    horizon = start + dt.timedelta(days=3650)
    vol = volumes(cfg, horizon.toordinal())
    total, days = 0, 0
    while total < target_items:
        total += vol.count("items", start.toordinal() + days)
        days += 1
    return days


def bench_ours(args: argparse.Namespace, work: Path) -> dict[str, float]:
    """Generate the days with the CLI in a child process."""
    cfg = GeneratorConfig(orders_per_day=args.orders_per_day)
    days = days_for(cfg, args.start_date, args.items)
    out = work / "ours"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "include"),
                                                      env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "ecommerce_dwh.generator", "--start-date",
           args.start_date.isoformat(), "--days", str(days), "--orders-per-day",
           str(args.orders_per_day), "--output", str(out), "--no-progress"]
    seconds, rss = run_measured(cmd, env)
    rows, size = count_rows_and_bytes(out, "*.csv")
    items, _ = count_rows_and_bytes(out / "order_items", "*.csv")
    return {"seconds": seconds, "rss": rss, "rows": rows, "bytes": size, "items": items,
            "days": days}


def find_tpchgen() -> list[str] | None:
    """The tpchgen-cli command, or None: $TPCHGEN_CLI, then beside the running Python (the
    venv's bin/, where `make setup` installs it), then PATH."""
    explicit = os.environ.get("TPCHGEN_CLI")
    if explicit:
        return [explicit]
    beside = Path(sys.executable).with_name("tpchgen-cli")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("tpchgen-cli")
    return [found] if found else None


def bench_tpchgen(cmd: list[str], rows_like: int, work: Path) -> dict[str, float]:
    """tpchgen-cli csv at the scale factor whose total rows are closest to ``rows_like``."""
    sf = max(0.01, round(rows_like / TPCH_ROWS_PER_SF, 2))
    out = work / "tpch"
    seconds, rss = run_measured([*cmd, "csv", "-s", str(sf), "-o", str(out), "--no-progress",
                                 "-q"])
    rows, size = count_rows_and_bytes(out, "*.csv")
    return {"seconds": seconds, "rss": rss, "rows": rows, "bytes": size, "sf": sf}


def bench_faker(seconds: float) -> float:
    """Rows/s of a naive loop building one customer-like row per iteration with Faker."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(0)
    rows, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(100):
            _row = (rows, fake.first_name(), fake.last_name(), fake.email(), fake.phone_number(),
                    fake.street_address(), fake.city(), fake.state_abbr(), fake.postcode(),
                    "US", "consumer", fake.date_time_this_decade(), fake.date_time_this_year())
            rows += 1
    return rows / elapsed


def _line(name: str, r: dict[str, float]) -> str:
    return (f"{name:<10} {r['rows']:>12,} rows {r['bytes'] / 1e6:>9.1f} MB "
            f"{r['seconds']:>7.2f} s {r['rows'] / r['seconds']:>12,.0f} rows/s "
            f"{r['bytes'] / 1e6 / r['seconds']:>7.1f} MB/s  peak RSS {r['rss'] / 2**20:>6.0f} MiB")


def main(argv: list[str] | None = None) -> int:
    """Run the three benchmarks and print the comparison."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--items", type=int, default=5_000_000, help="order_items rows (>= 5 M)")
    p.add_argument("--orders-per-day", type=int, default=500_000)
    p.add_argument("--start-date", type=dt.date.fromisoformat, default=dt.date(2024, 6, 3),
                   help="first day (steady state: > 40 days after the epoch)")
    p.add_argument("--faker-seconds", type=float, default=3.0)
    p.add_argument("--workdir", type=Path, default=None, help="kept if given; else a temp dir")
    args = p.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-generator-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        ours = bench_ours(args, work)
        print(f"ours: {ours['days']} days x ~{args.orders_per_day:,} orders/day, "
              f"{ours['items']:,} order_items rows (all tables below)")
        print(_line("ours", ours))
        shutil.rmtree(work / "ours", ignore_errors=True)
        cmd = find_tpchgen()
        if cmd is None:
            print("!!! tpchgen-cli NOT FOUND: pip install tpchgen-cli==4.0.0 (any venv) and put "
                  "it on PATH or set TPCHGEN_CLI=/path/to/tpchgen-cli; no ratio computed !!!")
        else:
            tpch = bench_tpchgen(cmd, int(ours["rows"]), work)
            print(_line(f"tpch sf{tpch['sf']}", tpch))
            ratio = (ours["rows"] / ours["seconds"]) / (tpch["rows"] / tpch["seconds"])
            print(f"ratio ours/tpchgen rows/s: {ratio:.2f}x (goal >= 0.5x)")
        faker = bench_faker(args.faker_seconds)
        print(f"naive Faker loop (floor): {faker:,.0f} rows/s; "
              f"ours is {ours['rows'] / ours['seconds'] / faker:,.0f}x faster")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
