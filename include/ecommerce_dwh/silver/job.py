"""The Spark transforms of ``bronze_to_silver``: one bronze day in, typed silver out.

Each function takes and returns DataFrames (or plain values), so the tests run them on
a local SparkSession with tiny fixtures, and the Glue script
(``include/glue/bronze_to_silver.py``) only parses its arguments and calls
:func:`run_day`. What happens to a day D of a table T:

1. :func:`read_bronze_lines`: every file under ``<raw root>/T/dt=D/`` is read as bytes
   (``binaryFile``) and split into lines with their numbers (:mod:`.lines`);
2. :func:`classify`: each line gets typed values from the contract's declared schema
   (never inferred) and the first failed check as ``quarantine_reason``, in the
   contract's precedence order; the second copy of an id and ``updated_at`` within
   the day is ``duplicate_id``;
3. :func:`good_rows` and :func:`quarantined_rows` split them; :func:`load_row` counts
   them per reason;
4. :func:`write_dataset` replaces ``<silver root>/<dataset>/dt=D/`` with exactly one
   file, ``<dataset>.parquet``, rows in line order: a rerun of the day writes the same
   bytes, and no stale file of an earlier run survives.

Checks that need other tables or other days (unknown customer, order or product) are
the warehouse's: the job of a day never reads history.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from ecommerce_dwh import contract
from ecommerce_dwh.contract import BIGINT, BOOLEAN, MONEY, STRING, TIMESTAMP, Table
from ecommerce_dwh.silver.lines import parse_file

log = logging.getLogger(__name__)

SPARK_TYPES: dict[str, T.DataType] = {
    BIGINT: T.LongType(),
    STRING: T.StringType(),
    MONEY: T.DecimalType(12, 2),
    # Wall-clock UTC times without a zone: Parquet TIMESTAMP(isAdjustedToUTC=false),
    # which DuckDB and Spectrum read as a plain timestamp.
    TIMESTAMP: T.TimestampNTZType(),
    BOOLEAN: T.BooleanType(),
}

_BIGINT_TEXT = r"^-?[0-9]{1,18}$"
_MONEY_TEXT = r"^-?[0-9]{1,10}([.][0-9]{1,2})?$"
_TIMESTAMP_TEXT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"
_SPARK_TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss"  # contract.TIMESTAMP_FORMAT in Java terms

#: Row order of every file the job writes: the bronze line order.
LINE_ORDER = ("source_file", "line_number")

_RAW = "_raw_"  # prefix of the text columns before typing
_LINE_ERROR = "_line_error"


def spark_schema(columns: Iterable[contract.Column]) -> T.StructType:
    """A Spark schema from contract columns."""
    return T.StructType([T.StructField(c.name, SPARK_TYPES[c.type], True) for c in columns])


def configure(spark: SparkSession) -> None:
    """Session settings the job relies on, the same on Glue and local Spark."""
    # Timestamps are wall-clock UTC; no conversion anywhere.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    # No _SUCCESS marker: each folder holds exactly the one data file.
    spark.sparkContext._jsc.hadoopConfiguration().set(  # noqa: SLF001 - Hadoop conf
        "mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")


# --- 1. bronze lines ----------------------------------------------------------------------


#: Schema of :func:`read_day_lines`: one row per data line of any table of the day.
LINE_SCHEMA = T.StructType([
    T.StructField("source_table", T.StringType(), False),
    T.StructField("source_file", T.StringType(), False),
    T.StructField("line_number", T.LongType(), False),
    T.StructField("raw_line", T.StringType(), False),
    T.StructField(_LINE_ERROR, T.StringType(), True),
    T.StructField("fields", T.ArrayType(T.StringType(), True), True),
])


@dataclass(frozen=True)
class BronzeFile:
    """One bronze file read for a day: its key in the raw bucket, size and SHA-256."""

    key: str
    bytes: int
    sha256: str


def _table_of(path: str) -> str:
    """``.../<table>/dt=D/<file>`` -> ``<table>``."""
    return posixpath.basename(posixpath.dirname(posixpath.dirname(path)))


def bronze_files(spark: SparkSession, raw_root: str, day: str) -> DataFrame:
    """Every bronze file of the day, of every contract table (``binaryFile``: path, content).

    Raises:
        FileNotFoundError: a table has no file that day (the landing writes one per table
            and day, so a missing one means the day was not landed whole).
    """
    root = raw_root.rstrip("/")
    folders = {t.name: f"{root}/{t.name}/{contract.day_folder(day)}/" for t in contract.TABLES}
    jvm = spark.sparkContext._jvm  # noqa: SLF001 - Hadoop FileSystem API, same on S3
    conf = spark.sparkContext._jsc.hadoopConfiguration()  # noqa: SLF001
    missing = []
    for name, folder in folders.items():
        path = jvm.org.apache.hadoop.fs.Path(folder)
        if not path.getFileSystem(conf).exists(path):
            missing.append(f"{name} ({folder})")
    if missing:
        raise FileNotFoundError(f"day {day} has no bronze folder for {', '.join(missing)}: "
                                "was the day landed?")
    return (spark.read.format("binaryFile")
            .option("pathGlobFilter", f"*.{contract.BRONZE_FORMAT}")
            .load(list(folders.values())))


def file_stats(files: DataFrame, day: str) -> dict[str, list[BronzeFile]]:
    """Key, size and SHA-256 of each file read, by table, in key order.

    Raises:
        FileNotFoundError: a table's folder holds no bronze file.
    """
    rows = files.select("path", "length", F.sha2("content", 256).alias("sha256")).collect()
    found: dict[str, list[BronzeFile]] = {t.name: [] for t in contract.TABLES}
    for row in rows:
        table_name = _table_of(row.path)
        key = contract.bronze_prefix(table_name, day) + posixpath.basename(row.path)
        found[table_name].append(BronzeFile(key, int(row.length), row.sha256))
    empty = [name for name, listed in found.items() if not listed]
    if empty:
        raise FileNotFoundError(f"day {day}: no bronze .{contract.BRONZE_FORMAT} file for "
                                f"{', '.join(empty)}: was the day landed?")
    return {name: sorted(listed, key=lambda f: f.key) for name, listed in found.items()}


def read_day_lines(files: DataFrame, day: str) -> DataFrame:
    """Every data line of the day's files, numbered, with its fields as text (:data:`LINE_SCHEMA`).

    ``source_file`` is the file's key in the raw bucket (``raw/<table>/dt=D/<name>``), the
    same wherever the job reads it from (S3 on Glue, a scratch folder locally). One pass
    of Python over the bytes for all tables; everything after it runs in the JVM.
    """
    headers = {t.name: t.column_names for t in contract.TABLES}

    def lines_of(row: Any) -> Iterable[tuple]:
        table_name = _table_of(row.path)
        key = contract.bronze_prefix(table_name, day) + posixpath.basename(row.path)
        for line in parse_file(key, bytes(row.content), headers[table_name]):
            yield (table_name, key, line.line_number, line.raw_line, line.error,
                   list(line.fields) if line.fields else None)

    rdd = files.select("path", "content").rdd.flatMap(lines_of)
    return files.sparkSession.createDataFrame(rdd, LINE_SCHEMA)


def table_lines(lines: DataFrame, table: Table) -> DataFrame:
    """The lines of one table, each field in a text column of its own."""
    return lines.where(F.col("source_table") == table.name).select(
        "source_file", "line_number", "raw_line", _LINE_ERROR,
        *(F.col("fields")[i].alias(_RAW + name) for i, name in enumerate(table.column_names)),
    )


def load_id(table: Table, day: str, files: list[BronzeFile]) -> str:
    """The id of a day's load of a table: changes with the files' bytes or the contract."""
    text = "\n".join([contract.CONTRACT_VERSION, table.name, day,
                      *(f"{f.key} {f.sha256}" for f in files)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- 2. types and checks ------------------------------------------------------------------


def _text(name: str) -> SparkColumn:
    return F.col(_RAW + name)


def typed_value(column: contract.Column) -> SparkColumn:
    """The column's typed value, null when its text does not parse as the contract says."""
    text = _text(column.name)
    if column.type == BIGINT:
        return F.when(text.rlike(_BIGINT_TEXT), text.cast("bigint"))
    if column.type == MONEY:
        return F.when(text.rlike(_MONEY_TEXT), text.cast(SPARK_TYPES[MONEY]))
    if column.type == BOOLEAN:
        lowered = F.lower(text)
        return F.when(lowered == "true", F.lit(True)).when(lowered == "false", F.lit(False))
    if column.type == TIMESTAMP:
        # try_to_timestamp is null for impossible dates (2024-02-30) as well as wrong shapes.
        parsed = F.expr(f"try_to_timestamp({_RAW}{column.name}, '{_SPARK_TIMESTAMP_FORMAT}')")
        return F.when(text.rlike(_TIMESTAMP_TEXT), parsed.cast("timestamp_ntz"))
    return text


