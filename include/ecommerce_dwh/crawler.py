"""Start a Glue crawler and follow it to the end of its crawl.

The crawler's definition belongs to Terraform; the pipeline only starts it. We do
not use the Amazon provider's crawler operator/sensor to wait: they call
``GetCrawlerMetrics``, which the local emulator (moto) does not implement, and a
plain ``GetCrawler`` poll behaves the same on AWS and moto.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

#: Last-crawl statuses that mean success. AWS says SUCCEEDED; moto says COMPLETED.
SUCCEEDED = frozenset({"SUCCEEDED", "COMPLETED"})
FAILED = frozenset({"FAILED", "CANCELLED", "STOPPED"})


class CrawlerFailed(RuntimeError):
    """The crawl ended in a state other than success."""


@dataclass(frozen=True)
class CrawlState:
    """What ``GetCrawler`` says about a crawler right now."""

    name: str
    state: str
    last_status: str | None
    last_started: dt.datetime | None
    error: str | None

    def finished_since(self, started_after: dt.datetime) -> bool:
        """True if the crawler is idle and its last crawl began at/after ``started_after``."""
        return (
            self.state == "READY"
            and self.last_started is not None
            and self.last_started >= started_after
            and self.last_status is not None
        )


def start(glue: Any, name: str) -> bool:
    """Start crawler ``name``; False if a crawl was already running.

    A crawl that was already running may have listed the bucket before our upload,
    so :func:`check_finished` starts a fresh one when that crawl ends.
    """
    try:
        glue.start_crawler(Name=name)
    except glue.exceptions.CrawlerRunningException:
        return False
    return True


def state(glue: Any, name: str) -> CrawlState:
    """Read the crawler's state and last crawl."""
    crawler = glue.get_crawler(Name=name)["Crawler"]
    last = crawler.get("LastCrawl") or {}
    return CrawlState(
        name=name,
        state=crawler["State"],
        last_status=last.get("Status"),
        last_started=last.get("StartTime"),
        error=last.get("ErrorMessage"),
    )


def check_finished(glue: Any, name: str, started_after: dt.datetime) -> bool:
    """True once a crawl that began at/after ``started_after`` succeeded; raise if it failed.

    If the crawler is idle but its last crawl predates ``started_after`` (another
    crawl was running when we asked), a new crawl is started.
    """
    crawl = state(glue, name)
    if not crawl.finished_since(started_after):
        if crawl.state == "READY":
            start(glue, name)
        return False
    if crawl.last_status in SUCCEEDED:
        return True
    raise CrawlerFailed(
        f"crawler {crawl.name} finished with status {crawl.last_status}: {crawl.error or ''}"
    )
