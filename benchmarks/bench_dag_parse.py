#!/usr/bin/env python
"""Cold parse time of every DAG file, each in its own fresh process (goal <= 0.5 s).

    .venv/bin/python benchmarks/bench_dag_parse.py            # 5 fresh processes per file

A DAG processor imports Airflow once and then parses files; what a file costs is the
parse itself, with the file's own imports (Cosmos, the providers, our package) not yet
loaded. So each sample is a new interpreter that first imports Airflow's DagBag (not
timed), then times ``DagBag(dag_folder=<file>)``. The baseline, run side by side, is a
minimal DAG file (one ``@task``) parsed the same way; the ratio shows what our files add
to Airflow's own per-file cost. Prints the median and the worst of the samples.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 0.5

_SAMPLE = """
import json, sys, time
from airflow.dag_processing.dagbag import DagBag  # Airflow itself: not timed
start = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "dags": sorted(bag.dags),
                  "errors": {k: str(v)[:300] for k, v in bag.import_errors.items()}}))
"""

_BASELINE_DAG = '''
import datetime as dt
from airflow.sdk import dag, task

@dag(dag_id="baseline", schedule=None, start_date=dt.datetime(2024, 1, 1))
def baseline():
    @task
    def hello():
        return 1
    hello()

baseline()
'''


def sample(path: Path, env: dict[str, str]) -> float:
    proc = subprocess.run([sys.executable, "-c", _SAMPLE, str(path)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    if proc.returncode != 0:
        sys.exit(f"parsing {path} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["errors"] or not result["dags"]:
        sys.exit(f"{path}: no DAG parsed: {result['errors']}")
    return float(result["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5, help="fresh processes per file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-parse-") as tmp:
        home = Path(tmp)
        baseline = home / "baseline_dag.py"
        baseline.write_text(_BASELINE_DAG)
        env = {**os.environ, "AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
               "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False", "DO_NOT_TRACK": "true",
               "SCARF_ANALYTICS": "false", "DWH_STATE_DIR": str(home / "state"),
               "PYTHONPATH": str(ROOT / "include")}
        files = [baseline, *sorted((ROOT / "dags").glob("dwh_*.py"))]
        results: dict[str, list[float]] = {path.name: [] for path in files}
        # Interleave the files so that machine load hits them all alike.
        for _ in range(args.samples):
            for path in files:
                results[path.name].append(sample(path, env))

    base = statistics.median(results[baseline.name])
    print(f"DAG file parse, cold, {args.samples} fresh processes each "
          f"(median / worst, seconds; goal <= {GOAL_SECONDS} s)\n")
    print(f"{'file':<26}{'median':>9}{'worst':>9}{'x baseline':>12}  goal")
    for name, seconds in results.items():
        median, worst = statistics.median(seconds), max(seconds)
        verdict = "" if name == baseline.name else ("met" if median <= GOAL_SECONDS else "MISSED")
        print(f"{name:<26}{median:>9.3f}{worst:>9.3f}{median / base:>11.1f}x  {verdict}")


if __name__ == "__main__":
    main()
