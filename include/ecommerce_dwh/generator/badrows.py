"""Bad rows injected on request, each of a named kind, always as EXTRA rows.

Good rows are never altered or dropped, so the manifest's good counts and sums are exactly
what a correct pipeline loads after rejecting every bad row. Rules a pipeline must follow:

* Every bad row except ``duplicate_id`` carries a fresh id >= ``BAD_ID_BASE`` (10**15), an id
  no good row ever has; a correct pipeline rejects it by its content, not its id.
* ``duplicate_id`` rows are byte-identical copies of a good row of the same file: keep one.
* ``unknown_customer`` / ``unknown_product`` point at ids >= ``BAD_ID_BASE`` (never exist).
* Parquet cannot hold ``malformed_line``, ``bad_timestamp`` or ``invalid_utf8`` rows (typed
  columns, valid UTF-8), so in Parquet files those kinds are always 0.
"""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from ecommerce_dwh import contract

from .config import GeneratorConfig
from .rng import generator
from .schemas import ID_COLUMN, money

BAD_ROW_KINDS = contract.BAD_ROW_KINDS
KINDS_BY_TABLE: dict[str, tuple[str, ...]] = {
    "customers": ("malformed_line", "missing_required", "duplicate_id", "bad_timestamp",
                  "invalid_utf8"),
    "products": ("malformed_line", "missing_required", "duplicate_id", "bad_timestamp",
                 "invalid_utf8"),
    "orders": ("malformed_line", "missing_required", "unknown_customer", "duplicate_id",
               "bad_timestamp", "invalid_utf8"),
    "order_items": ("malformed_line", "missing_required", "negative_quantity",
                    "unknown_product", "duplicate_id", "bad_timestamp"),
}
CSV_ONLY_KINDS = frozenset({"malformed_line", "bad_timestamp", "invalid_utf8"})
# Required columns of the contract; these are the ones blanked.
MISSING_COLUMNS = {
    "customers": ("email", "last_name", "signup_at"),
    "products": ("sku", "product_name", "list_price_usd"),
    "orders": ("customer_id", "placed_at", "status"),
    "order_items": ("order_id", "product_id", "quantity"),
}
TIMESTAMP_COLUMN = {"customers": "signup_at", "products": "updated_at", "orders": "placed_at",
                    "order_items": "updated_at"}
UTF8_COLUMN = {"customers": "first_name", "products": "product_name", "orders": "channel"}
BAD_TIMESTAMPS = ("2024-02-30 10:00:00", "2024-13-01 00:00:00", "yesterday",
                  "2024-01-01T25:61:00", "01/02/2024 10:00")
BAD_ID_BASE = 10**15
_MARK = "\u2060BADUTF8\u2060"
_INVALID = b"\xff\xfe"  # never valid in UTF-8
CSV_OPTIONS = pa_csv.WriteOptions(include_header=False)


@dataclasses.dataclass(frozen=True)
class BadRow:
    """One bad row: a 1-row table (typed, or with a string column for CSV-only kinds) and,
    for kinds Arrow cannot express, the final CSV bytes."""

    kind: str
    table: pa.Table | None
    raw: bytes | None = None


def csv_bytes(table: pa.Table) -> bytes:
    """Render rows exactly as the good rows are rendered (no header)."""
    buf = io.BytesIO()
    pa_csv.write_csv(table, buf, CSV_OPTIONS)
    return buf.getvalue()


class BadRowMaker:
    """Decides, per written chunk, how many bad rows of which kinds go where."""

    def __init__(self, cfg: GeneratorConfig, table: str, day_ord: int) -> None:
        self.cfg, self.table, self.day_ord = cfg, table, day_ord
        kinds = KINDS_BY_TABLE[table]
        if cfg.fmt != "csv":
            kinds = tuple(k for k in kinds if k not in CSV_ONLY_KINDS)
        self.kinds = kinds
        self.next_id = BAD_ID_BASE + (day_ord - cfg.epoch.toordinal()) * 10**7
        self.chunks = 0

    def _fresh(self) -> int:
        self.next_id += 1
        return self.next_id

    def make(self, chunk: pa.Table) -> list[tuple[int, BadRow]]:
        """(position in chunk, bad row) pairs, positions ascending."""
        rng = generator(self.cfg.seed, "bad", self.table, self.day_ord, self.chunks)
        self.chunks += 1
        n_bad = int(rng.binomial(chunk.num_rows, self.cfg.bad_row_rate)) if chunk.num_rows else 0
        if n_bad == 0:
            return []
        positions = np.sort(rng.integers(0, chunk.num_rows + 1, n_bad))
        templates = rng.integers(0, chunk.num_rows, n_bad)
        kinds = rng.integers(0, len(self.kinds), n_bad)
        variants = rng.integers(0, 1 << 30, n_bad)
        return [(int(p), self._row(self.kinds[k], chunk.slice(int(t), 1), int(v)))
                for p, t, k, v in zip(positions, templates, kinds, variants, strict=True)]

    def _row(self, kind: str, row: pa.Table, variant: int) -> BadRow:
        if kind == "duplicate_id":
            return BadRow(kind, row)
        row = _set(row, ID_COLUMN[self.table], pa.array([self._fresh()], pa.int64()))
        if kind == "missing_required":
            col = MISSING_COLUMNS[self.table][variant % 3]
            return BadRow(kind, _set(row, col, pa.nulls(1, row.schema.field(col).type)))
        if kind == "negative_quantity":
            qty = -(1 + variant % 3)
            price = _cents(row, "unit_price_usd")
            line = qty * price - _cents(row, "discount_usd")
            row = _set(row, "quantity", pa.array([qty], pa.int64()))
            return BadRow(kind, _set(row, "line_amount_usd", money(np.array([line]))))
        if kind == "unknown_customer":
            return BadRow(kind, _set(row, "customer_id", pa.array([self._fresh()], pa.int64())))
        if kind == "unknown_product":
            return BadRow(kind, _set(row, "product_id", pa.array([self._fresh()], pa.int64())))
        if kind == "bad_timestamp":
            value = BAD_TIMESTAMPS[variant % len(BAD_TIMESTAMPS)]
            return BadRow(kind, _set(row, TIMESTAMP_COLUMN[self.table], pa.array([value])))
        if kind == "invalid_utf8":
            col = UTF8_COLUMN[self.table]
            text = str(row.column(col)[0].as_py() or "x")
            marked = _set(row, col, pa.array([text[:1] + _MARK + text[1:]]))
            raw = csv_bytes(marked).replace(_MARK.encode(), _INVALID)
            return BadRow(kind, None, raw)
        if kind == "malformed_line":
            line = csv_bytes(row).rstrip(b"\n")
            # The last column is always a timestamp (never quoted, no comma), so cutting at
            # the last comma drops exactly one field; or one field too many is appended.
            line = line[: line.rfind(b",")] if variant % 2 else line + b',"extra"'
            return BadRow(kind, None, line + b"\n")
        raise ValueError(f"unknown bad row kind {kind!r}")


def _set(row: pa.Table, column: str, value: pa.Array) -> pa.Table:
    i = row.schema.get_field_index(column)
    return row.set_column(i, pa.field(column, value.type), value)


def _cents(row: pa.Table, column: str) -> int:
    return int(row.column(column)[0].as_py() * 100)
