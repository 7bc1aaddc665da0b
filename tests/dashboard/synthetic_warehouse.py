"""A synthetic warehouse for the dashboard's tests and benchmark: a real DuckDB file with
the exact schemas of the marts (include/dbt/models/marts/*/_*__models.yml) and of the
audit tables the dashboard reads.

* :func:`build_small` writes a few hundred hand-made rows (deterministic, from a seed)
  and returns them as Python objects, so that tests compute the expected figures on
  their own, without the SQL of the dashboard or of this builder.
* :func:`build_large` generates ``fact_rows`` order lines in SQL (for the benchmark).

Both derive ``rpt_daily_revenue_by_category`` and ``rpt_customer_lifetime_value`` from the
fact and the dimensions, as dbt does. Only ``duckdb`` is needed (no pandas), so the main
venv and .venv-dashboard can both build it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

OPEN_END = dt.datetime(9999, 12, 31)
STATUSES = ("placed", "paid", "shipped", "delivered", "cancelled", "returned")
NON_REVENUE = ("cancelled", "returned")
CATEGORIES = ("Apparel", "Books", "Electronics", "Garden", "Toys")
RAW_TABLES = ("customers", "products", "orders", "order_items")

DDL = """
create schema if not exists marts;
create schema if not exists audit;
create or replace table marts.dim_date (
  date_key integer not null, date_day date, year_number integer, quarter_number integer,
  month_number integer, month_name varchar, day_of_month integer, day_of_week_number integer,
  weekday_name varchar, iso_week_number integer, is_weekend boolean, is_holiday boolean,
  holiday_name varchar
);
create or replace table marts.dim_customers (
  customer_sk varchar not null, customer_id bigint not null, first_name varchar,
  last_name varchar, email varchar, phone varchar, street varchar, city varchar,
  state varchar, postal_code varchar, country varchar, segment varchar,
  signup_at timestamp, valid_from timestamp not null, valid_to timestamp not null,
  is_current boolean
);
create or replace table marts.dim_products (
  product_sk varchar not null, product_id bigint not null, sku varchar, product_name varchar,
  category varchar, subcategory varchar, brand varchar, list_price_usd decimal(12,2),
  unit_cost_usd decimal(12,2), is_active boolean, valid_from timestamp not null,
  valid_to timestamp not null, is_current boolean
);
create or replace table marts.fact_order_items (
  order_item_id bigint not null, order_id bigint, customer_sk varchar, product_sk varchar,
  order_date_key integer, customer_id bigint, product_id bigint, placed_at timestamp,
  order_status varchar, channel varchar, payment_method varchar, quantity integer,
  unit_price_usd decimal(12,2), discount_usd decimal(12,2), line_amount_usd decimal(12,2),
  order_updated_at timestamp, updated_at timestamp
);
create or replace table marts.rpt_daily_revenue_by_category (
  order_date date, order_date_key integer, category varchar, weekday_name varchar,
  is_holiday boolean, order_count bigint, order_item_count bigint, units_sold bigint,
  gross_revenue_usd decimal(18,2), discount_usd decimal(18,2), net_revenue_usd decimal(18,2)
);
create or replace table marts.rpt_customer_lifetime_value (
  customer_id bigint, current_customer_sk varchar, segment varchar, state varchar,
  signup_at timestamp, order_count bigint, first_order_at timestamp, last_order_at timestamp,
  gross_revenue_usd decimal(18,2), net_revenue_usd decimal(18,2),
  average_order_value_usd decimal(18,2)
);
create or replace table audit.audit_quarantined_rows (
  source_table varchar, quarantine_reason varchar, rejected_by varchar, load_date date,
  source_file varchar, line_number bigint, raw_line varchar, record_id varchar
);
create or replace table audit.audit_load_reconciliation (
  source_table varchar, load_date date, manifest_rows bigint, manifest_good_rows bigint,
  manifest_bad_rows bigint, rows_read bigint, rows_written bigint, rows_quarantined bigint,
  rows_rejected bigint, rows_loaded bigint
);
create or replace table audit.audit_fact_reconciliation (
  manifest_rows bigint, manifest_good_rows bigint, quarantined_rows bigint,
  expected_fact_rows bigint, fact_rows bigint, manifest_line_amount_usd decimal(18,2),
  fact_line_amount_usd decimal(18,2)
);
"""

#: The two reports, derived from the fact and the dimensions like the dbt models.
REPORTS = """
insert into marts.rpt_daily_revenue_by_category
select d.date_day, f.order_date_key, p.category, d.weekday_name, d.is_holiday,
  count(distinct f.order_id), count(*), sum(f.quantity),
  sum(f.line_amount_usd), sum(f.discount_usd),
  sum(case when f.order_status in ('cancelled', 'returned') then 0 else f.line_amount_usd end)
