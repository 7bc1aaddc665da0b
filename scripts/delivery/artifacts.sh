#!/usr/bin/env bash
# Build once, promote the same bytes: the release artifacts of one commit.
#
#   build DIR     build the dbt manifest (dbt parse, as scripts/setup.sh does) and the
#                 Glue job's zip (python -m ecommerce_dwh.silver.package), copy them to
#                 DIR under their repository paths, and write DIR/SHA256SUMS and
#                 DIR/BUILD_INFO.json (commit, time)
#   verify DIR    check every file of DIR against DIR/SHA256SUMS
#   install DIR   verify, then copy the files into the checkout (build/glue/...,
#                 include/dbt/target/manifest.json), where Terraform and the Airflow
#                 deploy read them; a file that differs from its checksum is refused
#
# Usage: scripts/delivery/artifacts.sh build|verify|install DIR
#        scripts/delivery/artifacts.sh --help
#
# The build uses .venv when it exists (make setup), else creates .local/venv-build with
# only dbt-core and dbt-duckdb at the versions requirements.lock pins.
#
# Environment:
#   PYTHON       interpreter that creates .local/venv-build (default: python3)
#   GITHUB_SHA   recorded in BUILD_INFO.json (default: git rev-parse HEAD)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FILES=(build/glue/ecommerce_dwh_glue.zip include/dbt/target/manifest.json)

usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "artifacts.sh: $*" >&2; exit 2; }

[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
[[ $# -eq 2 ]] || { usage >&2; die "expected a command and a directory"; }
COMMAND="$1"
DIR="$(mkdir -p "$2" && cd "$2" && pwd)"

verify() {
  [[ -f "$DIR/SHA256SUMS" ]] || die "$DIR/SHA256SUMS is missing"
  (cd "$DIR" && sha256sum --check --strict --quiet SHA256SUMS) \
    || die "$DIR does not match its SHA256SUMS: not the artifacts that were built"
  for file in "${FILES[@]}"; do
    grep -q "  $file\$" "$DIR/SHA256SUMS" || die "$DIR/SHA256SUMS lists no $file"
  done
}

case "$COMMAND" in
  build)
    cd "$ROOT"
    if [[ -x .venv/bin/dbt ]]; then
      VENV=.venv
    else
      VENV=.local/venv-build
      if [[ ! -x "$VENV/bin/dbt" ]]; then
        "${PYTHON:-python3}" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
          -c requirements.lock dbt-core dbt-duckdb
      fi
    fi
    DWH_ENVIRONMENT=local DBT_SEND_ANONYMOUS_USAGE_STATS=False DO_NOT_TRACK=true \
      "$VENV/bin/dbt" parse --quiet --project-dir include/dbt --profiles-dir include/dbt --target local
    PYTHONPATH="$ROOT/include" "$VENV/bin/python" -m ecommerce_dwh.silver.package >/dev/null
    rm -rf "${DIR:?}/build" "${DIR:?}/include"
    for file in "${FILES[@]}"; do
      mkdir -p "$DIR/$(dirname "$file")"
      cp "$file" "$DIR/$file"
    done
    (cd "$DIR" && sha256sum "${FILES[@]}" > SHA256SUMS)
    commit="${GITHUB_SHA:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}"
    printf '{"commit": "%s", "built_at": "%s"}\n' "$commit" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
      > "$DIR/BUILD_INFO.json"
    echo "artifacts of $commit in $DIR:"
    cat "$DIR/SHA256SUMS"
    ;;
  verify)
    verify
    echo "artifacts.sh: $DIR matches its SHA256SUMS"
    ;;
  install)
    verify
    for file in "${FILES[@]}"; do
      mkdir -p "$ROOT/$(dirname "$file")"
      cp "$DIR/$file" "$ROOT/$file"
    done
    (cd "$ROOT" && sha256sum --check --strict --quiet "$DIR/SHA256SUMS") \
      || die "the installed copies do not match $DIR/SHA256SUMS"
    echo "artifacts.sh: installed $(tr '\n' ' ' < "$DIR/SHA256SUMS")"
    ;;
  *) usage >&2; die "unknown command: $COMMAND" ;;
esac
