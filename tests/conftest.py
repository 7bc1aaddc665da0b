"""Fixtures shared by every test folder: a moto server process and clients for it, one
local SparkSession, the local Spark service, and the local pipeline (a project-local
Airflow that ``airflow dags test`` drives, the infrastructure applied, two days landed
and transformed), which the end-to-end tests and the dashboard's browser test share.

The moto servers are real processes on free loopback ports (started once per test
session, stopped by PID at the end); nothing here patches boto3 in-process. Two of them:

* ``moto_server``: no IAM enforcement; the tests of single parts use it with moto's
  dummy keys;
* ``pipeline_moto``: the local pipeline's, which enforces IAM from its start, with the
  identities of an AWS account: Terraform applies as an admin user (standing in for
  the deploy role), every DAG task then acts as the worker's role, assumed by the local
  Airflow's IAM user that Terraform creates (``worker``). Each call of the pipeline is
  checked against the worker's policy (docs/architecture.md, "The worker's policy,
  enforced"); the tests' own reads use the admin (``admin_client``).

The SparkSession is the local runner's configuration (``local[2]``, loopback only),
started once: the ETL job's transforms run on it in the silver and dbt tests.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# The timeline of the local pipeline the end-to-end tests (and the dashboard's browser
# test) share: tests/e2e/e2e_timeline.py.
sys.path.insert(0, str(Path(__file__).resolve().parent / "e2e"))
from e2e_timeline import DAYS, ORDERS_PER_DAY, SEED  # noqa: E402
from moto_iam import WorkerIdentity, set_up_worker  # noqa: E402

from ecommerce_dwh.local import airflow_cli  # noqa: E402
from ecommerce_dwh.local.environment import aws_connection_uri, local_environment  # noqa: E402
from ecommerce_dwh.local.moto_server import (  # noqa: E402
    MOTO_ACCESS_KEY,
    MOTO_SECRET_KEY,
    EnforcingMotoServer,
    MotoServer,
    start_enforcing_moto,
    start_moto,
    stop_moto,
)

REGION = "us-east-2"

# py4j logs "Closing down clientserver connection" from a finalizer after pytest has
# closed the streams it captured: quiet its INFO lines (warnings and errors still show).
logging.getLogger("py4j").setLevel(logging.WARNING)

TESTS = Path(__file__).resolve().parent

#: ``make test`` runs the suite in several pytest-xdist workers (``--dist loadgroup``,
#: scripts/test.sh). Tests that share an expensive session fixture stay on one worker,
#: so that it is built once: the IAM-enforced local pipeline (the end-to-end tests and
#: the dashboard's browser test), the newcomer's Airflow of the UI tests, the Terraform
#: applies, the delivery chain, and the SparkSession of the silver and dbt tests.
XDIST_GROUPS = {
    "e2e": "pipeline",
    "dashboard/test_dashboard_browser.py": "pipeline",
    "ui": "ui",
    "terraform": "terraform",
    "delivery": "delivery",
    "silver": "spark",
    "dbt": "spark",
}


# tryfirst: xdist's worker registers its own collection hook after the conftests, so it
# runs first and would read the items before these marks are on them.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        relative = Path(str(item.path)).resolve().relative_to(TESTS).as_posix()
        for prefix, group in XDIST_GROUPS.items():
            if relative == prefix or relative.startswith(prefix + "/"):
                item.add_marker(pytest.mark.xdist_group(group))
                break


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """A moto server process for the whole test session."""
    state_dir = tmp_path_factory.mktemp("moto")
    server = start_moto(state_dir)
    try:
        yield server
    finally:
        stop_moto(state_dir)


@pytest.fixture(scope="session")
def pipeline_moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EnforcingMotoServer]:
    """The local pipeline's moto server: IAM enforced from its start (an admin user made
    with its first requests; moto's dummy keys refused), its own process."""
    state_dir = tmp_path_factory.mktemp("moto-iam")
    server = start_enforcing_moto(state_dir)
    try:
        yield server
    finally:
        stop_moto(state_dir)


