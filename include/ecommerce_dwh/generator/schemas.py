"""Column names and Arrow types of the four tables (dbt staging models depend on these)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

TABLES = ("customers", "products", "orders", "order_items")
MONEY = pa.decimal128(12, 2)
TS = pa.timestamp("s")

SCHEMAS: dict[str, pa.Schema] = {
    "customers": pa.schema([
        ("customer_id", pa.int64()), ("first_name", pa.string()), ("last_name", pa.string()),
        ("email", pa.string()), ("phone", pa.string()), ("street", pa.string()),
        ("city", pa.string()), ("state", pa.string()), ("postal_code", pa.string()),
        ("country", pa.string()), ("segment", pa.string()), ("signup_at", TS),
        ("updated_at", TS),
    ]),
    "products": pa.schema([
        ("product_id", pa.int64()), ("sku", pa.string()), ("product_name", pa.string()),
        ("category", pa.string()), ("subcategory", pa.string()), ("brand", pa.string()),
        ("list_price_usd", MONEY), ("unit_cost_usd", MONEY), ("is_active", pa.bool_()),
        ("updated_at", TS),
    ]),
    "orders": pa.schema([
        ("order_id", pa.int64()), ("customer_id", pa.int64()), ("placed_at", TS),
        ("status", pa.string()), ("channel", pa.string()), ("payment_method", pa.string()),
        ("currency", pa.string()), ("updated_at", TS),
    ]),
    "order_items": pa.schema([
        ("order_item_id", pa.int64()), ("order_id", pa.int64()), ("product_id", pa.int64()),
        ("quantity", pa.int64()), ("unit_price_usd", MONEY), ("discount_usd", MONEY),
        ("line_amount_usd", MONEY), ("updated_at", TS),
    ]),
}  # fmt: skip
ID_COLUMN = {t: SCHEMAS[t].names[0] for t in TABLES}

SEGMENTS = ("consumer", "small_business", "corporate")
STATUSES = ("placed", "paid", "shipped", "delivered", "cancelled", "returned")
CHANNELS = ("web", "mobile_app", "marketplace")
PAYMENT_METHODS = ("credit_card", "debit_card", "paypal", "gift_card", "bank_transfer")


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
