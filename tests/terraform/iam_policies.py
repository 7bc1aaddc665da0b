"""IAM policy documents of a Terraform plan, as the JSON AWS will receive.

Every policy of the project is an ``aws_iam_policy_document`` data source. In a plan
(``terraform show -json``) a document whose inputs are known was read while planning
(``prior_state``, with its ``json``); one that names something created by the same
apply (a KMS key, the Redshift workgroup, the admin secret: ARNs with a random part)
is deferred, and the plan holds its statements with those few values unknown. Such a
document is rendered here the way the provider renders it, each unknown ARN replaced
by a placeholder of the resource type its statement's actions take (a KMS key for
``kms:*``, a workgroup for ``redshift-data:*``...), so that a linter sees every
statement. A placeholder that no action fits fails loudly instead of guessing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: The account and region moto answers with (the dev plan runs against moto).
ACCOUNT = "123456789012"
REGION = "us-east-2"

#: An ARN of the right resource type for each service whose ARNs are unknown when
#: planning (their names end in an id AWS assigns).
PLACEHOLDER_ARNS = {
    "kms": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0f0e0d0c-0b0a-0908-0706-050403020100",
    "redshift-data": f"arn:aws:redshift-serverless:{REGION}:{ACCOUNT}:workgroup/"
    "0f0e0d0c-0b0a-0908-0706-050403020100",
    "redshift-serverless": f"arn:aws:redshift-serverless:{REGION}:{ACCOUNT}:workgroup/"
    "0f0e0d0c-0b0a-0908-0706-050403020100",
    "secretsmanager": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:"
    "redshift!ecommerce-dwh-dev-dwh_admin-Ab12Cd",
    "logs": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/ecs/ecommerce-dwh-dashboard-dev:*",
}


class UnrenderablePolicy(AssertionError):
    """A deferred document holds an unknown value this module cannot stand in for."""


@dataclass(frozen=True)
class PlannedPolicy:
    """One policy document of the plan."""

    address: str
    document: dict[str, Any]
    #: True when the plan read the document itself; False when it was rendered here.
    read_by_terraform: bool
    #: Sids of the statements whose resources hold a placeholder.
    placeholders: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        """A file name for the linter, derived from the address (suppressions match it)."""
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", self.address).strip("_") + ".json"

    @property
    def statements(self) -> list[dict[str, Any]]:
        """The statements, always as a list."""
        statements = self.document["Statement"]
        return statements if isinstance(statements, list) else [statements]

    def statement(self, sid: str) -> dict[str, Any]:
        """The statement with this Sid (KeyError if none)."""
        for statement in self.statements:
            if statement.get("Sid") == sid:
                return statement
        raise KeyError(f"{self.address} has no statement {sid!r}")


def as_list(value: object) -> list[Any]:
    """A policy element (string or list) as a list."""
    return value if isinstance(value, list) else [value]


def _walk_modules(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _walk_modules(child)


def _placeholder(statement: dict[str, Any], address: str) -> str:
    services = {action.split(":", 1)[0] for action in statement.get("actions") or []}
    known = {PLACEHOLDER_ARNS[s] for s in services if s in PLACEHOLDER_ARNS}
    if len(known) != 1 or not services <= PLACEHOLDER_ARNS.keys():
        raise UnrenderablePolicy(
            f"{address}: statement {statement.get('sid')!r} has an unknown resource and "
            f"actions of {sorted(services)}: add a placeholder ARN for that resource type"
        )
    return known.pop()


def _unknown(flags: object, index: int) -> bool:
    if flags is True:
        return True
    return isinstance(flags, list) and index < len(flags) and flags[index] is True


def _interpolate(value: str) -> str:
    # aws_iam_policy_document writes IAM policy variables as &{...}.
    return value.replace("&{", "${")


def render_statement(statement: dict[str, Any], unknown: dict[str, Any],
                     address: str) -> tuple[dict[str, Any], bool]:
    """One ``statement`` block as an IAM statement; True if a placeholder went in."""
    for key in ("actions", "not_actions", "principals", "not_principals", "condition", "sid",
                "effect", "not_resources"):
        if unknown.get(key) is True:
            raise UnrenderablePolicy(f"{address}: {key} of {statement.get('sid')!r} is unknown")
    out: dict[str, Any] = {}
    if statement.get("sid"):
        out["Sid"] = statement["sid"]
    out["Effect"] = statement.get("effect") or "Allow"
    for key, element in (("actions", "Action"), ("not_actions", "NotAction")):
        if statement.get(key):
            out[element] = list(statement[key])
    used_placeholder = False
    for key, element in (("resources", "Resource"), ("not_resources", "NotResource")):
        values = statement.get(key)
        if not values:
            continue
        rendered = []
        for i, value in enumerate(values):
            if _unknown(unknown.get(key), i) or value is None:
                rendered.append(_placeholder(statement, address))
                used_placeholder = True
            else:
                rendered.append(_interpolate(value))
        out[element] = sorted(set(rendered))
    for key, element in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        blocks = statement.get(key) or []
        if not blocks:
            continue
        if any(b["type"] == "*" for b in blocks):
            out[element] = "*"
            continue
        principal: dict[str, list[str]] = {}
        for block in blocks:
            principal.setdefault(block["type"], []).extend(block["identifiers"])
        out[element] = {k: sorted(v) for k, v in principal.items()}
    conditions: dict[str, dict[str, list[str]]] = {}
    for i, block in enumerate(statement.get("condition") or []):
        flags = (unknown.get("condition") or [{}] * (i + 1))[i]
        if isinstance(flags, dict) and any(f is True for f in as_list(flags.get("values"))):
            raise UnrenderablePolicy(f"{address}: a condition value of {statement.get('sid')!r}"
                                     " is unknown")
        test = conditions.setdefault(block["test"], {})
        test.setdefault(block["variable"], []).extend(_interpolate(v) for v in block["values"])
    if conditions:
        out["Condition"] = conditions
    return out, used_placeholder


def render_document(values: dict[str, Any], unknown: dict[str, Any],
                    address: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A deferred ``aws_iam_policy_document`` as policy JSON, and the Sids with a placeholder."""
    for key in ("source_json", "override_json", "source_policy_documents",
                "override_policy_documents"):
        if values.get(key):
            raise UnrenderablePolicy(f"{address}: {key} is not rendered here")
    statements, placeholders = [], []
    flags = unknown.get("statement") or []
    for i, statement in enumerate(values.get("statement") or []):
        rendered, used = render_statement(statement, flags[i] if i < len(flags) else {}, address)
        statements.append(rendered)
        if used:
            placeholders.append(rendered.get("Sid", str(i)))
    document = {"Version": values.get("version") or "2012-10-17", "Statement": statements}
    return document, tuple(placeholders)