def _unparsed(columns: Iterable[contract.Column]) -> SparkColumn:
    """Some of ``columns`` has text that does not parse as its type (the typed column,
    computed once by :func:`classify`, is null while the text is not)."""
    conditions = [_text(c.name).isNotNull() & F.col(c.name).isNull() for c in columns]
    return _any(conditions)


def _any(conditions: list[SparkColumn]) -> SparkColumn:
    result = F.lit(False)
    for condition in conditions:
        result = result | condition
    return result


def _rule_failed(rule: contract.RowRule) -> SparkColumn:
    values = [F.col(name) for name in rule.columns]
    if rule.kind == "positive":
        return _any([v <= 0 for v in values])
    if rule.kind == "non_negative":
        return _any([v < 0 for v in values])
    if rule.kind == "line_amount":
        amount, quantity, price, discount = values
        return amount != quantity * price - discount
    raise ValueError(f"unknown rule kind {rule.kind!r} of reason {rule.reason}")


def row_checks(table: Table) -> list[tuple[str, SparkColumn]]:
    """``(reason, failed condition)`` of every row check of the job, in precedence order.

    Conditions read the typed columns (``typed_value`` already applied) and the text.
    ``duplicate_id`` is not here: it depends on the other rows (see :func:`classify`).
    """
    by_type = {kind: [c for c in table.columns if c.type in kind] for kind in
               ((BIGINT, MONEY, BOOLEAN), (TIMESTAMP,))}
    required = [c for c in table.columns if c.required]
    coded = [c for c in table.columns if c.domain is not None]
    checks: list[tuple[str, SparkColumn]] = [
        ("invalid_utf8", F.col(_LINE_ERROR) == "invalid_utf8"),
        ("malformed_line", F.col(_LINE_ERROR) == "malformed_line"),
        ("missing_required", _any([_text(c.name).isNull() | (F.trim(_text(c.name)) == "")
                                   for c in required])),
        ("bad_number", _unparsed(by_type[(BIGINT, MONEY, BOOLEAN)])),
        ("bad_timestamp", _unparsed(by_type[(TIMESTAMP,)])),
        ("bad_enum", _any([_text(c.name).isNotNull() & ~_text(c.name).isin(*c.domain)
                           for c in coded])),
    ]
    checks += [(rule.reason, _rule_failed(rule)) for rule in table.rules]
    reasons = [reason for reason, _ in checks] + ["duplicate_id"]
    expected = [r for r in contract.ETL_JOB_REASONS if r in reasons]
    if reasons != expected:
        raise AssertionError(f"{table.name}: checks {reasons} are not in the contract's "
                             f"precedence order {expected}")
    return checks


