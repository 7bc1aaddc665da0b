"""The data contract: the one place that says what the shop's data is.

Every stage reads it from here: the generator (columns, types, domains, bad-row
kinds), the landing code (bronze layout), the Glue ETL job ``bronze_to_silver``
(schemas, row checks, quarantine reasons, silver layout), Terraform (the Glue
catalog tables, through ``infra/terraform/modules/data_contract/contract.json``) and
dbt (sources and vars, through generated files). ``python -m ecommerce_dwh.contract
write`` regenerates those files; a test fails when one of them is stale.

Pure standard library on purpose: the Glue job imports this module on Glue 5.0
(Python 3.11) from a zip with nothing else in it.

Layout of the lake (bucket names come from Terraform)::

    s3://<raw bucket>/raw/<table>/dt=YYYY-MM-DD/<table>.csv          bronze, CSV
    s3://<raw bucket>/raw/_manifests/dt=YYYY-MM-DD/manifest.json     generator's truth
    s3://<staging bucket>/silver/<table>/dt=YYYY-MM-DD/<table>.parquet   silver, typed
    s3://<staging bucket>/silver/quarantine/dt=YYYY-MM-DD/quarantine.parquet
    s3://<staging bucket>/silver/loads/dt=YYYY-MM-DD/loads.parquet
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

#: Bump when a schema, a check or a reason changes: it is part of every load's id, so a
#: warehouse notices that a day processed under an older contract must be reprocessed.
CONTRACT_VERSION = "1"

# --- types ---------------------------------------------------------------------------

BIGINT, STRING, MONEY, TIMESTAMP, BOOLEAN = (
    "bigint", "string", "decimal(12,2)", "timestamp", "boolean",
)  # fmt: skip
TYPES = (BIGINT, STRING, MONEY, TIMESTAMP, BOOLEAN)

#: How a value of each type is written in the bronze CSV (what the row checks accept).
TEXT_FORMATS = {
    BIGINT: "an integer of at most 18 digits, optional leading minus",
    MONEY: "a decimal of at most 10 integer digits and 2 decimals, optional leading minus",
    TIMESTAMP: "YYYY-MM-DD HH:MM:SS, a real calendar date and time (UTC, no zone)",
    BOOLEAN: "true or false (any case)",
    STRING: "any UTF-8 text",
}
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes:
        name: snake_case column name (the same in bronze, silver and the warehouse).
        type: one of :data:`TYPES`.
        description: what the column holds.
        required: a row with this column empty is quarantined (``missing_required``).
        domain: the allowed values of a coded column (``bad_enum`` otherwise).
    """

    name: str
    type: str
    description: str
    required: bool = True
    domain: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RowRule:
    """A table-specific row check beyond types, required fields and domains.

    ``kind`` is one of ``positive`` (every column > 0), ``non_negative`` (every column
    >= 0) or ``line_amount`` (columns ``(amount, quantity, price, discount)`` with
    ``amount = quantity * price - discount``).
    """

    reason: str
    kind: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table of the shop's daily extract.

    Attributes:
        name: table name (bronze folder, silver folder, warehouse source).
        key: the id column.
        description: what one row is.
        columns: in the order of the bronze CSV header.
        rules: extra row checks, in precedence order.
        references: ``{column: (table, reason)}``: foreign keys the *warehouse* checks
            against every day loaded so far (the job of one day never reads history).
    """

    name: str
    key: str
    description: str
    columns: tuple[Column, ...]
    rules: tuple[RowRule, ...] = ()
    references: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in header order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"table {self.name} has no column {name!r}")

    @property
    def version_column(self) -> str:
        """When the row's version was written by the shop: every table has ``updated_at``."""
        return "updated_at"


SEGMENTS = ("consumer", "small_business", "corporate")
ORDER_STATUSES = ("placed", "paid", "shipped", "delivered", "cancelled", "returned")
CHANNELS = ("web", "mobile_app", "marketplace")
PAYMENT_METHODS = ("credit_card", "debit_card", "paypal", "gift_card", "bank_transfer")
CURRENCIES = ("USD",)
#: Order statuses that do not count as revenue in the reporting marts.
NON_REVENUE_ORDER_STATUSES = ("cancelled", "returned")

_UPDATED_AT = Column("updated_at", TIMESTAMP, "When the shop wrote this version of the row (UTC).")

