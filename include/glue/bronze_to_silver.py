"""Glue ETL job ``bronze_to_silver``: one landed bronze day becomes typed silver Parquet.

Runs unchanged on AWS Glue 5.0 (Spark 3.5, Python 3.11) and on local Spark:

    spark-submit --py-files ecommerce_dwh_glue.zip bronze_to_silver.py \\
        --day 2024-01-05 --raw_root s3://<raw>/raw --silver_root s3://<staging>/silver \\
        [--catalog_database <glue staging database>]

For day D it reads ``<raw_root>/<table>/dt=D/`` of every contract table and writes
``<silver_root>/<table>/dt=D/<table>.parquet`` (good rows, typed),
``<silver_root>/quarantine/dt=D/`` (rejected rows, reason, file, line, raw line) and
``<silver_root>/loads/dt=D/`` (counts per table and reason), replacing those folders.
With ``--catalog_database`` it then registers the day's partitions in that Glue
database. The logic lives in ``ecommerce_dwh.silver.job`` (shipped with
``--extra-py-files``); this script only parses arguments. Glue adds arguments of its
own (``--JOB_NAME``, ``--job-bookmark-option``, ...): they are ignored.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The job's arguments (unknown ones, which Glue adds, are ignored)."""
    parser = argparse.ArgumentParser(prog="bronze_to_silver", description=__doc__.split("\n")[0])
    parser.add_argument("--day", required=True, type=dt.date.fromisoformat,
                        help="the landed day to process, YYYY-MM-DD")
    parser.add_argument("--raw_root", required=True,
                        help="URI of the bronze zone, e.g. s3://<raw bucket>/raw")
    parser.add_argument("--silver_root", required=True,
                        help="URI of the silver zone, e.g. s3://<staging bucket>/silver")
    parser.add_argument("--catalog_database", default=None,
                        help="Glue database whose tables get the day's partitions")
    args, _glue_arguments = parser.parse_known_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the job; the exit code is non-zero on any failure (Glue marks the run FAILED)."""
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from pyspark.sql import SparkSession

    import ecommerce_dwh
    from ecommerce_dwh.silver import job

    log = logging.getLogger("bronze_to_silver")
    log.info("ecommerce_dwh from %s", ecommerce_dwh.__file__)
    spark = SparkSession.builder.appName(f"bronze_to_silver {args.day}").getOrCreate()
    day = args.day.isoformat()
    for load in job.run_day(spark, day, args.raw_root, args.silver_root):
        log.info("loaded %s", load)
    if args.catalog_database:
        import boto3

        from ecommerce_dwh.silver.catalog import register_silver_day

        register_silver_day(boto3.client("glue"), args.catalog_database, args.silver_root, day)
    return 0


if __name__ == "__main__":
    sys.exit(main())
