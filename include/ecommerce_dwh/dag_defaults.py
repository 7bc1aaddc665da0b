"""Defaults every DAG of the project shares: owner, retries with backoff, alerts.

Read from the environment at parse time (no network):

* ``DWH_START_DATE`` (default 2024-01-01): the first day of the shop's history. It is
  the DAGs' ``start_date`` *and* the generator's epoch, the day the initial customers
  and products appear, so a warehouse loaded from its start date is always complete.
* ``DWH_RETRY_DELAY_SECONDS`` and ``DWH_CRAWLER_TIMEOUT_SECONDS``: the fault tests
  shorten them so that a retry or a hung crawler takes seconds.
* ``DWH_CRAWLER_POKE_SECONDS`` (default 30): how often the crawler poll asks Glue; a
  real crawl takes minutes, a moto crawl seconds, so local mode sets 2.
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

#: How often the ingest DAG asks Glue whether the crawl has finished.
CRAWLER_POKE_INTERVAL = dt.timedelta(
    seconds=float(os.environ.get("DWH_CRAWLER_POKE_SECONDS", "30"))
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

#: The first day of history: the DAGs' start date and the generator's epoch.
START_DATE = dt.datetime.combine(
    dt.date.fromisoformat(os.environ.get("DWH_START_DATE", "2024-01-01")), dt.time(), dt.UTC
)