from marts.fact_order_items f
join marts.dim_products p on p.product_sk = f.product_sk
join marts.dim_date d on d.date_key = f.order_date_key
group by all;

insert into marts.rpt_customer_lifetime_value
with lines as (
  select customer_id, order_id, placed_at, line_amount_usd,
    case when order_status in ('cancelled', 'returned') then 0 else line_amount_usd end as net
  from marts.fact_order_items
)
select c.customer_id, c.customer_sk, c.segment, c.state, c.signup_at,
  count(distinct l.order_id), min(l.placed_at), max(l.placed_at),
  coalesce(sum(l.line_amount_usd), 0), coalesce(sum(l.net), 0),
  cast(sum(l.net) / nullif(count(distinct l.order_id), 0) as decimal(18,2))
from marts.dim_customers c
left join lines l on l.customer_id = c.customer_id
where c.is_current
group by all;
"""


def _dim_date_sql(first: dt.date, days: int) -> str:
    return f"""
insert into marts.dim_date
select cast(strftime(d, '%Y%m%d') as integer), d, year(d), quarter(d), month(d),
  monthname(d), day(d), dayofweek(d), dayname(d), weekofyear(d), dayofweek(d) in (0, 6),
  (month(d) = 1 and day(d) = 1), case when month(d) = 1 and day(d) = 1 then 'New Year''s Day' end
from (select cast(range as date) as d
      from range(date '{first.isoformat()}', date '{first.isoformat()}' + interval {days} day,
                 interval 1 day))
