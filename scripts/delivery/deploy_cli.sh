#!/usr/bin/env bash
# Run the package's deploy command line (python -m ecommerce_dwh.deploy) in a small
# venv of its own: what every Terraform step of the delivery workflow calls, and what
# runs the same on a laptop.
#
# Its venv (.local/venv-deploy) holds boto3 only, at the versions requirements.lock
# pins, so a deploy job installs in seconds instead of building the Airflow venv.
# The package itself comes from include/ (PYTHONPATH), i.e. from this checkout.
#
# Usage: scripts/delivery/deploy_cli.sh [--install | --help | COMMAND [options]]
#   --install   only create/refresh the venv
#   --help      this text, then the command line's own help
#   COMMAND     describe | bootstrap | plan | apply | deploy | outputs | smoke-check |
#               mwaa-sync
#               (python -m ecommerce_dwh.deploy COMMAND --help for each one's options)
#
# Examples (what .github/workflows/deploy-environment.yml runs):
#   scripts/delivery/deploy_cli.sh plan --env staging --artifacts dist --summary
#   scripts/delivery/deploy_cli.sh apply --env staging --plan-record-json "$PLAN_RECORD"
#
# Environment:
#   PYTHON       interpreter that creates the venv (default: python3)
#   DEPLOY_VENV  venv location (default: <repo>/.local/venv-deploy)
#   AWS credentials, AWS_ENDPOINT_URL: as python -m ecommerce_dwh.deploy --help says
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${DEPLOY_VENV:-$ROOT/.local/venv-deploy}"
PYTHON="${PYTHON:-python3}"
export PYTHONPATH="$ROOT/include${PYTHONPATH:+:$PYTHONPATH}"

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo
  # The command line imports nothing but the standard library until it runs.
  exec "$PYTHON" -m ecommerce_dwh.deploy --help
fi

# (Re)install when the venv is missing or the lock changed.
stamp="$VENV/.requirements.sha256"
wanted="$(sha256sum "$ROOT/requirements.lock" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
  echo "deploy_cli.sh: installing boto3 (pinned by requirements.lock) into $VENV" >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -c "$ROOT/requirements.lock" boto3 >&2
  echo "$wanted" >"$stamp"
fi
if [[ "${1:-}" == "--install" ]]; then
  "$VENV/bin/python" -c 'import boto3; print("boto3", boto3.__version__)'
  exit 0
fi

exec "$VENV/bin/python" -m ecommerce_dwh.deploy "$@"
