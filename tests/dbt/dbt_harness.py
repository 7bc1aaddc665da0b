"""Run the dbt project in-process against generated days in a temporary DuckDB file.

Each generated day goes through the ETL job's transforms (``ecommerce_dwh.silver.job``,
on the session's local SparkSession) into a silver folder, which dbt reads as it reads
the silver zone in S3.

Imported by the tests of this folder (no ``__init__.py`` here on purpose: a package
named ``dbt`` would shadow dbt-core).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from dbt.cli.main import dbtRunner

from ecommerce_dwh import contract
from ecommerce_dwh.generator import GeneratorConfig, generate_day
from ecommerce_dwh.silver import job

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "include" / "dbt"
EPOCH = dt.date(2024, 1, 1)
MARTS = (
    "dim_customers",
    "dim_products",
    "dim_date",
    "fact_order_items",
    "rpt_daily_revenue_by_category",
    "rpt_customer_lifetime_value",
)
#: Generator bad-row kind -> the quarantine reason it must get (the data contract's).
KIND_TO_REASON = contract.BAD_ROW_KIND_REASONS


@contextlib.contextmanager
def patched_environ(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block (dbt reads os.environ)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class Warehouse:
    """A scratch warehouse: raw folder of generated days, DuckDB file, dbt target dir."""

    root: Path
    config: GeneratorConfig
    spark: Any
    days: list[dt.date] = field(default_factory=list)

    @property
    def raw_root(self) -> Path:
        return self.root / "raw"

    @property
    def silver_root(self) -> Path:
        return self.root / "silver"

    @property
    def db_path(self) -> Path:
        return self.root / "warehouse.duckdb"

    def generate(self, day: dt.date) -> dict[str, Any]:
        """Generate one day into the raw folder and run the ETL job on it; its manifest."""
        result = generate_day(day, self.config, self.raw_root)
        job.run_day(self.spark, day.isoformat(), self.raw_root.as_uri(),
                    self.silver_root.as_uri())
        self.days.append(day)
        return result.manifest

    def dbt(self, *args: str, expect_success: bool = True) -> Any:
        """``dbt <args>`` in-process against this warehouse; fails the test on error."""
        cli = [
            *args,
            "--project-dir", str(DBT_PROJECT_DIR),
            "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target", "local",
            "--target-path", str(self.root / "target"),
            "--log-path", str(self.root / "logs"),
            "--vars", json.dumps({"raw_root": str(self.raw_root),
                                  "silver_root": str(self.silver_root)}),
        ]
        env = {
            "DWH_DUCKDB_PATH": str(self.db_path),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
        with patched_environ(env):
            result = dbtRunner().invoke(cli)
        if expect_success and not result.success:
            failures = []
            for node in getattr(result.result, "results", None) or []:
                if str(node.status) not in ("success", "pass"):
                    failures.append(f"{node.node.unique_id}: {node.status}: {node.message}")
            raise AssertionError(
                f"dbt {' '.join(args)} failed: {result.exception}\n" + "\n".join(failures)
            )
        return result

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        """Rows of a query on the warehouse (a short-lived connection)."""
        with duckdb.connect(str(self.db_path)) as con:
            return con.execute(sql, params or []).fetchall()

    def marts_snapshot(self) -> dict[str, list[tuple]]:
        """Every mart's full content, sorted: equal snapshots mean equal marts."""
        return {name: sorted(self.query(f"select * from marts.{name}"), key=repr)
                for name in MARTS}

    def manifests(self) -> list[dict[str, Any]]:
        """The manifests of every generated day."""
        paths = sorted((self.raw_root / "_manifests").glob("dt=*/manifest.json"))
        return [json.loads(path.read_text()) for path in paths]

    def expected_reasons(self) -> Counter:
        """(table, quarantine reason) -> rows, as the manifests' bad-row kinds say."""
        expected: Counter = Counter()
        for manifest in self.manifests():
            for table, stats in manifest["tables"].items():
                for kind, count in stats["bad_rows"].items():
                    if count:
                        expected[(table, KIND_TO_REASON[kind])] += count
        return expected

    def quarantined_reasons(self) -> Counter:
        """(table, quarantine reason) -> rows in audit_quarantined_rows."""
        return Counter({(table, reason): count for table, reason, count in self.query(
            "select source_table, quarantine_reason, count(*)"
            " from audit.audit_quarantined_rows group by all")})


N_DAYS = 3


def address_changes_after_orders(raw_root: Path) -> list[tuple[int, str]]:
    """(customer_id, changed_at) of customers whose address changed on day 2 after they
    had ordered, read straight from the generated CSV files (not from the warehouse)."""
    day1, day2 = EPOCH.isoformat(), (EPOCH + dt.timedelta(days=1)).isoformat()
    sql = f"""
        with customers as (
            select * from read_csv('{raw_root}/customers/*/*.csv', all_varchar = true,
                                   hive_partitioning = true)
        ),
        orders as (
            select * from read_csv('{raw_root}/orders/*/*.csv', all_varchar = true)
        )
        select distinct cast(new.customer_id as bigint), new.updated_at
        from customers as new
        join customers as old
            on old.customer_id = new.customer_id and old.dt = '{day1}'
        join orders on orders.customer_id = new.customer_id
            and orders.placed_at < new.updated_at
        where new.dt = '{day2}'
            and (old.street, old.city, old.state, old.postal_code)
                != (new.street, new.city, new.state, new.postal_code)
        order by 1
    """
    with duckdb.connect() as con:
        return con.execute(sql).fetchall()
