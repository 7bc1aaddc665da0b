"""Reading generated CSV files back in tests (the stdlib csv module: strict RFC 4180)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path


def read_rows(path: Path) -> list[dict[str, str]]:
    """All data rows of a clean CSV file as dicts of strings."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def parse_line(line: bytes) -> list[str]:
    """Fields of one CSV line (which must be valid UTF-8)."""
    return next(csv.reader(io.StringIO(line.decode("utf-8"))))


EPOCH = dt.date(2024, 1, 1)
RUN_DAYS = 14
