"""The roles of the bootstrap stack, as applied to moto by the dev chain's administrator.

GitHub may assume them only from this repository (deploy: its GitHub environment;
plan: the main branch, and pull requests for dev), through the account's OIDC provider
with the sts.amazonaws.com audience. Each environment's policies allow what Terraform
needs for *that* environment: every resource of the real dev plan is in scope of dev's
role, and none of staging's or prod's names is. Those are checked by evaluating the
policies' Allow statements (actions and resource patterns, IAM wildcard semantics)
against the ARNs of the plan's resources; conditions (tags, OIDC claims) are checked
by reading them. What only AWS can prove: that the action lists are complete for a
real apply (moto enforces no IAM here), and the tag conditions' effect (docs/delivery.md).
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

import pytest

from .conftest import GITHUB_REPOSITORY, DevChain, boto3_for

pytestmark = [pytest.mark.terraform, pytest.mark.slow]

ACCOUNT, REGION = "123456789012", "us-east-2"
ENVIRONMENTS = ("dev", "staging", "prod")
OIDC = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
#: A managed policy document holds at most 6,144 characters (whitespace not counted).
MANAGED_POLICY_LIMIT = 6144

#: Terraform resource type -> (how its ARN is built from planned values, the create action).
ARNS = {
    "aws_s3_bucket": (lambda v: f"arn:aws:s3:::{v['bucket']}", "s3:CreateBucket"),
    "aws_iam_role": (lambda v: f"arn:aws:iam::{ACCOUNT}:role/{v['name']}", "iam:CreateRole"),
    "aws_glue_catalog_database": (
        lambda v: f"arn:aws:glue:{REGION}:{ACCOUNT}:database/{v['name']}", "glue:CreateDatabase"),
    "aws_glue_catalog_table": (
        lambda v: f"arn:aws:glue:{REGION}:{ACCOUNT}:table/{v['database_name']}/{v['name']}",
        "glue:CreateTable"),
    "aws_glue_crawler": (
        lambda v: f"arn:aws:glue:{REGION}:{ACCOUNT}:crawler/{v['name']}", "glue:CreateCrawler"),
    "aws_glue_job": (lambda v: f"arn:aws:glue:{REGION}:{ACCOUNT}:job/{v['name']}",
                     "glue:CreateJob"),
    "aws_sns_topic": (lambda v: f"arn:aws:sns:{REGION}:{ACCOUNT}:{v['name']}", "sns:CreateTopic"),
    "aws_cloudwatch_metric_alarm": (
        lambda v: f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{v['alarm_name']}",
        "cloudwatch:PutMetricAlarm"),
    "aws_cloudwatch_dashboard": (
        lambda v: f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/{v['dashboard_name']}",
        "cloudwatch:PutDashboard"),
    "aws_cloudwatch_event_rule": (
        lambda v: f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{v['name']}", "events:PutRule"),
    "aws_kms_alias": (lambda v: f"arn:aws:kms:{REGION}:{ACCOUNT}:{v['name']}", "kms:CreateAlias"),
}

#: Terraform resource type prefix -> the IAM service whose actions its apply needs.
SERVICES = {
    "aws_s3_": "s3", "aws_kms_": "kms", "aws_iam_": "iam", "aws_glue_": "glue",
    "aws_sns_": "sns", "aws_cloudwatch_event_": "events", "aws_cloudwatch_": "cloudwatch",
    "aws_ce_": "ce", "aws_redshiftserverless_": "redshift-serverless", "aws_vpc": "ec2",
    "aws_subnet": "ec2", "aws_route_table": "ec2", "aws_security_group": "ec2",
    "aws_default_security_group": "ec2", "aws_flow_log": "ec2",
}

#: The only actions allowed on Resource "*": they have no resource-level permission.
#: (kms:CreateKey and its kms:TagResource carry an Environment request-tag condition.)
STAR_ACTIONS = {
    "kms:CreateKey", "kms:TagResource", "kms:ListAliases", "glue:GetSecurityConfiguration",
    "glue:GetSecurityConfigurations", "glue:CreateSecurityConfiguration",
    "glue:DeleteSecurityConfiguration", "secretsmanager:GetRandomPassword",
    "redshift-serverless:ListNamespaces", "redshift-serverless:ListWorkgroups",
    "redshift-serverless:ListUsageLimits", "logs:CreateLogDelivery", "logs:DeleteLogDelivery",
}


def _as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def _statements(iam: Any, role: str) -> list[dict[str, Any]]:
    found = []
    for attached in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]:
        arn = attached["PolicyArn"]
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        doc = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]
        doc = json.loads(doc) if isinstance(doc, str) else doc
        found += _as_list(doc["Statement"])
    return found


def _allows(statements: list[dict[str, Any]], action: str, arn: str) -> bool:
    return any(
        s["Effect"] == "Allow"
        and any(fnmatch.fnmatchcase(action, a) for a in _as_list(s["Action"]))
        and any(fnmatch.fnmatchcase(arn, r) for r in _as_list(s["Resource"]))
        for s in statements)


@pytest.fixture(scope="module")
def iam(dev_chain: DevChain, chain_moto) -> Any:
    return boto3_for(chain_moto.endpoint_url, "iam")


@pytest.fixture(scope="module")
def planned_arns(dev_chain: DevChain) -> list[tuple[str, str]]:
    """(create action, ARN) of every named resource of the real dev plan."""
    found = []
    for change in dev_chain.plan_json["resource_changes"]:
        if change["type"] in ARNS and change["change"]["actions"] == ["create"]:
            build, action = ARNS[change["type"]]
            found.append((action, build(change["change"]["after"])))
    assert len(found) > 25, found
    return found


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_only_this_repository_s_environment_assumes_the_deploy_role(iam: Any, env: str) -> None:
    trust = iam.get_role(RoleName=f"tf-deploy-ecommerce-dwh-{env}")["Role"][
        "AssumeRolePolicyDocument"]
    (statement,) = _as_list(trust["Statement"])
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Principal"] == {"Federated": OIDC}
    assert statement["Condition"] == {"StringEquals": {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub":
            f"repo:{GITHUB_REPOSITORY}:environment:{env}"}}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_plan_role_trusts_main_and_for_dev_pull_requests(iam: Any, env: str) -> None:
    trust = iam.get_role(RoleName=f"tf-plan-ecommerce-dwh-{env}")["Role"][
        "AssumeRolePolicyDocument"]
    (statement,) = _as_list(trust["Statement"])
    subjects = set(_as_list(statement["Condition"]["StringEquals"][
        "token.actions.githubusercontent.com:sub"]))
    expected = {f"repo:{GITHUB_REPOSITORY}:ref:refs/heads/main"}
    if env == "dev":
        expected.add(f"repo:{GITHUB_REPOSITORY}:pull_request")
    assert subjects == expected
    assert statement["Condition"]["StringEquals"][
        "token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"


def test_the_oidc_provider_is_github_s_for_sts(iam: Any) -> None:
    provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=OIDC)
    assert provider["ClientIDList"] == ["sts.amazonaws.com"]
    assert provider["Url"].removeprefix("https://") == "token.actions.githubusercontent.com"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_policies_are_managed_and_within_aws_limits(iam: Any, env: str) -> None:
    for kind, count in (("deploy", 7), ("plan", 2)):
        role = f"tf-{kind}-ecommerce-dwh-{env}"
        assert iam.list_role_policies(RoleName=role)["PolicyNames"] == []
        attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
        assert len(attached) == count <= 10
        for policy in attached:
            arn = policy["PolicyArn"]
            version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
            doc = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"][
                "Document"]
            text = doc if isinstance(doc, str) else json.dumps(doc)
            size = len("".join(text.split()))
            assert size <= MANAGED_POLICY_LIMIT, f"{policy['PolicyName']}: {size} characters"


def test_dev_s_role_reaches_every_named_resource_of_the_dev_plan(
        iam: Any, planned_arns: list[tuple[str, str]]) -> None:
    statements = _statements(iam, "tf-deploy-ecommerce-dwh-dev")
    outside = [(a, arn) for a, arn in planned_arns if not _allows(statements, a, arn)]
    assert not outside, f"dev's deploy role cannot create: {outside}"


@pytest.mark.parametrize("other", ["staging", "prod"])
def test_dev_s_role_reaches_nothing_of_another_environment(
        iam: Any, planned_arns: list[tuple[str, str]], other: str) -> None:
    """The same resources named for staging and prod: out of dev's reach, in theirs."""
    dev = _statements(iam, "tf-deploy-ecommerce-dwh-dev")
    theirs = _statements(iam, f"tf-deploy-ecommerce-dwh-{other}")
    for action, arn in planned_arns:
        renamed = arn.replace("-dev", f"-{other}").replace("_dev", f"_{other}")
        assert not _allows(dev, action, renamed), f"dev's role may {action} {renamed}"
        assert _allows(theirs, action, renamed), f"{other}'s role may not {action} {renamed}"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_state_keys_locks_and_tags_are_the_environment_s(iam: Any, env: str) -> None:
    statements = _statements(iam, f"tf-deploy-ecommerce-dwh-{env}")
    by_sid = {s.get("Sid"): s for s in statements}
    assert by_sid["ReadStateAndPlans"]["Resource"] == \
        f"arn:aws:s3:::tf-state-ecommerce-dwh/ecommerce-dwh/{env}/*"
    assert by_sid["StorePlans"]["Resource"] == \
        f"arn:aws:s3:::tf-state-ecommerce-dwh/ecommerce-dwh/{env}/plans/*"
    leading = by_sid["LockThisEnvironmentsState"]["Condition"]["ForAllValues:StringLike"]
    assert leading == {"dynamodb:LeadingKeys": f"tf-state-ecommerce-dwh/ecommerce-dwh/{env}/*"}
    for statement in statements:
        for test, values in statement.get("Condition", {}).items():
            for key, value in values.items():
                if test != "Null" and key in ("aws:RequestTag/Environment",
                                              "aws:ResourceTag/Environment"):
                    assert value == env, (statement.get("Sid"), test, key, value)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_resource_star_only_for_actions_without_resources(iam: Any, env: str) -> None:
    for kind in ("deploy", "plan"):
        for statement in _statements(iam, f"tf-{kind}-ecommerce-dwh-{env}"):
            if "*" not in _as_list(statement["Resource"]):
                continue
            actions = set(_as_list(statement["Action"]))
            loose = {a for a in actions
                     if a not in STAR_ACTIONS and not a.startswith("ec2:Describe")}
            assert not loose, f"{kind} {env} {statement.get('Sid')}: {loose} on Resource '*'"
            if "kms:CreateKey" in actions:
                assert statement["Condition"] == {
                    "StringEquals": {"aws:RequestTag/Environment": env}}


