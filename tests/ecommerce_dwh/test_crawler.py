"""The crawler poll against a real moto server: a crawl started after our mark must
finish; a crawl that never finishes keeps the poll waiting; failures raise."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from ecommerce_dwh import crawler
from ecommerce_dwh.local.moto_server import set_transition


@pytest.fixture
def glue_crawler(boto3_client, moto_server):
    glue, iam = boto3_client("glue"), boto3_client("iam")
    name = f"test-crawler-{time.monotonic_ns()}"
    role = iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    glue.create_database(DatabaseInput={"Name": name.replace("-", "_")})
    glue.create_crawler(Name=name, Role=role, DatabaseName=name.replace("-", "_"),
                        Targets={"S3Targets": [{"Path": "s3://nowhere/raw/customers/"}]})
    yield glue, name
    # Leave the session's moto server as the rest of the tests expect it.
    set_transition(moto_server.endpoint_url, "glue::crawl", {"progression": "time", "seconds": 1})


def test_poll_waits_for_a_crawl_started_after_the_mark(glue_crawler) -> None:
    glue, name = glue_crawler
    mark = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(seconds=1)
    assert crawler.start(glue, name) is True
    assert crawler.start(glue, name) is False  # already running
    deadline = time.monotonic() + 30
    while not crawler.check_finished(glue, name, mark):
        assert time.monotonic() < deadline, crawler.state(glue, name)
        time.sleep(0.5)
    assert crawler.state(glue, name).last_status in crawler.SUCCEEDED


def test_a_crawl_that_never_finishes_is_never_reported_done(glue_crawler, moto_server) -> None:
    glue, name = glue_crawler
    never = {"progression": "manual", "times": 10**6}
    set_transition(moto_server.endpoint_url, "glue::crawl", never)
    mark = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    crawler.start(glue, name)
    for _ in range(5):
        assert crawler.check_finished(glue, name, mark) is False
        time.sleep(0.3)
    assert crawler.state(glue, name).state == "RUNNING"


class _FakeGlue:
    """Just enough of a Glue client to return one fixed crawler state."""

    class exceptions:  # noqa: N801 - mirrors boto3's attribute name
        class CrawlerRunningException(Exception):
            pass

    def __init__(self, status: str, started: dt.datetime) -> None:
        self.status, self.started, self.starts = status, started, 0

    def get_crawler(self, Name: str) -> dict:  # noqa: N803 - boto3's argument name
        return {"Crawler": {"State": "READY", "LastCrawl": {
            "Status": self.status, "StartTime": self.started, "ErrorMessage": "boom"}}}

    def start_crawler(self, Name: str) -> None:  # noqa: N803
        self.starts += 1


def test_a_failed_crawl_raises_with_its_error() -> None:
    mark = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    glue = _FakeGlue("FAILED", mark + dt.timedelta(seconds=5))
    with pytest.raises(crawler.CrawlerFailed, match="finished with status FAILED: boom"):
        crawler.check_finished(glue, "c", mark)


def test_an_old_crawl_does_not_count_and_a_new_one_is_started() -> None:
    mark = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    glue = _FakeGlue("SUCCEEDED", mark - dt.timedelta(minutes=5))
    assert crawler.check_finished(glue, "c", mark) is False
    assert glue.starts == 1
