"""Cosmos wiring shared by the DAGs: one place for project, profile and execution config.

Parse-time cost matters (the scheduler re-parses DAG files constantly), so the
project is loaded from the pre-built ``manifest.json`` (``LoadMode.DBT_MANIFEST``;
``make setup``, CI and the Dockerfile run ``dbt parse``), and dbt runs in-process
through dbtRunner (dbt-core is installed in Airflow's environment).

Connection details reach dbt as environment variables rendered from the
``aws_default`` connection at run time (templates), never at parse time.
"""

from __future__ import annotations

import os
from typing import Any

from cosmos import ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import ExecutionMode, InvocationMode, LoadMode, TestBehavior

from ecommerce_dwh.aws_credentials import resolved_credentials
from ecommerce_dwh.settings import (
    AWS_CONN_ID,
    DBT_PROJECT_DIR,
    INFRA_OUTPUTS_VARIABLE,
    get_settings,
)

DBT_PROFILE_NAME = "ecommerce_dwh"
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"

_conn = f"conn.{AWS_CONN_ID}"
_outputs = f"var.json.get('{INFRA_OUTPUTS_VARIABLE}', {{}})"


def _output(name: str) -> str:
    """Template of one Terraform output ('' where the environment has none, e.g. local)."""
    return f"{{{{ {_outputs}.get('{name}', '') }}}}"


#: Environment for every dbt invocation, rendered per task from the AWS connection
#: and the Terraform outputs.
DBT_ENV: dict[str, str] = {
    "DWH_DUCKDB_PATH": str(get_settings().duckdb_path),
    "DWH_AWS_ENDPOINT_URL": f"{{{{ {_conn}.extra_dejson.get('endpoint_url', '') }}}}",
    # The identity the connection resolves to (an assumed role_arn, a session token, or
    # the worker's own role), never just its stored keys: ecommerce_dwh.aws_credentials.
    "AWS_ACCESS_KEY_ID": "{{ aws_credentials().access_key }}",
    "AWS_SECRET_ACCESS_KEY": "{{ aws_credentials().secret_key }}",
    "AWS_SESSION_TOKEN": "{{ aws_credentials().token }}",
    "AWS_DEFAULT_REGION": f"{{{{ {_conn}.extra_dejson.get('region_name', 'us-east-2') }}}}",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    # Redshift Serverless targets (profiles.yml, IAM auth through the workgroup).
    "DWH_REDSHIFT_WORKGROUP": _output("redshift_workgroup_name"),
    "DWH_REDSHIFT_HOST": _output("redshift_endpoint_address"),
    "DWH_REDSHIFT_DATABASE": _output("redshift_database_name"),
}

#: Macros the DAG that runs dbt must declare (``user_defined_macros``) for DBT_ENV.
USER_DEFINED_MACROS: dict[str, object] = {"aws_credentials": resolved_credentials}

#: dbt vars: where the lake is, from the outputs ``dwh_infrastructure`` saved (silver in
#: the staging bucket, the generator's manifests in the raw bucket).
DBT_VARS: dict[str, str] = {
    "staging_bucket": f"{{{{ var.json.{INFRA_OUTPUTS_VARIABLE}.staging_bucket }}}}",
    "raw_bucket": f"{{{{ var.json.{INFRA_OUTPUTS_VARIABLE}.raw_bucket }}}}",
}

PROJECT_CONFIG = ProjectConfig(
    dbt_project_path=DBT_PROJECT_DIR,
    manifest_path=MANIFEST_PATH,
    project_name=DBT_PROFILE_NAME,
)

PROFILE_CONFIG = ProfileConfig(
    profile_name=DBT_PROFILE_NAME,
    target_name=get_settings().dbt_target,
    profiles_yml_filepath=DBT_PROJECT_DIR / "profiles.yml",
)

