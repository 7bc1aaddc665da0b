"""The Astro project files (Dockerfile, compose override, airflow_settings.yaml) agree
with the requirements and paths that the local mode uses.

Docker cannot run on the CI machine, so these files are kept honest by reading them.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ecommerce_dwh.settings import PROJECT_ROOT


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[re.sub(r"\[.*\]", "", name).strip().lower().replace("_", "-")] = version.strip()
    return pins


def test_astro_layout_exists() -> None:
    for name in ("dags", "plugins", "include", "include/dbt", "tests", "Dockerfile",
                 "requirements.txt", "packages.txt", "airflow_settings.yaml", "README.md",
                 ".astro/config.yaml", "docker-compose.override.yml", ".dockerignore"):
        assert (PROJECT_ROOT / name).exists(), f"missing {name}"


def test_runtime_image_matches_pinned_airflow() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    match = re.search(r"^FROM\s+\S+/runtime:(\d+)\.(\d+)-(\d+)\s*$", dockerfile, re.M)
    assert match, "Dockerfile must start FROM an Astro Runtime 3.x image (runtime:X.Y-Z)"
    airflow = _pins(PROJECT_ROOT / "requirements-dev.txt")["apache-airflow"]
    major, minor, _ = airflow.split(".")
    assert (match[1], match[2]) == (major, minor), (
        f"Astro Runtime {match[1]}.{match[2]} does not ship Airflow {airflow}"
    )


def test_requirements_do_not_reinstall_airflow_and_are_locked() -> None:
    runtime = _pins(PROJECT_ROOT / "requirements.txt")
    lock = _pins(PROJECT_ROOT / "requirements.lock")
    assert "apache-airflow" not in runtime, "the Astro image provides Airflow itself"
    unpinned = [
        line for line in (PROJECT_ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#") and "==" not in line
    ]
    assert not unpinned, f"unpinned requirements: {unpinned}"
    for name, version in {**runtime, **_pins(PROJECT_ROOT / "requirements-dev.txt")}.items():
        assert lock.get(name) == version, f"{name}=={version} not in requirements.lock"


def test_dockerfile_builds_the_manifest_and_silences_telemetry() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert "dbt parse" in dockerfile
    assert "--project-dir include/dbt" in dockerfile
    assert (PROJECT_ROOT / "include/dbt/profiles.yml").is_file()
    assert "AIRFLOW__COSMOS__ENABLE_TELEMETRY=False" in dockerfile
    assert "PYTHONPATH=/usr/local/airflow/include" in dockerfile
    assert (PROJECT_ROOT / "include/ecommerce_dwh/__init__.py").is_file()
    # The Terraform the image installs is checksum-verified.
    assert "sha256sum -c" in dockerfile


def test_the_image_and_local_mode_configure_cosmos_alike(tmp_path: Path) -> None:
    """Cosmos reads its settings when it is imported: what local mode sets is what the
    Dockerfile sets, and Cosmos really takes it."""
    import os
    import subprocess
    import sys

    from ecommerce_dwh.local.environment import COSMOS_SETTINGS, local_environment

    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    image_env = dict(re.findall(r"(AIRFLOW__COSMOS__\w+)=(\S+)", dockerfile))
    for name, value in COSMOS_SETTINGS.items():
        assert image_env.get(name) == value, f"the Dockerfile does not set {name}={value}"
    env = local_environment(tmp_path, "http://127.0.0.1:1", base=dict(os.environ))
    probe = ("from cosmos import settings; "
             "print('cosmos', settings.enable_watcher_reliable_retry, settings.enable_telemetry)")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert out[-1] == "cosmos False False", out


def test_local_connection_points_at_the_compose_moto_service() -> None:
    settings = yaml.safe_load((PROJECT_ROOT / "airflow_settings.yaml").read_text())
    conns = {c["conn_id"]: c for c in settings["airflow"]["connections"]}
    endpoint = conns["aws_default"]["conn_extra"]["endpoint_url"]
    host, port = re.fullmatch(r"http://([\w-]+):(\d+)", endpoint).groups()
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.override.yml").read_text())
    moto = compose["services"][host]
    assert moto["image"].startswith("motoserver/moto:")
    moto_pin = _pins(PROJECT_ROOT / "requirements-dev.txt")["moto"]
    assert moto["image"].endswith(f":{moto_pin}"), "compose moto image differs from the pin"
    assert port in moto["command"]
    init = " ".join(compose["services"]["moto-init"]["command"])
    assert f"http://{host}:{port}/moto-api/state-manager/set-transition" in init
    assert "glue::crawl" in init
    # The local crawler poll interval of `make run`, for the containers that parse and
    # run the DAGs.
    from ecommerce_dwh.local.environment import local_environment

    poke = local_environment(PROJECT_ROOT / ".local", "http://127.0.0.1:1", base={})[
        "DWH_CRAWLER_POKE_SECONDS"]
    for service in ("scheduler", "dag-processor"):
        assert compose["services"][service]["environment"]["DWH_CRAWLER_POKE_SECONDS"] == poke
    # moto's documented dummy keys are the only credentials in the repository.
    assert conns["aws_default"]["conn_login"] == "testing"


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().split()
    for entry in (".venv", ".local", ".git", "include/dbt/target"):
        assert entry in ignored


def test_local_spark_runs_in_its_own_container_and_the_airflow_image_has_no_spark() -> None:
    """Local mode's Spark is a compose service of its own (Java and pyspark pinned as
    Glue 5.0); the image that `astro deploy` ships carries neither."""
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert "openjdk" not in dockerfile and "pyspark" not in dockerfile
    assert "pyspark" not in _pins(PROJECT_ROOT / "requirements.txt")
    assert "python -m ecommerce_dwh.silver.package" in dockerfile
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.override.yml").read_text())
    spark = compose["services"]["local-spark"]
    spark_file = (PROJECT_ROOT / spark["build"]["dockerfile"]).read_text()
    dev = _pins(PROJECT_ROOT / "requirements-dev.txt")
    lock = _pins(PROJECT_ROOT / "requirements.lock")
    assert f"pyspark=={dev['pyspark']}" in spark_file
    assert f"py4j=={lock['py4j']}" in spark_file
    assert "openjdk-17-jre-headless" in spark_file
    assert "include/glue/local_spark_service.py" in spark_file
    command = spark["command"]
    port = command[command.index("--port") + 1]
    scheduler = compose["services"]["scheduler"]
    assert scheduler["environment"]["DWH_LOCAL_SPARK_URL"] == f"http://local-spark:{port}"
    scratch = scheduler["environment"]["DWH_LOCAL_SPARK_SCRATCH"]
    # Both containers see the scratch folders at the same path (the runner sends paths).
    [mount] = spark["volumes"]
    assert mount in scheduler["volumes"]
    assert scratch.startswith(mount.split(":", 1)[1] + "/")
    assert f"mkdir -p {mount.split(':', 1)[1]}" in dockerfile
    # The same Spark settings as the local runner's.
    from ecommerce_dwh.silver.local_run import LOCAL_SPARK_CONF

    confs = {command[i + 1] for i, arg in enumerate(command) if arg == "--conf"}
    assert {f"{k}={v}" for k, v in LOCAL_SPARK_CONF.items()
            if k != "spark.driver.memory"} <= confs
