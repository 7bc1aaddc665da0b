"""``make airflow``: a real local Airflow, one process per component, stopped by PID.

``airflow standalone`` is avoided on purpose: it leaves orphans when killed. Here
api-server, scheduler, dag-processor and triggerer each run in their own process
group with a PID file under ``<state>/airflow/pids``, and stop cleanly on SIGTERM.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ecommerce_dwh.local import airflow_cli, processes

COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")
DEFAULT_API_PORT = 8080


def pid_dir(env: Mapping[str, str]) -> Path:
    """Where the components' PID files live."""
    return Path(env["AIRFLOW_HOME"]) / "pids"


def start_airflow(env: Mapping[str, str], api_port: int = DEFAULT_API_PORT,
                  timeout: float = 120) -> dict[str, int]:
    """Migrate the DB, start every component, wait for the API; return PIDs by component."""
    env = dict(env)
    # Task processes report to the api-server's execution API: tell them where it is
    # (Airflow assumes port 8080).
    env.setdefault("AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
                   f"http://127.0.0.1:{api_port}/execution/")
    home = Path(env["AIRFLOW_HOME"])
    airflow_cli.run(["db", "migrate"], env, home / "logs" / "db-migrate.log")
    pids: dict[str, int] = {}
    try:
        for component in COMPONENTS:
            args = [airflow_cli.airflow_bin(), component]
            if component == "api-server":
                args += ["--port", str(api_port), "--host", "127.0.0.1"]
            pids[component] = processes.start(
                args,
                pid_dir(env) / f"{component}.pid",
                home / "logs" / f"{component}.log",
                env=env,
            )
        processes.wait_for_port("127.0.0.1", api_port, timeout,
                                pid_dir(env) / "api-server.pid", home / "logs" / "api-server.log")
    except BaseException:
        stop_airflow(env)
        raise
    return pids


def stop_airflow(env: Mapping[str, str]) -> list[str]:
    """Stop every component recorded under the PID folder; return those that were running."""
    return [c for c in COMPONENTS if processes.stop(pid_dir(env) / f"{c}.pid", timeout=30)]


def running(env: Mapping[str, str]) -> dict[str, int]:
    """Components alive right now, by PID file."""
    found = {c: processes.read_pid(pid_dir(env) / f"{c}.pid") for c in COMPONENTS}
    return {c: pid for c, pid in found.items() if pid is not None}