"""


@dataclass
class Version:
    """One SCD2 version (customer or product)."""

    sk: str
    entity_id: int
    valid_from: dt.datetime
    valid_to: dt.datetime
    attrs: dict[str, object]

    @property
    def is_current(self) -> bool:
        return self.valid_to == OPEN_END


@dataclass
class Line:
    """One fact row."""

    order_item_id: int
    order_id: int
    customer_sk: str
    product_sk: str
    customer_id: int
    product_id: int
    placed_at: dt.datetime
    order_status: str
    quantity: int
    unit_price_usd: Decimal
    discount_usd: Decimal
    order_updated_at: dt.datetime
    category: str

    @property
    def line_amount_usd(self) -> Decimal:
        return self.quantity * self.unit_price_usd - self.discount_usd

    @property
    def is_revenue(self) -> bool:
        return self.order_status not in NON_REVENUE


@dataclass
class SmallWarehouse:
    """What :func:`build_small` wrote, as Python objects for independent expectations."""

    path: Path
    first_day: dt.date
    days: int
    customers: list[Version] = field(default_factory=list)
    products: list[Version] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    quarantined: list[tuple] = field(default_factory=list)
    reconciliation: list[tuple] = field(default_factory=list)

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=self.days - 1)


def _versions(rng: random.Random, entity_id: int, start: dt.datetime, end: dt.datetime,
              n: int, midnight: bool, prefix: str) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """``n`` contiguous half-open windows from ``start``; the last is open."""
    span = (end - start).total_seconds()
    cuts = sorted(rng.uniform(0.1, 0.9) * span for _ in range(n - 1))
    starts = [start] + [start + dt.timedelta(seconds=c) for c in cuts]
    if midnight:  # product changes take effect at 00:00 of the day (the dbt model's rule)
        starts = [s.replace(hour=0, minute=0, second=0, microsecond=0) for s in starts]
        starts = sorted(set(starts))
    else:
        starts = [s.replace(microsecond=0) for s in starts]
    ends = starts[1:] + [OPEN_END]
    return [(f"{prefix}{entity_id}-v{i + 1}", s, e) for i, (s, e) in enumerate(zip(starts, ends,
                                                                                   strict=True))]


def build_small(path: Path, seed: int = 7, first_day: dt.date = dt.date(2024, 1, 1),
                days: int = 14, n_customers: int = 60, n_products: int = 25) -> SmallWarehouse:
    """Write a small warehouse with hand-made rows; return them."""
    rng = random.Random(seed)
    wh = SmallWarehouse(path=path, first_day=first_day, days=days)
    t0 = dt.datetime.combine(first_day, dt.time())
    t_end = t0 + dt.timedelta(days=days)
    segments = ("consumer", "small_business", "corporate")
    states = ("CA", "NY", "TX", "WA", "OH")
    for cid in range(1, n_customers + 1):
        n = 1 + (cid % 4 == 0) + (cid % 12 == 0)  # a quarter have 2 versions, some 3
        for sk, start, end in _versions(rng, cid, t0, t_end, n, False, "c"):
            wh.customers.append(Version(sk, cid, start, end, {
                "segment": rng.choice(segments), "state": rng.choice(states),
                "city": rng.choice(("Springfield", "Riverside", "Franklin")),
                "email": f"customer{cid}@example.com"}))
    for pid in range(1, n_products + 1):
        category = CATEGORIES[(pid - 1) % len(CATEGORIES)]
        n = 1 + (pid % 3 == 0) + (pid % 6 == 0)
        price = Decimal(rng.randrange(500, 20000)) / 100
        for sk, start, end in _versions(rng, pid, t0, t_end, n, True, "p"):
            wh.products.append(Version(sk, pid, start, end, {
                "category": category, "list_price_usd": price,
                "unit_cost_usd": (price * Decimal("0.6")).quantize(Decimal("0.01")),
                "is_active": True, "product_name": f"{category} item {pid}"}))
            price = (price * Decimal(str(rng.choice((0.9, 1.1, 1.25))))).quantize(Decimal("0.01"))

    def version_at(versions: list[Version], entity_id: int, at: dt.datetime) -> Version:
        return next(v for v in versions
                    if v.entity_id == entity_id and v.valid_from <= at < v.valid_to)

    item_id = 0
    order_id = 1000
    for day in range(days):
        for _ in range(rng.randint(8, 20)):
            order_id += 1
            placed = t0 + dt.timedelta(days=day, seconds=rng.randrange(0, 86400))
            age = days - 1 - day
            status = rng.choices(STATUSES, weights=(
                3 if age < 2 else 0.3, 3 if age < 4 else 0.5, 2, 4 if age > 2 else 0.2, 1,
                1 if age > 3 else 0))[0]
            delay = 0 if status == "placed" else min(rng.randint(0, 5), age)
            updated = placed + dt.timedelta(days=delay, hours=rng.randint(0, 3))
            cid = rng.randint(1, n_customers - 3)  # the last three never order
            customer = version_at(wh.customers, cid, placed)
            for _ in range(rng.randint(1, 3)):
                item_id += 1
                pid = rng.randint(1, n_products)
                product = version_at(wh.products, pid, placed)
                quantity = rng.randint(1, 4)
                price = product.attrs["list_price_usd"]
                discount = (quantity * price * Decimal("0.1")).quantize(Decimal("0.01")) \
                    if rng.random() < 0.25 else Decimal("0.00")
                wh.lines.append(Line(item_id, order_id, customer.sk, product.sk, cid, pid, placed,
                                     status, quantity, price, discount, updated,
                                     str(product.attrs["category"])))
    reasons = {"customers": ("invalid_email", "missing_required_field"),
               "products": ("negative_price",),
               "orders": ("unknown_status", "bad_timestamp"),
               "order_items": ("non_positive_quantity", "orphan_order")}
    for day in range(days):
        load_date = first_day + dt.timedelta(days=day)
        for table in RAW_TABLES:
            bad = rng.choice((0, 0, 1, 2))
            quarantined = 0
            for k in range(bad):
                by = "warehouse" if (table == "order_items" and k == 1) else "etl_job"
                quarantined += by == "etl_job"
                wh.quarantined.append((
                    table, rng.choice(reasons[table]), by, load_date,
                    f"raw/{table}/dt={load_date.isoformat()}/{table}.csv", 2 + k * 7,
                    None if by == "warehouse" else f"{k},bad value,{table}", f"{table}-{k}"))
            good = rng.randint(10, 40)
            wh.reconciliation.append((table, load_date, good + bad, good, bad, good + bad,
                                      good + (bad - quarantined), quarantined, bad - quarantined,
                                      good))
    _write_small(wh)
    return wh


def _write_small(wh: SmallWarehouse) -> None:
    wh.path.parent.mkdir(parents=True, exist_ok=True)
    wh.path.unlink(missing_ok=True)
    con = duckdb.connect(str(wh.path))
    try:
        con.execute(DDL)
        con.execute(_dim_date_sql(wh.first_day, wh.days + 30))
        con.executemany(
            "insert into marts.dim_customers values (?, ?, ?, ?, ?, null, '1 Main St', ?, ?, "
            "'00501', 'US', ?, ?, ?, ?, ?)",
            [(v.sk, v.entity_id, f"First{v.entity_id}", f"Last{v.entity_id}", v.attrs["email"],
              v.attrs["city"], v.attrs["state"], v.attrs["segment"],
              dt.datetime.combine(wh.first_day, dt.time()), v.valid_from, v.valid_to,
              v.is_current) for v in wh.customers])
        con.executemany(
            "insert into marts.dim_products values (?, ?, ?, ?, ?, 'General', 'Acme', ?, ?, ?, "
            "?, ?, ?)",
            [(v.sk, v.entity_id, f"SKU-{v.entity_id:05d}", v.attrs["product_name"],
              v.attrs["category"], v.attrs["list_price_usd"], v.attrs["unit_cost_usd"],
              v.attrs["is_active"], v.valid_from, v.valid_to, v.is_current)
             for v in wh.products])
        con.executemany(
            "insert into marts.fact_order_items values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'web', "
            "'credit_card', ?, ?, ?, ?, ?, ?)",
            [(ln.order_item_id, ln.order_id, ln.customer_sk, ln.product_sk,
              int(ln.placed_at.strftime("%Y%m%d")), ln.customer_id, ln.product_id, ln.placed_at,
              ln.order_status, ln.quantity, ln.unit_price_usd, ln.discount_usd,
              ln.line_amount_usd, ln.order_updated_at, ln.order_updated_at) for ln in wh.lines])
        con.execute(REPORTS)
        con.executemany("insert into audit.audit_quarantined_rows values (?, ?, ?, ?, ?, ?, ?, ?)",
                        wh.quarantined)
        con.executemany(
            "insert into audit.audit_load_reconciliation values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            wh.reconciliation)
        bad_items = sum(1 for q in wh.quarantined if q[0] == "order_items")
        amount = sum((ln.line_amount_usd for ln in wh.lines), Decimal("0"))
        con.execute("insert into audit.audit_fact_reconciliation values (?, ?, ?, ?, ?, ?, ?)",
                    [len(wh.lines) + bad_items, len(wh.lines), bad_items, len(wh.lines),
                     len(wh.lines), amount, amount])
    finally:
        con.close()


def build_empty(path: Path) -> Path:
    """Every table with its schema and no rows (a warehouse before its first load)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
    finally:
        con.close()
    return path


