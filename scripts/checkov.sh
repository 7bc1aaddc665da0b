#!/usr/bin/env bash
# Static security scan of infra/terraform with checkov, offline.
#
# checkov pins an older botocore than Airflow, so it lives in its own venv
# (.venv-tools, from requirements-tools.txt, with the IAM policy linter parliament
# that tests/terraform/test_iam_policy_lint.py runs), created or refreshed here when
# requirements-tools.txt changed. Exits non-zero on any failed check; every
# accepted finding is skipped inline in the .tf code with its reason.
#
# Usage: scripts/checkov.sh [--help | --install | extra checkov arguments]
#   --install    only create/refresh .venv-tools (checkov and parliament; for setup
#                scripts, CI images and the IAM lint test)
#   With no extra arguments the output is compact and lists failures only.
#   Example (what tests/terraform/test_checkov.py runs):
#     scripts/checkov.sh -o cli -o json --output-file-path console,/tmp/checkov.json
#
# Environment:
#   PYTHON       interpreter used to create the venv (default: python3)
#   TOOLS_VENV   venv location (default: <repo>/.venv-tools)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQUIREMENTS="$ROOT/requirements-tools.txt"
VENV="${TOOLS_VENV:-$ROOT/.venv-tools}"
PYTHON="${PYTHON:-python3}"

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi

# (Re)install when the venv is missing or requirements-tools.txt changed.
stamp="$VENV/.requirements-tools.sha256"
wanted="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/checkov" || ! -x "$VENV/bin/parliament" || ! -f "$stamp" \
      || "$(cat "$stamp")" != "$wanted" ]]; then
  echo "checkov.sh: installing $REQUIREMENTS into $VENV" >&2
  "$PYTHON" -m venv "$VENV"
  log="$VENV/pip-install.log"
  if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -r "$REQUIREMENTS" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "checkov.sh: pip install -r $REQUIREMENTS failed (full log: $log)" >&2
    exit 2
  fi
  echo "$wanted" >"$stamp"
fi

if [[ "${1:-}" == "--install" ]]; then
  echo "checkov $("$VENV/bin/checkov" --version), $("$VENV/bin/parliament" --version)"
  exit 0
fi

# Offline and quiet: no policy/mapping downloads, no version check.
export BC_SKIP_MAPPING=TRUE
export CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false
export SKIP_CHECKOV_VERSION_CHECK=true  # suppress "new version available" lookups

args=(-d "$ROOT/infra/terraform" --framework terraform --skip-download)
if [[ $# -eq 0 ]]; then
  args+=(--compact --quiet)
fi

exec "$VENV/bin/checkov" "${args[@]}" "$@"
