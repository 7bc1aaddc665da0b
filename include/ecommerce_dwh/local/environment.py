"""The process environment of local mode: Airflow home, connections, telemetry off.

``make run``, ``make airflow`` and the tests all build the environment here, so
the DAGs see the same configuration however they are started. Connections are
set through ``AIRFLOW_CONN_*`` variables (never stored credentials): locally the
only keys are moto's documented dummies.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from ecommerce_dwh.local.moto_server import DUMMY_KEY, AccessKey
from ecommerce_dwh.settings import PROJECT_ROOT

#: Every switch that stops a tool from calling home (offline machines fail on it).
TELEMETRY_OFF: dict[str, str] = {
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
    "AIRFLOW__USAGE_DATA_COLLECTION__ENABLED": "False",
    "SCARF_ANALYTICS": "false",
    "SCARF_NO_ANALYTICS": "true",
    "DO_NOT_TRACK": "true",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    "CHECKPOINT_DISABLE": "1",
}

#: Cosmos settings of this project, the same in the Astro image (Dockerfile) and on MWAA
#: (QUICKSTART.md). The watcher producer's "reliable retry" rewrites the whole backup of
#: its XComs to an Airflow Variable on every XCom it pushes (about 400 a build, each then
#: two API calls, the Variable's JSON growing each time); off, Cosmos keeps the backup in
#: memory and writes it once from the producer's failure and retry callbacks. The only
#: case it no longer covers is a producer killed outright (no callback runs): its retry
#: finds no backup and each per-model task then runs its model itself, which is correct,
#: only slower. Measured: the producer's build 18.2 s -> 13.9 s (benchmarks/README.md).
COSMOS_SETTINGS: dict[str, str] = {
    "AIRFLOW__COSMOS__ENABLE_WATCHER_RELIABLE_RETRY": "False",
}


def aws_connection_uri(
    endpoint_url: str,
    region: str = "us-east-2",
    config_kwargs: dict | None = None,
    *,
    access_key: AccessKey = DUMMY_KEY,
    role_arn: str | None = None,
) -> str:
    """The ``aws_default`` connection as JSON, pointing at the moto server.

    Args:
        endpoint_url: the moto server (every service, STS included).
        region: the connection's region.
        config_kwargs: botocore ``Config`` arguments (e.g. retries), through the extra.
        access_key: the connection's keys: moto's dummy keys by default (a server that
            enforces IAM refuses them), or an IAM user's made on that server.
        role_arn: a role the connection assumes with ``access_key`` (the worker's, as
            on AWS): every hook and trigger then acts as the role. The provider never
            sends ``AssumeRole`` to ``endpoint_url``, so STS's endpoint is set apart.
    """
    extra: dict = {"region_name": region, "endpoint_url": endpoint_url}
    if role_arn:
        extra["role_arn"] = role_arn
        extra["service_config"] = {"sts": {"endpoint_url": endpoint_url}}
    if config_kwargs:
        extra["config_kwargs"] = config_kwargs
    return json.dumps(
        {"conn_type": "aws", "login": access_key.access_key_id,
         "password": access_key.secret_access_key, "extra": extra}
    )


def local_environment(
    state_dir: Path,
    moto_endpoint: str,
    base: Mapping[str, str] | None = None,
    parallelism: int = 4,
    spark_url: str | None = None,
) -> dict[str, str]:
    """The environment for Airflow processes (CLI, services, tests) in local mode.

    Args:
        state_dir: project-local state (``.local/`` by default): Airflow home,
            DuckDB file, Terraform state.
        moto_endpoint: the moto server's URL.
        base: the environment to extend (``os.environ`` by default).
        parallelism: Airflow's parallelism: small, for a 2-core laptop.
        spark_url: the local Spark service that runs the Glue job's script (without
            one, each run starts a ``spark-submit`` of its own).
    """
    env = dict(os.environ if base is None else base)
    airflow_home = state_dir / "airflow"
    venv_bin = str(Path(sys.executable).parent)
    env.update(TELEMETRY_OFF)
    env.update(COSMOS_SETTINGS)
    env.update(
        {
            # Airflow services spawn `airflow ...` subprocesses: the venv must be on PATH.
            "PATH": venv_bin + os.pathsep + env.get("PATH", ""),
            "AIRFLOW_HOME": str(airflow_home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(parallelism),
            "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(parallelism),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(airflow_home / "logs"),
            # Cosmos' cache (partial-parse files) per state folder, not one /tmp/cosmos
            # shared by every local Airflow of the machine (tests run several at once).
            "AIRFLOW__COSMOS__CACHE_DIR": str(state_dir / "cosmos-cache"),
            "AIRFLOW_CONN_AWS_DEFAULT": aws_connection_uri(moto_endpoint),
            "AWS_DEFAULT_REGION": "us-east-2",
            "DWH_ENVIRONMENT": "local",
            # moto finishes a crawl a second after it started (start_moto): poll every
            # second, not production's 30 s.
            "DWH_CRAWLER_POKE_SECONDS": "1",
            "DWH_STATE_DIR": str(state_dir),
            "PYTHONPATH": str(PROJECT_ROOT / "include") + os.pathsep + env.get("PYTHONPATH", ""),
        }
    )
    if spark_url:
        env["DWH_LOCAL_SPARK_URL"] = spark_url
    else:
        env.pop("DWH_LOCAL_SPARK_URL", None)
    # Every AWS call must go through the aws_default connection: credentials or an
    # endpoint in the caller's shell must never reach local mode (nor a real account).
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"):
        env.pop(key, None)
    return env
