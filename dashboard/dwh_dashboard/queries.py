"""Every SQL statement of the dashboard, one function per query.

Portable between DuckDB and Redshift: standard SQL only (CTEs, ``cast``, ``coalesce``,
``case``, ``least``, ``floor``, date minus date = days), ``?`` placeholders, no ``%``.
Values that cannot be bound (a LIMIT) are validated integers formatted in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .warehouse import Query

FACT = "marts.fact_order_items"
DIM_CUSTOMERS = "marts.dim_customers"
DIM_PRODUCTS = "marts.dim_products"
DIM_DATE = "marts.dim_date"
RPT_REVENUE = "marts.rpt_daily_revenue_by_category"
RPT_CLV = "marts.rpt_customer_lifetime_value"
QUARANTINE = "audit.audit_quarantined_rows"
LOAD_RECON = "audit.audit_load_reconciliation"
FACT_RECON = "audit.audit_fact_reconciliation"

#: Buckets of the lifetime-value histogram.
LTV_BUCKETS = 30


def _in_list(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


# --- Revenue -----------------------------------------------------------------------


def revenue_bounds() -> Query:
    """First and last order day of the revenue report."""
    return Query(
        "revenue date range",
        f"select min(order_date) as first_day, max(order_date) as last_day, count(*) as n_rows\n"
        f"from {RPT_REVENUE}",
    )


def revenue_categories() -> Query:
    """Every category of the revenue report."""
    return Query(
        "categories",
        f"select distinct category from {RPT_REVENUE} order by category",
    )


def _revenue_filter(start: dt.date, end: dt.date, categories: Sequence[str]) -> tuple[str, tuple]:
    where = (
        "where order_date >= ? and order_date <= ?\n"
        f"  and category in ({_in_list(categories)})"
    )
    return where, (start, end, *categories)


def revenue_totals(start: dt.date, end: dt.date, categories: Sequence[str]) -> Query:
    """Sums over the selected days and categories (the metrics above the charts)."""
    where, params = _revenue_filter(start, end, categories)
    return Query(
        "revenue totals",
        "select\n"
        "  coalesce(sum(gross_revenue_usd), 0) as gross_revenue_usd,\n"
        "  coalesce(sum(net_revenue_usd), 0) as net_revenue_usd,\n"
        "  coalesce(sum(discount_usd), 0) as discount_usd,\n"
        "  coalesce(sum(units_sold), 0) as units_sold,\n"
        "  coalesce(sum(order_item_count), 0) as order_item_count\n"
        f"from {RPT_REVENUE}\n{where}",
        params,
    )


def revenue_daily(start: dt.date, end: dt.date, categories: Sequence[str]) -> Query:
    """Gross and net revenue per day and category."""
    where, params = _revenue_filter(start, end, categories)
    return Query(
        "revenue by day and category",
        "select order_date, category, weekday_name, is_holiday,\n"
        "  gross_revenue_usd, net_revenue_usd, units_sold\n"
        f"from {RPT_REVENUE}\n{where}\n"
        "order by order_date, category",
        params,
    )


# --- Customers ---------------------------------------------------------------------


def customer_summary() -> Query:
    """Counts for the metrics of the customers page."""
    return Query(
        "customer counts",
        "select\n"
        "  count(*) as customers,\n"
        "  sum(case when order_count > 0 then 1 else 0 end) as customers_with_orders,\n"
        "  sum(case when order_count > 1 then 1 else 0 end) as repeat_customers,\n"
        "  avg(case when order_count > 0 then net_revenue_usd end) as avg_net_ltv_usd\n"
        f"from {RPT_CLV}",
    )


def ltv_histogram() -> Query:
    """Customers with orders per bucket of net lifetime value (binned in the warehouse,
    so the chart carries 30 rows whatever the number of customers)."""
    return Query(
        "lifetime value histogram",
        "with clv as (\n"
        "  select cast(net_revenue_usd as double precision) as ltv\n"
        f"  from {RPT_CLV}\n"
        "  where order_count > 0\n"
        "),\n"
        "bounds as (\n"
        "  select min(ltv) as lo, max(ltv) as hi from clv\n"
        "),\n"
        "bucketed as (\n"
        f"  select least(coalesce(cast(floor((clv.ltv - bounds.lo) * {LTV_BUCKETS}\n"
        f"      / nullif(bounds.hi - bounds.lo, 0)) as integer), 0), {LTV_BUCKETS - 1})\n"
        "    as bucket,\n"
        "    bounds.lo, bounds.hi\n"
        "  from clv cross join bounds\n"
        ")\n"
        "select bucket, min(lo) as lo, min(hi) as hi, count(*) as customers\n"
        "from bucketed\n"
        "group by bucket\n"
        "order by bucket",
    )


def top_customers(limit: int = 20) -> Query:
    """The customers with the highest net lifetime value."""
    limit = int(limit)
    if not 1 <= limit <= 1000:
        raise ValueError(f"limit {limit} out of 1..1000")
    return Query(
        "top customers",
        "select customer_id, segment, state, order_count,\n"
        "  net_revenue_usd, gross_revenue_usd, average_order_value_usd,\n"
        "  first_order_at, last_order_at\n"
        f"from {RPT_CLV}\n"
        "where order_count > 0\n"
        "order by net_revenue_usd desc, customer_id\n"
        f"limit {limit}",
    )


def new_vs_returning() -> Query:
    """Per order day: customers on their first order day (new) and the others."""
    return Query(
        "new vs returning customers by day",
        "with customer_days as (\n"
        "  select distinct c.customer_id, cast(f.placed_at as date) as order_day\n"
        f"  from {FACT} as f\n"
        f"  inner join {DIM_CUSTOMERS} as c on c.customer_sk = f.customer_sk\n"
        "),\n"
        "first_days as (\n"
        "  select customer_id, min(order_day) as first_day\n"
        "  from customer_days\n"
        "  group by customer_id\n"
        ")\n"
        "select d.order_day,\n"
        "  sum(case when d.order_day = fd.first_day then 1 else 0 end) as new_customers,\n"
        "  sum(case when d.order_day > fd.first_day then 1 else 0 end) as returning_customers\n"
        "from customer_days as d\n"
        "inner join first_days as fd on fd.customer_id = d.customer_id\n"
        "group by d.order_day\n"
        "order by d.order_day",
    )


# --- Orders ------------------------------------------------------------------------

#: One row per order: every line of an order carries the order's status and times.
_ORDERS_CTE = (
    "with orders as (\n"
    "  select order_id,\n"
    "    max(order_status) as order_status,\n"
    "    min(placed_at) as placed_at,\n"
    "    max(order_updated_at) as order_updated_at\n"
    f"  from {FACT}\n"
    "  group by order_id\n"
    ")\n"
)


def order_lifecycle() -> Query:
    """Orders per order day, current status and days from the order day to the day that
    status was written: one pass over the fact feeds the funnel, the late updates and the
    status mix (ui sums it up in pandas; a few thousand rows at most)."""
    return Query(
        "orders by day, status and days to the status",
        _ORDERS_CTE
        + "select cast(placed_at as date) as order_day, order_status,\n"
        "  cast(order_updated_at as date) - cast(placed_at as date) as days_after_order_day,\n"
        "  count(*) as orders\n"
        "from orders\n"
        "group by cast(placed_at as date), order_status,\n"
        "  cast(order_updated_at as date) - cast(placed_at as date)\n"
        "order by order_day, order_status, days_after_order_day",
    )


# --- History (SCD2) ----------------------------------------------------------------

#: Per entity: its dimension, natural key, surrogate key and the attributes to show.
ENTITIES = {
    "customer": (
        DIM_CUSTOMERS, "customer_id", "customer_sk",
        ("segment", "state", "city", "postal_code", "email"),
    ),
    "product": (
        DIM_PRODUCTS, "product_id", "product_sk",
        ("category", "list_price_usd", "unit_cost_usd", "is_active", "product_name"),
    ),
}


def _entity(entity: str) -> tuple[str, str, str, tuple[str, ...]]:
    if entity not in ENTITIES:
        raise ValueError(f"entity {entity!r} is not one of {', '.join(ENTITIES)}")
    return ENTITIES[entity]


def most_versioned(entity: str, limit: int = 50) -> Query:
    """The picker's suggestions: first the ids whose orders fall under the most distinct
    versions (the point-in-time join is visible there), then the most versions."""
    table, key, sk, _ = _entity(entity)
    limit = int(limit)
    return Query(
        f"{entity}s with the most versions",
        "with version_counts as (\n"
        f"  select {key} as entity_id, count(*) as versions\n"
        f"  from {table}\n"
        f"  group by {key}\n"
        "),\n"
        "ordered_versions as (\n"
        f"  select {key} as entity_id, count(distinct {sk}) as versions_with_orders\n"
        f"  from {FACT}\n"
        f"  group by {key}\n"
        ")\n"
        "select v.entity_id, v.versions,\n"
        "  coalesce(o.versions_with_orders, 0) as versions_with_orders\n"
        "from version_counts as v\n"
        "left join ordered_versions as o on o.entity_id = v.entity_id\n"
        "order by versions_with_orders desc, v.versions desc, v.entity_id\n"
        f"limit {limit}",
    )


def versions(entity: str, entity_id: int) -> Query:
    """Every SCD2 version of one customer or product."""
    table, key, sk, attributes = _entity(entity)
    return Query(
        f"{entity} versions",
        f"select {sk} as version_sk, valid_from, valid_to, is_current,\n"
        f"  {', '.join(attributes)}\n"
        f"from {table}\n"
        f"where {key} = ?\n"
        "order by valid_from",
        (int(entity_id),),
    )


def entity_orders(entity: str, entity_id: int) -> Query:
    """The orders of one customer or product, with the version the fact points at."""
    _, key, sk, _ = _entity(entity)
    return Query(
        f"orders of the {entity}",
        f"select order_id, {sk} as version_sk, min(placed_at) as placed_at,\n"
        "  count(*) as order_lines, sum(quantity) as units,\n"
        "  sum(line_amount_usd) as line_amount_usd, max(unit_price_usd) as unit_price_usd\n"
        f"from {FACT}\n"
        f"where {key} = ?\n"
        f"group by order_id, {sk}\n"
        "order by placed_at, order_id",
        (int(entity_id),),
    )


def last_day_of_data(entity: str) -> Query:
    """The latest timestamp in the fact and the dimension: the open version ends there."""
    table, _, _, _ = _entity(entity)
    return Query(
        "last day of data",
        f"select (select max(placed_at) from {FACT}) as last_placed_at,\n"
        f"  (select max(valid_from) from {table}) as last_valid_from",
    )


# --- Data quality ------------------------------------------------------------------


def quarantine_by_day() -> Query:
    """Quarantined rows per table, reason, rejecting stage and load day."""
    return Query(
        "quarantined rows by table, reason and day",
        "select source_table, quarantine_reason, rejected_by, load_date, count(*) as n_rows\n"
        f"from {QUARANTINE}\n"
        "group by source_table, quarantine_reason, rejected_by, load_date\n"
        "order by load_date, source_table, quarantine_reason",
    )


def quarantine_sample(tables: Sequence[str], limit: int = 50) -> Query:
    """The latest quarantined raw lines of the chosen tables."""
    limit = int(limit)
    return Query(
        "sample of quarantined raw lines",
        "select load_date, source_table, quarantine_reason, rejected_by,\n"
        "  source_file, line_number, record_id, raw_line\n"
        f"from {QUARANTINE}\n"
        f"where source_table in ({_in_list(tables)})\n"
        "order by load_date desc, source_table, source_file, line_number\n"
        f"limit {limit}",
        tuple(tables),
    )


def load_reconciliation() -> Query:
    """Each (table, load day) against the generator's manifest, with the verdict."""
    return Query(
        "load reconciliation",
        "select source_table, load_date,\n"
        "  manifest_rows, rows_read, manifest_good_rows, rows_loaded,\n"
        "  manifest_bad_rows, rows_quarantined, rows_rejected, rows_written,\n"
        "  case when rows_read = manifest_rows\n"
        "        and rows_loaded = manifest_good_rows\n"
        "        and rows_quarantined + rows_rejected = manifest_bad_rows\n"
        "    then 1 else 0 end as is_reconciled\n"
        f"from {LOAD_RECON}\n"
        "order by load_date, source_table",
    )


def fact_reconciliation() -> Query:
    """The fact against the manifests: rows and amounts."""
    return Query(
        "fact reconciliation",
        "select manifest_rows, manifest_good_rows, quarantined_rows,\n"
        "  expected_fact_rows, fact_rows,\n"
        "  manifest_line_amount_usd, fact_line_amount_usd\n"
        f"from {FACT_RECON}",
    )


def last_loads() -> Query:
    """The last load day per table, with what that load brought."""
    return Query(
        "last load per table",
        "with last_days as (\n"
        "  select source_table, max(load_date) as last_load_date\n"
        f"  from {LOAD_RECON}\n"
        "  group by source_table\n"
        ")\n"
        "select r.source_table, r.load_date as last_load_date,\n"
        "  r.rows_read, r.rows_loaded, r.rows_quarantined + r.rows_rejected as bad_rows\n"
        f"from {LOAD_RECON} as r\n"
        "inner join last_days as l\n"
        "  on l.source_table = r.source_table and l.last_load_date = r.load_date\n"
        "order by r.source_table",
    )
