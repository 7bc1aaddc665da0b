"""Start background processes with a PID file, and stop them by that PID.

Every process the project starts (moto, the Airflow services) goes through here, so
that ``make run``, ``make airflow-stop`` and the tests stop exactly what they started
and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def free_port(host: str = "127.0.0.1") -> int:
    """Ask the kernel for a free TCP port on ``host``."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True if something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def read_pid(pid_file: Path) -> int | None:
    """The PID recorded in ``pid_file`` if that process is still alive, else None."""
    try:
        pid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def start(
    cmd: Sequence[str],
    pid_file: Path,
    log_file: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> int:
    """Start ``cmd`` detached in its own process group; record its PID; return it.

    The process gets its own session so that stopping it (and its children, e.g.
    gunicorn or uvicorn workers) is one ``killpg`` and never hits the caller.
    """
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    log_file.parent.mkdir(parents=True, exist_ok=True)
    if (pid := read_pid(pid_file)) is not None:
        raise RuntimeError(f"{cmd[0]} already running with PID {pid} (see {pid_file})")
    with log_file.open("ab") as log:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            list(cmd),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
    pid_file.write_text(f"{proc.pid}\n")
    return proc.pid


def stop(pid_file: Path, timeout: float = 20.0) -> bool:
    """SIGTERM the process group recorded in ``pid_file``; SIGKILL after ``timeout``.

    Returns True if a live process was stopped. Removes the PID file either way.
    """
    pid = read_pid(pid_file)
    pid_file.unlink(missing_ok=True)
    if pid is None:
        return False
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            break
        time.sleep(0.2)
    else:
        _signal_group(pid, signal.SIGKILL)
    # Reap if it is our child (avoids a zombie in long-lived test processes).
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    # Leftover children that ignored the group signal.
    _signal_group(pid, signal.SIGKILL)
    return True


def wait_for_port(host: str, port: int, timeout: float, pid_file: Path, log_file: Path) -> None:
    """Wait until ``host:port`` accepts connections; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(host, port):
            return
        if read_pid(pid_file) is None or not _alive(read_pid(pid_file) or -1):
            raise RuntimeError(f"process exited before listening on {port}; log: {log_file}\n"
                               + _tail(log_file))
        time.sleep(0.2)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout:.0f}s; log: "
                       f"{log_file}\n{_tail(log_file)}")


def _alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"
