"""The warm Airflow process ``make run`` drives (``ecommerce_dwh.local.airflow_session``):
real ``airflow db migrate`` and ``airflow dags test`` commands, run one after another in
one child process, each with a log of its own; a failed run raises with its log's tail;
a task's subprocess cannot read the requests; closing the session ends the process."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from ecommerce_dwh.local.airflow_cli import AirflowCommandFailed
from ecommerce_dwh.local.airflow_session import AirflowSession
from ecommerce_dwh.local.environment import TELEMETRY_OFF

DAGS = {
    "report.py": """
        import os, subprocess
        from pathlib import Path
        import pendulum
        from airflow.sdk import dag, task

        @dag(schedule=None, start_date=pendulum.datetime(2024, 1, 1), catchup=False)
        def report():
            @task
            def write(logical_date=None):
                # A subprocess that reads its stdin: it must get EOF, never a request.
                stdin = subprocess.run(["cat"], capture_output=True, text=True, timeout=20)
                print(f"REPORT {logical_date.date()} MARK={os.environ.get('MARK', '-')}")
                out = Path(os.environ["OUT_DIR"]) / f"{logical_date.date()}.txt"
                out.write_text(f"{os.getpid()} {os.environ.get('MARK', '-')} {stdin.stdout!r}")
            write()

        report()
    """,
    "boom.py": """
        import pendulum
        from airflow.sdk import dag, task

        @dag(schedule=None, start_date=pendulum.datetime(2024, 1, 1), catchup=False)
        def boom():
            @task(retries=0)
            def explode():
                raise ValueError("the boom task exploded on purpose")
            explode()

        boom()
    """,
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("airflow-session")
    (home / "dags").mkdir()
    (home / "out").mkdir()
    for name, source in DAGS.items():
        (home / "dags" / name).write_text(textwrap.dedent(source))
    return home


@pytest.fixture(scope="module")
def session(home: Path):
    env = {**os.environ, **TELEMETRY_OFF,
           "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
           "OUT_DIR": str(home / "out")}
    with AirflowSession(env, home / "session.log", home / "session.pid") as airflow:
        airflow.run(["db", "migrate"], home / "logs" / "migrate.log")
        yield airflow


def test_runs_each_command_in_the_one_process_with_a_log_of_its_own(session, home) -> None:
    first = session.dags_test("report", "2024-01-01", home / "logs")
    second = session.dags_test("report", "2024-01-02", home / "logs", env={"MARK": "set"})
    pids = {(home / "out" / f"{day}.txt").read_text().split()[0]
            for day in ("2024-01-01", "2024-01-02")}
    assert pids == {str(session.pid)}
    assert "REPORT 2024-01-01 MARK=-" in first.log_file.read_text()
    assert "REPORT 2024-01-02" not in first.log_file.read_text()
    assert "REPORT 2024-01-02 MARK=set" in second.log_file.read_text()
    assert first.args == ("dags", "test", "report", "2024-01-01")


def test_a_task_s_subprocess_reads_nothing_from_the_requests(session, home) -> None:
    session.dags_test("report", "2024-01-03", home / "logs")
    assert (home / "out" / "2024-01-03.txt").read_text().endswith("''")
    # and the session still answers the next command
    session.dags_test("report", "2024-01-04", home / "logs")
    assert (home / "out" / "2024-01-04.txt").exists()


def test_a_failed_run_raises_with_its_log_and_the_session_carries_on(session, home) -> None:
    with pytest.raises(AirflowCommandFailed) as failed:
        session.dags_test("boom", "2024-01-01", home / "logs")
    message = str(failed.value)
    assert "airflow dags test boom 2024-01-01 failed (exit 1)" in message
    assert str(home / "logs" / "boom-2024-01-01.log") in message
    assert "the boom task exploded on purpose" in message
    session.dags_test("report", "2024-01-05", home / "logs")
    assert (home / "out" / "2024-01-05.txt").exists()


def test_an_unknown_dag_fails_and_names_it(session, home) -> None:
    with pytest.raises(AirflowCommandFailed, match="no_such_dag"):
        session.dags_test("no_such_dag", "2024-01-01", home / "logs")


def test_closing_ends_the_process_and_removes_its_pid_file(home: Path) -> None:
    env = {**os.environ, **TELEMETRY_OFF, "AIRFLOW_HOME": str(home),
           "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}"}
    pid_file = home / "closing.pid"
    with AirflowSession(env, home / "closing.log", pid_file) as airflow:
        assert pid_file.read_text().strip() == str(airflow.pid)
        airflow.run(["version"], home / "logs" / "version.log")
    assert not pid_file.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(airflow.pid, 0)