def test_no_role_can_change_the_delivery_roles(iam: Any) -> None:
    """The roles and their policies are named tf-*: outside every IAM pattern allowed."""
    for env in ENVIRONMENTS:
        statements = _statements(iam, f"tf-deploy-ecommerce-dwh-{env}")
        for kind in ("deploy", "plan"):
            for other in ENVIRONMENTS:
                role = f"arn:aws:iam::{ACCOUNT}:role/tf-{kind}-ecommerce-dwh-{other}"
                for action in ("iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy",
                               "iam:AttachRolePolicy", "iam:DeleteRole"):
                    assert not _allows(statements, action, role), (env, action, role)
        policy = f"arn:aws:iam::{ACCOUNT}:policy/tf-ecommerce-dwh-{env}-storage"
        assert not _allows(statements, "iam:CreatePolicyVersion", policy)


def test_the_plan_role_writes_only_plans_and_locks(iam: Any) -> None:
    writes = ("Create", "Put", "Delete", "Update", "Tag", "Untag", "Attach", "Detach", "Pass",
              "Modify", "Authorize", "Revoke", "Enable", "Disable", "Schedule")
    for env in ENVIRONMENTS:
        for statement in _statements(iam, f"tf-plan-ecommerce-dwh-{env}"):
            for action in _as_list(statement["Action"]):
                verb = action.split(":", 1)[1]
                if not verb.startswith(writes):
                    continue
                resources = _as_list(statement["Resource"])
                plans = f"arn:aws:s3:::tf-state-ecommerce-dwh/ecommerce-dwh/{env}/plans/*"
                locks = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/tf-locks-ecommerce-dwh"
                assert resources in ([plans], [locks]), (env, action, resources)


def test_every_resource_type_of_the_plan_has_a_service_in_the_deploy_role(
        iam: Any, dev_chain: DevChain) -> None:
    """A module that adds a new kind of resource must extend the deploy role too."""
    actions = {a for s in _statements(iam, "tf-deploy-ecommerce-dwh-dev")
               for a in _as_list(s["Action"])}
    services = {a.split(":")[0] for a in actions}
    types = {c["type"] for c in dev_chain.plan_json["resource_changes"]
             if c["mode"] == "managed"}
    unmapped = sorted(t for t in types if not any(t.startswith(p) for p in SERVICES))
    assert not unmapped, (f"resource types unknown to the deploy role: {unmapped}; add their "
                          "permissions to infra/terraform/environments/bootstrap/"
                          "deploy_policies.tf and the type to SERVICES here")
    needed = {SERVICES[next(p for p in sorted(SERVICES, key=len, reverse=True)
                            if t.startswith(p))] for t in types}
    assert needed <= services, needed - services
