"""The end-to-end tests share the local pipeline fixtures of tests/conftest.py
(``local_airflow``, ``infrastructure``, ``two_days``); their timeline and helpers are in
e2e_timeline.py."""
