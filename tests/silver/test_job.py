"""The ETL job's transforms on the session's local SparkSession: a generated day with
every bad-row kind the generator makes, plus hand-made lines for the reasons it never
makes, goes from bronze CSV to silver Parquet.

What must hold: each bad line lands in quarantine with its reason, its file, its line
number and its exact bytes; every good row lands typed; the loads row counts it all;
a rerun writes the same bytes; a day written again replaces its folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from ecommerce_dwh import contract
from ecommerce_dwh.generator import BAD_ID_BASE, GeneratorConfig, generate_day
from ecommerce_dwh.generator.schemas import SCHEMAS
from ecommerce_dwh.silver import job
from ecommerce_dwh.silver.lines import BronzeFileError, render, split_lines

DAY = dt.date(2024, 1, 1)
CONFIG = GeneratorConfig(seed=42, orders_per_day=200, bad_row_rate=0.05)

#: Hand-made lines for the reasons the generator never writes, built from the first
#: good row of each file: (table, reason, {column: new text}).
EXTRA = [
    ("customers", "bad_enum", {"segment": "vip"}),
    ("customers", "bad_number", {"customer_id": "12x"}),
    ("products", "negative_amount", {"list_price_usd": "-1.00"}),
    ("products", "bad_number", {"is_active": "yes"}),
    ("orders", "bad_enum", {"status": "lost"}),
    ("orders", "bad_number", {"customer_id": "1e3"}),
    ("order_items", "inconsistent_line_amount", {"line_amount_usd": "999.99"}),
    ("order_items", "bad_number", {"quantity": "1.5"}),
    ("order_items", "negative_amount", {"discount_usd": "-0.01"}),
]


def _append_extra_lines(raw: Path) -> Counter:
    """Append the EXTRA lines to the day's bronze files; (table, reason) -> count."""
    added: Counter = Counter()
    for n, (table_name, reason, changes) in enumerate(EXTRA):
        path = raw / contract.bronze_prefix(table_name, DAY).split("/", 1)[1] / \
            contract.bronze_file_name(table_name)
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        header, first = text.splitlines()[:2]
        row = dict(zip(header.split(","), next(csv.reader([first])), strict=True))
        key = contract.table(table_name).key
        if key not in changes:
            row[key] = str(BAD_ID_BASE * 9 + n)
        row.update(changes)
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(row.values())
        with path.open("a", encoding="utf-8") as out:
            out.write(buffer.getvalue())
        added[(table_name, reason)] += 1
    return added


@pytest.fixture(scope="module")
def silver_day(tmp_path_factory: pytest.TempPathFactory, spark) -> dict:
    """The bad day written to silver twice (two roots), and the clean day's good rows."""
    root = tmp_path_factory.mktemp("silver_job")
    raw = root / "raw"
    manifest = generate_day(DAY, CONFIG, raw).manifest
    extra = _append_extra_lines(raw)
    clean = generate_day(DAY, GeneratorConfig(seed=42, orders_per_day=200), root / "clean")
    loads = job.run_day(spark, DAY.isoformat(), raw.as_uri(), (root / "silver").as_uri())
    job.run_day(spark, DAY.isoformat(), raw.as_uri(), (root / "silver_again").as_uri())
    return {"root": root, "raw": raw, "manifest": manifest, "extra": extra,
            "clean": clean, "loads": {load.table: load for load in loads}}


def _silver(root: Path, dataset: str) -> pa.Table:
    folder = root / dataset / contract.day_folder(DAY)
    assert sorted(p.name for p in folder.iterdir()) == [contract.silver_file_name(dataset)]
    return pq.read_table(folder / contract.silver_file_name(dataset))


def test_every_bad_line_is_quarantined_with_its_reason(silver_day: dict) -> None:
    expected: Counter = Counter(silver_day["extra"])
    for table_name, stats in silver_day["manifest"]["tables"].items():
        for kind, count in stats["bad_rows"].items():
            reason = contract.BAD_ROW_KIND_REASONS[kind]
            if count and reason in contract.ETL_JOB_REASONS:
                expected[(table_name, reason)] += count
    quarantine = _silver(silver_day["root"] / "silver", contract.QUARANTINE).to_pylist()
    found = Counter((row["source_table"], row["quarantine_reason"]) for row in quarantine)
    assert found == expected
    reasons = {reason for _, reason in expected}
    assert reasons == set(contract.ETL_JOB_REASONS), "the fixture holds every reason of the job"


def test_each_quarantined_row_names_its_file_and_line_and_keeps_its_bytes(
        silver_day: dict) -> None:
    quarantine = _silver(silver_day["root"] / "silver", contract.QUARANTINE).to_pylist()
    lines: dict[str, dict[int, bytes]] = {}
    for row in quarantine:
        key = row["source_file"]
        if key not in lines:
            data = (silver_day["raw"] / key.split("/", 1)[1]).read_bytes()
            lines[key] = dict(split_lines(data))
        original = lines[key][row["line_number"]]
        assert row["raw_line"] == render(original)[0], row
        assert key.startswith(f"raw/{row['source_table']}/dt={DAY}/")
    invalid = [r for r in quarantine if r["quarantine_reason"] == "invalid_utf8"]
    assert invalid and all("\\xFF\\xFE" in r["raw_line"] for r in invalid)


