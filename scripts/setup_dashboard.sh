#!/usr/bin/env bash
# Create or refresh .venv-dashboard: the dashboard's own virtualenv (Streamlit).
#
# Streamlit caps packages that Airflow's web server also uses (starlette < 2,
# uvicorn < 1, websockets < 18, pyarrow < 27), so it lives beside the Airflow
# venv rather than in it: an Airflow upgrade never waits for Streamlit, and the
# container image (dashboard/Dockerfile) installs the very same lock.
# Installs dashboard/requirements-dev.txt constrained by dashboard/requirements.lock;
# idempotent and quick when nothing changed (a stamp holds the files' hash).
#
# Usage: scripts/setup_dashboard.sh [--help | --lock]
#   --lock   regenerate dashboard/requirements.lock (needs the package registry):
#            a clean venv, requirements-dev.txt constrained by the project's
#            requirements.lock (so shared packages, e.g. duckdb, keep its versions),
#            then pip freeze.
#
# Environment:
#   PYTHON           interpreter used to create the venv (default: python3)
#   DASHBOARD_VENV   venv location (default: <repo>/.venv-dashboard)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DASH="$ROOT/dashboard"
VENV="${DASHBOARD_VENV:-$ROOT/.venv-dashboard}"
PYTHON="${PYTHON:-python3}"

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi

if [[ "${1:-}" == "--lock" ]]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  "$PYTHON" -m venv "$tmp/venv"
  "$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$DASH/requirements-dev.txt" -c "$ROOT/requirements.lock"
  {
    echo "# Lock file of .venv-dashboard and of the dashboard image: every package at an exact"
    echo "# version (pip freeze of requirements-dev.txt, constrained by the project's requirements.lock)."
    echo "# Regenerate with: scripts/setup_dashboard.sh --lock"
    "$tmp/venv/bin/python" -m pip freeze --all --exclude pip --exclude setuptools --exclude wheel
  } > "$DASH/requirements.lock"
  echo "setup_dashboard: wrote $DASH/requirements.lock ($(grep -vc '^#' "$DASH/requirements.lock") packages)"
  exit 0
fi

stamp="$VENV/.requirements-dashboard.sha256"
wanted="$(cat "$DASH/requirements.txt" "$DASH/requirements-dev.txt" "$DASH/requirements.lock" \
  | sha256sum | cut -d' ' -f1)"
if [[ -x "$VENV/bin/streamlit" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  echo "setup_dashboard: $VENV up to date"
  exit 0
fi

echo "setup_dashboard: installing dashboard/requirements-dev.txt (pinned by dashboard/requirements.lock) into $VENV"
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
log="$VENV/pip-install.log"
if ! "$VENV/bin/python" -m pip install --disable-pip-version-check \
    -r "$DASH/requirements-dev.txt" -c "$DASH/requirements.lock" >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "setup_dashboard: pip install failed (full log: $log)" >&2
  exit 2
fi
echo "$wanted" > "$stamp"
echo "setup_dashboard: $VENV ready ($("$VENV/bin/streamlit" version 2>/dev/null | tail -n 1))"
