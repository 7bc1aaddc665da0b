"""Arrow schemas of the four tables, from the data contract (dbt and the ETL job read the same)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ecommerce_dwh import contract

TABLES = contract.TABLE_NAMES
MONEY = pa.decimal128(12, 2)
TS = pa.timestamp("s")
ARROW_TYPES = {contract.BIGINT: pa.int64(), contract.STRING: pa.string(),
               contract.MONEY: MONEY, contract.TIMESTAMP: TS, contract.BOOLEAN: pa.bool_()}

SCHEMAS: dict[str, pa.Schema] = {
    t.name: pa.schema([(c.name, ARROW_TYPES[c.type]) for c in t.columns]) for t in contract.TABLES
}
ID_COLUMN = {t.name: t.key for t in contract.TABLES}

SEGMENTS = contract.SEGMENTS
STATUSES = contract.ORDER_STATUSES
CHANNELS = contract.CHANNELS
PAYMENT_METHODS = contract.PAYMENT_METHODS


def money(cents: np.ndarray) -> pa.Array:
    """Exact decimal(12,2) array from integer cents, without going through floats."""
    c = np.ascontiguousarray(cents, dtype=np.int64)
    raw = np.empty((len(c), 2), dtype=np.int64)
    raw[:, 0] = c
    raw[:, 1] = c >> 63  # sign extension into the high 64 bits of the int128
    return pa.Array.from_buffers(MONEY, len(c), [None, pa.py_buffer(raw)])


def timestamps(seconds: np.ndarray) -> pa.Array:
    """timestamp[s] array (UTC, no zone) from Unix seconds."""
    return pa.array(np.asarray(seconds, dtype=np.int64), TS)


def labels(values: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    """String column from small integer codes."""
    return pa.array(list(values), pa.string()).take(pa.array(np.asarray(codes, dtype=np.int64)))
