#!/usr/bin/env bash
# Deploy the data warehouse infrastructure to AWS without Airflow.
#
# A thin wrapper around the package's command line (python -m ecommerce_dwh.deploy),
# which the dwh_infrastructure DAG and the delivery workflow call too, so all three
# plan exactly the same thing: infra/terraform/environments/aws with <env>.tfvars and
# <env>.account.tfvars, state in the bucket of <env>.backend.hcl. Steps: bootstrap
# the account (state bucket, lock table, GitHub OIDC roles; local state), then init
# -> plan to a file (stored next to the state, with its SHA-256) -> apply exactly
# that file -> print the outputs. Never prompts.
#
# Usage: scripts/deploy.sh --env dev|staging|prod [--plan-only] [--skip-bootstrap]
#        scripts/deploy.sh --env ENV --apply-plan RECORD.json
#
#   --env ENV            environment to deploy (required): dev, staging or prod
#   --plan-only          stop after the stored plan; it prints the plan record to
#                        apply later with --apply-plan (nothing changes, except
#                        creating the state backend if it is missing)
#   --apply-plan FILE    apply exactly the plan of this record (a --plan-only run's)
#   --skip-bootstrap     do not touch the bootstrap stack (backend already exists, or
#                        your credentials may not manage it)
#   -h, --help           this text
#
# Per-account values (region, bucket name suffix, alert e-mail) live in
# infra/terraform/environments/aws/<env>.account.tfvars and the state location in
# <env>.backend.hcl: edit and commit them, so that the DAG and CI plan the same.
#
# Environment:
#   AWS credentials    AWS_PROFILE or the standard AWS_* variables (never in code)
#   AWS_ENDPOINT_URL   send every AWS call to an emulator (e.g. a moto server);
#                      TF_ENDPOINT_URL is accepted as an alias
#   DWH_STATE_DIR      where working data, plan records and the bootstrap state go
#                      (default <repo>/.local)
#   PYTHON             interpreter with boto3 (default: <repo>/.venv/bin/python)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() { sed -n '2,35p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "deploy.sh: $*" >&2; exit 2; }

ENVIRONMENT=""
PLAN_ONLY=false
SKIP_BOOTSTRAP=false
APPLY_PLAN=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) [[ $# -ge 2 ]] || die "--env needs a value"; ENVIRONMENT="$2"; shift 2 ;;
    --env=*) ENVIRONMENT="${1#--env=}"; shift ;;
    --plan-only) PLAN_ONLY=true; shift ;;
    --skip-bootstrap) SKIP_BOOTSTRAP=true; shift ;;
    --apply-plan) [[ $# -ge 2 ]] || die "--apply-plan needs a record file"; APPLY_PLAN="$2"; shift 2 ;;
    --var|--var=*)
      die "--var is gone: a value given here would make this plan differ from the DAG's and CI's. Put it in infra/terraform/environments/aws/<env>.account.tfvars (see docs/delivery.md)" ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
case "$ENVIRONMENT" in
  dev|staging|prod) ;;
  "") usage >&2; die "--env is required (dev, staging or prod)" ;;
  *) die "--env must be dev, staging or prod (local runs through the DAGs / make run), not '$ENVIRONMENT'" ;;
esac
if [[ -n "${TF_STATE_BUCKET:-}" || -n "${TF_LOCK_TABLE:-}" ]]; then
  die "TF_STATE_BUCKET/TF_LOCK_TABLE are no longer read: the state bucket and lock table are those of infra/terraform/environments/aws/$ENVIRONMENT.backend.hcl (edit it, so that the DAG uses the same)"
fi
if [[ -n "${TF_ENDPOINT_URL:-}" && -z "${AWS_ENDPOINT_URL:-}" ]]; then
  export AWS_ENDPOINT_URL="$TF_ENDPOINT_URL"
fi

PY="${PYTHON:-$ROOT/.venv/bin/python}"
[[ -x "$PY" ]] || PY="$(command -v python3)"
"$PY" -c 'import boto3' 2>/dev/null || die "$PY cannot import boto3: run scripts/setup.sh (or set PYTHON)"
command -v "${TERRAFORM_BIN:-terraform}" >/dev/null || die "terraform not found (install >= 1.6)"
export PYTHONPATH="$ROOT/include${PYTHONPATH:+:$PYTHONPATH}"
cli() { "$PY" -m ecommerce_dwh.deploy "$@"; }

if [[ -n "$APPLY_PLAN" ]]; then
  cli apply --env "$ENVIRONMENT" --plan-record "$APPLY_PLAN"
  cli outputs --env "$ENVIRONMENT"
  exit 0
fi
if [[ "$SKIP_BOOTSTRAP" == false ]]; then
  printf '\n==> bootstrap of the account of %s\n' "$ENVIRONMENT"
  cli bootstrap --env "$ENVIRONMENT"
fi
printf '\n==> %s\n' "$ENVIRONMENT"
if [[ "$PLAN_ONLY" == true ]]; then
  cli deploy --env "$ENVIRONMENT" --plan-only
else
  cli deploy --env "$ENVIRONMENT"
fi
