#!/usr/bin/env python
"""The ETL job's local wall time for one day, side by side with the parse it replaced.

    .venv/bin/python benchmarks/bench_silver.py                    # 100,000 orders, ~5 min
    .venv/bin/python benchmarks/bench_silver.py --orders-per-day 200

Generates one day (a steady-state day, so it carries 40 days of order status changes)
with bad rows, then times, each in a child process as a scheduler would run it:

* **ours**: the Glue job's script under ``spark-submit --master local[2]`` with the
  module zip (what local mode runs for every landed day; JVM start-up included);
* **baseline**: the dbt base models of the commit before the silver layer
  (``git archive <baseline> include/dbt``), which parsed the same bronze CSV inside
  DuckDB with one regular expression per line: ``dbt run --select base``.

Both read the same files from a local folder. Prints wall seconds, lines per second and
peak RSS of each, and the ratio. Needs a git checkout (for the baseline) and Java.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ecommerce_dwh import contract
from ecommerce_dwh.generator import GeneratorConfig, generate_day
from ecommerce_dwh.silver import package
from ecommerce_dwh.silver.local_run import LOCAL_SPARK_CONF, LOCAL_SPARK_MASTER, spark_environment

ROOT = Path(__file__).resolve().parents[1]

#: The last commit whose dbt project parsed bronze CSV in the warehouse.
BASELINE = "4ebd8d1"
DAY = dt.date(2024, 3, 4)  # a Monday, 63 days after the epoch: a steady-state day


#: Runs a command and prints the largest RSS among its processes (its own rusage of
#: children, so each measured command starts from zero).
_MEASURE = ("import resource, subprocess, sys; "
            "code = subprocess.run(sys.argv[1:]).returncode; "
            "print('@@RSS@@', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            "sys.exit(code)")


def _run(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB, the largest process) of one command; exit on failure."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], env=env, cwd=cwd,
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd[:3])} ... failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    rss = [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("@@RSS@@")]
    return seconds, int(rss[-1]) / 1024


def ours(work: Path) -> tuple[float, float]:
    """The Glue script on local Spark over the day's folder."""
    zip_path = package.build_zip(work / "build")
    cmd = [str(Path(sys.executable).with_name("spark-submit")), "--master", LOCAL_SPARK_MASTER]
    for key, value in LOCAL_SPARK_CONF.items():
        cmd += ["--conf", f"{key}={value}"]
    cmd += ["--py-files", str(zip_path), str(package.SCRIPT), "--day", DAY.isoformat(),
            "--raw_root", (work / "raw").as_uri(), "--silver_root", (work / "silver").as_uri()]
    return _run(cmd, spark_environment(), work)


def baseline(work: Path) -> tuple[float, float] | None:
    """The old base models (bronze parsed in DuckDB) over the same folder."""
    project = work / "baseline"
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE, "include/dbt"],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        print(f"BASELINE NOT RUN: git archive {BASELINE} failed (not a git checkout?): "
              f"{archive.stderr.decode()[-300:]}")
        return None
    project.mkdir()
    subprocess.run(["tar", "-x", "-C", str(project)], input=archive.stdout, check=True)
    dbt_dir = project / "include" / "dbt"
    cmd = [str(Path(sys.executable).with_name("dbt")), "run", "--select", "base",
           "--project-dir", str(dbt_dir), "--profiles-dir", str(dbt_dir), "--target", "local",
           "--vars", json.dumps({"raw_root": str(work / "raw")})]
    env = {**os.environ, "DWH_DUCKDB_PATH": str(work / "baseline.duckdb"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "False", "DWH_ENVIRONMENT": "local"}
    return _run(cmd, env, work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders-per-day", type=int, default=100_000)
    parser.add_argument("--bad-row-rate", type=float, default=0.01)
    args = parser.parse_args()
    if not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        sys.exit("Java NOT FOUND: local Spark needs Java 17 (scripts/setup_java.sh)")
    with tempfile.TemporaryDirectory(prefix="bench_silver_") as tmp:
        work = Path(tmp)
        config = GeneratorConfig(seed=42, orders_per_day=args.orders_per_day,
                                 bad_row_rate=args.bad_row_rate)
        result = generate_day(DAY, config, work / "raw")
        lines = sum(t["rows"] for t in result.manifest["tables"].values())
        megabytes = sum(t["bytes"] for t in result.manifest["tables"].values()) / 1e6
        print(f"day {DAY}: {lines:,} data lines in {len(contract.TABLE_NAMES)} files, "
              f"{megabytes:.1f} MB of CSV, {result.manifest['bad_rows_total']:,} bad rows; "
              f"{os.cpu_count()} cores")
        ours_s, ours_mb = ours(work)
        base = baseline(work)
        print()
        print("| run | wall s | lines/s | peak RSS |")
        print("|---|---:|---:|---:|")
        print(f"| ETL job on local Spark (spark-submit, JVM start included) | {ours_s:.1f} "
              f"| {lines / ours_s:,.0f} | {ours_mb:,.0f} MiB |")
        if base is not None:
            base_s, base_mb = base
            print(f"| baseline: dbt base models parsing the CSV in DuckDB ({BASELINE}) "
                  f"| {base_s:.1f} | {lines / base_s:,.0f} | {base_mb:,.0f} MiB |")
            print(f"\nETL job / baseline = {ours_s / base_s:.2f}x wall time")


if __name__ == "__main__":
    main()
