"""The orders and order_items tables of a day.

Every order attribute that a later day needs again (customer, placed_at, channel, payment,
lifecycle) is a hash of the order id plus a few per-day totals, so a status change 30 days
later re-derives the same row without generating the day it was placed. Order items are
needed only on the placing day and come from a sequential Philox stream per chunk.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pyarrow as pa

from .config import GeneratorConfig
from .customers import new_signup_tods
from .lifecycle import LOOKBACK_DAYS, PAID, PLACED, lifecycle, order_hash, payment_codes
from .products import Catalog
from .rng import cumulative, generator, pick, stream_key, uniform
from .schemas import CHANNELS, PAYMENT_METHODS, SCHEMAS, STATUSES, labels, money, timestamps
from .volume import SECONDS_PER_DAY, UNIX_EPOCH_ORD, Volumes, time_of_day

CHUNK_ORDERS = 250_000  # fixed: chunk boundaries feed the item streams, so they are part of
# the output's definition (changing it changes the bytes), not a memory tuning knob.
_CHANNEL_CDF = cumulative([0.55, 0.35, 0.10])
# Repeat-customer heavy tail: customers fall into 64 classes by id; class c receives a share
# of orders ~ 1/(c+1)^1.1, so the most loyal class orders ~100x as often as the least.
_CLASSES = 64
_CLASS_CDF = cumulative(1.0 / np.arange(1, _CLASSES + 1) ** 1.1)
NEW_CUSTOMER_FIRST_ORDER = 0.6  # share of a day's sign-ups whose first order is that day
_QTY_CDF = cumulative([0.72, 0.17, 0.06, 0.03, 0.015, 0.005])
DISCOUNT_RATE = 0.12
_DISCOUNT_PCT = np.array([5, 10, 15, 20, 25], dtype=np.int64)
_CURRENCY = pa.array(["USD"], pa.string())


@dataclasses.dataclass(frozen=True)
class PlacingDay:
    """What numbering the orders of one day needs: their ids, and who could place them."""

    day_ord: int
    first_id: int
    n: int
    customers_before: int
    signup_tods: np.ndarray  # sorted, seconds after midnight, of the day's sign-ups

    @property
    def day_start(self) -> int:
        """Unix seconds of the day's midnight."""
        return (self.day_ord - UNIX_EPOCH_ORD) * SECONDS_PER_DAY


def placing_day(cfg: GeneratorConfig, vol: Volumes, day_ord: int) -> PlacingDay:
    """The numbering context of the orders placed on ``day_ord``."""
    return PlacingDay(day_ord, vol.orders_before(day_ord) + 1, vol.count("orders", day_ord),
                      vol.customers_before(day_ord), new_signup_tods(cfg, vol, day_ord))


