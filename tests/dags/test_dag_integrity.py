"""DAG integrity: every DAG file imports, follows the project's conventions, and
parses without touching the network (no AWS call at import time).

The DagBag is built in a fresh interpreter whose sockets refuse to connect, so a
module-level boto3 call, Variable lookup over the API, or `dbt ls` would show up as
an import error here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ecommerce_dwh.settings import PROJECT_ROOT

EXPECTED_DAGS = {"dwh_infrastructure", "dwh_ingest", "dwh_transform"}

_PARSE_OFFLINE = textwrap.dedent(
    """
    import json, socket, sys

    def _refuse(self, address):
        raise OSError(f"network access at DAG parse time: {address!r}")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = lambda address, *a, **k: _refuse(None, address)

    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=sys.argv[1])
    dags = {}
    for dag_id, dag in bag.dags.items():
        dags[dag_id] = {
            "fileloc": dag.fileloc,
            "tags": sorted(dag.tags),
            "owner": dag.default_args.get("owner"),
            "retries": dag.default_args.get("retries"),
            "doc_md": dag.doc_md,
            "params": {k: dict(v.schema) | {"description": v.description}
                       for k, v in dag.params.items()},
            "tasks": [t.task_id for t in dag.tasks],
            "catchup": dag.catchup,
            "max_active_runs": dag.max_active_runs,
            "upstream": {t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks},
            "outlets": {t.task_id: [getattr(o, "name", str(o)) for o in t.outlets]
                        for t in dag.tasks if t.outlets},
            "classes": {t.task_id: [f"{c.__module__}.{c.__name__}" for c in type(t).__mro__]
                        for t in dag.tasks},
            # Cosmos' watcher mode: the producer's map of model -> its tests, and the
            # node each test task reads the aggregated status of.
            "tests_per_model": next((getattr(t, "tests_per_model", None) for t in dag.tasks
                                     if getattr(t, "tests_per_model", None)), None),
            "test_sensors": {t.task_id: t.model_unique_id for t in dag.tasks
                             if getattr(t, "is_test_sensor", False)},
        }
    print("@@RESULT@@" + json.dumps({"errors": {k: str(v) for k, v in bag.import_errors.items()},
                                     "dags": dags}, default=str))
    """
)


def _parse(home: Path, environment: str) -> dict:
    """Parse dags/ in a subprocess with networking disabled and AWS settings unusable."""
    env = {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "HOME": str(home),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "DO_NOT_TRACK": "true",
        "SCARF_ANALYTICS": "false",
        # An endpoint nobody listens on: any AWS call would fail loudly.
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_DEFAULT_REGION": "us-east-2",
        "DWH_ENVIRONMENT": environment,
    }
    proc = subprocess.run(
        [sys.executable, "-c", _PARSE_OFFLINE, str(PROJECT_ROOT / "dags")],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    marker = [line for line in proc.stdout.splitlines() if line.startswith("@@RESULT@@")]
    assert proc.returncode == 0 and marker, f"DagBag subprocess failed:\n{proc.stderr[-4000:]}"
    return json.loads(marker[0].removeprefix("@@RESULT@@"))


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The DAGs as local mode (the default) parses them."""
    return _parse(tmp_path_factory.mktemp("airflow-home"), "local")


