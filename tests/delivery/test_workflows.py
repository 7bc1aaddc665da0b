"""The GitHub workflows: linted, pinned, keyless, and every step runs a real project command.

* actionlint and zizmor (pinned in requirements-tools.txt) report nothing;
* every ``uses:`` of another repository is pinned to a commit SHA, with its version
  in a comment; every accepted zizmor finding says why;
* every ``run:`` is one call of a project script or make target, which exists, is
  executable and answers ``--help``; a deploy CLI call's options parse;
* no AWS key anywhere: the jobs get credentials from OIDC roles;
* the shape of delivery: a pull request plans dev and applies nothing; main builds
  once, then dev -> staging -> prod, each applying in its GitHub environment with that
  environment's deploy role, after a plan made with the read-only plan role.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from ecommerce_dwh.deploy.__main__ import build_parser
from ecommerce_dwh.settings import PROJECT_ROOT

WORKFLOWS = sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml"))
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


@cache
def load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True.
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def steps() -> list[tuple[str, str, dict[str, Any]]]:
    """(workflow, job, step) for every step of every workflow."""
    return [(path.name, job_id, step)
            for path in WORKFLOWS
            for job_id, job in load(path)["jobs"].items()
            for step in job.get("steps", [])]


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy-environment.yml"}


def test_actionlint_and_zizmor_report_nothing() -> None:
    proc = subprocess.run([str(PROJECT_ROOT / "scripts" / "delivery" / "lint_workflows.sh")],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
                          check=False)
    print(proc.stdout[-3000:], proc.stderr[-3000:])
    assert proc.returncode == 0, f"{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
    assert "No findings to report" in proc.stdout + proc.stderr


def test_every_zizmor_suppression_gives_its_reason() -> None:
    for path in WORKFLOWS:
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if "zizmor: ignore[" not in line:
                continue
            before = lines[number - 1].strip() if number else ""
            reason = before.lstrip("#").strip() if before.startswith("#") else ""
            assert len(reason) > 20, f"{path.name}:{number + 1}: a suppression without a reason"


def test_every_action_is_pinned_to_a_commit() -> None:
    for path in WORKFLOWS:
        text = path.read_text()
        for match in re.finditer(r"uses:\s*(\S+)(.*)", text):
            ref, rest = match.groups()
            if ref.startswith("./"):
                continue  # this repository's own reusable workflow, at the same commit
            assert SHA_PIN.match(ref), f"{path.name}: {ref} is not pinned to a commit SHA"
            assert re.search(r"#\s*v\d+\.\d+\.\d+", rest), f"{path.name}: {ref} lacks # vX.Y.Z"


def test_no_aws_key_is_ever_used() -> None:
    for path in WORKFLOWS:
        text = path.read_text()
        for forbidden in ("aws-access-key-id", "aws-secret-access-key", "AWS_ACCESS_KEY_ID",
                          "AWS_SECRET_ACCESS_KEY", "secrets.AWS_"):
            assert forbidden not in text, f"{path.name} mentions {forbidden}"


#: Values the workflows' variables take in one run, to check that the options parse.
EXAMPLE_VALUES = {"DWH_ENVIRONMENT": "staging", "PLAN_RECORD": "{}"}


def _script_of(run: str) -> list[str]:
    """The one command a run: holds (no pipelines, no chains, no inline programs)."""
    assert "\n" not in run.strip(), f"multi-line run: {run!r}"
    assert not re.search(r"[|;&]|\$\(", run), f"run is more than one command: {run!r}"
    return [re.sub(r"\$\{?(\w+)\}?", lambda m: EXAMPLE_VALUES[m.group(1)], word)
            for word in shlex.split(run)]


@pytest.mark.parametrize("workflow,job,step", steps(),
                         ids=[f"{w}:{j}:{s.get('name') or s.get('uses', '?')[:30]}"
                              for w, j, s in steps()])
def test_every_run_step_calls_a_project_command_that_answers_help(
        workflow: str, job: str, step: dict[str, Any]) -> None:
    if "run" not in step:
        return
    argv = _script_of(step["run"])
    if argv[0] == "make":
        targets = set(re.findall(r"^([a-z][a-z0-9-]*):", (PROJECT_ROOT / "Makefile").read_text(),
                                 re.M))
        assert argv[1] in targets, f"{workflow}:{job}: no make target {argv[1]}"
        return
    script = PROJECT_ROOT / argv[0]
    assert argv[0].startswith("scripts/") and script.is_file(), f"{workflow}:{job}: {argv[0]}"
    assert script.stat().st_mode & 0o111, f"{argv[0]} is not executable"
    proc = subprocess.run([str(script), "--help"], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, f"{argv[0]} --help: exit {proc.returncode}\n{proc.stderr}"
    assert "usage" in proc.stdout.lower(), f"{argv[0]} --help prints no usage"
    if argv[0] == "scripts/delivery/deploy_cli.sh":
        # The options the step passes exist: the command line parses them.
        parsed = build_parser().parse_args(argv[1:])
        assert parsed.command == argv[1]


def test_a_pull_request_plans_dev_and_applies_nothing() -> None:
    ci = load(PROJECT_ROOT / ".github" / "workflows" / "ci.yml")
    assert set(ci["on"]) == {"push", "pull_request"}
    plan = ci["jobs"]["plan-dev"]
    assert "pull_request" in plan["if"] and "environment" not in plan
    runs = [s["run"] for s in plan["steps"] if "run" in s]
    assert runs == ["scripts/delivery/deploy_cli.sh plan --env dev --no-store --summary"]
    assert not any(" apply" in r or "deploy_airflow" in r for r in runs)
    roles = [s["with"]["role-to-assume"] for s in plan["steps"]
             if "configure-aws-credentials" in s.get("uses", "")]
    assert roles == ["${{ vars.DWH_DEV_PLAN_ROLE_ARN }}"]
    assert ci["jobs"]["test"]["steps"][3]["run"] == "make test"


def test_main_builds_once_then_promotes_dev_staging_prod() -> None:
    ci = load(PROJECT_ROOT / ".github" / "workflows" / "ci.yml")
    jobs = ci["jobs"]
    assert jobs["build"]["needs"] == "test" and "push" in jobs["build"]["if"]
    assert [jobs[e]["needs"] for e in ("dev", "staging", "prod")] == ["build", "dev", "staging"]
    for env in ("dev", "staging", "prod"):
        job = jobs[env]
        assert job["uses"] == "./.github/workflows/deploy-environment.yml"
        assert job["with"]["environment"] == env
        assert job["with"]["artifact"] == "release-${{ github.sha }}", "one build for all"
        assert job["with"]["plan-role-arn"] == f"${{{{ vars.DWH_{env.upper()}_PLAN_ROLE_ARN }}}}"
    assert ci["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"


def test_each_environment_plans_then_applies_that_plan_behind_its_gate() -> None:
    flow = load(PROJECT_ROOT / ".github" / "workflows" / "deploy-environment.yml")
    assert set(flow["on"]) == {"workflow_call"}
    assert flow["permissions"] == {}
    plan, apply = flow["jobs"]["plan"], flow["jobs"]["apply"]
    assert "environment" not in plan, "planning needs no approval and gets no deploy role"
    assert apply["environment"] == "${{ inputs.environment }}"
    assert apply["needs"] == "plan"
    assert plan["outputs"]["plan_record"] == "${{ steps.plan.outputs.plan_record }}"

    def role(job: dict[str, Any]) -> str:
        return next(s["with"]["role-to-assume"] for s in job["steps"]
                    if "configure-aws-credentials" in s.get("uses", ""))

    assert role(plan) == "${{ inputs.plan-role-arn }}"
    assert role(apply) == "${{ vars.DEPLOY_ROLE_ARN }}"
    apply_runs = [s["run"] for s in apply["steps"] if "run" in s]
    assert apply_runs[0] == "scripts/delivery/artifacts.sh install dist"
    assert apply_runs[1].startswith("scripts/delivery/deploy_cli.sh apply --env "
                                    '"$DWH_ENVIRONMENT" --plan-record-json "$PLAN_RECORD"')
    step = next(s for s in apply["steps"] if s.get("run", "").startswith(
        "scripts/delivery/deploy_cli.sh apply"))
    assert step["env"]["PLAN_RECORD"] == "${{ needs.plan.outputs.plan_record }}"
    assert any("deploy_airflow.sh" in r for r in apply_runs)
    assert any("smoke-check" in r and "--expect-no-changes" in r for r in apply_runs)
    for job in (plan, apply):
        assert job["permissions"] == {"contents": "read", "id-token": "write"}
        checkout = job["steps"][0]
        assert checkout["with"]["persist-credentials"] is False