TABLES: tuple[Table, ...] = (
    Table(
        "customers", "customer_id",
        "A customer who signed up, or changed address, e-mail or segment, that day.",
        (
            Column("customer_id", BIGINT, "Natural key of the customer."),
            Column("first_name", STRING, "First name."),
            Column("last_name", STRING, "Last name."),
            Column("email", STRING, "E-mail address."),
            Column("phone", STRING, "Phone number as given.", required=False),
            Column("street", STRING, "Street address."),
            Column("city", STRING, "City."),
            Column("state", STRING, "State or territory code."),
            Column("postal_code", STRING, "Postal code (text: leading zeros kept)."),
            Column("country", STRING, "Country code."),
            Column("segment", STRING, "Customer segment.", domain=SEGMENTS),
            Column("signup_at", TIMESTAMP, "When the customer signed up (UTC)."),
            _UPDATED_AT,
        ),
    ),
    Table(
        "products", "product_id",
        "A product added, or whose price, cost or active flag changed, that day.",
        (
            Column("product_id", BIGINT, "Natural key of the product."),
            Column("sku", STRING, "Stock keeping unit."),
            Column("product_name", STRING, "Product name."),
            Column("category", STRING, "Top-level category."),
            Column("subcategory", STRING, "Subcategory within the category."),
            Column("brand", STRING, "Brand."),
            Column("list_price_usd", MONEY, "List price in US dollars."),
            Column("unit_cost_usd", MONEY, "Unit cost in US dollars."),
            Column("is_active", BOOLEAN, "Whether the product can be ordered."),
            _UPDATED_AT,
        ),
        rules=(RowRule("negative_amount", "non_negative", ("list_price_usd", "unit_cost_usd")),),
    ),
    Table(
        "orders", "order_id",
        "An order placed that day, or a status change of an earlier order.",
        (
            Column("order_id", BIGINT, "Natural key of the order."),
            Column("customer_id", BIGINT, "The customer who placed the order."),
            Column("placed_at", TIMESTAMP, "When the order was placed (UTC)."),
            Column("status", STRING, "Status after this change.", domain=ORDER_STATUSES),
            Column("channel", STRING, "Where the order was placed.", domain=CHANNELS),
            Column("payment_method", STRING, "How the order is paid.", domain=PAYMENT_METHODS),
            Column("currency", STRING, "Currency of the amounts.", domain=CURRENCIES),
            _UPDATED_AT,
        ),
        references={"customer_id": ("customers", "unknown_customer")},
    ),
    Table(
        "order_items", "order_item_id",
        "A line of an order placed that day.",
        (
            Column("order_item_id", BIGINT, "Natural key of the order line."),
            Column("order_id", BIGINT, "The order the line belongs to."),
            Column("product_id", BIGINT, "The product sold."),
            Column("quantity", BIGINT, "Units sold."),
            Column("unit_price_usd", MONEY, "Price of one unit in US dollars."),
            Column("discount_usd", MONEY, "Discount on the line in US dollars."),
            Column("line_amount_usd", MONEY, "quantity x unit price - discount, US dollars."),
            _UPDATED_AT,
        ),
        rules=(
            RowRule("non_positive_quantity", "positive", ("quantity",)),
            RowRule("negative_amount", "non_negative", ("unit_price_usd", "discount_usd")),
            RowRule("inconsistent_line_amount", "line_amount",
                    ("line_amount_usd", "quantity", "unit_price_usd", "discount_usd")),
        ),
        references={"order_id": ("orders", "unknown_order"),
                    "product_id": ("products", "unknown_product")},
    ),
)  # fmt: skip

