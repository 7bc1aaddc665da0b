"""Every IAM policy document Terraform will write, linted by parliament.

The documents come from the plans (``terraform show -json``): dev as committed, dev with
every optional part on (workers, Astro trust, the dashboard), and local's (the worker
role as moto gets it). Deferred documents are rendered with placeholders for the ARNs
AWS assigns at apply (tests/terraform/iam_policies.py). parliament runs in the tools
venv (.venv-tools, requirements-tools.txt: it cannot share Airflow's); a trust policy,
which has no Resource element, is given its role as resource so that its actions and
conditions are checked too. Zero findings, except the accepted ones in
iam_policy_lint.yaml, each with its reason; an accepted finding that no longer occurs
fails as well, so that list cannot rot.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from ecommerce_dwh.settings import PROJECT_ROOT

from .conftest import AppliedStack, DevPlan, SlowApplies
from .iam_policies import ACCOUNT, PlannedPolicy, plan_policies

pytestmark = pytest.mark.terraform

HERE = Path(__file__).parent
SUPPRESSIONS = HERE / "iam_policy_lint.yaml"
RUNNER = HERE / "parliament_runner.py"
#: The role a trust policy is attached to, given to the linter as its resource.
TRUSTED_ROLE = f"arn:aws:iam::{ACCOUNT}:role/the-role-this-trust-policy-belongs-to"


@dataclass(frozen=True)
class Suppression:
    finding: str
    policy: str
    reason: str
    actions: tuple[str, ...] = ()

    def matches(self, finding: dict[str, Any]) -> bool:
        address = finding["policy"].split("/", 1)[1]
        if finding["issue"] != self.finding or not re.fullmatch(self.policy, address):
            return False
        actions = finding["location"].get("actions")
        return not self.actions or (actions is not None and set(actions) <= set(self.actions))


def load_suppressions() -> list[Suppression]:
    entries = yaml.safe_load(SUPPRESSIONS.read_text())["suppressions"]
    suppressions = [Suppression(e["finding"], e["policy"], e.get("reason", "").strip(),
                                tuple(e.get("actions", ()))) for e in entries]
    short = [s for s in suppressions if len(s.reason) < 40]
    assert not short, f"suppressions without a real reason: {short}"
    return suppressions


def for_linter(policy: PlannedPolicy) -> dict[str, Any]:
    """The document, a trust policy's statements given their role as Resource."""
    document = copy.deepcopy(policy.document)
    for statement in document["Statement"]:
        if "Principal" in statement and not {"Resource", "NotResource"} & statement.keys():
            actions = statement.get("Action", [])
            if all(a.startswith("sts:") for a in ([actions] if isinstance(actions, str)
                                                   else actions)):
                statement["Resource"] = TRUSTED_ROLE
    return document


def tools_python() -> Path:
    """.venv-tools' interpreter, (re)installed from requirements-tools.txt if needed."""
    proc = subprocess.run(["bash", str(PROJECT_ROOT / "scripts" / "checkov.sh"), "--install"],
                          capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, f"tools venv install failed:\n{proc.stdout}\n{proc.stderr}"
    return Path(os.environ.get("TOOLS_VENV", PROJECT_ROOT / ".venv-tools")) / "bin" / "python"


def lint(policies: dict[str, PlannedPolicy]) -> list[dict[str, Any]]:
    """parliament's findings for each named policy."""
    items = [{"name": name, "document": for_linter(p)} for name, p in policies.items()]
    proc = subprocess.run([str(tools_python()), str(RUNNER)], input=json.dumps(items),
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout)


def check(policies: dict[str, PlannedPolicy], require_every_suppression: bool) -> None:
    assert policies
    findings = lint(policies)
    suppressions = load_suppressions()
    open_findings = [f for f in findings if not any(s.matches(f) for s in suppressions)]
    print(f"\nparliament: {len(policies)} policies, {len(findings)} findings, "
          f"{len(findings) - len(open_findings)} accepted (iam_policy_lint.yaml)")
    assert not open_findings, "parliament findings:\n" + "\n".join(
        f"{f['issue']} ({f['severity']}) in {f['policy']}: {f['detail']} {f['location']}"
        for f in open_findings)
    if require_every_suppression:
        unused = [s for s in suppressions if not any(s.matches(f) for f in findings)]
        assert not unused, f"accepted findings that no longer occur: {unused}"


def test_dev_policies_pass_the_linter(dev_plan: DevPlan, dev_full_plan: DevPlan) -> None:
    policies = {}
    for name, plan in (("dev", dev_plan), ("dev-full", dev_full_plan)):
        for policy in plan_policies(plan.doc):
            policies[f"{name}/{policy.address}"] = policy
    addresses = {name.split("/", 1)[1] for name in policies}
    # Every module that writes a policy is in the lint, the worker's included.
    for must in ("module.iam.data.aws_iam_policy_document.worker[0]",
                 "module.iam.data.aws_iam_policy_document.worker_assume[0]",
                 "module.s3.data.aws_iam_policy_document.kms[0]",
                 "module.monitoring.data.aws_iam_policy_document.topic",
                 "module.dashboard[0].data.aws_iam_policy_document.task"):
        assert must in addresses
    check(policies, require_every_suppression=True)


def test_local_policies_pass_the_linter(slow_applies: SlowApplies) -> None:
    """local's documents (the worker with its local trust and the ETL artifacts)."""
    stack: AppliedStack = slow_applies.local.result(timeout=600)
    doc = json.loads(stack.tf.run("show", "-json", "-no-color",
                                  str(stack.home / "local.tfplan"), log_output=False))
    policies = {f"local/{p.address}": p for p in plan_policies(doc)}
    worker = policies["local/module.iam.data.aws_iam_policy_document.worker[0]"]
    assert worker.statement("ReadEtlJobArtifacts")
    check(policies, require_every_suppression=False)


def test_the_linter_catches_what_it_should() -> None:
    """A known-bad document (a wildcard resource, an action on the wrong resource type, a
    condition the action does not take) gives findings: the lint is not a no-op."""
    bad = PlannedPolicy("bad", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"},
        {"Effect": "Allow", "Action": "glue:GetSecurityConfiguration",
         "Resource": "arn:aws:glue:us-east-2:123456789012:catalog"},
        {"Effect": "Allow", "Action": "s3:ListBucketMultipartUploads",
         "Resource": "arn:aws:s3:::bucket",
         "Condition": {"StringLike": {"s3:prefix": "raw/*"}}},
    ]}, True)
    issues = {f["issue"] for f in lint({"bad/bad": bad})}
    assert {"RESOURCE_MISMATCH", "UNKNOWN_CONDITION_FOR_ACTION"} <= issues, issues
