"""``dwh_ingest``'s schedule: one run per UTC day, and the run for day D lands day D.

Airflow's daily ``CronDataIntervalTimetable`` gives a scheduled run the interval
[D, D+1) and the logical date D, but gives a *manual* run with logical date D the
interval [D-1, D) (the last complete day before it). Two defects follow, both seen
after ``make run`` (which lands days with manual runs, ``airflow dags test``):

* **the schedule sticks**: unpaused, the scheduler's next run is D, a manual run with
  logical date D exists, and Airflow derives the next run from that run's interval
  [D-1, D), which is D again: "run already exists; skipping dagrun creation", every
  loop, forever;
* **a day before the history is a green no-op**: a run whose logical date is before
  the DAG's start date gets no task instance at all, and a run of nothing succeeds.

:class:`DailyLandingTimetable` schedules exactly as ``CronDataIntervalTimetable("0 0 * *
*", "UTC")`` does, but a manual run's interval is the day of its logical date, the day
the DAG lands, so the scheduler steps over days that ``make run`` (or a person) already
landed and catches up from the first day with no run. It also refuses a manual run
before the first day of the shop's history, naming the first allowed day: the REST API
(and so the UI's trigger form) answers 400 with that message, and ``airflow dags test``
fails with it.

Custom timetables must be registered by a plugin (``plugins/ecommerce_dwh_plugin.py``)
so that the scheduler can deserialize the DAG.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from airflow.timetables.base import DataInterval
from airflow.timetables.interval import CronDataIntervalTimetable
from pendulum import DateTime


class DayBeforeHistoryError(ValueError):
    """A manual run was asked for a day before the first day of the history."""


class DailyLandingTimetable(CronDataIntervalTimetable):
    """Daily at midnight UTC from ``first_day``; every run, manual or scheduled, covers
    the UTC day of its logical date.

    Args:
        first_day: the first day of the shop's history (``DWH_START_DATE``): the DAG's
            start date; a manual run before it is refused.
    """

    def __init__(self, first_day: dt.date) -> None:
        super().__init__("0 0 * * *", "UTC")
        self.first_day = first_day
        self.description = f"daily at 00:00 UTC for the day that ended, from {first_day}"

    @property
    def summary(self) -> str:
        return "daily (UTC), one run per landed day"

    def serialize(self) -> dict[str, Any]:
        return {"first_day": self.first_day.isoformat()}

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> DailyLandingTimetable:
        return cls(dt.date.fromisoformat(data["first_day"]))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, DailyLandingTimetable)
                and other.first_day == self.first_day)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.first_day))

    def infer_manual_data_interval(self, *, run_after: DateTime) -> DataInterval:
        """The UTC day of ``run_after`` (a manual run's logical date): [D, D+1)."""
        start = self._align_to_prev(run_after)
        if start.date() < self.first_day:
            raise DayBeforeHistoryError(
                f"{start.date()} is before the first day of the shop's history "
                f"({self.first_day}, DWH_START_DATE): nothing can be landed for it. "
                f"The first allowed logical date is {self.first_day}.")
        return DataInterval(start=start, end=self._get_next(start))
