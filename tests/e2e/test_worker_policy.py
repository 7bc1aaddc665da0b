"""The worker's policy, enforced: every end-to-end test of this folder (and the
dashboard's browser test) runs the pipeline on a moto server that enforces IAM, as the
worker's role; these tests check that this is so, and that a permission taken from the
role fails the run with the AccessDenied that names it.

They run last in the folder (the timeline of test_orchestration.py first); the failing
run lands a day of its own after the timeline's last one.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest
from botocore.exceptions import ClientError
from e2e_timeline import ORDERS_PER_DAY, SEED, AlertInbox, day
from moto_iam import MOTO_CHECKS_RESOURCES, policy_for_moto

from ecommerce_dwh.local.moto_server import DUMMY_KEY

pytestmark = pytest.mark.e2e

DENIED_DAY = day(17)
#: What the negative test takes away: the Glue job's start. moto names the action in
#: its AccessDenied for every service but S3 (whose message is only "Access Denied").
TAKEN = "glue:StartJobRun"


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value]


def test_the_pipeline_s_server_refuses_moto_s_dummy_keys(pipeline_moto) -> None:
    with pytest.raises(ClientError, match="InvalidAccessKeyId"):
        pipeline_moto.client("s3", key=DUMMY_KEY).list_buckets()
    with pytest.raises(ClientError, match="InvalidClientTokenId"):
        pipeline_moto.client("glue", key=DUMMY_KEY).get_databases()


def test_moto_s_copy_of_the_policy_differs_only_where_moto_cannot_check(worker) -> None:
    """Same statements, actions and conditions; S3's untouched; the others' ARNs (which
    moto would never match) replaced by "*" (tests/e2e/moto_iam.py)."""
    project, in_moto = worker.project_policy, worker.policy_in_moto()
    assert in_moto == policy_for_moto(project)
    for mine, theirs in zip(project["Statement"], in_moto["Statement"], strict=True):
        services = {a.split(":", 1)[0] for a in _as_list(mine["Action"])}
        assert {k: v for k, v in mine.items() if k != "Resource"} == \
            {k: v for k, v in theirs.items() if k != "Resource"}
        if services <= MOTO_CHECKS_RESOURCES:
            assert theirs == mine
        else:
            assert "*" not in _as_list(mine["Resource"]), mine
            assert theirs["Resource"] == "*"


def test_every_dag_task_acted_as_the_worker_role(two_days, local_airflow, pipeline_moto,
                                                  worker) -> None:
    """moto's STS holds the sessions the tasks opened: each one the worker role's,
    assumed by the local Airflow's user; the DAGs' environment holds no admin key."""
    with urllib.request.urlopen(f"{pipeline_moto.endpoint_url}/moto-api/data.json",  # noqa: S310
                                timeout=30) as response:
        sessions = json.loads(response.read())["sts"]["AssumedRole"]
    assert sessions, "no task assumed a role"
    assert {s["role_arn"] for s in sessions} == {worker.role_arn}
    # The provider's session name, Airflow_<conn id>, slugified (lowercase).
    assert {s["session_name"] for s in sessions} == {"airflow_aws_default"}
    assert pipeline_moto.admin.access_key_id not in json.dumps(local_airflow.env)
    connection = json.loads(local_airflow.env["AIRFLOW_CONN_AWS_DEFAULT"])
    assert connection["login"] == worker.access_key.access_key_id
    assert connection["extra"]["role_arn"] == worker.role_arn


def test_a_permission_taken_from_the_worker_fails_the_run_with_access_denied(
        local_airflow, worker, infrastructure, admin_client) -> None:
    """Without glue:StartJobRun, the day lands and is crawled (other grants), then the
    Glue job's task fails on each try with the AccessDenied that names the action, and
    the alert (published by the worker, which may still) carries it."""
    inbox = AlertInbox(admin_client("sqs"), admin_client("sns"),
                       infrastructure["alerts_topic_arn"])
    with worker.without(TAKEN) as reduced:
        assert TAKEN not in json.dumps(reduced)
        log = local_airflow.dags_test_failing(
            "dwh_ingest", DENIED_DAY, {"orders_per_day": ORDERS_PER_DAY, "seed": SEED})
        received = inbox.drain(5)
    assert TAKEN in json.dumps(worker.policy_in_moto()), "the policy was not restored"
    # moto answers Glue's AccessDenied in IAM's XML, which botocore shows whole.
    denial = re.compile(r"<Code>AccessDenied</Code><Message>User: arn:aws:sts::\d{12}:"
                        rf"assumed-role/{worker.role_name}/\w+ is not authorized to perform: "
                        rf"{TAKEN}</Message>")
    assert len(denial.findall(log)) == 3, "each of the three tries is denied"
    # Each task starts only once its upstream succeeded: landing and crawl went through.
    for task_id, tries in (("land_raw_day", 1), ("crawl_raw", 1), ("bronze_to_silver", 3)):
        assert log.count(f"[DAG TEST] starting task_id={task_id} ") == tries, task_id
    [alert] = received
    assert alert["subject"] == "[ecommerce-dwh] dwh_ingest.bronze_to_silver failed"
    assert denial.search(alert["message"]), alert["message"]