TABLE_NAMES = tuple(t.name for t in TABLES)
BY_NAME = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """The table called ``name`` (KeyError naming the known tables otherwise)."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"no table {name!r} in the contract: {', '.join(TABLE_NAMES)}") from None


# --- quarantine reasons ---------------------------------------------------------------

#: Where a reason is decided: the ETL job looks at one row (or one day) at a time; the
#: warehouse checks what needs other tables and earlier days.
ETL_JOB, WAREHOUSE = "etl_job", "warehouse"


@dataclass(frozen=True)
class Reason:
    """Why a row was rejected; ``stage`` is :data:`ETL_JOB` or :data:`WAREHOUSE`."""

    name: str
    stage: str
    description: str


#: Every quarantine reason in precedence order: a row gets the first one that applies.
REASONS: tuple[Reason, ...] = (
    Reason("invalid_utf8", ETL_JOB, "The line's bytes are not valid UTF-8."),
    Reason("malformed_line", ETL_JOB,
           "The line is not one CSV record of the table's columns (field count, quoting)."),
    Reason("missing_required", ETL_JOB, "A required column is empty."),
    Reason("bad_number", ETL_JOB, "An integer, money or boolean column does not parse."),
    Reason("bad_timestamp", ETL_JOB, "A timestamp is not a real YYYY-MM-DD HH:MM:SS."),
    Reason("bad_enum", ETL_JOB, "A coded column holds a value outside its domain."),
    Reason("non_positive_quantity", ETL_JOB, "quantity <= 0."),
    Reason("negative_amount", ETL_JOB, "A price, cost or discount is negative."),
    Reason("inconsistent_line_amount", ETL_JOB,
           "line_amount_usd != quantity x unit_price_usd - discount_usd."),
    Reason("duplicate_id", ETL_JOB,
           "A second copy of a row with the same id and updated_at in the same day."),
    Reason("unknown_customer", WAREHOUSE, "The order's customer was never loaded."),
    Reason("unknown_order", WAREHOUSE, "The line's order was never loaded (or was rejected)."),
    Reason("unknown_product", WAREHOUSE, "The line's product was never loaded."),
)
REASON_NAMES = tuple(r.name for r in REASONS)
ETL_JOB_REASONS = tuple(r.name for r in REASONS if r.stage == ETL_JOB)
WAREHOUSE_REASONS = tuple(r.name for r in REASONS if r.stage == WAREHOUSE)

#: The generator's bad-row kinds (always *extra* rows) and the reason each must get.
BAD_ROW_KIND_REASONS: dict[str, str] = {
    "malformed_line": "malformed_line",
    "missing_required": "missing_required",
    "negative_quantity": "non_positive_quantity",
    "unknown_customer": "unknown_customer",
    "unknown_product": "unknown_product",
    "duplicate_id": "duplicate_id",
    "bad_timestamp": "bad_timestamp",
    "invalid_utf8": "invalid_utf8",
}
BAD_ROW_KINDS = tuple(BAD_ROW_KIND_REASONS)

# --- the lake ----------------------------------------------------------------------------

BRONZE_PREFIX = "raw"
SILVER_PREFIX = "silver"
MANIFESTS = "_manifests"
QUARANTINE = "quarantine"
LOADS = "loads"
PARTITION_KEY = "dt"
BRONZE_FORMAT = "csv"


def day_folder(day: dt.date | str) -> str:
    """``dt=YYYY-MM-DD`` (the Hive-style partition folder every zone uses)."""
    return f"{PARTITION_KEY}={day if isinstance(day, str) else day.isoformat()}"


def bronze_prefix(table_name: str, day: dt.date | str, root: str = BRONZE_PREFIX) -> str:
    """Key prefix of a table's bronze day in the raw bucket: ``raw/<table>/dt=D/``."""
    return f"{root}/{table_name}/{day_folder(day)}/" if root else f"{table_name}/{day_folder(day)}/"


def bronze_file_name(table_name: str) -> str:
    """Name of the one file the landing code writes per table and day."""
    return f"{table_name}.{BRONZE_FORMAT}"


def manifest_key(day: dt.date | str, root: str = BRONZE_PREFIX) -> str:
    """Key of the generator's manifest of a day: ``raw/_manifests/dt=D/manifest.json``."""
    return bronze_prefix(MANIFESTS, day, root) + "manifest.json"


def silver_prefix(dataset: str, day: dt.date | str) -> str:
    """Key prefix of a silver dataset's day in the staging bucket: ``silver/<x>/dt=D/``."""
    return f"{SILVER_PREFIX}/{dataset}/{day_folder(day)}/"


def silver_file_name(dataset: str) -> str:
    """Name of the one Parquet file the ETL job writes per dataset and day."""
    return f"{dataset}.parquet"


# --- silver datasets ------------------------------------------------------------------

#: Columns every silver table row carries after the contract's own: where it came from.
LINEAGE_COLUMNS: tuple[Column, ...] = (
    Column("source_file", STRING, "Key of the bronze file in the raw bucket."),
    Column("line_number", BIGINT, "Physical line in that file (1 is the header)."),
    Column("load_id", STRING,
           "Id of the day's load of this table: changes when the bronze file or the "
           "contract changes, so the warehouse knows what to (re)process."),
)

QUARANTINE_COLUMNS: tuple[Column, ...] = (
    Column("source_table", STRING, "The table the line belongs to."),
    Column("quarantine_reason", STRING, "The first failed check, in precedence order.",
           domain=ETL_JOB_REASONS),
    Column("source_file", STRING, "Key of the bronze file in the raw bucket."),
    Column("line_number", BIGINT, "Physical line in that file (1 is the header)."),
    Column("raw_line", STRING,
           "The line as read, lossless: its text when it is valid UTF-8 (every reason "
           "but invalid_utf8); for invalid_utf8 the bytes with each backslash as \\\\ "
           "and each byte of an invalid sequence as \\xNN."),
    Column("record_id", STRING, "The line's id field as text, when it has one.",
           required=False),
)