#: How Cosmos runs dbt. ``watcher`` (the default): one ``dbt build`` of the whole project
#: in a producer task (dbt's own threads run models side by side), and per model a
#: ``run`` and a ``test`` task that report that node's result from the build; retrying
#: one of them runs its model (or tests) again on its own. ``local``: one dbt invocation
#: per task. Both through dbtRunner in the worker's process (``dbt_runner``).
#: ``benchmarks/bench_transform.py`` compares them (DWH_COSMOS_EXECUTION_MODE,
#: DWH_COSMOS_INVOCATION_MODE); see benchmarks/README.md.
EXECUTION_MODE = ExecutionMode(os.environ.get("DWH_COSMOS_EXECUTION_MODE", "watcher"))
INVOCATION_MODE = InvocationMode(os.environ.get("DWH_COSMOS_INVOCATION_MODE", "dbt_runner"))

#: How many of the transform's tasks run at once. Redshift runs models side by side. A
#: DuckDB file takes one writing process at a time (a second one fails to lock it): in
#: ``local`` mode every dbt task opens it, so one task at a time. In ``watcher`` mode
#: only the producer's ``dbt build`` does, and the per-model tasks start after it and
#: only read its results, so they run four at a time (under the scheduler one at a time
#: costs a minute of queueing for ~45 tasks). A retried per-model task runs its model
#: alone and opens the file: two such retries at the same moment make one of them fail
#: and retry again later (only a producer that died outright retries them all at once).
MAX_ACTIVE_DBT_TASKS = (8 if not get_settings().is_local
                        else 4 if EXECUTION_MODE == ExecutionMode.WATCHER else 1)

EXECUTION_CONFIG = ExecutionConfig(
    execution_mode=EXECUTION_MODE,
    invocation_mode=INVOCATION_MODE,
)

#: Tests as their own task after each model (``after_each``), or ``build``: one
#: ``dbt build`` task per model that runs the model and then its tests.
TEST_BEHAVIOR = TestBehavior(os.environ.get("DWH_COSMOS_TEST_BEHAVIOR", "after_each"))

RENDER_CONFIG = RenderConfig(
    load_method=LoadMode.DBT_MANIFEST,
    test_behavior=TEST_BEHAVIOR,
    # In local mode a test with several parents (relationships from the fact to a
    # dimension) gets a task of its own after all of them; otherwise `dbt test --select
    # dim_date` would run it before the fact exists. In watcher mode the build has run
    # every test before any task reads a result, and Cosmos counts such a test in each
    # parent's test task; a detached one would look for a status the producer never
    # writes (Cosmos 1.15.1), defer, and pass without reading its result.
    should_detach_multiple_parents_tests=EXECUTION_MODE != ExecutionMode.WATCHER,
    # No Airflow Asset per dbt model (Cosmos' default; RenderConfig's setting wins over
    # operator_args'): the DAG publishes one Asset for the marts once every model and
    # test passed (publish_marts), which is what consumers schedule on. A model's Asset
    # would be updated before its tests ran.
    emit_datasets=False,
)

def run_producer_first(group: Any) -> None:
    """In watcher mode, start the per-model tasks once the producer's ``dbt build`` ended.

    Cosmos wires this for a ``DbtDag`` but not for a ``DbtTaskGroup``, whose consumer
    tasks otherwise start beside the producer and wait for its results in the
    triggerer; run one task at a time (``airflow dags test``, a busy pool) and a
    consumer can take the slot the producer needs. The root consumers go after the
    producer's gate task (``dbt_producer_watcher_done``), which succeeds when the build
    succeeded and also when it failed and its retry was skipped (the producer never
    builds twice): the consumers then report each node's result, and a failed node's
    task fails, retries by running its model or tests alone, and alerts. When the task
    before the group failed, the gate is upstream-failed and so is every consumer.
    """
    if EXECUTION_MODE != ExecutionMode.WATCHER:
        return
    prefix = f"{group.group_id}."
    tasks = {t.task_id: t for t in group.dag.tasks if t.task_id.startswith(prefix)}
    [producer] = [t for t in tasks.values() if t.task_id.endswith("dbt_producer_watcher")]
    [gate] = [tasks[t] for t in producer.downstream_task_ids]
    for task in tasks.values():
        if task in (producer, gate) or set(task.upstream_task_ids) & set(tasks):
            continue
        gate >> task


OPERATOR_ARGS: dict[str, object] = {
    "env": DBT_ENV,
    "vars": DBT_VARS,
    "install_deps": False,
}
