"""``make run``: the whole pipeline on this machine, with real Airflow, Terraform and dbt.

1. start a moto server process (the emulated AWS) unless one is already running, and
   the local Spark service (a warm Spark for the Glue job's script);
2. migrate the project-local Airflow database;
3. ``dwh_infrastructure``: Terraform applies ``environments/local`` against moto;
4. ``dwh_ingest`` for each day, then one ``dwh_transform`` that takes the landed days
   together (``airflow dags test`` each, in one warm Airflow process);
5. print a summary and stop the Spark service; the moto server keeps running (it holds
   the emulated lake: ``make airflow`` and the ``dbt`` command use it) unless asked to
   stop it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ecommerce_dwh.local import airflow_cli
from ecommerce_dwh.local.airflow_session import AirflowSession
from ecommerce_dwh.local.environment import local_environment
from ecommerce_dwh.local.moto_server import running_endpoint, start_moto, stop_moto
from ecommerce_dwh.local.spark_service import (
    running_spark_url,
    start_spark_service,
    stop_spark_service,
)
from ecommerce_dwh.local.warehouse_summary import format_relations, relations

DEFAULT_MOTO_PORT = 5055
#: ``nice`` of the Spark service ``make run`` starts (it only competes with Terraform's
#: plan and Airflow for the cores while its JVM warms up; its jobs run while the rest waits).
SPARK_NICENESS = 10


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


#: ``dwh_infrastructure``'s parameters for the local environment.
APPLY_LOCAL = json.dumps({"environment": "local", "action": "apply"})


def apply_local_infrastructure(env: dict, log_dir: Path, day: str) -> airflow_cli.CommandResult:
    """``dwh_infrastructure`` with ``environment=local, action=apply`` (``airflow dags test``)."""
    return airflow_cli.dags_test("dwh_infrastructure", day, env, log_dir, conf=APPLY_LOCAL)


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
        endpoint = f"http://127.0.0.1:{options.moto_port}"
    env = local_environment(state_dir, endpoint)
    # The history starts at the first day run here: the DAGs' start date and the
    # generator's epoch (so the first day carries the initial customers and products).
    env["DWH_START_DATE"] = options.start.isoformat()
    spark_url = running_spark_url(state_dir)
    started_spark = spark_url is None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="spark-service")
    spark = None
    try:
        # Every `airflow` command below runs in one warm Airflow process (airflow_session:
        # a new process per command paid ~5.5 s of imports and API start-up each time);
        # it imports Airflow while moto starts.
        with AirflowSession(env, log_dir / "airflow-session.log",
                            state_dir / "airflow-session.pid") as airflow:
            if started_moto:
                server = start_moto(state_dir, port=options.moto_port)
                _say(f"moto server  : {endpoint} (PID {server.pid}, log {server.log_file})")
            else:
                _say(f"moto server  : {endpoint} (already running, reused)")
            # The Spark service starts its JVM while Terraform applies (the first ETL
            # run waits for it), at a lower priority than Terraform and Airflow.
            if started_spark:
                spark = pool.submit(start_spark_service, state_dir, niceness=SPARK_NICENESS)
            migrated = airflow.run(["db", "migrate"], log_dir / "airflow-db-migrate.log")
            _say(f"airflow db   : migrated ({migrated.seconds:.1f}s), "
                 f"AIRFLOW_HOME={env['AIRFLOW_HOME']}")
            first = options.start.isoformat()
            applied = airflow.dags_test("dwh_infrastructure", first, log_dir, conf=APPLY_LOCAL)
            options.timings[f"dwh_infrastructure {first}"] = applied.seconds
            _say(f"{'dwh_infrastructure':<19}: {first} success in {applied.seconds:5.1f}s  "
                 f"(log {applied.log_file})")
            if spark is not None:
                service = spark.result()
                spark_url = service.url
                _say(f"local Spark  : {spark_url} (PID {service.pid}, log {service.log_file})")
            else:
                _say(f"local Spark  : {spark_url} (already running, reused)")
            conf = json.dumps({"orders_per_day": options.orders_per_day, "seed": options.seed,
                               "bad_row_rate": options.bad_row_rate})
            days = [(options.start + dt.timedelta(days=offset)).isoformat()
                    for offset in range(options.days)]
            for day in days:
                _dag(airflow, "dwh_ingest", day, log_dir, options, conf=conf,
                     env={"DWH_LOCAL_SPARK_URL": spark_url})
            if started_spark:  # the transform does not use Spark: stop it meanwhile
                pool.submit(stop_spark_service, state_dir)
            # One transform takes every landed day, as a scheduled one does when days
            # landed before it started: each model reads the silver days it has not
            # loaded yet (the loads table), so N days cost one dbt build, not N.
            if len(days) > 1:
                _say(f"{'dwh_transform':<19}: the {len(days)} landed days together")
            _dag(airflow, "dwh_transform", days[-1], log_dir, options)
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


def _dag(airflow: AirflowSession, dag_id: str, day: str, log_dir: Path, options: RunOptions,
         conf: str | None = None, env: dict | None = None) -> None:
    result = airflow.dags_test(dag_id, day, log_dir, conf=conf, env=env)
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