def loads_columns() -> tuple[Column, ...]:
    """Columns of ``silver/loads``: one row per table and day."""
    return (
        Column("source_table", STRING, "The table."),
        Column("load_id", STRING, "Id of this load (see the silver tables' load_id)."),
        Column("contract_version", STRING, "The contract the job applied."),
        Column("source_files", STRING, "Keys of the bronze files read, comma-separated."),
        Column("source_bytes", BIGINT, "Bytes read."),
        Column("source_sha256", STRING, "SHA-256 over the files read, in name order."),
        Column("rows_read", BIGINT, "Data lines read (the header excluded)."),
        Column("rows_written", BIGINT, "Rows written to the silver table."),
        Column("rows_quarantined", BIGINT, "Rows written to silver/quarantine."),
        *(Column(f"quarantined_{reason}", BIGINT, f"Rows quarantined as {reason}.")
          for reason in ETL_JOB_REASONS),
    )


LOADS_COLUMNS = loads_columns()


def silver_columns(table_name: str) -> tuple[Column, ...]:
    """Columns of a silver dataset's files (the ``dt`` partition is not in the files)."""
    if table_name == QUARANTINE:
        return QUARANTINE_COLUMNS
    if table_name == LOADS:
        return LOADS_COLUMNS
    return (*table(table_name).columns, *LINEAGE_COLUMNS)


SILVER_DATASETS = (*TABLE_NAMES, QUARANTINE, LOADS)


def _manifest_table_type() -> str:
    kinds = ",".join(f"{kind}:bigint" for kind in BAD_ROW_KINDS)
    entry = (f"struct<file:string,rows:bigint,good_rows:bigint,bad_rows:struct<{kinds}>,"
             f"bytes:bigint,sha256:string>")
    return "struct<" + ",".join(f"{name}:{entry}" for name in TABLE_NAMES) + ">"


#: The part of the generator's manifest (one JSON object per day) the warehouse reads,
#: as Glue column types: Terraform declares the ``manifests`` catalog table with them.
MANIFEST_COLUMNS: tuple[dict[str, str], ...] = (
    {"name": "day", "type": "string", "description": "The day, YYYY-MM-DD."},
    {"name": "tables", "type": _manifest_table_type(),
     "description": "Per table: the file, its rows, good rows, bad rows per kind, bytes, SHA-256."},
    {"name": "order_items_line_amount_usd", "type": "string",
     "description": "Sum of the good order lines' line_amount_usd, an exact decimal as text."},
    {"name": "bad_rows_total", "type": "bigint",
     "description": "Bad rows of every table and kind."},
)


# --- export -------------------------------------------------------------------------------


def _column_json(column: Column) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": column.name, "type": column.type,
                           "description": column.description, "required": column.required}
    if column.domain is not None:
        doc["domain"] = list(column.domain)
    return doc


def as_json() -> dict[str, Any]:
    """The whole contract as plain JSON (what Terraform and the docs read)."""
    return {
        "contract_version": CONTRACT_VERSION,
        "partition_key": PARTITION_KEY,
        "lake": {"bronze_prefix": BRONZE_PREFIX, "silver_prefix": SILVER_PREFIX,
                 "manifests": MANIFESTS, "quarantine": QUARANTINE, "loads": LOADS},
        "tables": [
            {"name": t.name, "key": t.key, "description": t.description,
             "columns": [_column_json(c) for c in t.columns],
             "rules": [{"reason": r.reason, "kind": r.kind, "columns": list(r.columns)}
                       for r in t.rules],
             "references": {col: {"table": ref, "reason": reason}
                            for col, (ref, reason) in t.references.items()}}
            for t in TABLES
        ],
        "silver_datasets": {name: [_column_json(c) for c in silver_columns(name)]
                            for name in SILVER_DATASETS},
        "manifest_columns": list(MANIFEST_COLUMNS),
        "reasons": [{"name": r.name, "stage": r.stage, "description": r.description}
                    for r in REASONS],
        "bad_row_kinds": BAD_ROW_KIND_REASONS,
    }


def as_json_text() -> str:
    """:func:`as_json` as stable, reviewable text."""
    return json.dumps(as_json(), indent=2, sort_keys=False) + "\n"


if __name__ == "__main__":  # python -m ecommerce_dwh.contract write|check
    from ecommerce_dwh.contract_files import main

    raise SystemExit(main())
