"""The customers table of a day: that day's sign-ups plus existing customers who changed."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .config import GeneratorConfig
from .pools import Pools
from .rng import cumulative, hash64, pick, stream_key, uniform
from .schemas import SCHEMAS, SEGMENTS, labels, timestamps
from .universe import CUSTOMER_GROUPS, change_counts, changes_on
from .volume import SECONDS_PER_DAY, UNIX_EPOCH_ORD, Volumes, time_of_day

CHUNK_ROWS = 200_000
SCAN_BLOCK = 1_000_000
INITIAL_HISTORY_DAYS = 730  # initial customers signed up within two years before the epoch
_SEGMENT_CDF = cumulative([0.85, 0.11, 0.04])
_PHONE_NULL_RATE = 0.12
_STREET_STRIDE = 7919  # prime: consecutive address versions never reuse a street


def _unix_day(day_ord: int) -> int:
    return day_ord - UNIX_EPOCH_ORD


def signup_seconds(cfg: GeneratorConfig, vol: Volumes, ids: np.ndarray) -> np.ndarray:
    """Sign-up time (Unix seconds) of each customer id.

    A day's sign-up times rise with the id (quantile rank of the intraday profile), so the
    sign-ups before a given moment are a prefix of the day's ids: orders use that to pick only
    customers who already exist when the order is placed.
    """
    ids = np.asarray(ids, dtype=np.int64)
    out = np.empty(len(ids), dtype=np.int64)
    n0 = vol.n_initial_customers
    initial = ids <= n0
    if initial.any():
        iid = ids[initial]
        back = 1 + (uniform(stream_key(cfg.seed, "signup-back"), iid) * INITIAL_HISTORY_DAYS)
        tod = time_of_day(uniform(stream_key(cfg.seed, "signup-tod"), iid))
        out[initial] = (_unix_day(vol.epoch_ord) - back.astype(np.int64)) * SECONDS_PER_DAY + tod
    if (~initial).any():
        nid = ids[~initial]
        ends = n0 + np.cumsum(vol.new_customers)
        i = np.searchsorted(ends, nid, side="left")
        n = vol.new_customers[i]
        rank = nid - (ends[i] - n) - 1
        v = uniform(stream_key(cfg.seed, "signup-tod"), nid)
        tod = time_of_day((rank + v) / n)
        out[~initial] = (_unix_day(vol.epoch_ord + i)) * SECONDS_PER_DAY + tod
    return out


def new_signup_tods(cfg: GeneratorConfig, vol: Volumes, day_ord: int) -> np.ndarray:
    """Sorted seconds-after-midnight of the day's sign-ups (excluding the initial population)."""
    first = vol.customers_before(day_ord) + 1
    ids = np.arange(first, first + vol.count("new_customers", day_ord), dtype=np.int64)
    return signup_seconds(cfg, vol, ids) % SECONDS_PER_DAY


