"""The moto server process that stands in for AWS in local mode.

moto's Glue crawler never finishes on its own: its state manager must be told to
advance crawls over time (``glue::crawl``). :func:`start_moto` does that, so a
crawler started by ``dwh_ingest`` reports its last crawl as finished a second later.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ecommerce_dwh.local import processes

#: moto's fixed dummy credentials: the only keys this project ever contains.
MOTO_ACCESS_KEY = "testing"
MOTO_SECRET_KEY = "testing"  # noqa: S105 - moto's documented dummy secret, not a credential


@dataclass(frozen=True)
class MotoServer:
    """A running moto server."""

    host: str
    port: int
    pid: int
    pid_file: Path
    log_file: Path

    @property
    def endpoint_url(self) -> str:
        """``http://host:port``, for boto3, Terraform and the ``aws_default`` connection."""
        return f"http://{self.host}:{self.port}"


def set_transition(endpoint_url: str, model_name: str, transition: dict[str, object]) -> None:
    """Tell moto's state manager how ``model_name`` advances (e.g. ``glue::crawl``)."""
    body = json.dumps({"model_name": model_name, "transition": transition}).encode()
    req = urllib.request.Request(
        f"{endpoint_url}/moto-api/state-manager/set-transition", data=body, method="POST"
    )
    with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - loopback only
        resp.read()


def start_moto(
    state_dir: Path,
    port: int | None = None,
    host: str = "127.0.0.1",
    crawl_seconds: int = 1,
    timeout: float = 30,
) -> MotoServer:
    """Start ``moto_server`` on loopback, record its PID and set the crawl transition."""
    port = port or processes.free_port(host)
    pid_file = state_dir / "moto.pid"
    log_file = state_dir / "logs" / "moto.log"
    moto_bin = Path(sys.executable).with_name("moto_server")
    pid = processes.start([str(moto_bin), "-H", host, "-p", str(port)], pid_file, log_file)
    try:
        processes.wait_for_port(host, port, timeout, pid_file, log_file)
        server = MotoServer(host, port, pid, pid_file, log_file)
        set_transition(
            server.endpoint_url, "glue::crawl", {"progression": "time", "seconds": crawl_seconds}
        )
    except BaseException:
        processes.stop(pid_file)
        raise
    (state_dir / "moto.endpoint").write_text(server.endpoint_url + "\n")
    return server


def stop_moto(state_dir: Path) -> bool:
    """Stop the moto server recorded under ``state_dir``; True if one was running."""
    (state_dir / "moto.endpoint").unlink(missing_ok=True)
    return processes.stop(state_dir / "moto.pid")


def running_endpoint(state_dir: Path) -> str | None:
    """The endpoint of the moto server recorded under ``state_dir``, if it is alive."""
    if processes.read_pid(state_dir / "moto.pid") is None:
        return None
    try:
        return (state_dir / "moto.endpoint").read_text().strip()
    except FileNotFoundError:
        return None
