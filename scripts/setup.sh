#!/usr/bin/env bash
# Set up everything `make run` and `make test` need, on a fresh machine:
#   - .venv from pinned requirements (requirements-dev.txt, constrained by requirements.lock)
#   - the project package installed editable (include/ecommerce_dwh)
#   - the dbt manifest (Cosmos loads DAGs from it: LoadMode.DBT_MANIFEST)
#   - Java 17 for local Spark (scripts/setup_java.sh: Debian's, when missing)
#   - the Glue ETL job's module zip (build/glue/; Terraform uploads it)
# Idempotent and quick when nothing changed (a stamp holds the requirements' hash).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV=".venv"

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python >= 3.11 required (found $("$PYTHON" --version 2>&1)); set PYTHON=..." >&2
  exit 2
fi
command -v terraform >/dev/null || echo "setup: WARNING: terraform CLI not on PATH (needed by dwh_infrastructure and the tests)" >&2

stamp="$VENV/.requirements.sha256"
want="$(cat requirements.txt requirements-dev.txt requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" ]] || [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
  echo "setup: creating $VENV from requirements-dev.txt (pinned by requirements.lock)"
  [[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r requirements-dev.txt -c requirements.lock
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e .
  echo "$want" > "$stamp"
else
  echo "setup: $VENV up to date"
fi

# The dbt manifest: Cosmos renders the dbt task groups from it at DAG parse time.
# Parsed again unless it is newer than every file of the dbt project and the venv (dbt's
# version) - `make run` runs this set-up first, and a parse costs ~1.5 s.
manifest="include/dbt/target/manifest.json"
if [[ -f "$manifest" ]] && [[ ! "$stamp" -nt "$manifest" ]] && [[ -z "$(find include/dbt \
    \( -path include/dbt/target -o -path include/dbt/logs -o -path include/dbt/dbt_packages \) \
    -prune -o -newer "$manifest" -print -quit)" ]]; then
  echo "setup: dbt manifest up to date ($manifest)"
else
  DWH_ENVIRONMENT=local DBT_SEND_ANONYMOUS_USAGE_STATS=False \
    "$VENV/bin/dbt" parse --quiet --project-dir include/dbt --profiles-dir include/dbt --target local
  echo "setup: dbt manifest at $manifest"
fi

# Local mode runs the Glue job's script on local Spark, which needs a JVM.
scripts/setup_java.sh

# The zip of the modules the Glue job imports (deterministic; Terraform uploads it).
echo "setup: Glue job zip at $("$VENV/bin/python" -m ecommerce_dwh.silver.package)"
