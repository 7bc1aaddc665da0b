"""Command line of local mode: ``python -m ecommerce_dwh.local --help``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ecommerce_dwh.local import airflow_cli
from ecommerce_dwh.local.environment import local_environment
from ecommerce_dwh.local.moto_server import running_endpoint, start_moto, stop_moto
from ecommerce_dwh.local.pipeline import (
    DEFAULT_MOTO_PORT,
    RunOptions,
    apply_local_infrastructure,
    forget_old_world,
    run_pipeline,
)
from ecommerce_dwh.local.services import DEFAULT_API_PORT, start_airflow, stop_airflow
from ecommerce_dwh.local.spark_service import (
    running_spark_url,
    start_spark_service,
    stop_spark_service,
)
from ecommerce_dwh.settings import get_settings


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used by the tests)."""
    parser = argparse.ArgumentParser(
        prog="python -m ecommerce_dwh.local",
        description="Run the ecommerce-dwh pipeline locally: moto server + Airflow + DuckDB.",
    )
    parser.add_argument("--state-dir", type=Path, default=None,
                        help="local state folder (default: DWH_STATE_DIR or ./.local)")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the whole pipeline for consecutive days")
    run.add_argument("--start", type=_date, default=dt.date(2024, 1, 1),
                     help="first logical date, YYYY-MM-DD (default 2024-01-01)")
    run.add_argument("--days", type=_positive, default=2,
                     help="how many consecutive days to ingest (default 2); one transform "
                          "then takes them together")
    run.add_argument("--orders-per-day", type=_positive, default=200,
                     help="generated orders per day (default 200)")
    run.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    run.add_argument("--bad-row-rate", type=float, default=0.0,
                     help="share of injected bad rows, 0..0.5 (default 0)")
    run.add_argument("--moto-port", type=int, default=DEFAULT_MOTO_PORT,
                     help=f"port of the moto server on 127.0.0.1 (default {DEFAULT_MOTO_PORT})")
    run.add_argument("--stop-moto", action="store_true",
                     help="stop the moto server at the end (by default it keeps running: "
                          "it holds the emulated lake that make airflow and the dbt "
                          "command read; stop it with moto-stop or airflow-stop)")

    moto = sub.add_parser("moto-start", help="start a moto server and record its PID")
    moto.add_argument("--port", type=int, default=DEFAULT_MOTO_PORT)
    sub.add_parser("moto-stop", help="stop the moto server recorded in the state folder")

    up = sub.add_parser("airflow-start",
                        help="start moto, the local Spark service, and Airflow's api-server, "
                             "scheduler, dag-processor and triggerer")
    up.add_argument("--port", type=int, default=DEFAULT_API_PORT, help="UI/API port (8080)")
    up.add_argument("--moto-port", type=int, default=DEFAULT_MOTO_PORT)
    dbt = sub.add_parser(
        "dbt", help="run dbt on the local warehouse, against the running moto server",
        description="Run dbt on the local DuckDB warehouse with the environment the "
                    "transform DAG gives it (the moto server that holds the lake must run: "
                    "`make run` leaves it running, `make airflow` starts one), e.g. "
                    "`python -m ecommerce_dwh.local dbt build --full-refresh`.")
    dbt.add_argument("dbt_args", nargs=argparse.REMAINDER, help="dbt's own arguments")
    sub.add_parser("airflow-stop",
                   help="stop the Airflow components, the local Spark service and moto")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    state_dir = (args.state_dir or get_settings().state_dir).resolve()
    if args.command == "run":
        options = RunOptions(
            state_dir=state_dir, start=args.start, days=args.days,
            orders_per_day=args.orders_per_day, seed=args.seed,
            bad_row_rate=args.bad_row_rate, moto_port=args.moto_port, keep_moto=not args.stop_moto,
        )
        try:
            run_pipeline(options)
        except airflow_cli.AirflowCommandFailed as exc:
            print(f"\nFAILED: {exc}", file=sys.stderr)
            return 1
        return 0
    if args.command == "moto-start":
        if endpoint := running_endpoint(state_dir):
            print(f"moto already running at {endpoint}")
            return 0
        server = start_moto(state_dir, port=args.port)
        print(f"moto running at {server.endpoint_url} (PID {server.pid})")
        return 0
    if args.command == "moto-stop":
        print("moto stopped" if stop_moto(state_dir) else "no moto server was running")
        return 0
    if args.command == "airflow-start":
        endpoint = running_endpoint(state_dir)
        new_moto = endpoint is None
        if new_moto:
            forgotten = forget_old_world(state_dir)
            if forgotten:
                print("moto server : none running; a new one is empty, so what described the "
                      f"old one is gone: {', '.join(forgotten)}", flush=True)
            endpoint = start_moto(state_dir, port=args.moto_port).endpoint_url
        spark_url = running_spark_url(state_dir) or start_spark_service(state_dir).url
        env = local_environment(state_dir, endpoint, spark_url=spark_url)
        if new_moto:
            # An empty emulated AWS: create the resources the saved outputs name (after a
            # `make run`, the Variable still names buckets of its stopped moto server).
            print("moto server : new and empty, applying the local infrastructure "
                  "(dwh_infrastructure)...", flush=True)
            airflow_cli.run(["db", "migrate"], env, state_dir / "logs" / "airflow-db-migrate.log")
            today = dt.datetime.now(dt.UTC).date().isoformat()
            applied = apply_local_infrastructure(env, state_dir / "logs", today)
            print(f"dwh_infrastructure: applied in {applied.seconds:.1f}s (log {applied.log_file})")
        pids = start_airflow(env, api_port=args.port)
        print(f"moto server : {endpoint}")
        print(f"local Spark : {spark_url}")
        for component, pid in pids.items():
            print(f"{component:<12}: PID {pid}, log {env['AIRFLOW_HOME']}/logs/{component}.log")
        print(f"\nAirflow UI  : http://localhost:{args.port}  (user admin; password in "
              f"{env['AIRFLOW_HOME']}/simple_auth_manager_passwords.json.generated)")
        print("The emulated AWS resources exist (dwh_infrastructure); trigger dwh_ingest, or "
              "unpause it to catch up from DWH_START_DATE. Stop everything with: "
              "make airflow-stop")
        return 0
    if args.command == "dbt":
        return _dbt(state_dir, args.dbt_args)
    if args.command == "airflow-stop":
        endpoint = running_endpoint(state_dir) or "http://127.0.0.1:0"
        stopped = stop_airflow(local_environment(state_dir, endpoint))
        print(f"stopped: {', '.join(stopped) or 'no Airflow component was running'}")
        print("local Spark stopped" if stop_spark_service(state_dir)
              else "no local Spark service was running")
        print("moto stopped" if stop_moto(state_dir) else "no moto server was running")
        return 0
    return 2


def _dbt(state_dir: Path, dbt_args: list[str]) -> int:
    """dbt with local mode's environment, on the project in include/dbt."""
    import subprocess

    from ecommerce_dwh.local.moto_server import MOTO_ACCESS_KEY, MOTO_SECRET_KEY
    from ecommerce_dwh.settings import DBT_PROJECT_DIR

    endpoint = running_endpoint(state_dir)
    if endpoint is None:
        print("no moto server is running (the silver zone lives there): make run, or "
              "make airflow", file=sys.stderr)
        return 1
    env = local_environment(state_dir, endpoint)
    env.update({"DWH_DUCKDB_PATH": str(state_dir / "warehouse.duckdb"),
                "DWH_AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY})
    dbt_bin = str(Path(sys.executable).with_name("dbt"))
    cmd = [dbt_bin, *dbt_args, "--project-dir", str(DBT_PROJECT_DIR),
           "--profiles-dir", str(DBT_PROJECT_DIR), "--target", "local"]
    return subprocess.run(cmd, env=env, check=False).returncode  # noqa: S603


if __name__ == "__main__":
    sys.exit(main())