def test_good_rows_land_typed_exactly(silver_day: dict) -> None:
    """Silver = the clean day's rows (typed as the contract says) plus the rows whose
    only fault is a reference the warehouse checks (unknown customer or product)."""
    manifest = silver_day["manifest"]
    for table in contract.TABLES:
        silver = _silver(silver_day["root"] / "silver", table.name)
        assert silver.schema.names == [c.name for c in contract.silver_columns(table.name)]
        expected = pa_csv.read_csv(
            silver_day["clean"].files[table.name],
            # As the contract reads CSV: an empty field is null, a quoted "" is "".
            convert_options=pa_csv.ConvertOptions(column_types=SCHEMAS[table.name],
                                                   strings_can_be_null=True,
                                                   quoted_strings_can_be_null=False))
        ours = silver.filter(pc.less(silver[table.key], BAD_ID_BASE)).select(table.column_names)
        # A duplicate may precede its original in the file (the first copy is kept, and
        # both are the same bytes): compare in key order.
        order = [(table.key, "ascending"), ("updated_at", "ascending")]
        assert ours.cast(expected.schema).sort_by(order).equals(expected.sort_by(order)), \
            table.name
        # Silver's timestamps carry no zone; money is decimal(12,2).
        for column in table.columns:
            field = silver.schema.field(column.name)
            if column.type == contract.TIMESTAMP:
                assert field.type == pa.timestamp("us") and field.type.tz is None
            if column.type == contract.MONEY:
                assert field.type == pa.decimal128(12, 2)
        unresolved = sum(count for kind, count in manifest["tables"][table.name]
                         ["bad_rows"].items() if kind in ("unknown_customer", "unknown_product"))
        assert silver.num_rows == expected.num_rows + unresolved, table.name


def test_the_loads_row_counts_every_line(silver_day: dict) -> None:
    loads = {row["source_table"]: row
             for row in _silver(silver_day["root"] / "silver", contract.LOADS).to_pylist()}
    assert list(loads) == sorted(contract.TABLE_NAMES), "one row per table, in name order"
    for table_name, stats in silver_day["manifest"]["tables"].items():
        row = loads[table_name]
        added = sum(n for (t, _), n in silver_day["extra"].items() if t == table_name)
        assert row["rows_read"] == stats["rows"] + added
        assert row["rows_written"] + row["rows_quarantined"] == row["rows_read"]
        assert row["rows_quarantined"] == sum(
            row[f"quarantined_{reason}"] for reason in contract.ETL_JOB_REASONS)
        assert row["source_files"] == f"raw/{table_name}/dt={DAY}/{table_name}.csv"
        assert row["load_id"] == silver_day["loads"][table_name].load_id
        assert row["contract_version"] == contract.CONTRACT_VERSION


def test_a_rerun_writes_the_same_bytes(silver_day: dict) -> None:
    for dataset in contract.SILVER_DATASETS:
        relative = Path(dataset) / contract.day_folder(DAY) / contract.silver_file_name(dataset)
        first = (silver_day["root"] / "silver" / relative).read_bytes()
        again = (silver_day["root"] / "silver_again" / relative).read_bytes()
        assert first == again, dataset


def test_a_day_written_again_replaces_its_folder(silver_day: dict, spark) -> None:
    silver = silver_day["root"] / "silver_replace"
    stale = silver / "orders" / contract.day_folder(DAY) / "part-00000-old.snappy.parquet"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an earlier run's file")
    other_day = silver / "orders" / "dt=2023-12-31" / "orders.parquet"
    other_day.parent.mkdir(parents=True)
    other_day.write_bytes(b"another day")
    job.run_day(spark, DAY.isoformat(), silver_day["raw"].as_uri(), silver.as_uri())
    assert sorted(p.name for p in stale.parent.iterdir()) == ["orders.parquet"]
    assert other_day.read_bytes() == b"another day"


def test_a_wrong_header_fails_the_job_naming_the_file(tmp_path: Path, spark) -> None:
    raw = tmp_path / "raw"
    generate_day(DAY, GeneratorConfig(seed=1, orders_per_day=5), raw)
    path = raw / "products" / contract.day_folder(DAY) / "products.csv"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"product_id,sku", b"product_id,SKU", 1))
    with pytest.raises(Exception, match=r"raw/products/dt=2024-01-01/products\.csv: line 1: "
                                        r"header 'product_id,SKU"):
        job.run_day(spark, DAY.isoformat(), raw.as_uri(), (tmp_path / "silver").as_uri())
    assert issubclass(BronzeFileError, ValueError)


def test_a_day_missing_a_table_fails_naming_it(tmp_path: Path, spark) -> None:
    raw = tmp_path / "raw"
    generate_day(DAY, GeneratorConfig(seed=1, orders_per_day=5), raw)
    for path in (raw / "orders" / contract.day_folder(DAY)).iterdir():
        path.unlink()
    (raw / "orders" / contract.day_folder(DAY)).rmdir()
    with pytest.raises(FileNotFoundError, match=r"day 2024-01-01 has no bronze folder for "
                                                r"orders"):
        job.run_day(spark, DAY.isoformat(), raw.as_uri(), (tmp_path / "silver").as_uri())
