"""``python -m ecommerce_dwh.deploy``: Terraform for dev, staging and prod, without Airflow.

The same functions the ``dwh_infrastructure`` DAG calls (:mod:`ecommerce_dwh.deploy.steps`),
for a person (``scripts/deploy.sh``) and for the delivery workflow. Credentials are the
caller's: ``AWS_PROFILE`` or the ``AWS_*`` variables (GitHub: the role that
``aws-actions/configure-aws-credentials`` assumed). ``AWS_ENDPOINT_URL`` points every
call at an emulator (a moto server).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path

from ecommerce_dwh.deploy import github, steps
from ecommerce_dwh.deploy.access import AwsAccess
from ecommerce_dwh.deploy.environments import AWS_ENVIRONMENTS, environment, safe_name
from ecommerce_dwh.deploy.plans import PlanRecord, PlanRefused
from ecommerce_dwh.settings import get_settings
from ecommerce_dwh.terraform import TerraformError

#: The Glue job's zip inside a build's artifacts (``scripts/delivery/artifacts.sh``).
ETL_ZIP = "build/glue/ecommerce_dwh_glue.zip"

EXIT_TERRAFORM, EXIT_USAGE, EXIT_REFUSED = 1, 2, 3


def _default_run_id() -> str:
    if os.environ.get("GITHUB_RUN_ID"):
        return (f"gha-{os.environ['GITHUB_RUN_ID']}-{os.environ.get('GITHUB_RUN_ATTEMPT', '1')}"
                f"-{os.environ.get('GITHUB_JOB', 'job')}")
    return "cli-" + dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _artifact_sha(artifacts: Path) -> str:
    """The Glue zip's SHA-256 in ``<artifacts>/SHA256SUMS``."""
    sums = artifacts / "SHA256SUMS"
    for line in sums.read_text().splitlines():
        digest, _, name = line.strip().partition("  ")
        if name.lstrip("*") == ETL_ZIP:
            return digest
    raise TerraformError(f"{sums} lists no {ETL_ZIP}")


def _print(value: object) -> None:
    print(json.dumps(value, indent=2, sort_keys=True, default=str))


def _record_from(args: argparse.Namespace) -> PlanRecord:
    if args.plan_record_json:
        return PlanRecord.from_dict(json.loads(args.plan_record_json))
    return PlanRecord.from_dict(json.loads(Path(args.plan_record).read_text()))


def cmd_describe(args: argparse.Namespace, access: AwsAccess) -> int:
    _print(steps.describe(environment(args.env), access))
    return 0


def cmd_bootstrap(args: argparse.Namespace, access: AwsAccess) -> int:
    from ecommerce_dwh.deploy.bootstrap import bootstrap

    result = bootstrap(args.env, access, state_dir=args.state_dir, plan_only=args.plan_only,
                       github_repository=args.github_repository)
    print(f"bootstrap: {result['summary']}")
    if result.get("plan"):
        print(result["plan"])
    if "outputs" in result:
        _print(result["outputs"])
    return 0


def _plan(args: argparse.Namespace, access: AwsAccess, env_name: str) -> PlanRecord:
    env = environment(env_name)
    sha = _artifact_sha(args.artifacts) if args.artifacts else args.etl_package_sha256
    workspace = steps.Workspace.persistent(env_name, args.state_dir)
    record = steps.plan(env, access, workspace, args.run_id, state_dir=args.state_dir,
                        store=not args.no_store, etl_package_sha256=sha, destroy=args.destroy)
    text, _ = steps.show(env, access, workspace, record, state_dir=args.state_dir)
    print(text)
    record_file = args.record_out or workspace.root / "plans" / f"{safe_name(record.run_id)}.json"
    record_file.parent.mkdir(parents=True, exist_ok=True)
    args.record_file = record_file
    record_file.write_text(json.dumps(record.to_dict(), indent=2) + "\n")
    print(f"{record.summary}\nplan record: {record_file}")
    if args.summary:
        github.append_summary(github.plan_markdown(record, text, f"Terraform plan of `{env.name}`"))
    github.set_outputs({"plan_record": record.to_json(),
                        "has_changes": "true" if record.has_changes else "false"})
    return record


def cmd_plan(args: argparse.Namespace, access: AwsAccess) -> int:
    _plan(args, access, args.env)
    return 0


def _apply(args: argparse.Namespace, access: AwsAccess, record: PlanRecord) -> None:
    env = environment(args.env)
    workspace = steps.Workspace.persistent(args.env, args.state_dir)
    steps.apply(env, access, workspace, record, state_dir=args.state_dir)
    print(f"applied {record.location} (sha256 {record.sha256}): {record.summary}")
    if args.summary:
        github.append_summary(f"### Applied to `{env.name}`\n\n**{record.summary}**\n\n"
                              f"plan `{record.location}`, SHA-256 `{record.sha256}`\n")


def cmd_apply(args: argparse.Namespace, access: AwsAccess) -> int:
    _apply(args, access, _record_from(args))
    return 0


