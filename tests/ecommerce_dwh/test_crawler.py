"""The raw crawl's operator: the provider's ``GlueCrawlerRunOperator`` and its trigger,
against a real moto server process (every call the operator and the trigger make goes
over HTTP to it): a crawl ends in a success event, a crawl that never ends in an error
event once the polls that fit in the timeout are spent, and the operator hands that
bound to the trigger and to Airflow's deferral timeout."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time

import pytest
from airflow.providers.amazon.aws.triggers.glue_crawler import GlueCrawlerCompleteTrigger
from airflow.sdk.exceptions import AirflowException, TaskDeferred

from ecommerce_dwh.crawler import BoundedGlueCrawlerRunOperator
from ecommerce_dwh.local.environment import aws_connection_uri
from ecommerce_dwh.local.moto_server import set_transition

CONN_ID = "aws_crawler_test"


@pytest.fixture
def glue_crawler(boto3_client, moto_server, monkeypatch):
    """A crawler in moto, and an Airflow connection to moto for the trigger's hook."""
    monkeypatch.setenv(f"AIRFLOW_CONN_{CONN_ID.upper()}",
                       aws_connection_uri(moto_server.endpoint_url))
    glue, iam = boto3_client("glue"), boto3_client("iam")
    name = f"test-crawler-{time.monotonic_ns()}"
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": []}))["Role"]["Arn"]
    glue.create_database(DatabaseInput={"Name": name.replace("-", "_")})
    glue.create_crawler(Name=name, Role=role, DatabaseName=name.replace("-", "_"),
                        Targets={"S3Targets": [{"Path": "s3://nowhere/raw/customers/"}]})
    yield glue, name
    # Leave the session's moto server as the rest of the tests expect it.
    set_transition(moto_server.endpoint_url, "glue::crawl", {"progression": "time", "seconds": 1})


def first_event(trigger: GlueCrawlerCompleteTrigger) -> dict:
    async def run() -> dict:
        return (await anext(trigger.run())).payload

    return asyncio.run(run())


def test_the_trigger_reports_success_when_moto_s_crawl_ends(glue_crawler) -> None:
    glue, name = glue_crawler
    glue.start_crawler(Name=name)
    assert glue.get_crawler(Name=name)["Crawler"]["State"] == "RUNNING"
    trigger = GlueCrawlerCompleteTrigger(crawler_name=name, aws_conn_id=CONN_ID,
                                         waiter_delay=1, waiter_max_attempts=30)
    assert first_event(trigger)["status"] == "success"
    crawler = glue.get_crawler(Name=name)["Crawler"]
    assert crawler["State"] == "READY"
    assert crawler["LastCrawl"]["Status"] in {"SUCCEEDED", "COMPLETED"}  # AWS | moto


def test_a_crawl_that_never_ends_is_an_error_once_the_polls_are_spent(
        glue_crawler, moto_server) -> None:
    glue, name = glue_crawler
    set_transition(moto_server.endpoint_url, "glue::crawl",
                   {"progression": "manual", "times": 10**6})
    glue.start_crawler(Name=name)
    trigger = GlueCrawlerCompleteTrigger(crawler_name=name, aws_conn_id=CONN_ID,
                                         waiter_delay=1, waiter_max_attempts=3)
    started = time.monotonic()
    event = first_event(trigger)
    assert event["status"] == "error"
    assert "max attempts" in event["message"].lower(), event
    assert time.monotonic() - started < 20
    assert glue.get_crawler(Name=name)["Crawler"]["State"] == "RUNNING"


def test_the_operator_starts_the_crawl_and_defers_with_its_timeout_as_the_bound(
        glue_crawler) -> None:
    glue, name = glue_crawler
    operator = BoundedGlueCrawlerRunOperator(
        task_id="crawl_raw", crawler_name=name, aws_conn_id=CONN_ID, poll_interval=2,
        execution_timeout=dt.timedelta(seconds=7))
    with pytest.raises(TaskDeferred) as deferred:
        operator.execute(context={})
    assert glue.get_crawler(Name=name)["Crawler"]["State"] in {"RUNNING", "STOPPING", "READY"}
    trigger = deferred.value.trigger
    assert isinstance(trigger, GlueCrawlerCompleteTrigger)
    assert trigger.attempts == 4  # ceil(7 s / 2 s)
    assert trigger.serialize()[1]["waiter_max_attempts"] == 4
    assert deferred.value.timeout == dt.timedelta(seconds=7)
    assert first_event(trigger)["status"] == "success"


def test_the_operator_names_the_crawler_and_the_bound_when_the_wait_fails() -> None:
    operator = BoundedGlueCrawlerRunOperator(
        task_id="crawl_raw", crawler_name="raw-crawler", poll_interval=30,
        execution_timeout=dt.timedelta(minutes=30))
    with pytest.raises(AirflowException, match=r"raw-crawler did not finish a successful "
                                               r"crawl within 0:30:00 \(60 polls"):
        operator.execute_complete({}, {"status": "error", "message": "Max attempts exceeded"})
    assert operator.execute_complete({}, {"status": "success"}) == "raw-crawler"


def test_the_operator_needs_a_timeout() -> None:
    with pytest.raises(ValueError, match="execution_timeout"):
        BoundedGlueCrawlerRunOperator(task_id="crawl_raw", crawler_name="c")
