"""Defaults every DAG of the project shares: owner, retries with backoff, tags."""

from __future__ import annotations

import datetime as dt

OWNER = "data-platform"

DEFAULT_ARGS: dict[str, object] = {
    "owner": OWNER,
    "retries": 2,
    "retry_delay": dt.timedelta(seconds=20),
    "retry_exponential_backoff": True,
    "max_retry_delay": dt.timedelta(minutes=10),
}

#: The first day of generated history (the generator's epoch).
START_DATE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