def cmd_deploy(args: argparse.Namespace, access: AwsAccess) -> int:
    record = _plan(args, access, args.env)
    if args.plan_only:
        print(f"plan only: review it, then apply exactly it with\n  python -m "
              f"ecommerce_dwh.deploy apply --env {args.env} --plan-record {args.record_file}")
        return 0
    _apply(args, access, record)
    return cmd_outputs(args, access)


def cmd_outputs(args: argparse.Namespace, access: AwsAccess) -> int:
    env = environment(args.env)
    values = steps.outputs(env, access, steps.Workspace.persistent(args.env, args.state_dir),
                           state_dir=args.state_dir)
    _print(values)
    if args.summary:
        github.append_summary(github.outputs_markdown(env.name, values))
    return 0


def cmd_smoke_check(args: argparse.Namespace, access: AwsAccess) -> int:
    from ecommerce_dwh.deploy.smoke import MwaaApi, RestApi, SmokeCheckFailed, smoke_check

    if args.mwaa_environment and args.airflow_url:
        print("smoke-check: give --airflow-url or --mwaa-environment, not both", file=sys.stderr)
        return EXIT_USAGE
    if args.mwaa_environment:
        region = args.region or environment(args.env).backend.region  # type: ignore[union-attr]
        api = MwaaApi(access.client("mwaa", region), args.mwaa_environment)
    elif args.airflow_url:
        api = RestApi(args.airflow_url, token=os.environ.get("AIRFLOW_API_TOKEN") or None,
                      username=os.environ.get("AIRFLOW_USERNAME") or None,
                      password=os.environ.get("AIRFLOW_PASSWORD") or None)
    else:
        print("smoke-check: give --airflow-url or --mwaa-environment", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = smoke_check(api, args.env, timeout=args.timeout, poll_seconds=args.poll,
                             expect_no_changes=args.expect_no_changes,
                             unpause=not args.no_unpause)
    except SmokeCheckFailed as exc:
        print(f"smoke-check: FAILED: {exc}", file=sys.stderr)
        if args.summary:
            github.append_summary(f"### Smoke check of `{args.env}`: failed\n\n{exc}\n")
        return EXIT_TERRAFORM
    print(f"smoke-check: {result.dag_run_id} {result.state} in {result.seconds:.0f}s; "
          f"tasks {result.tasks}; plan {(result.plan or {}).get('summary')}")
    if args.summary:
        github.append_summary(
            f"### Smoke check of `{args.env}`: {result.state}\n\n`dwh_infrastructure` run "
            f"`{result.dag_run_id}` (action=plan) in {result.seconds:.0f}s: "
            f"{(result.plan or {}).get('summary')}\n")
    return 0


def cmd_mwaa_sync(args: argparse.Namespace, access: AwsAccess) -> int:
    from ecommerce_dwh.deploy.mwaa import sync

    region = args.region or environment(args.env).backend.region  # type: ignore[union-attr]
    result = sync(access.client("s3", region), args.bucket, dry_run=args.dry_run)
    print(f"mwaa-sync s3://{args.bucket}: {len(result.uploaded)} to upload, "
          f"{len(result.deleted)} to delete, {result.unchanged} unchanged"
          + (" (dry run)" if args.dry_run else
             f"; requirements.txt version {result.requirements_version}"))
    if args.summary:
        github.append_summary(
            f"### Airflow project synced to MWAA bucket `{args.bucket}`\n\n"
            f"{len(result.uploaded)} uploaded, {len(result.deleted)} deleted; "
            f"`requirements.txt` version `{result.requirements_version}`\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line (also read by the tests that check every workflow step)."""
    parser = argparse.ArgumentParser(
        prog="python -m ecommerce_dwh.deploy",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit codes: 0 ok, 1 Terraform (or the smoke run) failed, 2 usage, "
               "3 a saved plan was refused (missing, altered, another environment's).",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--env", required=True, choices=("local", *AWS_ENVIRONMENTS),
                        help="environment: dev, staging or prod (local works too, "
                             "against moto: its state is a local file)")
    common.add_argument("--state-dir", type=Path, default=None,
                        help="where working data, local state and plan records go "
                             "(default: DWH_STATE_DIR or <repo>/.local)")
    common.add_argument("--endpoint-url", default=None,
                        help="send every AWS call to this emulator (default: AWS_ENDPOINT_URL)")
    common.add_argument("--summary", action="store_true",
                        help="also write a Markdown report to the GitHub job summary "
                             "($GITHUB_STEP_SUMMARY; printed when unset)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("describe", parents=[common],
                       help="print what a plan of the environment depends on (root, var "
                            "files, variables, backend) as JSON")
    p.set_defaults(func=cmd_describe)

    p = sub.add_parser("bootstrap", parents=[common],
                       help="plan and apply the account's bootstrap stack (state bucket, lock "
                            "table, GitHub OIDC, deploy and plan roles); administrator only")
    p.add_argument("--plan-only", action="store_true", help="show the plan, change nothing")
    p.add_argument("--github-repository", default=None, metavar="OWNER/REPO",
                   help="the repository whose workflows may assume the roles (overrides "
                        "github_repository of environments/bootstrap/bootstrap.tfvars)")
    p.set_defaults(func=cmd_bootstrap)

    def plan_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--run-id", default=_default_run_id(),
                       help="names the plan file (default: the GitHub run, or a timestamp)")
        p.add_argument("--record-out", type=Path, default=None,
                       help="write the plan record (JSON) here (default: "
                            "<state dir>/terraform/<env>/plans/<run id>.json)")
        p.add_argument("--destroy", action="store_true",
                       help="plan the destruction of the environment (tearing down; apply "
                            "the stored plan as any other, see docs/runbook.md)")
        p.add_argument("--no-store", action="store_true",
                       help="keep the plan file on this machine only (a pull request's "
                            "plan: it is never applied)")
        source = p.add_mutually_exclusive_group()
        source.add_argument("--artifacts", type=Path, default=None, metavar="DIR",
                            help="a build's artifacts (scripts/delivery/artifacts.sh): the "
                                 "Glue zip in place must be the one their SHA256SUMS lists")
        source.add_argument("--etl-package-sha256", default=None, metavar="SHA256",
                            help="the Glue zip in place must have this SHA-256 (default: "
                                 "build it from the checkout)")

    p = sub.add_parser("plan", parents=[common],
                       help="init, plan to a file, store it next to the state, print it and "
                            "its record (GitHub: step outputs plan_record, has_changes)")
    plan_options(p)
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("apply", parents=[common],
                       help="init, fetch exactly the recorded plan, check its SHA-256, apply it")
    record = p.add_mutually_exclusive_group(required=True)
    record.add_argument("--plan-record", type=Path, metavar="FILE",
                        help="the record the plan step wrote")
    record.add_argument("--plan-record-json", metavar="JSON",
                        help="the record as JSON (the plan job's output plan_record)")
    p.set_defaults(func=cmd_apply)

    p = sub.add_parser("deploy", parents=[common],
                       help="plan, then apply that plan, then print the outputs (what "
                            "scripts/deploy.sh runs)")
    plan_options(p)
    p.add_argument("--plan-only", action="store_true",
                   help="stop after the stored plan; apply it later with `apply --plan-record`")
    p.set_defaults(func=cmd_deploy)

    p = sub.add_parser("outputs", parents=[common], help="print the Terraform outputs (JSON)")
    p.set_defaults(func=cmd_outputs)

    p = sub.add_parser(
        "smoke-check", parents=[common],
        help="trigger dwh_infrastructure (action=plan) on a deployed Airflow through its "
             "REST API and wait for success. Credentials: AIRFLOW_API_TOKEN (a bearer "
             "token, e.g. an Astro Deployment API token) or AIRFLOW_USERNAME and "
             "AIRFLOW_PASSWORD (a local Airflow); MWAA: the caller's AWS role")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--airflow-url", default=os.environ.get("AIRFLOW_API_URL") or None,
                        help="the Airflow webserver/API base URL, without /api/v2 "
                             "(default: AIRFLOW_API_URL)")
    target.add_argument("--mwaa-environment", default=os.environ.get("MWAA_ENVIRONMENT") or None,
                        metavar="NAME", help="an Amazon MWAA environment (InvokeRestApi) "
                        "instead of a URL (default: MWAA_ENVIRONMENT)")
    p.add_argument("--region", default=None,
                   help="region of the MWAA environment (default: the state's region)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds to wait (default 1800)")
    p.add_argument("--poll", type=float, default=10, help="seconds between polls (default 10)")
    p.add_argument("--expect-no-changes", action="store_true",
                   help="fail unless the DAG's plan is empty (right after the workflow "
                        "applied the same commit: proves both plan the same thing)")
    p.add_argument("--no-unpause", action="store_true",
                   help="do not unpause dwh_infrastructure (it has no schedule)")
    p.set_defaults(func=cmd_smoke_check)

    p = sub.add_parser(
        "mwaa-sync", parents=[common],
        help="ship the Airflow project to an Amazon MWAA bucket (dags/, include/, "
             "infra/terraform/, the Glue zip and requirements.txt) instead of astro deploy")
    p.add_argument("--bucket", required=True, help="the MWAA environment's source bucket")
    p.add_argument("--region", default=None, help="the bucket's region (default: the state's)")
    p.add_argument("--dry-run", action="store_true", help="list the changes, upload nothing")
    p.set_defaults(func=cmd_mwaa_sync)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; see ``--help``."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    args.state_dir = (args.state_dir or get_settings().state_dir).resolve()
    access = AwsAccess.from_environ(endpoint_url=args.endpoint_url)
    try:
        return args.func(args, access)
    except PlanRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except TerraformError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_TERRAFORM


if __name__ == "__main__":
    raise SystemExit(main())
