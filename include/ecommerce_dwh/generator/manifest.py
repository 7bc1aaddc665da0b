"""The per-day manifest: the ground truth a pipeline reconciles against."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .sinks import FileStats


def cents_to_decimal_string(cents: int) -> str:
    """Exact decimal string of an amount in cents, e.g. 123456 -> '1234.56'."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def build_manifest(*, version: str, day: str, params: dict[str, Any],
                   files: dict[str, str], stats: dict[str, FileStats], line_cents: int,
                   scd2: dict[str, int], new_rows: dict[str, int],
                   status_changes: int) -> dict[str, Any]:
    """Assemble the manifest dict (keys as documented in the generator's README section)."""
    return {
        "generator_version": version,
        "day": day,
        "params": params,
        "tables": {
            table: {
                "file": files[table],
                "rows": st.rows,
                "good_rows": st.good_rows,
                "bad_rows": dict(st.bad_rows),
                "bytes": st.bytes,
                "sha256": st.sha256,
            }
            for table, st in stats.items()
        },
        "order_items_line_amount_usd": cents_to_decimal_string(line_cents),
        "scd2_changes": scd2,
        "new_rows": new_rows,
        "order_status_changes": status_changes,
        "bad_rows_total": sum(sum(st.bad_rows.values()) for st in stats.values()),
    }


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest as one line of JSON with sorted keys (deterministic bytes), atomically.

    One object per line is what Redshift Spectrum's JSON SerDe reads, so the same
    file serves the DuckDB and the Redshift reconciliation.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    text = json.dumps(manifest, sort_keys=True, separators=(",", ":"))
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)