def order_attributes(cfg: GeneratorConfig, pd: PlacingDay,
                     ranks: np.ndarray) -> dict[str, np.ndarray]:
    """order_id, customer_id, placed_at, channel and payment of the orders at ``ranks``."""
    s = cfg.seed
    oid = pd.first_id + ranks
    # Quantile ranks of the intraday profile: placed_at rises with the order id.
    tod = time_of_day((ranks + uniform(stream_key(s, "order", "tod"), oid)) / pd.n)
    u_pick = uniform(stream_key(s, "order", "cust-pick"), oid)
    # A sign-up can order the same day, but only after signing up: the day's sign-ups before
    # `tod` are the first m of that day's ids (sign-up times rise with the id).
    m = np.searchsorted(pd.signup_tods, tod, side="left")
    p_new = min(0.5, NEW_CUSTOMER_FIRST_ORDER * len(pd.signup_tods) / pd.n)
    use_new = (uniform(stream_key(s, "order", "cust-new"), oid) < p_new) & (m > 0)
    new_ids = pd.customers_before + 1 + (u_pick * m).astype(np.int64)
    big_m = pd.customers_before
    cls = pick(_CLASS_CDF, uniform(stream_key(s, "order", "cust-class"), oid))
    in_class = np.where(big_m > cls, (big_m - 1 - cls) // _CLASSES + 1, 0)
    existing = np.where(in_class > 0, cls + 1 + _CLASSES * (u_pick * in_class).astype(np.int64),
                        1 + (u_pick * big_m).astype(np.int64))
    return {
        "order_id": oid,
        "customer_id": np.where(use_new, new_ids, existing),
        "placed_at": pd.day_start + tod,
        "channel": pick(_CHANNEL_CDF, uniform(stream_key(s, "order", "channel"), oid)),
        "payment": payment_codes(order_hash(s, oid)),
    }


def _orders_table(a: dict[str, np.ndarray], status: np.ndarray, updated: np.ndarray) -> pa.Table:
    n = len(status)
    columns = [
        pa.array(a["order_id"], pa.int64()), pa.array(a["customer_id"], pa.int64()),
        timestamps(a["placed_at"]), labels(STATUSES, status), labels(CHANNELS, a["channel"]),
        labels(PAYMENT_METHODS, a["payment"]), _CURRENCY.take(pa.array(np.zeros(n, np.int64))),
        timestamps(updated),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMAS["orders"])


def status_change_chunks(cfg: GeneratorConfig, vol: Volumes, day_ord: int) -> Iterator[pa.Table]:
    """Rows of earlier orders whose status changes on ``day_ord``, ascending by order id."""
    event_key = stream_key(cfg.seed, "order", "event-tod")
    day_start = (day_ord - UNIX_EPOCH_ORD) * SECONDS_PER_DAY
    for offset in range(LOOKBACK_DAYS, 0, -1):
        placed_ord = day_ord - offset
        if placed_ord < vol.epoch_ord:
            continue
        pd = placing_day(cfg, vol, placed_ord)
        for lo in range(0, pd.n, CHUNK_ORDERS):
            ranks = np.arange(lo, min(lo + CHUNK_ORDERS, pd.n), dtype=np.int64)
            oid = pd.first_id + ranks
            has, status = lifecycle(order_hash(cfg.seed, oid)).event_on(offset)
            if not has.any():
                continue
            attrs = order_attributes(cfg, pd, ranks[has])
            # Warehouse events happen between 06:00 and 22:00.
            tod = 6 * 3600 + (uniform(event_key, attrs["order_id"] * 64 + offset)
                              * 16 * 3600).astype(np.int64)
            yield _orders_table(attrs, status[has], day_start + tod)


@dataclasses.dataclass(frozen=True)
class NewOrdersChunk:
    """A chunk of the day's new orders with their items."""

    orders: pa.Table
    items: pa.Table
    line_cents: int


def new_order_chunks(cfg: GeneratorConfig, vol: Volumes, cat: Catalog,
                     day_ord: int) -> Iterator[NewOrdersChunk]:
    """The orders placed on ``day_ord`` and their items, in chunks of ``CHUNK_ORDERS``."""
    pd = placing_day(cfg, vol, day_ord)
    active = np.flatnonzero(cat.active)
    prod_cdf = cumulative(cat.popularity[active])
    extras = vol.count("items", day_ord) - pd.n
    items_before = vol.items_before(day_ord)
    day_end = pd.day_start + SECONDS_PER_DAY - 1
    pay_key = stream_key(cfg.seed, "order", "pay-delay")
    for chunk_no, lo in enumerate(range(0, pd.n, CHUNK_ORDERS)):
        hi = min(lo + CHUNK_ORDERS, pd.n)
        ranks = np.arange(lo, hi, dtype=np.int64)
        a = order_attributes(cfg, pd, ranks)
        lc = lifecycle(order_hash(cfg.seed, a["order_id"]))
        paid_now = lc.paid == 0
        # Cards are charged seconds to minutes after placing (same day: capped at 23:59:59).
        delay = 30 + (uniform(pay_key, a["order_id"]) * 870).astype(np.int64)
        updated = np.where(paid_now, np.minimum(a["placed_at"] + delay, day_end), a["placed_at"])
        orders = _orders_table(a, np.where(paid_now, PAID, PLACED), updated)

        ex_lo, ex_hi = extras * lo // pd.n, extras * hi // pd.n
        rng = generator(cfg.seed, "items", day_ord, chunk_no)
        items, cents = _items(rng, a, ex_hi - ex_lo, items_before + lo + ex_lo + 1, cat, active,
                              prod_cdf)
        yield NewOrdersChunk(orders, items, cents)


def _items(rng: np.random.Generator, a: dict[str, np.ndarray], extras: int, first_item_id: int,
           cat: Catalog, active: np.ndarray, prod_cdf: np.ndarray) -> tuple[pa.Table, int]:
    n_orders = len(a["order_id"])
    # Basket sizes: one line each plus the chunk's extra lines spread by gamma weights
    # (a heavy tail of big baskets; the day's total is fixed by the volume model).
    w = rng.gamma(0.8, size=n_orders)
    basket = 1 + rng.multinomial(extras, w / w.sum() * (1 - 1e-12))
    owner = np.repeat(np.arange(n_orders), basket)
    n = len(owner)
    pos = pick(prod_cdf, rng.random(n))
    pos = _dedupe(rng, owner, pos, len(active))
    prod = active[pos]
    price = cat.price_cents[prod]
    qty = pick(_QTY_CDF, rng.random(n)) + 1
    pct = _DISCOUNT_PCT[rng.integers(0, len(_DISCOUNT_PCT), n)]
    gross = qty * price
    # Discounts in whole cents, rounded half up: line = qty x price - discount is exact.
    discount = np.where(rng.random(n) < DISCOUNT_RATE, (gross * pct + 50) // 100, 0)
    line = gross - discount
    columns = [
        pa.array(np.arange(first_item_id, first_item_id + n, dtype=np.int64)),
        pa.array(a["order_id"][owner], pa.int64()), pa.array(cat.ids[prod], pa.int64()),
        pa.array(qty, pa.int64()), money(price), money(discount), money(line),
        timestamps(a["placed_at"][owner]),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMAS["order_items"]), int(line.sum())


def _dedupe(rng: np.random.Generator, owner: np.ndarray, pos: np.ndarray, n_products: int,
            rounds: int = 8) -> np.ndarray:
    """Move repeated products within one order to other products (one line per product)."""
    pos = pos.copy()
    for _ in range(rounds):
        key = owner * n_products + pos
        order = np.argsort(key, kind="stable")
        sk = key[order]
        dup = order[1:][sk[1:] == sk[:-1]]
        if len(dup) == 0 or n_products < 2:
            break
        pos[dup] = (pos[dup] + rng.integers(1, n_products, len(dup))) % n_products
    return pos