def customer_rows(cfg: GeneratorConfig, pools: Pools, ids: np.ndarray,
                  versions: dict[str, np.ndarray], signup: np.ndarray,
                  updated: np.ndarray) -> pa.Table:
    """Rows for ``ids`` with the attribute versions given (0 = as signed up)."""
    s = cfg.seed

    def idx(name: str, size: int, counters: np.ndarray = ids) -> pa.Array:
        return pa.array((hash64(stream_key(s, "cust", name), counters) % np.uint64(size))
                        .astype(np.int64))

    first_i = idx("first", len(pools.first_names))
    last_i = idx("last", len(pools.last_names))
    first, last = pools.first_names.take(first_i), pools.last_names.take(last_i)
    fa, la = pools.first_ascii.take(first_i), pools.last_ascii.take(last_i)

    k_email = versions["email"]
    id_str = pc.cast(pa.array(ids), pa.string())
    initial = pc.utf8_slice_codeunits(fa, 0, 1)
    locals_ = [
        pc.binary_join_element_wise(fa, la, "."),
        pc.binary_join_element_wise(initial, la, ""),
        pc.binary_join_element_wise(la, fa, "."),
        fa,
    ]
    fmt = (hash64(stream_key(s, "cust", "email-fmt"), ids) % np.uint64(4)).astype(np.int64)
    fmt = (fmt + k_email) % 4  # consecutive versions use different formats: always a change
    local = pc.choose(pa.array(fmt), *locals_)
    dom = idx("email-domain", len(pools.email_domains), ids * 1024 + k_email)
    email = pc.binary_join_element_wise(local, id_str, "@", pools.email_domains.take(dom), "")

    phone_u = uniform(stream_key(s, "cust", "phone-null"), ids)
    phone = pools.phones.take(idx("phone", len(pools.phones)))
    phone = pc.if_else(pa.array(phone_u < _PHONE_NULL_RATE), pa.scalar(None, pa.string()), phone)

    k_addr = versions["address"]
    street_i = (hash64(stream_key(s, "cust", "street"), ids) % np.uint64(len(pools.streets)))
    street_i = (street_i.astype(np.int64) + k_addr * _STREET_STRIDE) % len(pools.streets)
    loc = idx("location", len(pools.cities), ids * 1024 + k_addr)

    seg0 = pick(_SEGMENT_CDF, uniform(stream_key(s, "cust", "segment"), ids))
    alt = (seg0 + 1 + (hash64(stream_key(s, "cust", "segment-alt"), ids) % np.uint64(2))
           .astype(np.int64)) % 3
    # Segment versions alternate between the original and one other segment: always a change.
    seg = np.where(versions["segment"] % 2 == 1, alt, seg0)

    n = len(ids)
    columns = [
        pa.array(ids, pa.int64()), first, last, email, phone,
        pools.streets.take(pa.array(street_i)), pools.cities.take(loc),
        pools.states.take(loc), pools.postcodes.take(loc),
        pa.array([pools.country], pa.string()).take(pa.array(np.zeros(n, np.int64))),
        labels(SEGMENTS, seg), timestamps(signup), timestamps(updated),
    ]
    return pa.Table.from_arrays(columns, schema=SCHEMAS["customers"])


def customer_chunks(cfg: GeneratorConfig, pools: Pools, vol: Volumes,
                    day_ord: int) -> Iterator[tuple[pa.Table, int, int]]:
    """Yield (table, changed rows, new rows) chunks of the day's customers file, by id."""
    before = vol.customers_before(day_ord)
    first_new = 1 if day_ord == vol.epoch_ord else before + 1
    last_id = before + vol.count("new_customers", day_ord)
    day_start = _unix_day(day_ord) * SECONDS_PER_DAY

    if day_ord > vol.epoch_ord:
        upd_key = stream_key(cfg.seed, "cust-updated", day_ord)
        for lo in range(1, before + 1, SCAN_BLOCK):
            ids = np.arange(lo, min(lo + SCAN_BLOCK, before + 1), dtype=np.int64)
            created = vol.customer_created_ord(ids)
            mask = np.zeros(len(ids), dtype=bool)
            for group in CUSTOMER_GROUPS:
                mask |= changes_on(cfg, "customer", group, ids, created, day_ord)
            ids, created = ids[mask], created[mask]
            for c in range(0, len(ids), CHUNK_ROWS):
                sub, sub_created = ids[c:c + CHUNK_ROWS], created[c:c + CHUNK_ROWS]
                versions = {g: change_counts(cfg, "customer", g, sub, sub_created, day_ord)
                            for g in CUSTOMER_GROUPS}
                updated = day_start + time_of_day(uniform(upd_key, sub))
                table = customer_rows(cfg, pools, sub, versions,
                                      signup_seconds(cfg, vol, sub), updated)
                yield table, len(sub), 0

    for lo in range(first_new, last_id + 1, CHUNK_ROWS):
        ids = np.arange(lo, min(lo + CHUNK_ROWS, last_id + 1), dtype=np.int64)
        versions = {g: np.zeros(len(ids), dtype=np.int64) for g in CUSTOMER_GROUPS}
        signup = signup_seconds(cfg, vol, ids)
        # The initial population is exported at the epoch's first second; sign-ups at sign-up.
        updated = np.where(ids <= vol.n_initial_customers, day_start, signup)
        yield customer_rows(cfg, pools, ids, versions, signup, updated), 0, len(ids)