def build_large(path: Path, fact_rows: int = 1_000_000, days: int = 90,
                customers: int = 100_000, products: int = 2_000, seed: float = 0.42) -> Path:
    """Generate ``fact_rows`` order lines (about 2 per order) and everything around them in
    SQL: synthetic data with the exact schemas, for the benchmark."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    first = dt.date(2024, 1, 1)
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        con.execute(f"select setseed({seed})")
        con.execute(_dim_date_sql(first, days + 30))
        t0 = f"timestamp '{first.isoformat()} 00:00:00'"
        # Customers: every 5th has a second version from a random moment of the range.
        con.execute(f"""
create temp table cust as
select range + 1 as customer_id,
  case when range % 5 = 0 then {t0} + to_seconds(cast(random() * {days} * 86400 as bigint))
  end as change_at
from range({customers})""")
        con.execute(f"""
insert into marts.dim_customers
select 'c' || customer_id || '-v' || v, customer_id, 'First', 'Last',
  'c' || customer_id || '@example.com', null, '1 Main St', 'Springfield',
  ['CA', 'NY', 'TX', 'WA', 'OH'][1 + (customer_id + v) % 5], '00501', 'US',
  ['consumer', 'small_business', 'corporate'][1 + (customer_id + v) % 3], {t0},
  case when v = 1 then {t0} else change_at end,
  case when v = 1 and change_at is not null then change_at else timestamp '9999-12-31' end,
  v = 2 or change_at is null
from cust, (select unnest([1, 2]) as v)
where v = 1 or change_at is not null""")
        con.execute(f"""
