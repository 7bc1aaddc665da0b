"""``make run``: the whole pipeline on this machine, with real Airflow, Terraform and dbt.

1. start a moto server process (the emulated AWS) unless one is already running, and
   the local Spark service (a warm Spark for the Glue job's script);
2. migrate the project-local Airflow database;
3. ``dwh_infrastructure``: Terraform applies ``environments/local`` against moto;
4. for each day: ``dwh_ingest`` then ``dwh_transform`` (``airflow dags test``);
5. print a summary and stop the Spark service; the moto server keeps running (it holds
   the emulated lake: ``make airflow`` and the ``dbt`` command use it) unless asked to
   stop it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ecommerce_dwh.local import airflow_cli
from ecommerce_dwh.local.environment import local_environment
from ecommerce_dwh.local.moto_server import running_endpoint, start_moto, stop_moto
from ecommerce_dwh.local.spark_service import (
    running_spark_url,
    start_spark_service,
    stop_spark_service,
)
from ecommerce_dwh.local.warehouse_summary import format_relations, relations

DEFAULT_MOTO_PORT = 5055


@dataclass
class RunOptions:
    """What ``make run`` does; every field has a command-line flag."""

    state_dir: Path
    start: dt.date = dt.date(2024, 1, 1)
    days: int = 2
    orders_per_day: int = 200
    seed: int = 42
    bad_row_rate: float = 0.0
    moto_port: int = DEFAULT_MOTO_PORT
    keep_moto: bool = True
    timings: dict[str, float] = field(default_factory=dict)


def forget_old_world(state_dir: Path) -> list[str]:
    """A new moto server is an empty AWS: remove what described the old one, so that the
    Terraform state, the warehouse and Airflow's run history never claim resources,
    rows or landed days that the lake no longer holds (unpaused, ``dwh_ingest`` then
    lands the history again from ``DWH_START_DATE``). Returns what was removed."""
    doomed = [state_dir / "terraform" / "local.tfstate",
              state_dir / "terraform" / "local" / "plans",
              state_dir / "warehouse.duckdb",
              state_dir / "airflow" / "airflow.db"]
    removed = []
    for path in doomed:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(str(path.relative_to(state_dir)))
    return removed


def apply_local_infrastructure(env: dict, log_dir: Path, day: str) -> airflow_cli.CommandResult:
    """``dwh_infrastructure`` with ``environment=local, action=apply`` (``airflow dags test``)."""
    return airflow_cli.dags_test("dwh_infrastructure", day, env, log_dir,
                                 conf=json.dumps({"environment": "local", "action": "apply"}))


def _say(message: str) -> None:
    print(message, flush=True)


def run_pipeline(options: RunOptions) -> list:
    """Run the whole local pipeline; return the warehouse's relations with row counts."""
    state_dir = options.state_dir
    state_dir.mkdir(parents=True, exist_ok=True)
    log_dir = state_dir / "logs"
    endpoint = running_endpoint(state_dir)
    started_moto = endpoint is None
    if started_moto:
        forget_old_world(state_dir)
        server = start_moto(state_dir, port=options.moto_port)
        endpoint = server.endpoint_url
        _say(f"moto server  : {endpoint} (PID {server.pid}, log {server.log_file})")
    else:
        _say(f"moto server  : {endpoint} (already running, reused)")
    spark_url = running_spark_url(state_dir)
    started_spark = spark_url is None
    # The Spark service starts its JVM while Terraform applies (the first ETL run waits).
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spark-service")
    spark = pool.submit(start_spark_service, state_dir) if started_spark else None
    try:
        step = time.monotonic()
        env = local_environment(state_dir, endpoint)
        # The history starts at the first day run here: the DAGs' start date and the
        # generator's epoch (so the first day carries the initial customers and products).
        env["DWH_START_DATE"] = options.start.isoformat()
        airflow_cli.run(["db", "migrate"], env, log_dir / "airflow-db-migrate.log")
        _say(f"airflow db   : migrated ({time.monotonic() - step:.1f}s), "
             f"AIRFLOW_HOME={env['AIRFLOW_HOME']}")
        first = options.start.isoformat()
        applied = apply_local_infrastructure(env, log_dir, first)
        options.timings[f"dwh_infrastructure {first}"] = applied.seconds
        _say(f"{'dwh_infrastructure':<19}: {first} success in {applied.seconds:5.1f}s  "
             f"(log {applied.log_file})")
        if spark is not None:
            service = spark.result()
            spark_url = service.url
            _say(f"local Spark  : {spark_url} (PID {service.pid}, log {service.log_file})")
        else:
            _say(f"local Spark  : {spark_url} (already running, reused)")
        env = local_environment(state_dir, endpoint, spark_url=spark_url)
        env["DWH_START_DATE"] = options.start.isoformat()
        conf = {"orders_per_day": options.orders_per_day, "seed": options.seed,
                "bad_row_rate": options.bad_row_rate}
        for offset in range(options.days):
            day = (options.start + dt.timedelta(days=offset)).isoformat()
            _dag("dwh_ingest", day, env, log_dir, options, conf=conf)
            _dag("dwh_transform", day, env, log_dir, options)
        found = relations(state_dir / "warehouse.duckdb", endpoint)
        _summary(options, env, found, endpoint)
        return found
    finally:
        pool.shutdown(wait=True)
        if started_spark:
            stop_spark_service(state_dir)
            _say("local Spark  : stopped")
        if started_moto and not options.keep_moto:
            stop_moto(state_dir)
            _say("moto server  : stopped")
        elif started_moto:
            _say(f"moto server  : left running at {endpoint}: it holds the emulated lake "
                 "(make airflow carries on from it; make moto-stop stops it)")


def _dag(dag_id: str, day: str, env: dict, log_dir: Path, options: RunOptions,
         conf: dict | None = None) -> None:
    result = airflow_cli.dags_test(dag_id, day, env, log_dir,
                                   conf=json.dumps(conf) if conf else None)
    options.timings[f"{dag_id} {day}"] = result.seconds
    _say(f"{dag_id:<19}: {day} success in {result.seconds:5.1f}s  (log {result.log_file})")


def _summary(options: RunOptions, env: dict, found: list, endpoint: str) -> None:
    duckdb_path = options.state_dir / "warehouse.duckdb"
    _say("")
    _say(f"Warehouse (DuckDB): {duckdb_path}")
    _say(format_relations(found))
    _say("")
    _say("Open it:   .venv/bin/python -c \"import duckdb; "
         f"print(duckdb.connect('{duckdb_path}').sql('show all tables'))\"")
    _say("Airflow UI: make airflow, then http://localhost:8080 (user admin, password in "
         f"{env['AIRFLOW_HOME']}/simple_auth_manager_passwords.json.generated)")
    _say("Dashboard:  make dashboard, then http://127.0.0.1:8501 (revenue, customers, "
         "orders, SCD2 history, data quality)")
