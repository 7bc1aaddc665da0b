"""Config validation, the epoch boundary, and the Parquet option."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from gen_helpers import EPOCH, read_rows

from ecommerce_dwh.generator import TABLES, GeneratorConfig, generate_day
from ecommerce_dwh.generator.schemas import SCHEMAS


@pytest.mark.parametrize(("field", "value"), [
    ("seed", -1), ("orders_per_day", 0), ("orders_per_day", 2.5), ("bad_row_rate", 0.9),
    ("bad_row_rate", "x"), ("locale", "xx_XX"), ("fmt", "json"), ("initial_customers", 0),
])  # fmt: skip
def test_invalid_config_names_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        GeneratorConfig(**{field: value})


def test_from_scale():
    assert GeneratorConfig.from_scale(2.5).orders_per_day == 500
    with pytest.raises(ValueError, match="scale"):
        GeneratorConfig.from_scale(-1)


def test_day_before_epoch_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="epoch"):
        generate_day(EPOCH - dt.timedelta(days=1), GeneratorConfig(), tmp_path)


def test_csv_columns_in_contract_order(multi_day):
    _, results = multi_day
    for table in TABLES:
        header = results[1].files[table].read_text().splitlines()[0]
        assert header == ",".join(SCHEMAS[table].names)


def test_parquet_matches_csv(tmp_path, small_cfg):
    day = EPOCH + dt.timedelta(days=4)
    csv_result = generate_day(day, small_cfg, tmp_path / "csv")
    pq_cfg = GeneratorConfig(seed=small_cfg.seed, orders_per_day=small_cfg.orders_per_day,
                             fmt="parquet")
    pq_result = generate_day(day, pq_cfg, tmp_path / "pq")
    for table in TABLES:
        path = pq_result.files[table]
        assert path.suffix == ".parquet"
        data = pq.read_table(path)
        assert data.schema.names == SCHEMAS[table].names
        assert data.num_rows == pq_result.manifest["tables"][table]["rows"]
        rows = read_rows(csv_result.files[table])
        key = SCHEMAS[table].names[0]
        assert data.column(key).to_pylist() == [int(r[key]) for r in rows]
    items = pq.read_table(pq_result.files["order_items"]).column("line_amount_usd").to_pylist()
    assert sum(items, Decimal(0)) == Decimal(pq_result.manifest["order_items_line_amount_usd"])
    assert pq_result.manifest["order_items_line_amount_usd"] == \
        csv_result.manifest["order_items_line_amount_usd"]


def test_parquet_bad_rows_only_typed_kinds(tmp_path):
    cfg = GeneratorConfig(seed=3, orders_per_day=200, fmt="parquet", bad_row_rate=0.2)
    result = generate_day(EPOCH + dt.timedelta(days=2), cfg, tmp_path)
    for table, entry in result.manifest["tables"].items():
        for kind in ("malformed_line", "bad_timestamp", "invalid_utf8"):
            assert entry["bad_rows"][kind] == 0
        assert pq.read_table(result.files[table]).num_rows == entry["rows"]
    assert result.manifest["bad_rows_total"] > 0
