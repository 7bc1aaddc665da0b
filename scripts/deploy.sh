#!/usr/bin/env bash
# Deploy the data warehouse infrastructure to AWS without Airflow.
#
# The same steps as the dwh_infrastructure DAG: bootstrap the state backend
# (S3 bucket + DynamoDB lock table, local state), then in the environment:
# init with the remote backend -> plan to a file -> apply that plan file ->
# print the outputs. Never prompts: the Redshift admin password is generated
# and kept by Secrets Manager (manage_admin_password), there is none to type.
#
# Usage: scripts/deploy.sh --env dev|staging|prod [--plan-only] [--skip-bootstrap]
#                          [--var NAME=VALUE ...]
#
#   --env ENV          environment to deploy (required): dev, staging or prod
#   --plan-only        stop after writing the plan file (nothing is changed,
#                      except creating the state backend if it is missing)
#   --skip-bootstrap   do not touch the bootstrap stack (backend already exists)
#   --var NAME=VALUE   extra -var for the environment (repeatable), e.g.
#                      --var bucket_name_suffix=123456789012
#   -h, --help         this text
#
# Environment:
#   AWS credentials    the standard AWS_* variables or AWS_PROFILE (never in code)
#   AWS_REGION         region (default us-east-2)
#   TF_STATE_BUCKET    state bucket name (default tf-state-ecommerce-dwh; must be
#                      globally unique, e.g. tf-state-ecommerce-dwh-<account id>)
#   TF_LOCK_TABLE      lock table name (default tf-locks-ecommerce-dwh)
#   TF_ENDPOINT_URL    point every AWS call at an emulator (e.g. a moto server)
#   DWH_STATE_DIR      where bootstrap state and plan files go (default <repo>/.local)
#   TERRAFORM_BIN      terraform executable (default terraform)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TF_ROOT="$ROOT/infra/terraform"

usage() { sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "deploy.sh: $*" >&2; exit 2; }
step() { printf '\n==> %s\n' "$*"; }

ENVIRONMENT=""
PLAN_ONLY=false
SKIP_BOOTSTRAP=false
EXTRA_VARS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) [[ $# -ge 2 ]] || die "--env needs a value"; ENVIRONMENT="$2"; shift 2 ;;
    --env=*) ENVIRONMENT="${1#--env=}"; shift ;;
    --plan-only) PLAN_ONLY=true; shift ;;
    --skip-bootstrap) SKIP_BOOTSTRAP=true; shift ;;
    --var) [[ $# -ge 2 ]] || die "--var needs NAME=VALUE"; EXTRA_VARS+=("-var=$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
case "$ENVIRONMENT" in
  dev|staging|prod) ;;
  "") usage >&2; die "--env is required (dev, staging or prod)" ;;
  *) die "--env must be dev, staging or prod (local runs through the DAGs / make run), not '$ENVIRONMENT'" ;;
esac

TERRAFORM="${TERRAFORM_BIN:-terraform}"
command -v "$TERRAFORM" >/dev/null || die "terraform not found (install >= 1.6 or set TERRAFORM_BIN)"

REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-2}}"
STATE_BUCKET="${TF_STATE_BUCKET:-tf-state-ecommerce-dwh}"
LOCK_TABLE="${TF_LOCK_TABLE:-tf-locks-ecommerce-dwh}"
STATE_DIR="${DWH_STATE_DIR:-$ROOT/.local}/terraform"
mkdir -p "$STATE_DIR"

# Working data outside the source tree, one directory per stack.
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
COMMON_VARS=("-var=region=$REGION")
if [[ -n "${TF_ENDPOINT_URL:-}" ]]; then
  COMMON_VARS+=("-var=aws_endpoint_url=$TF_ENDPOINT_URL")
fi

# Offline images carry a filesystem mirror of hashicorp/aws: reuse the
# project's own discovery (include/ecommerce_dwh/terraform.py) when it is importable.
if [[ -z "${TF_CLI_CONFIG_FILE:-}" || ! -f "${TF_CLI_CONFIG_FILE:-}" ]]; then
  PY="$ROOT/.venv/bin/python"; [[ -x "$PY" ]] || PY="python3"
  if TF_RC="$(PYTHONPATH="$ROOT/include${PYTHONPATH:+:$PYTHONPATH}" "$PY" - "$STATE_DIR/terraform.rc" <<'PY' 2>/dev/null
