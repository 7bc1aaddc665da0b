"""generate_day: one day of the universe, written as four table files plus a manifest."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np

from .badrows import BadRowMaker
from .config import GeneratorConfig
from .customers import customer_chunks
from .manifest import build_manifest, write_manifest
from .orders import new_order_chunks, status_change_chunks
from .pools import build_pools
from .products import catalog, day_product_index, product_rows
from .schemas import TABLES
from .sinks import TableSink
from .volume import volumes

GENERATOR_VERSION = "1.0.0"
MANIFEST_DIR = "_manifests"
PRODUCT_CHUNK = 200_000


@dataclasses.dataclass(frozen=True)
class DayResult:
    """What generate_day wrote: file per table, the manifest's path and content."""

    day: dt.date
    files: dict[str, Path]
    manifest_path: Path
    manifest: dict[str, Any]


def partition(table: str, day: dt.date, fmt: str) -> str:
    """Relative path of a table's file for a day, e.g. 'orders/dt=2024-01-05/orders.csv'."""
    return f"{table}/dt={day.isoformat()}/{table}.{fmt}"


def manifest_relpath(day: dt.date) -> str:
    """Relative path of a day's manifest."""
    return f"{MANIFEST_DIR}/dt={day.isoformat()}/manifest.json"


def generate_day(day: dt.date, cfg: GeneratorConfig, out_dir: Path) -> DayResult:
    """Generate ``day`` under ``out_dir`` and return what was written.

    The output is a pure function of (cfg, day): same bytes on every run, whether the day is
    generated alone or as part of a range. Raises ValueError for days before ``cfg.epoch``.
    """
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise ValueError(f"day must be a datetime.date, got {day!r}")
    if day < cfg.epoch:
        raise ValueError(f"day {day} is before the generator's epoch {cfg.epoch}")
    out_dir = Path(out_dir)
    day_ord = day.toordinal()
    vol = volumes(cfg, day_ord)
    pools = build_pools(cfg.locale, cfg.seed)
    rel = {t: partition(t, day, cfg.fmt) for t in TABLES}

    def bad(table: str) -> BadRowMaker | None:
        return BadRowMaker(cfg, table, day_ord) if cfg.bad_row_rate > 0 else None

    sinks = {t: TableSink(out_dir / rel[t], t, cfg.fmt, bad(t)) for t in TABLES}
    counts = {"cust_changed": 0, "cust_new": 0, "status_changes": 0}
    line_cents = 0
    try:
        for table, changed, new in customer_chunks(cfg, pools, vol, day_ord):
            sinks["customers"].write(table)
            counts["cust_changed"] += changed
            counts["cust_new"] += new

        cat = catalog(cfg, day_ord)
        index, prod_changed, prod_new = day_product_index(cfg, vol, cat, day_ord)
        for lo in range(0, max(len(index), 1), PRODUCT_CHUNK):
            part = index[lo:lo + PRODUCT_CHUNK]
            if len(part):
                sinks["products"].write(product_rows(cfg, pools, cat, part, day_ord))

        # Earlier orders first: their ids are lower, so the file is sorted by order_id.
        for table in status_change_chunks(cfg, vol, day_ord):
            sinks["orders"].write(table)
            counts["status_changes"] += table.num_rows
        for chunk in new_order_chunks(cfg, vol, cat, day_ord):
            sinks["orders"].write(chunk.orders)
            sinks["order_items"].write(chunk.items)
            line_cents += chunk.line_cents
        stats = {t: sinks[t].close() for t in TABLES}
    except BaseException:
        for sink in sinks.values():
            with contextlib.suppress(Exception):
                sink.abort()
        raise

    manifest = build_manifest(
        version=GENERATOR_VERSION,
        day=day.isoformat(),
        params=cfg.as_params(),
        files=rel,
        stats=stats,
        line_cents=int(np.int64(line_cents)),
        scd2={"customers": counts["cust_changed"], "products": prod_changed},
        new_rows={"customers": counts["cust_new"], "products": prod_new},
        status_changes=counts["status_changes"],
    )
    manifest_path = out_dir / manifest_relpath(day)
    write_manifest(manifest_path, manifest)
    return DayResult(day, {t: out_dir / rel[t] for t in TABLES}, manifest_path, manifest)
