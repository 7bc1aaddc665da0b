"""Slowly changing state of customers and products as a pure function of (seed, id, day).

Each attribute group (e.g. a customer's address) changes at most once per 28-day window: the
hash of (seed, entity, group, window, id) says whether it changes in that window and on which
day. So "who changes today" is one vectorised hash over the population, and "which version
of the address is current" is the number of change days so far, counted window by window for
just the ids that need it. Version k of an attribute is then a hash of (id, k), built so that
consecutive versions always differ (a change in the file is a real change).
"""

from __future__ import annotations

import numpy as np

from .config import GeneratorConfig
from .rng import hash64, stream_key, unit

WINDOW_DAYS = 28
_LOW_BITS = np.uint64(0x7FF)

# Probability that a group changes within a window (~0.3 % of customers change per day).
CUSTOMER_GROUPS = {"address": 0.05, "email": 0.03, "segment": 0.02}
PRODUCT_GROUPS = {"price": 0.30, "cost": 0.08, "active": 0.04}


def _window(cfg: GeneratorConfig, entity: str, group: str, rate: float, ids: np.ndarray,
            w: int) -> tuple[np.ndarray, np.ndarray]:
    """(fires, change day ordinal) of window ``w`` for each id."""
    h = hash64(stream_key(cfg.seed, "change", entity, group, w), ids)
    day = cfg.epoch.toordinal() + w * WINDOW_DAYS + ((h & _LOW_BITS) % np.uint64(WINDOW_DAYS))
    return unit(h) < rate, day.astype(np.int64)


def changes_on(cfg: GeneratorConfig, entity: str, group: str, ids: np.ndarray,
               created_ord: np.ndarray, day_ord: int) -> np.ndarray:
    """Boolean mask: which ids change ``group`` on ``day_ord`` (never on their creation day)."""
    rate = (CUSTOMER_GROUPS if entity == "customer" else PRODUCT_GROUPS)[group]
    rel = day_ord - cfg.epoch.toordinal()
    if rel <= 0 or len(ids) == 0:
        return np.zeros(len(ids), dtype=bool)
    fires, day = _window(cfg, entity, group, rate, ids, rel // WINDOW_DAYS)
    return fires & (day == day_ord) & (created_ord < day_ord)


def change_counts(cfg: GeneratorConfig, entity: str, group: str, ids: np.ndarray,
                  created_ord: np.ndarray, day_ord: int) -> np.ndarray:
    """How many times each id changed ``group`` up to and including ``day_ord`` (its version)."""
    rate = (CUSTOMER_GROUPS if entity == "customer" else PRODUCT_GROUPS)[group]
    count = np.zeros(len(ids), dtype=np.int64)
    if len(ids) == 0:
        return count
    epoch_ord = cfg.epoch.toordinal()
    first_w = max(0, (int(created_ord.min()) - epoch_ord) // WINDOW_DAYS)
    for w in range(first_w, (day_ord - epoch_ord) // WINDOW_DAYS + 1):
        fires, day = _window(cfg, entity, group, rate, ids, w)
        count += fires & (day > created_ord) & (day <= day_ord)
    return count
