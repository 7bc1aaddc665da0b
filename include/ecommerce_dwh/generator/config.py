"""Generator configuration: one frozen dataclass, validated on construction."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

# The universe starts here: the initial customers and products exist at this day's start and
# are all written to this day's files; days before it do not exist (ValueError).
DEFAULT_EPOCH = dt.date(2024, 1, 1)
# Orders per day of scale 1.0 (also the default): small enough for fast test days.
ORDERS_PER_SCALE_UNIT = 200
FORMATS = ("csv", "parquet")
_MAX_ORDERS_PER_DAY = 50_000_000


@dataclasses.dataclass(frozen=True)
class GeneratorConfig:
    """What to generate; every field is part of the output's identity (and of the manifest).

    seed: any integer >= 0; same seed and day give byte-identical files.
    orders_per_day: mean orders placed per day (weekday/holiday seasonality and a
        +15 %/year trend move single days around it).
    bad_row_rate: extra bad rows per good row, 0 <= rate <= 0.5 (0 = none at all).
    locale: a Faker locale for names and addresses, e.g. "en_US", "de_DE".
    fmt: "csv" or "parquet".
    epoch: first day of the universe (default 2024-01-01).
    initial_customers / initial_products: population existing at the epoch; default
        derived from orders_per_day (10 customers and 2 products per daily order).
    """

    seed: int = 42
    orders_per_day: int = ORDERS_PER_SCALE_UNIT
    bad_row_rate: float = 0.0
    locale: str = "en_US"
    fmt: str = "csv"
    epoch: dt.date = DEFAULT_EPOCH
    initial_customers: int | None = None
    initial_products: int | None = None

    def __post_init__(self) -> None:
        _check_int("seed", self.seed, 0, 2**63 - 1)
        _check_int("orders_per_day", self.orders_per_day, 1, _MAX_ORDERS_PER_DAY)
        if isinstance(self.bad_row_rate, bool) or not isinstance(self.bad_row_rate, int | float):
            raise ValueError(f"bad_row_rate must be a number, got {self.bad_row_rate!r}")
        if not 0.0 <= float(self.bad_row_rate) <= 0.5:
            raise ValueError(f"bad_row_rate must be between 0 and 0.5, got {self.bad_row_rate!r}")
        object.__setattr__(self, "bad_row_rate", float(self.bad_row_rate))
        if self.fmt not in FORMATS:
            raise ValueError(f"fmt must be one of {FORMATS}, got {self.fmt!r}")
        if not isinstance(self.locale, str) or not _locale_ok(self.locale):
            raise ValueError(f"locale must be a Faker locale such as 'en_US', got {self.locale!r}")
        if not isinstance(self.epoch, dt.date) or isinstance(self.epoch, dt.datetime):
            raise ValueError(f"epoch must be a datetime.date, got {self.epoch!r}")
        for name in ("initial_customers", "initial_products"):
            value = getattr(self, name)
            if value is not None:
                _check_int(name, value, 1, 10 * _MAX_ORDERS_PER_DAY)

    @classmethod
    def from_scale(cls, scale: float, **kwargs: Any) -> GeneratorConfig:
        """Config whose orders_per_day is ``scale`` x 200 (scale 1.0 = the default day)."""
        if isinstance(scale, bool) or not isinstance(scale, int | float) or not scale > 0:
            raise ValueError(f"scale must be a number > 0, got {scale!r}")
        return cls(orders_per_day=max(1, round(scale * ORDERS_PER_SCALE_UNIT)), **kwargs)

    # Derived sizes -------------------------------------------------------------------------
    @property
    def n_initial_customers(self) -> int:
        """Customers existing at the epoch (written on the epoch day)."""
        return self.initial_customers or max(100, 10 * self.orders_per_day)

    @property
    def n_initial_products(self) -> int:
        """Products existing at the epoch (written on the epoch day)."""
        return self.initial_products or min(20_000, max(100, 2 * self.orders_per_day))

    @property
    def new_customers_per_day(self) -> float:
        """Mean sign-ups per day before seasonality."""
        return 0.06 * self.orders_per_day

    @property
    def new_products_per_day(self) -> float:
        """Mean new products per day (the catalogue grows about 100 % a year)."""
        return self.n_initial_products / 365.0

    def as_params(self) -> dict[str, Any]:
        """JSON-ready parameters for the manifest."""
        out = dataclasses.asdict(self)
        out["epoch"] = self.epoch.isoformat()
        return out


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value!r}")


def _locale_ok(locale: str) -> bool:
    from faker.config import AVAILABLE_LOCALES

    return locale in AVAILABLE_LOCALES
