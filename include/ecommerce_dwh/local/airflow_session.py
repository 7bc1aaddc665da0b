"""One warm ``airflow`` CLI process for a sequence of commands (what ``make run`` uses).

Each ``airflow dags test`` started as a new process pays about 5.5 s before its first
task does any work on this 2-core machine: about 2.5 s to import Airflow and its CLI,
and about 3 s for the first request to the in-process execution API, which builds every
versioned route of the API (Cadwyn) once per process. ``make run`` runs five or more
such commands in a row, so it paid that 5.5 s each time.

An :class:`AirflowSession` starts one child process, ``python -m
ecommerce_dwh.local.airflow_session``, that imports Airflow once and then runs each
command it is sent through Airflow's own CLI parser and command functions, exactly
what ``airflow <args>`` runs (``dags test`` is ``airflow.cli.commands.dag_command.dag_test``,
which calls ``DAG.test``). Each command writes its output to a log file of its own, as a
separate process would, and a failed command raises with that log's tail.
The child's requests and replies travel on two pipes of their own, so a process a task
starts (Terraform, ``spark-submit``) can neither read a request nor write a reply.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import subprocess
import sys
import time
import traceback
from collections.abc import Mapping
from pathlib import Path

from ecommerce_dwh.local import processes
from ecommerce_dwh.local.airflow_cli import AirflowCommandFailed, CommandResult, log_tail


class AirflowSession:
    """A child process that runs ``airflow`` commands one after another.

    Use it as a context manager; closing it ends the child (and stops it by the PID
    recorded in ``pid_file`` if it does not end within ``stop_timeout`` seconds).
    """

    def __init__(self, env: Mapping[str, str], log_file: Path, pid_file: Path,
                 stop_timeout: float = 30):
        log_file.parent.mkdir(parents=True, exist_ok=True)
        requests_read, self._requests = os.pipe()
        self._replies, replies_write = os.pipe()
        self.log_file = log_file
        self._stop_timeout = stop_timeout
        with log_file.open("w") as log:
            self._proc = subprocess.Popen(  # noqa: S603 - fixed argv
                [sys.executable, "-m", "ecommerce_dwh.local.airflow_session",
                 "--requests-fd", str(requests_read), "--replies-fd", str(replies_write)],
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=(requests_read, replies_write),
                # Its own process group, so that stopping it stops what its tasks started.
                start_new_session=True,
            )
        os.close(requests_read)
        os.close(replies_write)
        self._pid_file = pid_file
        pid_file.write_text(f"{self._proc.pid}\n")
        self._buffer = b""

    @property
    def pid(self) -> int:
        return self._proc.pid

    def run(self, args: list[str], log_file: Path, env: Mapping[str, str] | None = None,
            timeout: float = 1800) -> CommandResult:
        """Run ``airflow <args>`` in the session, its output to ``log_file``; raise with the
        log's tail unless it exited 0. ``env`` is set in the session first (and stays)."""
        log_file.parent.mkdir(parents=True, exist_ok=True)
        request = {"args": list(args), "log_file": str(log_file), "env": dict(env or {})}
        os.write(self._requests, (json.dumps(request) + "\n").encode())
        reply = self._read_reply(timeout, args)
        if reply["exit_code"] != 0:
            raise AirflowCommandFailed(
                f"airflow {' '.join(args)} failed (exit {reply['exit_code']}); log: {log_file}\n"
                + log_tail(log_file))
        return CommandResult(tuple(args), reply["seconds"], log_file)

    def dags_test(self, dag_id: str, logical_date: str, log_dir: Path,
                  conf: str | None = None, env: Mapping[str, str] | None = None,
                  ) -> CommandResult:
        """``airflow dags test <dag_id> <logical_date>``; raises unless the run succeeded."""
        args = ["dags", "test", dag_id, logical_date] + (["--conf", conf] if conf else [])
        return self.run(args, log_dir / f"{dag_id}-{logical_date}.log", env=env)

    def _read_reply(self, timeout: float, args: list[str]) -> dict:
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._replies], [], [], max(left, 0))
            chunk = os.read(self._replies, 65536) if ready else b""
            if not chunk:
                self.close()
                why = (f"did not answer within {timeout:.0f}s" if not ready
                       else f"ended (exit {self._proc.returncode})")
                raise AirflowCommandFailed(
                    f"airflow {' '.join(args)}: the Airflow session (PID {self._proc.pid}) "
                    f"{why}; its log: {self.log_file}\n{log_tail(self.log_file)}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def close(self, now: bool = False) -> None:
        """End the child: it exits when its request pipe closes. It is stopped by its
        process group (with what its tasks started) if it has not ended within
        ``stop_timeout`` seconds, or at once with ``now`` (a command was interrupted)."""
        with contextlib.suppress(OSError):
            os.close(self._requests)
        try:
            self._proc.wait(timeout=0 if now else self._stop_timeout)
        except subprocess.TimeoutExpired:
            processes.stop(self._pid_file)
            self._proc.wait()
        self._pid_file.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            os.close(self._replies)

    def __enter__(self) -> AirflowSession:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        self.close(now=exc_type is not None)


# --- the child process ------------------------------------------------------------


def _run_command(parser: argparse.ArgumentParser, argv: list[str]) -> int:
    """What ``airflow <argv>`` does after its imports (airflow/__main__.py); its exit code."""
    try:
        args = parser.parse_args(argv)
        if args.subcommand not in ("lazy_loaded", "version"):
            from airflow.configuration import write_default_airflow_configuration_if_needed

            write_default_airflow_configuration_if_needed()
        args.func(args)
    except SystemExit as stop:  # `dags test` ends a failed run with SystemExit("DagRun failed")
        if stop.code is None or stop.code == 0:
            return 0
        if not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
            return 1
        return stop.code
    except Exception:  # noqa: BLE001 - reported in the command's log, as the CLI would
        traceback.print_exc()
        return 1
    return 0


@contextlib.contextmanager
def _output_to(log_file: Path):
    """Send this process's stdout and stderr (and its children's) to ``log_file``."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_file, "w") as log:  # noqa: PTH123
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


def serve(requests_fd: int, replies_fd: int) -> None:
    """Answer each request line with ``{"exit_code", "seconds"}`` until the pipe closes."""
    for fd in (requests_fd, replies_fd):
        os.set_inheritable(fd, False)
    from airflow import configuration  # noqa: F401 - first, as airflow/__main__.py does
    from airflow.cli import cli_parser

    parser = cli_parser.get_parser()
    with os.fdopen(requests_fd) as requests, os.fdopen(replies_fd, "w") as replies:
        for line in requests:
            request = json.loads(line)
            os.environ.update(request["env"])
            # A task process resolves its AWS credentials once (aws_credentials); here
            # every command's tasks share this process, so each command resolves anew.
            if credentials := sys.modules.get("ecommerce_dwh.aws_credentials"):
                credentials.resolved_credentials.cache_clear()
            started = time.monotonic()
            with _output_to(Path(request["log_file"])):
                exit_code = _run_command(parser, request["args"])
            replies.write(json.dumps({"exit_code": exit_code,
                                      "seconds": round(time.monotonic() - started, 3)}) + "\n")
            replies.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests-fd", type=int, required=True)
    parser.add_argument("--replies-fd", type=int, required=True)
    args = parser.parse_args()
    serve(args.requests_fd, args.replies_fd)


if __name__ == "__main__":
    main()