def plan_policies(plan: dict[str, Any]) -> list[PlannedPolicy]:
    """Every ``aws_iam_policy_document`` of a ``terraform show -json`` plan, by address."""
    found: dict[str, PlannedPolicy] = {}
    prior = plan.get("prior_state", {}).get("values", {}).get("root_module", {})
    for resource in _walk_modules(prior):
        if resource["mode"] == "data" and resource["type"] == "aws_iam_policy_document":
            found[resource["address"]] = PlannedPolicy(
                resource["address"], json.loads(resource["values"]["json"]), True)
    for change in plan.get("resource_changes", []):
        if change["mode"] != "data" or change["type"] != "aws_iam_policy_document":
            continue
        after = change["change"]["after"] or {}
        if isinstance(after.get("json"), str):
            found[change["address"]] = PlannedPolicy(change["address"],
                                                     json.loads(after["json"]), True)
            continue
        document, placeholders = render_document(after, change["change"]["after_unknown"] or {},
                                                 change["address"])
        found[change["address"]] = PlannedPolicy(change["address"], document, False,
                                                 placeholders)
    return [found[address] for address in sorted(found)]


def inline_policies(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Known policy attributes of planned resources (``policy``, ``assume_role_policy``)."""
    found = {}
    for resource in _walk_modules(plan["planned_values"]["root_module"]):
        for key in ("policy", "assume_role_policy"):
            value = (resource.get("values") or {}).get(key)
            if isinstance(value, str) and value.strip():
                found[f"{resource['address']}.{key}"] = json.loads(value)
    return found
