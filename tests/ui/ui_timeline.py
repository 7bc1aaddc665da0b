"""The days of the UI tests' newcomer path: the history starts three days ago and
``make run`` lands the first two, so exactly one day (yesterday) is left for the
schedule to catch up."""

from __future__ import annotations

import datetime as dt

TODAY = dt.datetime.now(dt.UTC).date()
FIRST_DAY = TODAY - dt.timedelta(days=3)
MAKE_RUN_DAYS = (FIRST_DAY, FIRST_DAY + dt.timedelta(days=1))
CATCH_UP_DAY = FIRST_DAY + dt.timedelta(days=2)
