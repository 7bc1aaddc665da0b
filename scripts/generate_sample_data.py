#!/usr/bin/env python
"""Generate a small sample data set (the seed's script, now on top of ecommerce_dwh.generator).

Defaults as before: about 1,000 customers and 5,000 orders, spread over 30 days starting at
the epoch (the first day holds the 1,000 initial customers; later days add sign-ups and
changes). For anything else use ``python -m ecommerce_dwh.generator --help``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

try:
    from ecommerce_dwh.generator import GeneratorConfig, generate_day
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "include"))
    from ecommerce_dwh.generator import GeneratorConfig, generate_day


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, generate the days, print a one-line summary."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--customers", type=int, default=1_000, help="initial customers (1000)")
    p.add_argument("--orders", type=int, default=5_000, help="orders in total, about (5000)")
    p.add_argument("--days", type=int, default=30, help="days to spread the orders over (30)")
    p.add_argument("--start-date", type=dt.date.fromisoformat, default=dt.date(2024, 1, 1),
                   help="first day, also the universe's epoch (2024-01-01)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--format", choices=("csv", "parquet"), default="csv")
    p.add_argument("--output", type=Path, default=Path("data/sample"))
    args = p.parse_args(argv)
    if min(args.customers, args.orders, args.days) < 1:
        p.error("--customers, --orders and --days must be >= 1")
    cfg = GeneratorConfig(seed=args.seed, orders_per_day=math.ceil(args.orders / args.days),
                          initial_customers=args.customers, fmt=args.format,
                          epoch=args.start_date)
    rows = dict.fromkeys(("customers", "products", "orders", "order_items"), 0)
    for i in range(args.days):
        result = generate_day(args.start_date + dt.timedelta(days=i), cfg, args.output)
        for table, entry in result.manifest["tables"].items():
            rows[table] += entry["rows"]
    print(f"wrote {args.days} days to {args.output}: "
          + ", ".join(f"{n:,} {t} rows" for t, n in rows.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
