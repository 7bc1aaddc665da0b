"""Lint IAM policy documents with parliament; runs in the tools venv (.venv-tools).

parliament cannot share Airflow's venv, so test_iam_policy_lint.py runs this file with
.venv-tools/bin/python: it reads ``[{"name": ..., "document": {...}}, ...]`` as JSON on
stdin and prints every finding (core and community auditors, severity LOW and up) as a
JSON list on stdout. Each policy is analysed on its own and its findings are labelled
with its name here, not through parliament's ``location.filepath`` (which its
``add_finding`` keeps in a shared default dictionary, so it can name another file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    import parliament
    from parliament import analyze_policy_string, enhance_finding, override_config
    from parliament.cli import is_finding_filtered

    community = Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml"
    override_config(str(community))
    findings = []
    for item in json.load(sys.stdin):
        policy = analyze_policy_string(json.dumps(item["document"]), item["name"],
                                       include_community_auditors=True,
                                       config=parliament.config)
        for finding in policy.findings:
            finding = enhance_finding(finding)
            if is_finding_filtered(finding, "LOW"):
                continue
            location = {k: v for k, v in dict(finding.location).items() if k != "filepath"}
            findings.append({
                "policy": item["name"],
                "issue": finding.issue,
                "severity": finding.severity,
                "detail": json.loads(json.dumps(finding.detail, default=str)),
                "location": json.loads(json.dumps(location, default=str)),
            })
    json.dump(findings, sys.stdout, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
