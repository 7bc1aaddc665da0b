#!/usr/bin/env bash
# Ship the Airflow project of this checkout to the environment's Airflow deployment.
#
#   astro   astro deploy <deployment id>: builds the image from the Dockerfile and
#           pushes it with the DAGs (the Astro CLI, pinned and checksum-verified, is
#           installed into .local/bin); authenticated by the Deployment API token
#   mwaa    syncs dags/, include/, infra/terraform/, the Glue zip and requirements.txt
#           to the MWAA environment's bucket (python -m ecommerce_dwh.deploy mwaa-sync)
#           with the job's AWS role
#   none    ships nothing (the environment's Airflow is deployed some other way)
#
# Usage: scripts/delivery/deploy_airflow.sh --env ENV [--platform astro|mwaa|none] [--dry-run]
#   --env ENV        dev, staging or prod
#   --platform P     default: $AIRFLOW_PLATFORM, else none
#   --dry-run        print what would run; change nothing, download nothing
#   -h, --help       this text
#
# Environment:
#   astro: ASTRO_API_TOKEN (a Deployment API token: a GitHub environment secret),
#          ASTRO_DEPLOYMENT_ID, ASTRO_CLI_VERSION (default 1.40.1), ASTRO_CLI_SHA256
#          (optional: pin the tarball's SHA-256; without it the release's own
#          checksums file is checked)
#   mwaa:  MWAA_BUCKET, AWS credentials
#   GITHUB_SHA (the deploy's description)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
usage() { sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "deploy_airflow.sh: $*" >&2; exit 2; }

ENVIRONMENT=""
PLATFORM="${AIRFLOW_PLATFORM:-none}"
DRY_RUN=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) [[ $# -ge 2 ]] || die "--env needs a value"; ENVIRONMENT="$2"; shift 2 ;;
    --platform) [[ $# -ge 2 ]] || die "--platform needs a value"; PLATFORM="$2"; shift 2 ;;
    --dry-run) DRY_RUN=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[[ "$ENVIRONMENT" =~ ^(dev|staging|prod)$ ]] || die "--env must be dev, staging or prod"
run() { if [[ "$DRY_RUN" == true ]]; then echo "would run: $*"; else "$@"; fi; }

install_astro() {
  local version="${ASTRO_CLI_VERSION:-1.40.1}" arch bin="$ROOT/.local/bin"
  if [[ -x "$bin/astro" ]] && "$bin/astro" version 2>/dev/null | grep -q "$version"; then
    return
  fi
  case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64|arm64) arch=arm64 ;; *) die "unsupported CPU $(uname -m)" ;; esac
  local base="https://github.com/astronomer/astro-cli/releases/download/v$version"
  local tarball="astro_${version}_linux_${arch}.tar.gz" tmp
  tmp="$(mktemp -d)"
  curl -fsSL --retry 3 -o "$tmp/$tarball" "$base/$tarball"
  if [[ -n "${ASTRO_CLI_SHA256:-}" ]]; then
    echo "${ASTRO_CLI_SHA256}  $tmp/$tarball" | sha256sum --check --strict --quiet
  else
    curl -fsSL --retry 3 -o "$tmp/checksums.txt" "$base/astro_${version}_checksums.txt"
    (cd "$tmp" && grep "  $tarball\$" checksums.txt | sha256sum --check --strict --quiet)
  fi
  mkdir -p "$bin"
  tar -xzf "$tmp/$tarball" -C "$tmp" astro
  install -m 0755 "$tmp/astro" "$bin/astro"
  rm -rf "$tmp"
}

case "$PLATFORM" in
  astro)
    [[ -n "${ASTRO_DEPLOYMENT_ID:-}" ]] || die "ASTRO_DEPLOYMENT_ID is not set (a GitHub environment variable)"
    [[ "$DRY_RUN" == true || -n "${ASTRO_API_TOKEN:-}" ]] || die "ASTRO_API_TOKEN is not set (a GitHub environment secret)"
    if [[ "$DRY_RUN" == true ]]; then
      echo "would install the Astro CLI ${ASTRO_CLI_VERSION:-1.40.1} into $ROOT/.local/bin (checksum-verified)"
    else
      install_astro
    fi
    cd "$ROOT"
    # --wait: return once the Deployment runs the new image, so that the smoke check
    # that follows talks to this commit's Airflow.
    run "$ROOT/.local/bin/astro" deploy "$ASTRO_DEPLOYMENT_ID" --force --wait \
      --description "ecommerce-dwh ${GITHUB_SHA:-$(git rev-parse --short HEAD 2>/dev/null || echo local)} to $ENVIRONMENT"
    ;;
  mwaa)
    [[ -n "${MWAA_BUCKET:-}" ]] || die "MWAA_BUCKET is not set (a GitHub environment variable)"
    args=(mwaa-sync --env "$ENVIRONMENT" --bucket "$MWAA_BUCKET" --summary)
    [[ "$DRY_RUN" == true ]] && args+=(--dry-run)
    "$ROOT/scripts/delivery/deploy_cli.sh" "${args[@]}"
    ;;
  none)
    echo "deploy_airflow.sh: AIRFLOW_PLATFORM is none: no Airflow deployment shipped for $ENVIRONMENT"
    ;;
  *) die "--platform must be astro, mwaa or none, not '$PLATFORM'" ;;
esac
