#!/usr/bin/env python
"""``make run``, the newcomer's first run, after set-up (goal <= 120 s), with where the
seconds go.

    .venv/bin/python benchmarks/bench_make_run.py              # ~4 min
    .venv/bin/python benchmarks/bench_make_run.py --runs 2

First ``make setup`` runs and is timed on its own (reported, not counted: on a set-up
checkout it has nothing to do). Then each run is exactly ``make run STOP_MOTO=1`` (the
default 2 days of 200 orders) in a new, empty state folder (``DWH_STATE_DIR``) with a
moto server on a free port (``MOTO_PORT``): a new moto server, Terraform's init, plan and
apply, and both days' ingest and transform, as on a fresh clone. The total is the
command's wall time; the breakdown is read from the lines ``make run`` prints.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import ecommerce_dwh  # noqa: F401
except ImportError:  # a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT / "include"))

from ecommerce_dwh.local.processes import free_port  # noqa: E402

GOAL_SECONDS = 120.0
#: "dwh_ingest         : 2024-01-01 success in  16.1s" (ecommerce_dwh.local.pipeline)
DAG_LINE = re.compile(r"^(dwh_\w+)\s*: (\S+) success in\s+([\d.]+)s")
DB_LINE = re.compile(r"^airflow db\s*: migrated \(([\d.]+)s\)")


def timed(command: list[str], env: dict[str, str], log: Path) -> tuple[float, str]:
    """Run ``command`` in the project root; its wall time and output (failing loudly)."""
    start = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - start
    output = result.stdout + result.stderr
    log.write_text(output)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}); log {log}:\n"
                         + output[-3000:])
    return seconds, output


def breakdown(output: str, total: float) -> list[tuple[str, float]]:
    """(step, seconds) from ``make run``'s lines, and the rest of the wall time."""
    steps = []
    for line in output.splitlines():
        if match := DAG_LINE.match(line):
            steps.append((f"{match[1]} {match[2]}", float(match[3])))
        elif match := DB_LINE.match(line):
            steps.append(("airflow db migrate", float(match[1])))
    counted = sum(seconds for _, seconds in steps)
    steps.append(("the rest (moto start, make, CLI starts, the summary)", total - counted))
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="timed runs (default 1)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the state folders (logs of every DAG run) and print them")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-make-run-"))
    env = dict(os.environ)
    setup_seconds, _ = timed(["make", "setup"], env, work / "setup.log")
    load = os.getloadavg()[0]
    print(f"make setup: {setup_seconds:.1f} s (excluded from the goal); "
          f"{os.cpu_count()} cores; machine load {load:.1f}")

    totals = []
    for run in range(1, args.runs + 1):
        state = work / f"run{run}"
        run_env = {**env, "DWH_STATE_DIR": str(state)}
        command = ["make", "run", "STOP_MOTO=1", f"MOTO_PORT={free_port()}"]
        total, output = timed(command, run_env, work / f"run{run}.log")
        totals.append(total)
        print(f"\nrun {run}: {' '.join(command)}  {total:.1f} s")
        for step, seconds in breakdown(output, total):
            print(f"    {step:<55} {seconds:6.1f} s")
        if not args.keep:
            shutil.rmtree(state, ignore_errors=True)

    best = min(totals)
    verdict = "met" if best <= GOAL_SECONDS else "MISSED"
    print(f"\nmake run after set-up: {', '.join(f'{t:.1f} s' for t in totals)}; "
          f"goal <= {GOAL_SECONDS:.0f} s: {verdict}")
    if args.keep:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
