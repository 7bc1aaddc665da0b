"""Pools of realistic values built once per (locale, seed) with Faker, then indexed by numpy.

Faker is slow per call (~2,400 rows/s for whole customers) but its values are realistic; a few
thousand calls fill pools that hashed indexes then combine into millions of distinct rows.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

import pyarrow as pa
from faker import Faker

POOL_NAMES = 1_000
POOL_STREETS = 4_000
POOL_LOCATIONS = 1_500
POOL_PHONES = 4_000
POOL_BRANDS = 300


@dataclasses.dataclass(frozen=True)
class Pools:
    """String pools as Arrow arrays, so that ``pool.take(indexes)`` builds a column."""

    first_names: pa.Array
    first_ascii: pa.Array  # lower-case ASCII forms for email addresses
    last_names: pa.Array
    last_ascii: pa.Array
    streets: pa.Array
    cities: pa.Array
    states: pa.Array
    postcodes: pa.Array
    phones: pa.Array
    email_domains: pa.Array
    brands: pa.Array
    country: str


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", plain) or "user"


def _state(fake: Faker) -> str:
    for attr in ("state_abbr", "state", "administrative_unit", "region"):
        if hasattr(fake, attr):
            try:
                return str(getattr(fake, attr)())
            except (AttributeError, TypeError):
                continue
    return ""


@functools.lru_cache(maxsize=8)
def build_pools(locale: str, seed: int) -> Pools:
    """Build (and cache) the pools for a locale; deterministic for the pinned Faker version."""
    fake = Faker(locale)
    fake.seed_instance(seed)
    firsts = [fake.first_name() for _ in range(POOL_NAMES)]
    lasts = [fake.last_name() for _ in range(POOL_NAMES)]
    # Street addresses contain no newline; Faker's full address() would.
    streets = [fake.street_address().replace("\n", " ") for _ in range(POOL_STREETS)]
    cities, states, postcodes = [], [], []
    for _ in range(POOL_LOCATIONS):
        cities.append(fake.city())
        states.append(_state(fake))
        postcodes.append(fake.postcode())
    phones = [fake.phone_number() for _ in range(POOL_PHONES)]
    domains = sorted({fake.free_email_domain() for _ in range(200)})
    brands = sorted({fake.last_name() for _ in range(POOL_BRANDS)})
    country = locale.split("_")[-1].upper() if "_" in locale else locale.upper()

    def arr(values: list[str]) -> pa.Array:
        return pa.array(values, pa.string())

    return Pools(
        first_names=arr(firsts),
        first_ascii=arr([_ascii(x) for x in firsts]),
        last_names=arr(lasts),
        last_ascii=arr([_ascii(x) for x in lasts]),
        streets=arr(streets),
        cities=arr(cities),
        states=arr(states),
        postcodes=arr(postcodes),
        phones=arr(phones),
        email_domains=arr(domains),
        brands=arr(brands),
        country=country,
    )
