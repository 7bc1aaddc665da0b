"""How many orders, items, sign-ups and new products each day has, and the ids they get.

Each day's counts are a closed-form function of the date (seasonality x a hashed noise), so
the running totals that number the ids (order 1, 2, ... from the epoch) are a cheap cumsum
over the days since the epoch: no earlier day is ever generated to number today's rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools

import numpy as np

from .config import GeneratorConfig
from .rng import stochastic_round, stream_key, uniform

UNIX_EPOCH_ORD = dt.date(1970, 1, 1).toordinal()
SECONDS_PER_DAY = 86_400
MEAN_BASKET = 2.5  # order lines per order
TREND_PER_YEAR = 0.15

# Monday .. Sunday: shoppers buy a bit more on weekends.
_WEEKDAY = np.array([0.96, 0.94, 0.95, 0.98, 1.02, 1.09, 1.06])
# January .. December: post-holiday dip, peak season in November/December.
_MONTH = np.array([0.88, 0.86, 0.94, 0.96, 1.0, 0.97, 0.98, 0.99, 0.97, 1.02, 1.14, 1.26])
# Share of orders per hour of day (UTC), normalised below: quiet nights, lunch and evening peaks.
HOURLY = np.array(
    [1.2, 0.7, 0.4, 0.3, 0.3, 0.5, 1.2, 2.6, 3.6, 4.2, 4.6, 5.2,
     5.8, 5.6, 5.0, 4.8, 4.9, 5.2, 5.8, 6.6, 7.2, 6.8, 5.0, 2.5]
)  # fmt: skip
_HOURLY_CDF = np.concatenate([[0.0], np.cumsum(HOURLY / HOURLY.sum())])
_HOURLY_CDF[-1] = 1.0


def time_of_day(u: np.ndarray) -> np.ndarray:
    """Seconds after midnight for quantiles ``u`` of the intraday profile (monotone in u)."""
    hour = np.clip(np.searchsorted(_HOURLY_CDF, u, side="right") - 1, 0, 23)
    frac = (u - _HOURLY_CDF[hour]) / (_HOURLY_CDF[hour + 1] - _HOURLY_CDF[hour])
    return np.minimum((hour + frac) * 3600.0, SECONDS_PER_DAY - 1).astype(np.int64)


def day_factor(ordinals: np.ndarray, epoch_ord: int) -> np.ndarray:
    """Seasonality of each day: weekday x month x holidays x growth trend."""
    days = np.datetime64("0001-01-01") + (ordinals - 1).astype("timedelta64[D]")
    month0 = days.astype("datetime64[M]").astype(np.int64) % 12
    mday = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    weekday = (ordinals - 1) % 7  # date.fromordinal(1) is a Monday
    f = _WEEKDAY[weekday] * _MONTH[month0]
    # Black Friday / Cyber Monday: Friday after the 4th Thursday of November, and +3 days.
    first_of_month_wd = (weekday - (mday - 1)) % 7
    thanksgiving = 1 + (3 - first_of_month_wd) % 7 + 21
    nov = month0 == 10
    f = np.where(nov & (mday == thanksgiving + 1), f * 2.6, f)
    f = np.where(nov & (mday == thanksgiving + 4), f * 2.1, f)
    dec = month0 == 11
    f = np.where(dec & (mday >= 15) & (mday <= 22), f * 1.25, f)
    f = np.where(dec & (mday == 24), f * 0.75, f)
    f = np.where(dec & (mday == 25), f * 0.55, f)
    f = np.where((month0 == 0) & (mday == 1), f * 0.7, f)
    years = (ordinals - epoch_ord) / 365.25
    return f * (1.0 + TREND_PER_YEAR * years)


# eq=False: hashed by identity, so it can sit in lru_cache keys (it holds numpy arrays).
@dataclasses.dataclass(frozen=True, eq=False)
class Volumes:
    """Per-day counts from the epoch to ``last_ord`` and the running totals numbering ids."""

    epoch_ord: int
    orders: np.ndarray
    items: np.ndarray
    new_customers: np.ndarray  # sign-ups per day, excluding the initial population
    new_products: np.ndarray  # new products per day, excluding the initial catalogue
    n_initial_customers: int
    n_initial_products: int

    def _i(self, day_ord: int) -> int:
        return day_ord - self.epoch_ord

    def orders_before(self, day_ord: int) -> int:
        """Orders placed on days before ``day_ord`` (so the day's first id is this + 1)."""
        return int(self.orders[: self._i(day_ord)].sum())

    def items_before(self, day_ord: int) -> int:
        """Order items of days before ``day_ord``."""
        return int(self.items[: self._i(day_ord)].sum())

    def customers_before(self, day_ord: int) -> int:
        """Customers that exist before ``day_ord``'s sign-ups (the initial ones included)."""
        return self.n_initial_customers + int(self.new_customers[: self._i(day_ord)].sum())

    def products_before(self, day_ord: int) -> int:
        """Products that exist before ``day_ord``'s new ones (the initial ones included)."""
        return self.n_initial_products + int(self.new_products[: self._i(day_ord)].sum())

    def count(self, name: str, day_ord: int) -> int:
        """One day's count of ``orders``/``items``/``new_customers``/``new_products``."""
        return int(getattr(self, name)[self._i(day_ord)])

    def customer_created_ord(self, ids: np.ndarray) -> np.ndarray:
        """Day (ordinal) each customer id was created; initial customers: the epoch."""
        ends = self.n_initial_customers + np.cumsum(self.new_customers)
        return self.epoch_ord + np.searchsorted(ends, ids, side="left")

    def product_created_ord(self, ids: np.ndarray) -> np.ndarray:
        """Day (ordinal) each product id was created; initial catalogue: the epoch."""
        ends = self.n_initial_products + np.cumsum(self.new_products)
        return self.epoch_ord + np.searchsorted(ends, ids, side="left")


@functools.lru_cache(maxsize=16)
def volumes(cfg: GeneratorConfig, last_ord: int) -> Volumes:
    """Counts for every day from ``cfg.epoch`` to ``last_ord`` inclusive."""
    epoch_ord = cfg.epoch.toordinal()
    ords = np.arange(epoch_ord, last_ord + 1, dtype=np.int64)
    season = day_factor(ords, epoch_ord)

    def noisy(name: str, mean: np.ndarray, spread: float) -> np.ndarray:
        u = uniform(stream_key(cfg.seed, "volume", name), ords)
        r = uniform(stream_key(cfg.seed, "volume-round", name), ords)
        return stochastic_round(mean * (1.0 - spread + 2.0 * spread * u), r)

    orders = np.maximum(noisy("orders", cfg.orders_per_day * season, 0.08), 1)
    extras = noisy("items", orders * (MEAN_BASKET - 1.0), 0.04)
    return Volumes(
        epoch_ord=epoch_ord,
        orders=orders,
        items=orders + extras,
        new_customers=noisy("customers", cfg.new_customers_per_day * season, 0.2),
        new_products=noisy("products", np.full(len(ords), cfg.new_products_per_day), 0.5),
        n_initial_customers=cfg.n_initial_customers,
        n_initial_products=cfg.n_initial_products,
    )
