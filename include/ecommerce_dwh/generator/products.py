"""The product catalogue as of a day, and the products table of a day (new + changed).

Price rule: all product rows of a day carry ``updated_at`` = that day 00:00:00, i.e. a day's
price, cost and active changes take effect at midnight. An order placed that day uses the
price after the change (the row valid at ``placed_at`` in an SCD2 history of products).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .catalog import ADJECTIVES, TAX, TOYS_DECEMBER_BOOST
from .config import GeneratorConfig
from .pools import Pools
from .rng import cumulative, hash64, pick, stream_key, uniform
from .schemas import SCHEMAS, money, timestamps
from .universe import PRODUCT_GROUPS, change_counts, changes_on
from .volume import SECONDS_PER_DAY, UNIX_EPOCH_ORD, Volumes, volumes

_SUB_CDF = cumulative(TAX.sub_weight)
_ADJ = pa.array(ADJECTIVES, pa.string())
_NOUNS = pa.array(TAX.nouns, pa.string())
_CATEGORIES = pa.array(TAX.categories, pa.string())
_SUBCATEGORIES = pa.array(TAX.sub_names, pa.string())
_PREFIXES = pa.array([p + "-" for p in TAX.prefixes], pa.string())


@dataclasses.dataclass(frozen=True)
class Catalog:
    """Every product existing at the end of a day, with that day's price, cost and status."""

    ids: np.ndarray
    created_ord: np.ndarray
    versions: dict[str, np.ndarray]
    price_cents: np.ndarray
    cost_cents: np.ndarray
    active: np.ndarray
    popularity: np.ndarray


def _statics(cfg: GeneratorConfig, ids: np.ndarray) -> dict[str, np.ndarray]:
    s = cfg.seed
    sub = pick(_SUB_CDF, uniform(stream_key(s, "prod", "sub"), ids))
    lo, hi = TAX.arrays["sub_lo"][sub], TAX.arrays["sub_hi"][sub]
    # Skewed towards the cheap end of the range, as real catalogues are; prices end in .99.
    u = uniform(stream_key(s, "prod", "price"), ids) ** 1.6
    base = (np.floor(lo * (hi / lo) ** u) * 100 + 99).astype(np.int64)
    margin = 0.45 + 0.20 * uniform(stream_key(s, "prod", "cost"), ids)
    cost = np.round(base * margin).astype(np.int64)
    # Heavy-tailed popularity (Pareto): a few best sellers, a long tail.
    pop = (1.0 - uniform(stream_key(s, "prod", "pop"), ids)) ** -0.75
    pop *= TAX.arrays["sub_popularity"][sub]
    return {"sub": sub, "base_price": base, "base_cost": cost, "popularity": pop}


def _price(cfg: GeneratorConfig, ids: np.ndarray, base: np.ndarray, k: np.ndarray) -> np.ndarray:
    # Version k: 0 = base; odd = a sale 5-20 % below; even = a rise 2-15 % above. Consecutive
    # versions are on opposite sides of the base, so every price change changes the price.
    u = uniform(stream_key(cfg.seed, "prod", "price-v"), ids * 4096 + k)
    factor = np.where(k % 2 == 1, 0.80 + 0.15 * u, 1.02 + 0.13 * u)
    return np.where(k == 0, base, np.round(base * factor)).astype(np.int64)


def _cost(cfg: GeneratorConfig, ids: np.ndarray, base: np.ndarray, k: np.ndarray) -> np.ndarray:
    # Same idea: odd versions 3-10 % above the base cost, even ones 2-8 % below. Cost stays
    # under 72 % of the base price, so under any sale price (>= 80 % of base): margin > 0.
    u = uniform(stream_key(cfg.seed, "prod", "cost-v"), ids * 4096 + k)
    factor = np.where(k % 2 == 1, 1.03 + 0.07 * u, 0.92 + 0.06 * u)
    return np.where(k == 0, base, np.round(base * factor)).astype(np.int64)


@functools.lru_cache(maxsize=4)
def catalog(cfg: GeneratorConfig, day_ord: int) -> Catalog:
    """The catalogue at the end of ``day_ord`` (after that day's changes and new products)."""
    vol = volumes(cfg, day_ord)
    n = vol.products_before(day_ord) + vol.count("new_products", day_ord)
    ids = np.arange(1, n + 1, dtype=np.int64)
    created = vol.product_created_ord(ids)
    versions = {g: change_counts(cfg, "product", g, ids, created, day_ord) for g in PRODUCT_GROUPS}
    st = _statics(cfg, ids)
    pop = st["popularity"]
    if dt.date.fromordinal(day_ord).month == 12:
        pop = np.where(TAX.arrays["sub_category"][st["sub"]] == TAX.toys,
                       pop * TOYS_DECEMBER_BOOST, pop)
    return Catalog(
        ids=ids,
        created_ord=created,
        versions=versions,
        price_cents=_price(cfg, ids, st["base_price"], versions["price"]),
        cost_cents=_cost(cfg, ids, st["base_cost"], versions["cost"]),
        active=versions["active"] % 2 == 0,  # every active change toggles; all start active
        popularity=pop,
    )


def product_rows(cfg: GeneratorConfig, pools: Pools, cat: Catalog, index: np.ndarray,
                 day_ord: int) -> pa.Table:
    """Rows for the catalogue positions ``index`` as of the catalogue's day."""
    ids = cat.ids[index]
    st = _statics(cfg, ids)
    sub = st["sub"]
    category = TAX.arrays["sub_category"][sub]
    s = cfg.seed
    brand = pools.brands.take(pa.array(
        (hash64(stream_key(s, "prod", "brand"), ids) % np.uint64(len(pools.brands)))
        .astype(np.int64)))
    adj = _ADJ.take(pa.array(
        (hash64(stream_key(s, "prod", "adj"), ids) % np.uint64(len(ADJECTIVES))).astype(np.int64)))
    noun_i = TAX.arrays["sub_noun_start"][sub] + (
        uniform(stream_key(s, "prod", "noun"), ids) * TAX.arrays["sub_noun_count"][sub]
    ).astype(np.int64)
    name = pc.binary_join_element_wise(brand, adj, _NOUNS.take(pa.array(noun_i)), " ")
    sku = pc.binary_join_element_wise(
        _PREFIXES.take(pa.array(category)),
        pc.utf8_lpad(pc.cast(pa.array(ids), pa.string()), 7, "0"), "")
    midnight = (day_ord - UNIX_EPOCH_ORD) * SECONDS_PER_DAY
    columns = [
        pa.array(ids, pa.int64()), sku, name, _CATEGORIES.take(pa.array(category)),
        _SUBCATEGORIES.take(pa.array(sub)), brand,
        money(cat.price_cents[index]), money(cat.cost_cents[index]),
        pa.array(cat.active[index], pa.bool_()),
        timestamps(np.full(len(ids), midnight, dtype=np.int64)),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMAS["products"])


def day_product_index(cfg: GeneratorConfig, vol: Volumes, cat: Catalog,
                      day_ord: int) -> tuple[np.ndarray, int, int]:
    """(catalogue positions in the day's file, changed count, new count), sorted by id."""
    if day_ord == vol.epoch_ord:
        return np.arange(len(cat.ids)), 0, len(cat.ids)
    new = cat.created_ord == day_ord
    changed = np.zeros(len(cat.ids), dtype=bool)
    for group in PRODUCT_GROUPS:
        changed |= changes_on(cfg, "product", group, cat.ids, cat.created_ord, day_ord)
    index = np.flatnonzero(changed | new)
    return index, int(changed.sum()), int(new.sum())