create temp table prod as
select range + 1 as product_id,
  ['Apparel', 'Books', 'Electronics', 'Garden', 'Toys', 'Beauty', 'Sports', 'Home'][1 + range % 8]
    as category,
  cast(5 + random() * 195 as decimal(12,2)) as price,
  case when range % 4 = 0 then {t0} + to_days(cast(1 + random() * ({days} - 2) as integer))
  end as change_at
from range({products})""")
        con.execute(f"""
insert into marts.dim_products
select 'p' || product_id || '-v' || v, product_id, 'SKU-' || product_id,
  category || ' item ' || product_id, category, 'General', 'Acme',
  case when v = 1 then price else cast(price * 1.1 as decimal(12,2)) end,
  cast(price * 0.6 as decimal(12,2)), true,
  case when v = 1 then {t0} else change_at end,
  case when v = 1 and change_at is not null then change_at else timestamp '9999-12-31' end,
  v = 2 or change_at is null
from prod, (select unnest([1, 2]) as v)
where v = 1 or change_at is not null""")
        con.execute(f"""
create temp table lines as
select range + 1 as order_item_id, 1000000 + range // 2 as order_id,
  {t0} + to_seconds(cast(((range // 2) * {days} * 86400.0) / ({fact_rows} / 2 + 1) as bigint))
    as placed_at,
  1 + cast(hash(range // 2) % {customers} as bigint) as customer_id,
  1 + cast(hash(range * 7919) % {products} as bigint) as product_id,
  1 + cast(random() * 3 as integer) as quantity,
  hash(range // 2) % 100 as status_roll,
  cast(hash((range // 2) * 31) % 6 as integer) as delay_days
from range({fact_rows})""")
        con.execute(f"""
insert into marts.fact_order_items
with priced as (
  select l.*, c.customer_sk, p.product_sk, p.list_price_usd,
    case when status_roll < 8 then 'cancelled' when status_roll < 12 then 'returned'
         when status_roll < 20 then 'placed' when status_roll < 35 then 'paid'
         when status_roll < 55 then 'shipped' else 'delivered' end as order_status
  from lines l
  join marts.dim_customers c
    on c.customer_id = l.customer_id and l.placed_at >= c.valid_from and l.placed_at < c.valid_to
  join marts.dim_products p
    on p.product_id = l.product_id and l.placed_at >= p.valid_from and l.placed_at < p.valid_to
)
select order_item_id, order_id, customer_sk, product_sk,
  cast(strftime(placed_at, '%Y%m%d') as integer), customer_id, product_id, placed_at,
  order_status, 'web', 'credit_card', quantity, list_price_usd,
  cast(case when order_item_id % 4 = 0 then quantity * list_price_usd * 0.1 else 0 end
       as decimal(12,2)),
  cast(quantity * list_price_usd
       - case when order_item_id % 4 = 0 then quantity * list_price_usd * 0.1 else 0 end
       as decimal(12,2)),
  least(placed_at + to_days(case when order_status = 'placed' then 0 else delay_days end),
        {t0} + to_days({days}) - interval 1 second),
  placed_at
from priced""")
        con.execute(REPORTS)
        con.execute(f"""
insert into audit.audit_load_reconciliation
select t, d, 1000 + 10 * bad, 1000, 10 * bad, 1000 + 10 * bad, 1000 + 2 * bad, 8 * bad, 2 * bad,
  1000
from (select unnest(['customers', 'products', 'orders', 'order_items']) as t),
     (select cast(range as date) as d, cast(random() * 3 as integer) as bad
      from range(date '{first}', date '{first}' + interval {days} day, interval 1 day))""")
        con.execute("""
insert into audit.audit_quarantined_rows
select r.source_table,
  ['invalid_email', 'missing_required_field', 'bad_timestamp'][1 + k % 3],
  case when k < r.rows_quarantined then 'etl_job' else 'warehouse' end,
  r.load_date, 'raw/' || r.source_table || '/dt=' || r.load_date || '/part-0.csv', 2 + k,
  case when k < r.rows_quarantined then k || ',bad,row' end, r.source_table || '-' || k
from audit.audit_load_reconciliation r, range(0, 30) as g(k)
where k < r.manifest_bad_rows""")
        con.execute("""
insert into audit.audit_fact_reconciliation
select count(*), count(*), 0, count(*), count(*), sum(line_amount_usd), sum(line_amount_usd)
from marts.fact_order_items""")
    finally:
        con.close()
    return path
