#!/usr/bin/env python
"""The transform DAG against a plain ``dbt build``, and day 30 against day 1.

    .venv/bin/python benchmarks/bench_transform.py                 # ~10 min
    .venv/bin/python benchmarks/bench_transform.py --modes local:dbt_runner --history-days 0

Everything runs for real on this machine: a moto server process holds the lake (each
day generated, turned into silver by the ETL job's transforms on a local SparkSession
and uploaded), each DAG run is ``airflow dags test dwh_transform`` (Cosmos, DuckDB, dbt
reading silver from S3 through s3fs) and each plain run is ``dbt build`` of the same
project, same data, same dbt threads (the profile's), same S3 endpoint, in a child
process. Terraform is not needed: the buckets are created directly and the outputs the
DAG reads come from ``AIRFLOW_VAR_DWH_INFRA_OUTPUTS``.

1. Cosmos modes (goal: DAG <= 1.5x plain). One generated day in S3; for each mode
   (``DWH_COSMOS_EXECUTION_MODE:DWH_COSMOS_INVOCATION_MODE[:DWH_COSMOS_TEST_BEHAVIOR]``)
   a from-scratch warehouse
   built by the DAG, with a plain ``dbt build`` of its own fresh warehouse right before
   it (side by side, so load on the machine hits both alike). Ratio = DAG / plain.
2. Incremental cost (goal: day 30 <= 1.3x day 1). One warehouse, default mode: the
   DAG's run for day 1 (the first load), an untimed run after days 2-29 have landed
   (the catch-up), then the run after day 30 landed. The same three steps with plain
   ``dbt build`` on a second warehouse show how much of the growth is dbt's own.

The DAG times are ``airflow dags test`` wall times, which include starting the Airflow
CLI (printed once as "airflow CLI start") and, in each new process, building the
in-process execution API (~3 s); dbt's times include its start-up and parse. Part 1b
runs the default mode's DAG in a warm Airflow process instead (what ``make run`` does,
and closer to a deployment, whose scheduler and API server are already up), against a
plain build with its partial parse warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import ecommerce_dwh  # noqa: F401
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "include"))

from ecommerce_dwh import contract, lake  # noqa: E402
from ecommerce_dwh.generator import GeneratorConfig, generate_day  # noqa: E402
from ecommerce_dwh.local import airflow_cli  # noqa: E402
from ecommerce_dwh.local.airflow_session import AirflowSession  # noqa: E402
from ecommerce_dwh.local.environment import local_environment  # noqa: E402
from ecommerce_dwh.local.moto_server import (  # noqa: E402
    MOTO_ACCESS_KEY,
    MOTO_SECRET_KEY,
    start_moto,
    stop_moto,
)
from ecommerce_dwh.settings import DBT_PROJECT_DIR  # noqa: E402
from ecommerce_dwh.silver import job  # noqa: E402
from ecommerce_dwh.silver.local_run import local_spark_session  # noqa: E402

EPOCH = dt.date(2024, 1, 1)
BUCKET = "ecommerce-dwh-raw-bench"
STAGING = "ecommerce-dwh-staging-bench"
RATIO_GOAL, INCREMENTAL_GOAL = 1.5, 1.3


class Bench:
    def __init__(self, work: Path, orders_per_day: int) -> None:
        self.work = work
        self.moto = start_moto(work / "moto")
        self.config = GeneratorConfig(seed=42, orders_per_day=orders_per_day, epoch=EPOCH)
        import boto3

        self.s3 = boto3.client("s3", endpoint_url=self.moto.endpoint_url, region_name="us-east-2",
                               aws_access_key_id=MOTO_ACCESS_KEY,
                               aws_secret_access_key=MOTO_SECRET_KEY)
        for bucket in (BUCKET, STAGING):
            self.s3.create_bucket(Bucket=bucket,
                                  CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
        self.spark = local_spark_session("bench-transform")
        outputs = {"environment": "local", "raw_bucket": BUCKET, "staging_bucket": STAGING}
        self.env = local_environment(work / "state", self.moto.endpoint_url)
        self.env["AIRFLOW_VAR_DWH_INFRA_OUTPUTS"] = json.dumps(outputs)
        self.log_dir = work / "logs"
        started = time.perf_counter()
        airflow_cli.run(["db", "migrate"], self.env, self.log_dir / "migrate.log")
        print(f"airflow db migrate: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        airflow_cli.run(["version"], self.env, self.log_dir / "version.log")
        print(f"airflow CLI start: {time.perf_counter() - started:.1f} s")

    def close(self) -> None:
        self.spark.stop()
        stop_moto(self.work / "moto")

    def land(self, day: dt.date) -> None:
        """Land a day in bronze and in silver (what dwh_ingest leaves in S3)."""
        out = self.work / "gen" / day.isoformat()
        result = generate_day(day, self.config, out)
        lake.land_day(self.s3, BUCKET, day, result.files, result.manifest_path)
        silver = self.work / "silver"
        job.run_day(self.spark, day.isoformat(), out.as_uri(), silver.as_uri())
        for dataset in contract.SILVER_DATASETS:
            folder = f"{dataset}/{contract.day_folder(day)}/"
            lake.replace_prefix(self.s3, STAGING, f"silver/{folder}",
                                sorted((silver / folder).glob("*.parquet")))

    def dag(self, day: dt.date, warehouse: str, mode: str = "watcher:dbt_runner") -> float:
        execution, invocation, *tests = mode.split(":")
        env = {**self.env, "DWH_DUCKDB_PATH": str(self.work / f"{warehouse}.duckdb"),
               "DWH_COSMOS_EXECUTION_MODE": execution, "DWH_COSMOS_INVOCATION_MODE": invocation,
               "DWH_COSMOS_TEST_BEHAVIOR": tests[0] if tests else "after_each"}
        log_dir = self.log_dir / warehouse
        result = airflow_cli.dags_test("dwh_transform", day.isoformat(), env, log_dir)
        self.last_log = result.log_file
        return result.seconds

    def plain(self, warehouse: str) -> float:
        target = self.work / "dbt-target" / warehouse
        cmd = [str(Path(sys.executable).with_name("dbt")), "build",
               "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
               "--target", "local", "--target-path", str(target), "--log-path", str(target),
               "--vars", json.dumps({"raw_bucket": BUCKET, "staging_bucket": STAGING})]
        env = {**self.env, "DWH_DUCKDB_PATH": str(self.work / f"{warehouse}.duckdb"),
               "DWH_AWS_ENDPOINT_URL": self.moto.endpoint_url,
               "AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY}
        started = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        if proc.returncode != 0:
            sys.exit(f"dbt build ({warehouse}) failed:\n{proc.stdout[-3000:]}")
        return seconds


_TASK_EVENT = re.compile(r"^(\S+Z) .*\[DAG TEST\] (starting|end task) task_id=(\S+)")


def breakdown(log_file: Path, total: float) -> str:
    """Where a DAG run's seconds went, from ``airflow dags test``'s task start/end lines."""
    started: dict[str, dt.datetime] = {}
    spent: dict[str, float] = {}
    first = last = None
    for line in log_file.read_text(errors="replace").splitlines():
        match = _TASK_EVENT.match(line)
        if not match:
            continue
        when = dt.datetime.fromisoformat(match[1].replace("Z", "+00:00"))
        first, last = first or when, when
        task = match[3]
        if match[2] == "starting":
            started[task] = when
        elif task in started:
            kind = ("producer (dbt build)" if task.endswith("dbt_producer_watcher")
                    else "dbt tasks" if task.startswith("dbt.") else task)
            spent[kind] = spent.get(kind, 0.0) + (when - started.pop(task)).total_seconds()
    parts = [f"{kind} {seconds:.1f} s" for kind, seconds in sorted(spent.items(),
                                                                   key=lambda kv: -kv[1])]
    if first and last:
        parts.append(f"between tasks {(last - first).total_seconds() - sum(spent.values()):.1f} s")
        parts.append(f"CLI start and parse {total - (last - first).total_seconds():.1f} s")
    return "; ".join(parts)


def compare_modes(bench: Bench, modes: list[str]) -> None:
    print("\n1. transform DAG vs plain dbt build, one day, from scratch "
          f"(goal <= {RATIO_GOAL}x)")
    print(f"{'mode':<24}{'DAG s':>8}{'plain s':>9}{'ratio':>8}  goal")
    for mode in modes:
        name = mode.replace(":", "-")
        plain = bench.plain(f"plain-{name}")
        try:
            dag = bench.dag(EPOCH, f"dag-{name}", mode)
        except airflow_cli.AirflowCommandFailed as error:
            print(f"{mode:<24}  failed: {str(error).splitlines()[0]}")
            continue
        verdict = "met" if dag / plain <= RATIO_GOAL else "MISSED"
        print(f"{mode:<24}{dag:>8.1f}{plain:>9.1f}{dag / plain:>7.2f}x  {verdict}", flush=True)
        print(f"    where the DAG's seconds went: {breakdown(bench.last_log, dag)}", flush=True)


def compare_warm(bench: Bench, modes: list[str]) -> None:
    """Each mode's DAG in a warm Airflow process (``make run``'s AirflowSession: no CLI
    start, the execution API built once), against a plain ``dbt build`` whose partial
    parse is warm too; both build a new warehouse after an untimed first build."""
    print(f"\n1b. the same, warm: the DAG run in a warm Airflow process, dbt with its "
          f"partial parse warm (goal <= {RATIO_GOAL}x)")
    for mode in modes:
        execution, invocation, *tests = mode.split(":")
        name = mode.replace(":", "-")
        dag_db, plain_db = bench.work / f"warm-{name}.duckdb", bench.work / f"warm-plain-{name}"
        env = {**bench.env, "DWH_DUCKDB_PATH": str(dag_db),
               "DWH_COSMOS_EXECUTION_MODE": execution, "DWH_COSMOS_INVOCATION_MODE": invocation,
               "DWH_COSMOS_TEST_BEHAVIOR": tests[0] if tests else "after_each"}
        with AirflowSession(env, bench.log_dir / f"warm-{name}.log",
                            bench.work / f"warm-{name}.pid") as airflow:
            times = {}
            for attempt in ("first", "timed"):
                dag_db.unlink(missing_ok=True)
                Path(f"{plain_db}.duckdb").unlink(missing_ok=True)
                plain = bench.plain(plain_db.name)
                result = airflow.dags_test("dwh_transform", EPOCH.isoformat(),
                                           bench.log_dir / f"warm-{name}-{attempt}")
                times[attempt] = (result.seconds, plain, result.log_file)
        dag, plain, log = times["timed"]
        verdict = "met" if dag / plain <= RATIO_GOAL else "MISSED"
        print(f"{'warm ' + mode:<24}{dag:>8.1f}{plain:>9.1f}{dag / plain:>7.2f}x  {verdict}"
              f"   (first run in the process: DAG {times['first'][0]:.1f} s, "
              f"plain {times['first'][1]:.1f} s)")
        print(f"    where the DAG's seconds went: {breakdown(log, dag)}", flush=True)


def incremental(bench: Bench, history_days: int) -> None:
    print(f"\n2. day {history_days} vs day 1, one warehouse each "
          f"(goal <= {INCREMENTAL_GOAL}x)")
    last = EPOCH + dt.timedelta(days=history_days - 1)
    day1 = {"DAG": bench.dag(EPOCH, "incr-dag"), "plain": bench.plain("incr-plain")}
    for n in range(1, history_days - 1):
        bench.land(EPOCH + dt.timedelta(days=n))
    bench.dag(last - dt.timedelta(days=1), "incr-dag")  # catch-up, untimed
    bench.plain("incr-plain")
    bench.land(last)
    dayn = {"DAG": bench.dag(last, "incr-dag"), "plain": bench.plain("incr-plain")}
    print(f"{'':<8}{'day 1 s':>9}{f'day {history_days} s':>10}{'ratio':>8}  goal")
    for kind in ("DAG", "plain"):
        ratio = dayn[kind] / day1[kind]
        verdict = "met" if ratio <= INCREMENTAL_GOAL else "MISSED"
        print(f"{kind:<8}{day1[kind]:>9.1f}{dayn[kind]:>10.1f}{ratio:>7.2f}x  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders-per-day", type=int, default=200)
    parser.add_argument("--modes", default="watcher:dbt_runner,local:dbt_runner,"
                        "local:dbt_runner:build",
                        help="comma-separated EXECUTION:INVOCATION[:TEST_BEHAVIOR]")
    parser.add_argument("--history-days", type=int, default=30,
                        help="the incremental part's last day (0 skips that part)")
    parser.add_argument("--warm-modes", default="watcher:dbt_runner",
                        help="modes of the warm-process comparison (1b); '' skips it")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work folder (logs of every run, warehouses) and print it")
    args = parser.parse_args()
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    tmp = tempfile.mkdtemp(prefix="bench-transform-")
    if args.keep:
        print(f"work folder (kept): {tmp}")
    try:
        bench = Bench(Path(tmp), args.orders_per_day)
        try:
            bench.land(EPOCH)
            print(f"{args.orders_per_day} orders/day; 2 cores; machine load "
                  f"{os.getloadavg()[0]:.1f}")
            if args.modes:
                compare_modes(bench, args.modes.split(","))
            if args.warm_modes:
                compare_warm(bench, args.warm_modes.split(","))
            if args.history_days > 1:
                incremental(bench, args.history_days)
        finally:
            bench.close()
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
