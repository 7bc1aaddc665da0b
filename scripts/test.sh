#!/usr/bin/env bash
# The test command (`make test`, and all that .ci/run calls): set up, then pytest.
# pytest's exit code 5 ("no tests collected") is a failure here, never a silent pass.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh || exit $?
# The UI tests drive Debian's Chromium (installed with apt when missing).
scripts/setup_browser.sh || exit $?
# checkov lives in its own venv (its botocore pin conflicts with Airflow's).
scripts/checkov.sh --install >/dev/null || exit $?
# The dashboard (Streamlit) lives in its own venv (its caps on starlette, uvicorn,
# websockets and pyarrow would hold Airflow back); tests/dashboard run its tests in it.
scripts/setup_dashboard.sh >/dev/null || exit $?

# Several workers (pytest-xdist): most of the suite's time is waiting (Terraform's
# provider, moto's crawls, Airflow's scheduler), not computing. Tests that share an
# expensive fixture stay on one worker (tests/conftest.py, XDIST_GROUPS).
# PYTEST_WORKERS=0 runs everything in this process.
workers="${PYTEST_WORKERS:-3}"
if [[ "$workers" == "0" ]]; then
  .venv/bin/python -m pytest "$@"
else
  .venv/bin/python -m pytest -n "$workers" --dist loadgroup "$@"
fi
status=$?
if [[ $status -eq 5 ]]; then
  echo "test: pytest collected no tests: failing" >&2
  exit 1
fi
exit $status
