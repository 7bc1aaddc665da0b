"""Registers the project's timetable with Airflow (custom timetables must come from a
plugin, or the scheduler cannot deserialize the DAG that uses it).

The class itself lives in the package: ``include/ecommerce_dwh/timetables.py``.
"""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from ecommerce_dwh.timetables import DailyLandingTimetable


class EcommerceDwhPlugin(AirflowPlugin):
    """``dwh_ingest``'s :class:`~ecommerce_dwh.timetables.DailyLandingTimetable`."""

    name = "ecommerce_dwh"
    timetables = [DailyLandingTimetable]
