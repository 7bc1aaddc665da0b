"""Run the in-venv dashboard tests (app_tests/: AppTest pages, the warehouse readers)
with .venv-dashboard's Python, from the main pytest; pass only if they all passed.

Streamlit lives in its own venv (scripts/setup_dashboard.sh), so this is a child
pytest; its whole output is printed when it fails.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from ecommerce_dwh.settings import PROJECT_ROOT

pytestmark = pytest.mark.dashboard

INNER = Path(__file__).resolve().parent / "app_tests"

#: The inner suite has this many tests at least (guards against a silent collection loss).
MIN_TESTS = 50


def test_dashboard_app_tests_pass_in_their_venv(dashboard_python: Path) -> None:
    proc = subprocess.run(
        [str(dashboard_python), "-m", "pytest", "-c", str(INNER / "pytest.ini"), str(INNER),
         "-q", "-p", "no:randomly"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=900, check=False,
    )
    output = proc.stdout + proc.stderr
    summary = output.strip().splitlines()[-1] if output.strip() else "(no output)"
    print(f"\napp_tests ({dashboard_python}): {summary}")
    assert proc.returncode == 0, f"app_tests failed (exit {proc.returncode}):\n{output[-20000:]}"
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= MIN_TESTS, output[-5000:]
    assert not re.search(r"\d+ (failed|skipped|error)", summary), output[-5000:]
