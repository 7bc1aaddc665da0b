"""Run ``airflow`` CLI commands of the project's local Airflow as subprocesses."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class AirflowCommandFailed(RuntimeError):
    """An ``airflow`` command exited non-zero."""


@dataclass(frozen=True)
class CommandResult:
    """What a finished ``airflow`` command did."""

    args: tuple[str, ...]
    seconds: float
    log_file: Path


def airflow_bin() -> str:
    """The ``airflow`` entry point of the running virtualenv."""
    return str(Path(sys.executable).with_name("airflow"))


def run(
    args: list[str], env: Mapping[str, str], log_file: Path, timeout: float = 1800
) -> CommandResult:
    """Run ``airflow <args>``, its output to ``log_file``; raise with the log's tail on failure."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log_file.open("w") as log:
        proc = subprocess.run(  # noqa: S603 - fixed argv
            [airflow_bin(), *args],
            env=dict(env),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    seconds = time.monotonic() - started
    if proc.returncode != 0:
        raise AirflowCommandFailed(
            f"airflow {' '.join(args)} failed (exit {proc.returncode}); log: {log_file}\n"
            + log_tail(log_file)
        )
    return CommandResult(tuple(args), seconds, log_file)


def log_tail(log_file: Path, lines: int = 40) -> str:
    """The last ``lines`` lines of a command's log (what a failure shows)."""
    try:
        return "\n".join(log_file.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return f"({log_file} was not written)"


def dags_test(
    dag_id: str,
    logical_date: str,
    env: Mapping[str, str],
    log_dir: Path,
    conf: str | None = None,
) -> CommandResult:
    """``airflow dags test <dag_id> <logical_date>``; raises unless the run succeeded."""
    args = ["dags", "test", dag_id, logical_date]
    if conf:
        args += ["--conf", conf]
    # `dags test` exits 1 when the run ends failed ("DagRun failed").
    return run(args, env, log_dir / f"{dag_id}-{logical_date}.log")
