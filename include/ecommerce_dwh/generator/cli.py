"""Command line: generate a range of days to a folder or to s3://bucket/prefix."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .config import DEFAULT_EPOCH, ORDERS_PER_SCALE_UNIT, GeneratorConfig
from .day import generate_day
from .progress import ProgressBar
from .storage import check_bucket, parse_s3_url, s3_client, upload_day

EXIT_USAGE = 2


class _OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus the error; a user needs the one line that says what is wrong."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


class UsageError(Exception):
    """A bad argument found after parsing (e.g. an unwritable output)."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else _bad_date(text)
    except ValueError:
        _bad_date(text)


def _bad_date(text: str) -> NoReturn:
    raise argparse.ArgumentTypeError(f"invalid date {text!r} (expected YYYY-MM-DD)")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The CLI's argument parser."""
    p = _OneLineParser(
        prog="python -m ecommerce_dwh.generator",
        description="Generate deterministic e-commerce days (customers, products, orders, "
        "order_items) plus a manifest per day. Each day is a pure function of the options "
        "and the date, so any day can be (re)generated alone.",
    )
    p.add_argument("--start-date", type=_date, default=DEFAULT_EPOCH, metavar="YYYY-MM-DD",
                   help="first day to generate (default: the epoch, %(default)s)")
    p.add_argument("--days", type=_positive_int, default=1, help="number of days (default 1)")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--orders-per-day", type=_positive_int, default=None,
                      help=f"mean orders per day (default {ORDERS_PER_SCALE_UNIT})")
    size.add_argument("--scale", type=_positive_float, default=None,
                      help=f"size as a multiple of the default day: orders per day = "
                      f"scale x {ORDERS_PER_SCALE_UNIT}")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--format", choices=("csv", "parquet"), default="csv", dest="fmt",
                   help="file format (default csv)")
    p.add_argument("--output", default="data/generated",
                   help="local folder or s3://bucket/prefix (endpoint from AWS_ENDPOINT_URL); "
                   "default %(default)s")
    p.add_argument("--bad-row-rate", type=float, default=0.0,
                   help="extra bad rows per good row, 0..0.5 (default 0: none)")
    p.add_argument("--locale", default="en_US", help="Faker locale (default en_US)")
    p.add_argument("--epoch", type=_date, default=DEFAULT_EPOCH, metavar="YYYY-MM-DD",
                   help="first day of the universe (default %(default)s)")
    p.add_argument("--initial-customers", type=_positive_int, default=None,
                   help="customers existing at the epoch (default 10 x orders per day)")
    p.add_argument("--initial-products", type=_positive_int, default=None,
                   help="products existing at the epoch (default 2 x orders per day)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return p


def _config(args: argparse.Namespace) -> GeneratorConfig:
    common = {"seed": args.seed, "bad_row_rate": args.bad_row_rate, "locale": args.locale,
              "fmt": args.fmt, "epoch": args.epoch, "initial_customers": args.initial_customers,
              "initial_products": args.initial_products}
    if args.scale is not None:
        return GeneratorConfig.from_scale(args.scale, **common)
    return GeneratorConfig(orders_per_day=args.orders_per_day or ORDERS_PER_SCALE_UNIT, **common)


def _check_local(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-probe"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"output {str(path)!r} is not writable: {exc.strerror or exc}") from exc


def run(args: argparse.Namespace) -> None:
    """Generate the requested days (raises UsageError for bad arguments)."""
    try:
        cfg = _config(args)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    if args.start_date < cfg.epoch:
        raise UsageError(f"--start-date {args.start_date} is before the epoch {cfg.epoch}")
    days = [args.start_date + dt.timedelta(days=i) for i in range(args.days)]
    s3 = None
    if args.output.startswith("s3://"):
        try:
            bucket, prefix = parse_s3_url(args.output)
            client = s3_client()
            check_bucket(client, bucket)
        except Exception as exc:  # botocore raises many types; all mean "cannot write there"
            raise UsageError(f"output {args.output!r} is not writable: {exc}") from exc
        s3 = (client, bucket, prefix)
    else:
        _check_local(Path(args.output))

    bar = ProgressBar(len(days), enabled=not args.no_progress)
    rows = 0
    for day in days:
        if s3 is None:
            result = generate_day(day, cfg, Path(args.output))
        else:
            with tempfile.TemporaryDirectory(prefix="ecommerce-gen-") as tmp:
                result = generate_day(day, cfg, Path(tmp))
                upload_day(result, *s3)
        rows += sum(t["rows"] for t in result.manifest["tables"].values())
        bar.update(1, f"{day} {rows:,} rows")
    bar.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code (2 for bad arguments, with one line on stderr)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        run(args)
    except UsageError as exc:
        sys.stderr.write(f"{parser.prog}: error: {exc}\n")
        return EXIT_USAGE
    return 0
