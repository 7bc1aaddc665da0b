"""The local Spark service process: a warm Spark that runs the Glue job's script locally.

``include/glue/local_spark_service.py`` is the service (a SparkSession kept across runs
and a loopback HTTP endpoint); this module starts it with a PID file and stops it by
that PID, like the moto server, and says where it listens. ``make run``, ``make airflow``
and the tests start one; the local runner of the Glue job sends each run to the URL in
``DWH_LOCAL_SPARK_URL`` (without one it starts a ``spark-submit`` of its own, a cold JVM
per run).
"""

from __future__ import annotations

import json
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ecommerce_dwh.local import processes
from ecommerce_dwh.settings import PROJECT_ROOT

SERVICE_SCRIPT = PROJECT_ROOT / "include" / "glue" / "local_spark_service.py"


@dataclass(frozen=True)
class SparkService:
    """A running local Spark service."""

    port: int
    pid: int
    log_file: Path

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: the value of ``DWH_LOCAL_SPARK_URL``."""
        return f"http://127.0.0.1:{self.port}"


def start_spark_service(state_dir: Path, port: int | None = None,
                        timeout: float = 120, niceness: int = 0) -> SparkService:
    """Start the service on loopback (JVM up and warm when this returns); record its PID.

    ``niceness`` > 0 runs it at a lower CPU priority (``nice``): ``make run`` starts it
    beside Terraform's plan, which then keeps the two cores, and the JVM warms up in
    the ~55 s that Terraform's apply spends waiting (docs/terraform.md)."""
    from ecommerce_dwh.silver.local_run import (
        LOCAL_SPARK_CONF,
        LOCAL_SPARK_MASTER,
        spark_environment,
    )

    port = port or processes.free_port()
    pid_file = state_dir / "spark-service.pid"
    log_file = state_dir / "logs" / "spark-service.log"
    cmd = [*(["nice", "-n", str(niceness)] if niceness else []),
           sys.executable, str(SERVICE_SCRIPT), "--port", str(port),
           "--master", LOCAL_SPARK_MASTER, "--work-dir", str(state_dir / "spark-service")]
    for key, value in LOCAL_SPARK_CONF.items():
        cmd += ["--conf", f"{key}={value}"]
    pid = processes.start(cmd, pid_file, log_file, env=spark_environment())
    try:
        processes.wait_for_port("127.0.0.1", port, timeout, pid_file, log_file)
    except BaseException:
        processes.stop(pid_file)
        raise
    (state_dir / "spark-service.endpoint").write_text(f"http://127.0.0.1:{port}\n")
    return SparkService(port, pid, log_file)


def stop_spark_service(state_dir: Path) -> bool:
    """Stop the service recorded under ``state_dir``; True if one was running."""
    (state_dir / "spark-service.endpoint").unlink(missing_ok=True)
    return processes.stop(state_dir / "spark-service.pid")


def running_spark_url(state_dir: Path) -> str | None:
    """The URL of the service recorded under ``state_dir``, if it is alive."""
    if processes.read_pid(state_dir / "spark-service.pid") is None:
        return None
    try:
        return (state_dir / "spark-service.endpoint").read_text().strip()
    except FileNotFoundError:
        return None


def health(url: str, timeout: float = 5) -> dict:
    """The service's ``/health`` answer."""
    with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read())
