"""The warehouse dashboard (Streamlit): revenue, customers, orders, SCD2 history and
data quality, read from DuckDB locally or Redshift Serverless on AWS.

Modules: ``config`` (which warehouse), ``warehouse`` (read-only queries), ``queries``
(the portable SQL), ``charts`` (Altair), ``ui`` (what the pages share). The pages
are ``dashboard/views/*.py``; ``dashboard/app.py`` is the entry point.
"""