@pytest.fixture(scope="session")
def admin_client(pipeline_moto: EnforcingMotoServer) -> Callable[[str], object]:
    """``admin_client("s3")``: a client of the pipeline's moto server, as its admin."""
    return pipeline_moto.client


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """The session's local SparkSession (a JVM; stopped at the end)."""
    from ecommerce_dwh.silver.local_run import local_spark_session

    session = local_spark_session("ecommerce-dwh-tests")
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture(scope="session")
def spark_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The local Spark service process (a warm JVM that runs the Glue job's script)."""
    from ecommerce_dwh.local.spark_service import start_spark_service, stop_spark_service

    state_dir = tmp_path_factory.mktemp("spark-service")
    service = start_spark_service(state_dir)
    try:
        yield service
    finally:
        stop_spark_service(state_dir)


@pytest.fixture(scope="session")
def aws_env(moto_server: MotoServer) -> dict[str, str]:
    """Environment variables that point boto3, s3fs and Terraform at the moto server."""
    return {
        "AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": moto_server.endpoint_url,
    }


@pytest.fixture(scope="session")
def boto3_client(aws_env: dict[str, str]) -> Callable[[str], object]:
    """``boto3_client("s3")``: a client for the moto server."""
    import boto3

    def make(service: str) -> object:
        return boto3.client(
            service,
            endpoint_url=aws_env["AWS_ENDPOINT_URL"],
            region_name=REGION,
            aws_access_key_id=MOTO_ACCESS_KEY,
            aws_secret_access_key=MOTO_SECRET_KEY,
        )

    return make


@dataclasses.dataclass(frozen=True)
class LocalAirflow:
    """The project's Airflow, as ``make run`` drives it, in a temporary state folder."""

    state_dir: Path
    env: dict[str, str]

    @property
    def log_dir(self) -> Path:
        return self.state_dir / "logs"

    def dags_test(
        self, dag_id: str, day: str, conf: dict | None = None
    ) -> airflow_cli.CommandResult:
        """Run one DAG for ``day``; raises (with the log's tail) unless it succeeded."""
        return airflow_cli.dags_test(
            dag_id, day, self.env, self.log_dir, conf=json.dumps(conf) if conf else None
        )

    def dags_test_failing(self, dag_id: str, day: str, conf: dict | None = None) -> str:
        """Run one DAG for ``day`` that must end failed; return its log."""
        with pytest.raises(airflow_cli.AirflowCommandFailed):
            self.dags_test(dag_id, day, conf)
        return self.run_log(dag_id, day)

    def run_log(self, dag_id: str, day: str) -> str:
        """The log of the last ``dags test`` of ``dag_id`` for ``day``."""
        return (self.log_dir / f"{dag_id}-{day}.log").read_text()

    def with_env(self, **changes: str) -> LocalAirflow:
        """The same Airflow (home, database, DuckDB) with some environment changed."""
        return dataclasses.replace(self, env={**self.env, **changes})

    def cli(self, *args: str) -> str:
        """Run an ``airflow`` command and return its output."""
        result = airflow_cli.run(list(args), self.env, self.log_dir / f"cli-{args[0]}.log")
        return result.log_file.read_text()

    def variable(self, key: str) -> object:
        """An Airflow Variable's JSON value (through ``airflow variables export``)."""
        path = self.state_dir / "variables.json"
        self.cli("variables", "export", str(path))
        value = json.loads(path.read_text())[key]
        return json.loads(value) if isinstance(value, str) else value

    @property
    def duckdb_path(self) -> Path:
        return self.state_dir / "warehouse.duckdb"


@pytest.fixture(scope="session")
def airflow_home(
    tmp_path_factory: pytest.TempPathFactory, pipeline_moto: EnforcingMotoServer, spark_service
) -> LocalAirflow:
    """The project's Airflow (database migrated) on the pipeline's moto server; its
    ``aws_default`` is the admin, the identity Terraform runs as."""
    state_dir = tmp_path_factory.mktemp("state")
    env = local_environment(state_dir, pipeline_moto.endpoint_url, spark_url=spark_service.url)
    env["AIRFLOW_CONN_AWS_DEFAULT"] = aws_connection_uri(pipeline_moto.endpoint_url,
                                                         access_key=pipeline_moto.admin)
    # Failures under test retry after a second, not after production's backoff.
    env["DWH_RETRY_DELAY_SECONDS"] = "1"
    airflow = LocalAirflow(state_dir, env)
    airflow.cli("db", "migrate")
    return airflow


@pytest.fixture(scope="session")
def infrastructure(airflow_home: LocalAirflow) -> dict:
    """``dwh_infrastructure`` applied against moto, as the admin; returns the saved
    outputs."""
    airflow_home.dags_test("dwh_infrastructure", "2024-01-01",
                           {"environment": "local", "action": "apply"})
    return airflow_home.variable("dwh_infra_outputs")


@pytest.fixture(scope="session")
def worker(pipeline_moto: EnforcingMotoServer, infrastructure: dict) -> WorkerIdentity:
    """The worker's identity on the pipeline's server: an access key of the local
    Airflow's user, the role it assumes, and moto's copy of the role's policy
    (tests/e2e/moto_iam.py says what moto checks, and why its copy differs)."""
    return set_up_worker(pipeline_moto, infrastructure)


@pytest.fixture(scope="session")
def local_airflow(airflow_home: LocalAirflow, worker: WorkerIdentity) -> LocalAirflow:
    """The project's Airflow, as ``make run`` drives it, with the infrastructure applied:
    every task acts as the worker (``aws_default`` holds the local Airflow user's key
    and assumes the worker's role)."""
    return airflow_home.with_env(AIRFLOW_CONN_AWS_DEFAULT=worker.connection_uri())


@pytest.fixture(scope="session")
def two_days(local_airflow: LocalAirflow, infrastructure: dict) -> dict[str, float]:
    """Ingest and transform two consecutive days; return each run's seconds."""
    seconds = {}
    for day in DAYS:
        ingest = local_airflow.dags_test("dwh_ingest", day,
                                         {"orders_per_day": ORDERS_PER_DAY, "seed": SEED})
        transform = local_airflow.dags_test("dwh_transform", day)
        seconds[f"ingest {day}"] = ingest.seconds
        seconds[f"transform {day}"] = transform.seconds
    return seconds
