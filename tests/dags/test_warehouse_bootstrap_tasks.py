"""``dwh_infrastructure``'s warehouse bootstrap: the provider's ``RedshiftDataOperator``
as the namespace's admin, after the outputs are saved, in order; its templates render
the statements of :mod:`ecommerce_dwh.warehouse_bootstrap` from the saved outputs and
the user lookup's Data API answer (a list for the batch, with native rendering)."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from ecommerce_dwh import warehouse_bootstrap
from ecommerce_dwh.settings import PROJECT_ROOT

OUTPUTS = {
    "redshift_workgroup_name": "ecommerce-dwh-dev",
    "redshift_database_name": "dev",
    "redshift_admin_secret_arn": "arn:aws:secretsmanager:us-east-2:123456789012:secret:x",
    "glue_staging_database": "ecommerce_dwh_staging_dev",
    "redshift_iam_role_arn": "arn:aws:iam::123456789012:role/ecommerce-dwh-redshift-dev",
    "worker_role_arn": "arn:aws:iam::123456789012:role/ecommerce-dwh-worker-dev",
}
TASKS = ("create_spectrum_schema", "find_database_users", "grant_privileges")


@pytest.fixture(scope="module")
def dag():
    os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags" / "dwh_infrastructure.py"))
    assert not bag.import_errors, bag.import_errors
    return bag.dags["dwh_infrastructure"]


def render(dag, task_id: str, lookup_answer: list | None = None) -> dict:
    task = dag.get_task(task_id)
    ti = SimpleNamespace(xcom_pull=lambda task_ids: lookup_answer)
    context = {"var": {"json": {"dwh_infra_outputs": OUTPUTS}}, "ti": ti}
    env = dag.get_template_env()
    return {field: task.render_template(getattr(task, field), context, jinja_env=env)
            for field in ("sql", "workgroup_name", "database", "secret_arn")}


def test_the_bootstrap_runs_after_the_outputs_are_saved_and_only_where_there_is_redshift(
        dag) -> None:
    from airflow.providers.amazon.aws.operators.redshift_data import RedshiftDataOperator

    assert dag.get_task("warehouse_present").upstream_task_ids == {"save_outputs"}
    previous = "warehouse_present"
    for task_id in TASKS:
        task = dag.get_task(task_id)
        assert isinstance(task, RedshiftDataOperator), task_id
        assert task.upstream_task_ids == {previous}, task_id
        previous = task_id


def test_every_statement_runs_as_the_admin_on_the_saved_workgroup(dag) -> None:
    for task_id in TASKS:
        rendered = render(dag, task_id)
        assert rendered["workgroup_name"] == "ecommerce-dwh-dev"
        assert rendered["database"] == "dev"
        assert rendered["secret_arn"] == OUTPUTS["redshift_admin_secret_arn"]


def test_the_templates_render_the_bootstrap_statements(dag) -> None:
    assert render(dag, "create_spectrum_schema")["sql"] == \
        warehouse_bootstrap.external_schema_sql(OUTPUTS)
    assert render(dag, "find_database_users")["sql"] == \
        warehouse_bootstrap.user_lookup_sql(OUTPUTS)
    answer = [{"Records": [[{"stringValue": "IAMR:ecommerce-dwh-worker-dev"}]]}]
    statements = render(dag, "grant_privileges", answer)["sql"]
    assert isinstance(statements, list), "the batch needs a list of statements"
    assert statements == warehouse_bootstrap.bootstrap_statements(
        OUTPUTS, {"IAMR:ecommerce-dwh-worker-dev"})
    assert not [s for s in statements if s.startswith("create user")]