@pytest.fixture(scope="module")
def parsed_dev(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The same DAG files as an AWS deployment (DWH_ENVIRONMENT=dev) parses them."""
    return _parse(tmp_path_factory.mktemp("airflow-home-dev"), "dev")


def test_no_import_errors_with_network_disabled(parsed: dict) -> None:
    assert parsed["errors"] == {}


def test_expected_dags_present(parsed: dict) -> None:
    assert set(parsed["dags"]) == EXPECTED_DAGS


def test_one_dag_per_file(parsed: dict) -> None:
    files = [Path(d["fileloc"]).name for d in parsed["dags"].values()]
    assert len(files) == len(set(files)), files
    for dag_id, info in parsed["dags"].items():
        assert Path(info["fileloc"]).stem == dag_id


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_dag_conventions(parsed: dict, dag_id: str) -> None:
    dag = parsed["dags"][dag_id]
    assert dag["tags"], f"{dag_id} has no tags"
    assert "ecommerce-dwh" in dag["tags"]
    assert dag["owner"] and dag["owner"] != "airflow", f"{dag_id} has no owner"
    assert dag["retries"] is not None and dag["retries"] >= 2, f"{dag_id} retries < 2"
    assert dag["doc_md"] and len(dag["doc_md"].strip()) > 100, f"{dag_id} lacks doc_md"


@pytest.mark.parametrize("dag_id", sorted(EXPECTED_DAGS))
def test_params_explain_themselves(parsed: dict, dag_id: str) -> None:
    for name, schema in parsed["dags"][dag_id]["params"].items():
        assert schema.get("type"), f"{dag_id}.{name} has no type"
        assert schema.get("title"), f"{dag_id}.{name} has no title"
        assert schema.get("description"), f"{dag_id}.{name} has no description"


def test_transform_renders_one_task_per_staging_model(parsed: dict) -> None:
    tasks = parsed["dags"]["dwh_transform"]["tasks"]
    for table in ("customers", "products", "orders", "order_items"):
        model = f"stg_ecommerce__{table}"
        assert f"dbt.{model}.run" in tasks, tasks
        assert f"dbt.{model}.test" in tasks, tasks


def test_ingest_catches_up_one_day_at_a_time(parsed: dict) -> None:
    ingest = parsed["dags"]["dwh_ingest"]
    assert ingest["catchup"] is True
    assert ingest["max_active_runs"] == 1


def test_ingest_lands_crawls_then_runs_the_etl_job_which_publishes_the_silver_day(
        parsed: dict) -> None:
    ingest = parsed["dags"]["dwh_ingest"]
    assert ingest["upstream"] == {
        "land_raw_day": [], "crawl_raw": ["land_raw_day"], "bronze_to_silver": ["crawl_raw"]}
    assert ingest["outlets"] == {"bronze_to_silver": ["ecommerce_dwh_silver_landed"]}


CRAWLER_OPERATOR = ("airflow.providers.amazon.aws.operators.glue_crawler."
                    "GlueCrawlerRunOperator")


def test_the_raw_crawl_is_the_provider_s_crawler_operator_in_both_worlds(
        parsed: dict, parsed_dev: dict) -> None:
    for dags in (parsed, parsed_dev):
        assert CRAWLER_OPERATOR in dags["dags"]["dwh_ingest"]["classes"]["crawl_raw"]


GLUE_JOB_OPERATOR = "airflow.providers.amazon.aws.operators.glue.GlueJobOperator"


def test_the_etl_job_is_the_provider_s_glue_operator_on_aws_and_local_spark_locally(
        parsed: dict, parsed_dev: dict) -> None:
    """One DAG file: on AWS the task is exactly the Amazon provider's GlueJobOperator; in
    local mode a subclass of it (same templates and arguments) that runs local Spark."""
    assert parsed_dev["errors"] == {}
    aws = parsed_dev["dags"]["dwh_ingest"]["classes"]["bronze_to_silver"]
    assert aws[0] == GLUE_JOB_OPERATOR
    local = parsed["dags"]["dwh_ingest"]["classes"]["bronze_to_silver"]
    assert local[0] == "ecommerce_dwh.silver.operators.LocalSparkGlueJobOperator"
    assert local[1] == GLUE_JOB_OPERATOR
    assert parsed_dev["dags"]["dwh_ingest"]["upstream"] == parsed["dags"]["dwh_ingest"]["upstream"]


def test_transform_is_dbt_s_task_group_then_publishes_marts_last(parsed: dict) -> None:
    transform = parsed["dags"]["dwh_transform"]
    upstream = transform["upstream"]
    dbt_tasks = [t for t in transform["tasks"] if t.startswith("dbt.")]
    assert set(transform["tasks"]) == {*dbt_tasks, "publish_marts"}
    roots = [t for t in dbt_tasks if not upstream[t]]
    assert roots == ["dbt.dbt_producer_watcher"], "one dbt build starts the group"
    has_downstream = {u for t in dbt_tasks for u in upstream[t]}
    leaves = {t for t in dbt_tasks if t not in has_downstream}
    assert set(upstream["publish_marts"]) == leaves
    assert transform["outlets"] == {"publish_marts": ["ecommerce_dwh_marts"]}


def test_every_watching_test_task_reads_a_status_the_producer_writes(parsed: dict) -> None:
    """In watcher mode a test task reads the producer's aggregated status of its model's
    tests. A multi-parent test (``relationships``) is counted under every parent, and no
    test task watches a node the producer writes no status for (a detached test task
    did, in Cosmos 1.15.1: it deferred and passed without reading its result)."""
    transform = parsed["dags"]["dwh_transform"]
    tests_per_model, sensors = transform["tests_per_model"], transform["test_sensors"]
    assert tests_per_model and sensors, "not rendered in watcher mode"
    assert set(sensors.values()) <= set(tests_per_model), sorted(
        set(sensors.values()) - set(tests_per_model))
    manifest = json.loads((PROJECT_ROOT / "include/dbt/target/manifest.json").read_text())
    relationships = {uid: node for uid, node in manifest["nodes"].items()
                     if node["resource_type"] == "test"
                     and node.get("test_metadata", {}).get("name") == "relationships"}
    assert relationships, "the project has relationships tests"
    for uid, node in relationships.items():
        parents = [p for p in node["depends_on"]["nodes"] if p.startswith("model.")]
        assert len(parents) == 2, (uid, parents)
        for parent in parents:
            assert uid in tests_per_model[parent], (uid, parent)


def test_transform_runs_on_the_silver_day(parsed: dict) -> None:
    tasks = parsed["dags"]["dwh_transform"]["tasks"]
    for model in ("int_customer_versions", "int_product_versions", "int_order_versions",
                  "int_order_lines"):
        assert f"dbt.{model}.run" in tasks, model