def classify(lines: DataFrame, table: Table, load: str) -> DataFrame:
    """Typed columns, lineage and ``quarantine_reason`` (null for a good row) per line."""
    typed = lines.select(
        "*", *(typed_value(c).alias(c.name) for c in table.columns))
    reason = F.lit(None).cast("string")
    for name, failed in reversed(row_checks(table)):
        reason = F.when(F.coalesce(failed, F.lit(False)), F.lit(name)).otherwise(reason)
    checked = typed.withColumn("quarantine_reason", reason)
    # Among the rows that passed every check, a second copy of (id, updated_at) in the
    # same day is a duplicate; the first one (lowest line number) stays.
    copies = Window.partitionBy("quarantine_reason", table.key, table.version_column) \
        .orderBy("source_file", "line_number")
    copy_number = F.row_number().over(copies)
    return checked.withColumn(
        "quarantine_reason",
        F.when(F.col("quarantine_reason").isNull() & (copy_number > 1), F.lit("duplicate_id"))
        .otherwise(F.col("quarantine_reason")),
    ).withColumn("load_id", F.lit(load))


# --- 3. outputs ---------------------------------------------------------------------------


def good_rows(classified: DataFrame, table: Table) -> DataFrame:
    """The silver table's rows: the contract's columns then lineage, in line order."""
    columns = contract.silver_columns(table.name)
    return (classified.where(F.col("quarantine_reason").isNull())
            .select(*(F.col(c.name).cast(SPARK_TYPES[c.type]).alias(c.name) for c in columns)))


def quarantined_rows(classified: DataFrame, table: Table) -> DataFrame:
    """``silver/quarantine`` rows of one table: reason, where, and the raw line."""
    return (classified.where(F.col("quarantine_reason").isNotNull())
            .select(F.lit(table.name).alias("source_table"), "quarantine_reason",
                    "source_file", "line_number", "raw_line",
                    _text(table.key).alias("record_id")))


