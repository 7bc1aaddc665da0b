#!/usr/bin/env bash
# Lint every GitHub Actions workflow: actionlint (syntax, expressions, action inputs,
# job graph) and zizmor (security: pinning, permissions, injection, credentials, ...).
# Zero findings pass; a finding that is accepted carries an inline
# `# zizmor: ignore[<audit>]` with its reason on the line above.
#
# Both are pinned in requirements-tools.txt and live in .venv-tools, which
# scripts/checkov.sh --install creates (scripts/test.sh runs it before the tests);
# this script runs that install when a tool is missing. zizmor runs --offline: its
# online audits need a GitHub token and network.
#
# Usage: scripts/delivery/lint_workflows.sh [--install | --help] [FILES...]
#   --install   only make sure both tools are installed
#   FILES       workflow files (default: .github/workflows/*.yml)
#
# Environment:
#   TOOLS_VENV   the tools venv (default: <repo>/.venv-tools)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${TOOLS_VENV:-$ROOT/.venv-tools}"

if [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]; then
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 0
fi
if [[ ! -x "$VENV/bin/actionlint" || ! -x "$VENV/bin/zizmor" ]]; then
  TOOLS_VENV="$VENV" "$ROOT/scripts/checkov.sh" --install >&2
fi
[[ -x "$VENV/bin/actionlint" && -x "$VENV/bin/zizmor" ]] \
  || { echo "lint_workflows.sh: actionlint/zizmor missing from $VENV after install" >&2; exit 2; }
if [[ "${1:-}" == "--install" ]]; then
  echo "$("$VENV/bin/actionlint" -version | head -1), $("$VENV/bin/zizmor" --version)"
  exit 0
fi

cd "$ROOT"
files=("$@")
[[ ${#files[@]} -gt 0 ]] || files=(.github/workflows/*.yml)
status=0
echo "==> actionlint ${files[*]}"
"$VENV/bin/actionlint" -no-color "${files[@]}" || status=1
echo "==> zizmor ${files[*]}"
"$VENV/bin/zizmor" --offline --no-progress --persona pedantic "${files[@]}" || status=1
exit $status