import sys
from pathlib import Path
from ecommerce_dwh.terraform import find_provider_mirror, write_cli_config
print(write_cli_config(Path(sys.argv[1]), find_provider_mirror()))
PY
)"; then
    export TF_CLI_CONFIG_FILE="$TF_RC"
  else
    unset TF_CLI_CONFIG_FILE  # fall back to Terraform's defaults (public registry)
  fi
fi

# tf <stack> <terraform args...>: the bootstrap root, or an AWS environment, which is
# the aws root with the environment's own working data (so its backend stays its own).
tf() {
  local stack="$1" root=aws; shift
  [[ "$stack" == bootstrap ]] && root=bootstrap
  TF_DATA_DIR="$STATE_DIR/$stack/.terraform" "$TERRAFORM" -chdir="$TF_ROOT/environments/$root" "$@"
}

if [[ "$SKIP_BOOTSTRAP" == false ]]; then
  step "bootstrap: state bucket $STATE_BUCKET and lock table $LOCK_TABLE ($REGION)"
  BOOT_VARS=("${COMMON_VARS[@]}" "-var=state_bucket_name=$STATE_BUCKET" "-var=lock_table_name=$LOCK_TABLE")
  if [[ -n "${TF_ENDPOINT_URL:-}" ]]; then
    # An emulator speaks plain http: a TLS-only state bucket would lock us out.
    BOOT_VARS+=("-var=deny_insecure_transport=false")
  fi
  tf bootstrap init -input=false -reconfigure -backend-config="path=$STATE_DIR/bootstrap.tfstate"
  set +e
  tf bootstrap plan -input=false -detailed-exitcode -out="$STATE_DIR/bootstrap.tfplan" "${BOOT_VARS[@]}"
  rc=$?
  set -e
  case $rc in
    0) echo "bootstrap: up to date" ;;
    2) tf bootstrap apply -input=false "$STATE_DIR/bootstrap.tfplan" ;;
    *) die "bootstrap plan failed (exit $rc)" ;;
  esac
fi

step "$ENVIRONMENT: init (s3://$STATE_BUCKET/ecommerce-dwh/$ENVIRONMENT/terraform.tfstate)"
BACKEND_ARGS=(
  -backend-config="$ENVIRONMENT.backend.hcl"
  -backend-config="bucket=$STATE_BUCKET"
  -backend-config="dynamodb_table=$LOCK_TABLE"
  -backend-config="region=$REGION"
)
if [[ -n "${TF_ENDPOINT_URL:-}" ]]; then
  BACKEND_RC="$STATE_DIR/$ENVIRONMENT-endpoint-backend.hcl"
  cat >"$BACKEND_RC" <<HCL
endpoints = {
  s3       = "$TF_ENDPOINT_URL"
  dynamodb = "$TF_ENDPOINT_URL"
  iam      = "$TF_ENDPOINT_URL"
  sts      = "$TF_ENDPOINT_URL"
}
use_path_style              = true
skip_credentials_validation = true
skip_requesting_account_id  = true
skip_metadata_api_check     = true
HCL
  BACKEND_ARGS+=("-backend-config=$BACKEND_RC")
fi
tf "$ENVIRONMENT" init -input=false -reconfigure "${BACKEND_ARGS[@]}"

PLAN_FILE="$STATE_DIR/$ENVIRONMENT.tfplan"
step "$ENVIRONMENT: plan -> $PLAN_FILE"
tf "$ENVIRONMENT" plan -input=false -out="$PLAN_FILE" -var-file="$ENVIRONMENT.tfvars" \
  "${COMMON_VARS[@]}" ${EXTRA_VARS[@]+"${EXTRA_VARS[@]}"}

if [[ "$PLAN_ONLY" == true ]]; then
  step "plan only: review it with 'TF_DATA_DIR=$STATE_DIR/$ENVIRONMENT/.terraform terraform -chdir=$TF_ROOT/environments/aws show $PLAN_FILE'"
  exit 0
fi

step "$ENVIRONMENT: apply $PLAN_FILE"
tf "$ENVIRONMENT" apply -input=false "$PLAN_FILE"
rm -f "$PLAN_FILE"  # a saved plan is stale once applied

step "$ENVIRONMENT: outputs"
tf "$ENVIRONMENT" output
