"""Local mode: the moto server process, the local Airflow environment and services, ``make run``."""
