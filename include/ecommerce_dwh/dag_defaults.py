"""Defaults every DAG of the project shares: owner, retries with backoff, alerts.

Two timings can be shortened through the environment (read at parse time, no
network): ``DWH_RETRY_DELAY_SECONDS`` and ``DWH_CRAWLER_TIMEOUT_SECONDS``. The
fault-injection tests use them so that a retry or a hung crawler takes seconds.
"""

from __future__ import annotations

import datetime as dt
import os

from ecommerce_dwh.alerts import failure_notifier

OWNER = "data-platform"

RETRY_DELAY = dt.timedelta(seconds=float(os.environ.get("DWH_RETRY_DELAY_SECONDS", "30")))

#: How long the ingest DAG waits for a Glue crawl before failing (and alerting).
CRAWLER_TIMEOUT = dt.timedelta(
    seconds=float(os.environ.get("DWH_CRAWLER_TIMEOUT_SECONDS", str(30 * 60)))
)

DEFAULT_ARGS: dict[str, object] = {
    "owner": OWNER,
    "retries": 2,
    "retry_delay": RETRY_DELAY,
    "retry_exponential_backoff": True,
    "max_retry_delay": dt.timedelta(minutes=10),
    # Called once a task has failed for good (not on the tries that will be retried).
    "on_failure_callback": [failure_notifier()],
}

#: The first day of generated history (the generator's epoch).
START_DATE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
