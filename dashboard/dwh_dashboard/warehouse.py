"""Run the dashboard's SQL on DuckDB (local) or Redshift Serverless (AWS).

DuckDB lets one process hold a file for writing, and a reader's shared lock keeps a
writer out. So every query opens the file **read-only, runs, and closes** it: between
queries the dashboard holds no lock and a starting ``dwh_transform`` can always take
the file; while a transform writes, a query fails fast with :class:`WarehouseBusy`
instead of waiting. (ui.py caches results keyed on the file's mtime, so re-rendering
a page does not touch the file at all.)

The SQL is portable: ``?`` placeholders (DuckDB's), rewritten to ``%s`` for
redshift_connector's default ``format`` paramstyle; so no query may contain ``%``.
"""

from __future__ import annotations

import decimal
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import DuckDBSource, RedshiftSource

if TYPE_CHECKING:  # pandas is imported when a query runs: queries.py needs none of it
    import pandas as pd

#: Schemas whose tables the dashboard reads.
SCHEMAS = ("marts", "audit")


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be read at all (no file, no connection); the message says where."""


class WarehouseMissing(WarehouseUnavailable):
    """There is no warehouse yet (no DuckDB file): the pipeline has not run."""


class WarehouseBusy(WarehouseUnavailable):
    """The DuckDB file is locked by a writer (a transform is running)."""


class QueryError(RuntimeError):
    """A query failed; the message names the query and the warehouse."""


@dataclass(frozen=True)
class Query:
    """One SQL statement the dashboard runs, with a short title for its expander."""

    title: str
    sql: str
    params: tuple[Any, ...] = ()


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Decimals become floats (Redshift returns ``Decimal``; DuckDB already floats)."""
    for column in frame.columns:
        if frame[column].dtype == object:
            sample = frame[column].dropna()
            if len(sample) and isinstance(sample.iloc[0], decimal.Decimal):
                frame[column] = frame[column].astype(float)
    return frame


class DuckDBWarehouse:
    """The local DuckDB file, opened read-only for each query."""

    def __init__(self, source: DuckDBSource) -> None:
        self.source = source
        self.path: Path = source.path
        self.label = source.label
        self.is_local = True

    def version_key(self) -> str:
        """Changes whenever the file (or its write-ahead log) changes: the cache key."""
        parts = []
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                stat = path.stat()
            except FileNotFoundError:
                parts.append("-")
            else:
                parts.append(f"{stat.st_mtime_ns}:{stat.st_size}")
        return "|".join(parts)

    def query(self, query: Query) -> pd.DataFrame:
        """Run ``query`` on a fresh read-only connection that is closed right after."""
        import duckdb

        if not self.path.is_file():
            raise WarehouseMissing(f"no warehouse file at {self.path}")
        try:
            connection = duckdb.connect(str(self.path), read_only=True)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise WarehouseBusy(
                    f"{self.path} is locked by a writer (a transform is running): {exc}"
                ) from exc
            raise WarehouseUnavailable(f"cannot open {self.path}: {exc}") from exc
        try:
            return _normalise(connection.execute(query.sql, list(query.params)).df())
        except duckdb.Error as exc:
            raise QueryError(f"query {query.title!r} failed on {self.label}: {exc}") from exc
        finally:
            connection.close()


def to_format_paramstyle(sql: str) -> str:
    """``?`` placeholders -> ``%s`` (redshift_connector's default paramstyle)."""
    if "%" in sql:
        raise ValueError("portable dashboard SQL may not contain '%' (it is the placeholder "
                         "escape of redshift_connector's format paramstyle)")
    return sql.replace("?", "%s")


class RedshiftWarehouse:
    """Redshift Serverless with IAM: one short connection per query.

    Unproven here (no AWS account): only the connection arguments and the call
    sequence are tested, with ``redshift_connector.connect`` mocked.
    """

    def __init__(self, source: RedshiftSource, cache_seconds: int = 300) -> None:
        self.source = source
        self.label = source.label
        self.is_local = False
        self.cache_seconds = cache_seconds

    def version_key(self) -> str:
        """No file to watch: results are reused for ``cache_seconds`` (ui.py's TTL)."""
        return "redshift"

    def query(self, query: Query) -> pd.DataFrame:
        """Connect with IAM, run ``query``, close."""
        import redshift_connector

        try:
            connection = redshift_connector.connect(**self.source.connect_kwargs())
        except Exception as exc:  # the driver raises many types (boto, socket, auth)
            raise WarehouseUnavailable(f"cannot connect to {self.label}: {exc}") from exc
        try:
            cursor = connection.cursor()
            cursor.execute(to_format_paramstyle(query.sql), list(query.params) or None)
            rows: Sequence[Sequence[Any]] = cursor.fetchall() or []
            columns = [_column_name(d[0]) for d in (cursor.description or [])]
            import pandas as pd

            return _normalise(pd.DataFrame([list(r) for r in rows], columns=columns))
        except redshift_connector.Error as exc:
            raise QueryError(f"query {query.title!r} failed on {self.label}: {exc}") from exc
        finally:
            connection.close()


def _column_name(name: str | bytes) -> str:
    return name.decode() if isinstance(name, bytes) else name


Warehouse = DuckDBWarehouse | RedshiftWarehouse


def open_warehouse(source: DuckDBSource | RedshiftSource) -> Warehouse:
    """The reader for ``source``."""
    if isinstance(source, DuckDBSource):
        return DuckDBWarehouse(source)
    return RedshiftWarehouse(source)


def tables_query() -> Query:
    """Tables and views of the dashboard's schemas (on Redshift, information_schema
    lists only those the reader was granted)."""
    placeholders = ", ".join("?" for _ in SCHEMAS)
    return Query(
        "tables of the warehouse",
        "select table_schema, table_name from information_schema.tables\n"
        f"where table_schema in ({placeholders})",
        SCHEMAS,
    )


def table_names(frame: pd.DataFrame) -> set[str]:
    """``schema.table`` names from the result of :func:`tables_query`."""
    return {f"{s}.{t}" for s, t in zip(frame["table_schema"], frame["table_name"], strict=True)}
