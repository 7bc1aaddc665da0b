"""Print what the local warehouse holds: every dbt relation and its row count."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ecommerce_dwh.local.moto_server import MOTO_ACCESS_KEY, MOTO_SECRET_KEY


@dataclass(frozen=True)
class Relation:
    """A table or view of the warehouse and its row count."""

    schema: str
    name: str
    kind: str
    rows: int


def relations(duckdb_path: Path, moto_endpoint: str | None) -> list[Relation]:
    """Row counts of every table and view of the DuckDB warehouse.

    The base models copy the raw files into tables, so only a view defined straight
    over S3 would need the moto server; its filesystem is registered when given.
    """
    import duckdb

    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        if moto_endpoint:
            import s3fs

            con.register_filesystem(
                s3fs.S3FileSystem(
                    key=MOTO_ACCESS_KEY,
                    secret=MOTO_SECRET_KEY,
                    client_kwargs={"endpoint_url": moto_endpoint, "region_name": "us-east-2"},
                )
            )
        found = con.execute(
            "select table_schema, table_name, table_type from information_schema.tables "
            "where table_catalog = current_database() order by 1, 2"
        ).fetchall()
        return [
            Relation(
                schema,
                name,
                "view" if kind == "VIEW" else "table",
                int(con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]),
            )
            for schema, name, kind in found
        ]
    finally:
        con.close()


def format_relations(found: list[Relation]) -> str:
    """A small aligned table for the terminal."""
    if not found:
        return "  (no tables)"
    width = max(len(f"{r.schema}.{r.name}") for r in found)
    return "\n".join(
        f"  {f'{r.schema}.{r.name}':<{width}}  {r.kind:<5}  {r.rows:>10,} rows" for r in found
    )
