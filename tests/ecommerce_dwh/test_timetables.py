"""``DailyLandingTimetable``: scheduled runs as a daily cron interval, manual runs cover
the day of their logical date, a day before the history is refused, and the scheduler's
next run steps over a day a manual run already holds (the "schedule sticks" defect)."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from airflow.timetables.base import DataInterval, TimeRestriction
from airflow.timetables.interval import CronDataIntervalTimetable

from ecommerce_dwh.timetables import DailyLandingTimetable, DayBeforeHistoryError

FIRST_DAY = dt.date(2024, 1, 1)
UTC = pendulum.UTC


def midnight(day: str) -> pendulum.DateTime:
    return pendulum.parse(day).replace(tzinfo=UTC)


def test_a_manual_run_covers_the_day_of_its_logical_date() -> None:
    timetable = DailyLandingTimetable(FIRST_DAY)
    assert timetable.infer_manual_data_interval(run_after=midnight("2024-01-05")) == \
        DataInterval(midnight("2024-01-05"), midnight("2024-01-06"))
    # Any time of that day is that day.
    later = midnight("2024-01-05").add(hours=13, minutes=7)
    assert timetable.infer_manual_data_interval(run_after=later).start == midnight("2024-01-05")


def test_airflow_s_own_daily_timetable_gives_a_manual_run_the_day_before() -> None:
    """Why the project has its own timetable: the stock one disagrees with the DAG."""
    stock = CronDataIntervalTimetable("0 0 * * *", "UTC")
    assert stock.infer_manual_data_interval(run_after=midnight("2024-01-05")).start == \
        midnight("2024-01-04")


def test_a_day_before_the_history_is_refused_naming_the_first_allowed_day() -> None:
    timetable = DailyLandingTimetable(FIRST_DAY)
    with pytest.raises(DayBeforeHistoryError, match="first allowed logical date is 2024-01-01"):
        timetable.infer_manual_data_interval(run_after=midnight("2023-06-01"))
    assert isinstance(DayBeforeHistoryError("x"), ValueError), \
        "the REST API turns a ValueError into a 400"
    timetable.infer_manual_data_interval(run_after=midnight("2024-01-01"))  # the first day


def test_scheduled_runs_are_the_stock_daily_intervals() -> None:
    ours, stock = DailyLandingTimetable(FIRST_DAY), CronDataIntervalTimetable("0 0 * * *", "UTC")
    restriction = TimeRestriction(earliest=midnight("2024-01-01"), latest=None, catchup=True)
    last = None
    for _ in range(3):
        mine = ours.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        theirs = stock.next_dagrun_info(last_automated_data_interval=last,
                                        restriction=restriction)
        assert mine == theirs
        last = mine.data_interval
    assert last == DataInterval(midnight("2024-01-03"), midnight("2024-01-04"))


def test_the_next_run_after_a_manual_run_of_a_day_is_the_next_day() -> None:
    """What the scheduler does when the run it wants exists already (a manual one): it
    continues after that run's interval. Ours moves on; the stock one stays on that day."""
    restriction = TimeRestriction(earliest=midnight("2024-01-01"), latest=None, catchup=True)
    for timetable, expected in ((DailyLandingTimetable(FIRST_DAY), "2024-01-02"),
                                (CronDataIntervalTimetable("0 0 * * *", "UTC"), "2024-01-01")):
        manual = timetable.infer_manual_data_interval(run_after=midnight("2024-01-01"))
        following = timetable.next_dagrun_info(last_automated_data_interval=manual,
                                               restriction=restriction)
        assert following.logical_date == midnight(expected), type(timetable).__name__


def test_it_serializes_with_its_first_day() -> None:
    timetable = DailyLandingTimetable(FIRST_DAY)
    again = DailyLandingTimetable.deserialize(timetable.serialize())
    assert again == timetable
    assert again.first_day == FIRST_DAY
    assert again != DailyLandingTimetable(dt.date(2024, 2, 1))
