"""What a GitHub Actions job shows and passes on: the job summary and step outputs.

Outside GitHub (no ``GITHUB_STEP_SUMMARY``/``GITHUB_OUTPUT``) the summary is printed and
the outputs are skipped, so every step runs the same on a laptop.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ecommerce_dwh.deploy.plans import PlanRecord

#: GitHub caps a step's summary at 1 MiB; the plan text is cut well below that.
MAX_PLAN_CHARS = 60_000


def append_summary(markdown: str) -> None:
    """Append to the job summary (``$GITHUB_STEP_SUMMARY``), or print it."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(markdown.rstrip() + "\n\n")
    else:
        sys.stdout.write(markdown.rstrip() + "\n")


def set_outputs(values: Mapping[str, str]) -> None:
    """Write step outputs (``$GITHUB_OUTPUT``); a no-op outside GitHub Actions."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as handle:
        for name, value in values.items():
            if "\n" in value:
                marker = f"EOF_{uuid.uuid4().hex}"
                handle.write(f"{name}<<{marker}\n{value}\n{marker}\n")
            else:
                handle.write(f"{name}={value}\n")


def plan_markdown(record: PlanRecord, plan_text: str, title: str) -> str:
    """A reviewer's view of a plan: counts, its checksum, the full text folded."""
    text = plan_text.strip() or "(no output)"
    if len(text) > MAX_PLAN_CHARS:
        text = text[:MAX_PLAN_CHARS] + "\n... (cut: run `terraform show` on the plan file)"
    fence = "````"
    return (
        f"### {title}\n\n"
        f"**{record.summary}**\n\n"
        f"| | |\n|---|---|\n"
        f"| environment | `{record.environment}` |\n"
        f"| plan file | `{record.location}` |\n"
        f"| plan SHA-256 | `{record.sha256}` |\n"
        f"| Glue job zip SHA-256 | `{record.etl_package_sha256}` |\n\n"
        f"<details><summary>terraform show</summary>\n\n{fence}text\n{text}\n{fence}\n\n"
        f"</details>\n"
    )


def outputs_markdown(environment: str, outputs: Mapping[str, Any]) -> str:
    """The environment's Terraform outputs as a table."""
    rows = "\n".join(f"| `{name}` | `{value}` |" for name, value in sorted(outputs.items()))
    return f"### Terraform outputs of `{environment}`\n\n| output | value |\n|---|---|\n{rows}\n"
