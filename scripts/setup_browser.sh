#!/usr/bin/env bash
# Set up the browser of the UI tests (tests/ui, marker `ui`): Debian's Chromium.
#   - installs the `chromium` package with apt-get when /usr/bin/chromium is missing
#     (needs root, as in CI; otherwise prints the command to run and fails);
#   - the Python driver (Playwright, pinned in requirements-dev.txt) comes with .venv
#     from scripts/setup.sh and drives this Chromium through `executable_path`:
#     `playwright install` (a browser download) is never run.
# Idempotent: quick when Chromium is already there. Override the path with CHROMIUM_BIN.
set -euo pipefail

CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"

if [[ -x "$CHROMIUM_BIN" ]]; then
  echo "setup_browser: chromium present: $("$CHROMIUM_BIN" --version 2>/dev/null || echo "$CHROMIUM_BIN")"
  exit 0
fi

if [[ "$CHROMIUM_BIN" != /usr/bin/chromium ]]; then
  echo "setup_browser: CHROMIUM_BIN=$CHROMIUM_BIN is not an executable" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null; then
  echo "setup_browser: $CHROMIUM_BIN missing and no apt-get here: install Chromium and set CHROMIUM_BIN" >&2
  exit 1
fi

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null; then
    SUDO="sudo"
  else
    echo "setup_browser: $CHROMIUM_BIN missing; as root run: apt-get update && apt-get install -y chromium" >&2
    exit 1
  fi
fi

echo "setup_browser: ============================================================"
echo "setup_browser: $CHROMIUM_BIN is missing: INSTALLING Debian's chromium with apt-get"
echo "setup_browser:   ${SUDO:+$SUDO }apt-get update && ${SUDO:+$SUDO }apt-get install -y --no-install-recommends chromium"
echo "setup_browser: ============================================================"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium
"$CHROMIUM_BIN" --version
echo "setup_browser: chromium installed"
