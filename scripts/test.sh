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

.venv/bin/python -m pytest "$@"
status=$?
if [[ $status -eq 5 ]]; then
  echo "test: pytest collected no tests: failing" >&2
  exit 1
fi
exit $status
