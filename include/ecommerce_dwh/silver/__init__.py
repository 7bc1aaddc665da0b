"""The silver layer: bronze CSV days turned into typed Parquet by the ETL job ``bronze_to_silver``.

Modules the Glue job imports (shipped to Glue in one zip, see :mod:`.package`): ``lines``
(bytes to CSV records, pure Python), ``job`` (the Spark transforms) and ``catalog``
(Glue partitions). The others run in Airflow: ``local_run`` (the same script on local
Spark, around moto's S3) and ``operators`` (the Airflow operator that picks Glue or
local Spark).
"""
