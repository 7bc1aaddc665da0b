"""A local Airflow for end-to-end tests: its own AIRFLOW_HOME, migrated once, wired
to the session's moto server; DAGs run with ``airflow dags test`` (real Airflow)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_timeline import DAYS, ORDERS_PER_DAY, SEED

from ecommerce_dwh.local import airflow_cli
from ecommerce_dwh.local.environment import local_environment
from ecommerce_dwh.local.moto_server import MotoServer


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
def local_airflow(
    tmp_path_factory: pytest.TempPathFactory, moto_server: MotoServer, spark_service
) -> LocalAirflow:
    state_dir = tmp_path_factory.mktemp("state")
    env = local_environment(state_dir, moto_server.endpoint_url, spark_url=spark_service.url)
    # Failures under test retry after a second, not after production's backoff.
    env["DWH_RETRY_DELAY_SECONDS"] = "1"
    airflow = LocalAirflow(state_dir, env)
    airflow.cli("db", "migrate")
    return airflow


@pytest.fixture(scope="session")
def infrastructure(local_airflow: LocalAirflow) -> dict:
    """``dwh_infrastructure`` applied against moto; returns the saved outputs."""
    local_airflow.dags_test("dwh_infrastructure", "2024-01-01",
                            {"environment": "local", "action": "apply"})
    return local_airflow.variable("dwh_infra_outputs")


@pytest.fixture
def s3_text(boto3_client: Callable[[str], object]) -> Callable[[str, str], str]:
    """Read an S3 object of the moto server as text."""
    s3 = boto3_client("s3")

    def read(bucket: str, key: str) -> str:
        return s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()

    return read


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