def load_row(table: Table, load: str, files: list[BronzeFile],
             counts: dict[str | None, int]) -> tuple:
    """The ``silver/loads`` row of one table, in :data:`contract.LOADS_COLUMNS` order."""
    quarantined = {reason: counts.get(reason, 0) for reason in contract.ETL_JOB_REASONS}
    unknown = set(counts) - set(quarantined) - {None}
    if unknown:
        raise AssertionError(f"{table.name}: reasons {sorted(unknown)} are not the job's")
    return (
        table.name, load, contract.CONTRACT_VERSION,
        ",".join(f.key for f in files), sum(f.bytes for f in files),
        ",".join(f.sha256 for f in files),
        sum(counts.values()), counts.get(None, 0), sum(quarantined.values()),
        *quarantined.values(),
    )


def dataset_folder(silver_root: str, dataset: str, day: str) -> str:
    """``<silver root>/<dataset>/dt=D/`` (the silver root is ``s3://<staging>/silver`` on AWS)."""
    return f"{silver_root.rstrip('/')}/{dataset}/{contract.day_folder(day)}/"


def write_dataset(df: DataFrame, silver_root: str, dataset: str, day: str,
                  order_by: tuple[str, ...]) -> str:
    """Replace ``<silver root>/<dataset>/dt=D/`` with one file, ``<dataset>.parquet``.

    One file per dataset and day, rows sorted by ``order_by``, keeps the day's bytes
    deterministic (Spark's part-file names carry a random id) and lets a rerun replace
    exactly what an earlier run wrote.
    """
    folder = dataset_folder(silver_root, dataset, day)
    spark = df.sparkSession
    jvm = spark.sparkContext._jvm  # noqa: SLF001 - Hadoop FileSystem API, same on S3
    path = jvm.org.apache.hadoop.fs.Path(folder)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())  # noqa: SLF001
    fs.setWriteChecksum(False)  # no .crc side files on a local file system; no-op on S3
    (df.coalesce(1).sortWithinPartitions(*order_by)
     .write.mode("overwrite").option("compression", "snappy").parquet(folder))
    parts = [s.getPath() for s in fs.listStatus(path) if s.getPath().getName().startswith("part-")]
    if len(parts) != 1:
        raise RuntimeError(f"expected one part file in {folder}, found {len(parts)}")
    target = jvm.org.apache.hadoop.fs.Path(folder + contract.silver_file_name(dataset))
    if not fs.rename(parts[0], target):
        raise RuntimeError(f"could not rename {parts[0]} to {target}")
    return str(target)


# --- the day --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableLoad:
    """What the job did with one table of the day."""

    table: str
    load_id: str
    rows_read: int
    rows_written: int
    quarantined: dict[str, int]


def run_day(spark: SparkSession, day: str, raw_root: str, silver_root: str) -> list[TableLoad]:
    """Turn bronze day ``day`` of every contract table into silver; return the counts."""
    configure(spark)
    files = bronze_files(spark, raw_root, day)
    stats = file_stats(files, day)
    lines = read_day_lines(files, day).cache()
    classified = {}
    for table in contract.TABLES:
        load = load_id(table, day, stats[table.name])
        classified[table.name] = classify(table_lines(lines, table), table, load).cache()
    counted = [df.groupBy(F.lit(name).alias("source_table"), "quarantine_reason").count()
               for name, df in classified.items()]
    counts: dict[str, dict[str | None, int]] = {name: {} for name in classified}
    for row in functools.reduce(DataFrame.unionByName, counted).collect():
        counts[row["source_table"]][row["quarantine_reason"]] = int(row["count"])
    quarantine: list[DataFrame] = []
    loads: list[tuple] = []
    summary: list[TableLoad] = []
    for table in contract.TABLES:
        df, table_counts = classified[table.name], counts[table.name]
        write_dataset(good_rows(df, table), silver_root, table.name, day, LINE_ORDER)
        quarantine.append(quarantined_rows(df, table))
        load = load_id(table, day, stats[table.name])
        loads.append(load_row(table, load, stats[table.name], table_counts))
        summary.append(TableLoad(table.name, load, sum(table_counts.values()),
                                 table_counts.get(None, 0),
                                 {r: n for r, n in table_counts.items() if r is not None}))
        log.info("%s %s: read %d, written %d, quarantined %s", table.name, day,
                 summary[-1].rows_read, summary[-1].rows_written, summary[-1].quarantined)
    write_dataset(functools.reduce(DataFrame.unionByName, quarantine), silver_root,
                  contract.QUARANTINE, day, LINE_ORDER)
    loads_df = spark.createDataFrame(loads, spark_schema(contract.LOADS_COLUMNS))
    write_dataset(loads_df, silver_root, contract.LOADS, day, ("source_table",))
    spark.catalog.clearCache()
    return summary
