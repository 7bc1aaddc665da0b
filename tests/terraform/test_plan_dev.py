"""``environments/aws`` planned for dev against moto, with its real S3 backend.

The plans (``dev_plan``: dev.tfvars as committed; ``dev_full_plan``: every optional
part on) and the backend set-up are fixtures in conftest.py. Redshift Serverless is only
planned: moto has no such API, and a plan of new resources never calls it. What a plan
shows is what Terraform will ask AWS for; whether AWS accepts it (Redshift Serverless
in these subnets, the endpoints' private DNS) is not provable here: docs/terraform.md.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Callable
from typing import Any

import pytest

from ecommerce_dwh.terraform import Terraform, TerraformError

from .conftest import AWS_OUTPUTS, LOCK_TABLE, STATE_BUCKET, DevPlan
from .iam_policies import PLACEHOLDER_ARNS, as_list, plan_policies

pytestmark = pytest.mark.terraform

PROJECT_ARNS = (
    "arn:aws:s3:::ecommerce-dwh-raw-dev",
    "arn:aws:s3:::ecommerce-dwh-staging-dev",
    "arn:aws:glue:us-east-2:123456789012:",
    "arn:aws:sns:us-east-2:123456789012:ecommerce-dwh-dev-alerts",
)

#: Storage classes a plain GET reads (the crawler, the ETL job, Spectrum need no restore).
READABLE_STORAGE_CLASSES = {"STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR"}


def _planned(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """address -> planned attribute values, over the root module and its children."""
    found: dict[str, dict[str, Any]] = {}

    def walk(module: dict[str, Any]) -> None:
        for res in module.get("resources", []):
            found[res["address"]] = res.get("values", {})
        for child in module.get("child_modules", []):
            walk(child)

    walk(doc["planned_values"]["root_module"])
    return found


def _of_type(values: dict[str, dict[str, Any]], prefix: str) -> dict[str, dict[str, Any]]:
    return {a: v for a, v in values.items() if a.startswith(prefix)}


def _module_input(doc: dict[str, Any], module: str, name: str) -> list[str]:
    """What a module call's argument refers to (its configuration, not its value)."""
    calls = doc["configuration"]["root_module"]["module_calls"]
    return calls[module]["expressions"][name].get("references", [])


def test_dev_plan_creates_every_module(dev_plan: DevPlan) -> None:
    doc, summary = dev_plan.doc, dev_plan.summary
    print(f"\ndev plan: {summary} ({len(summary.create)} resources to create)")
    assert summary.create and not (summary.update or summary.replace or summary.delete)
    modules = {a.split(".")[1] for a in summary.create}
    assert modules == {"s3", "iam", "glue", "network", "redshift_serverless", "monitoring"}
    for must in (
        "module.redshift_serverless.aws_redshiftserverless_namespace.this[0]",
        "module.redshift_serverless.aws_redshiftserverless_workgroup.this[0]",
        "module.redshift_serverless.aws_redshiftserverless_usage_limit.this[0]",
        "module.monitoring.aws_ce_anomaly_monitor.this[0]",
        "module.monitoring.aws_cloudwatch_metric_alarm.redshift_rpu[0]",
        "module.glue.aws_glue_crawler.this[0]",
        "module.network.aws_vpc.this[0]",
        "module.network.aws_security_group.redshift[0]",
        "module.network.aws_vpc_endpoint.s3[0]",
        'module.network.aws_vpc_endpoint.interface["glue"]',
        "module.network.aws_flow_log.this[0]",
        "module.iam.aws_iam_role.worker[0]",
        "module.iam.aws_iam_role_policy.worker[0]",
    ):
        assert must in summary.create
    assert doc["planned_values"]["outputs"].keys() >= AWS_OUTPUTS


def test_dev_plan_names_and_settings(dev_plan: DevPlan) -> None:
    values = _planned(dev_plan.doc)
    buckets = {v["bucket"] for a, v in values.items() if a.endswith(("aws_s3_bucket.logs",))}
    buckets |= {
        values[f'module.s3.aws_s3_bucket.this["{layer}"]']["bucket"] for layer in ("raw", "staging")
    }
    assert buckets == {
        "ecommerce-dwh-raw-dev",
        "ecommerce-dwh-staging-dev",
        "ecommerce-dwh-logs-dev",
    }
    assert values["module.glue.aws_glue_catalog_database.raw"]["name"] == "ecommerce_dwh_raw_dev"
    crawler = values["module.glue.aws_glue_crawler.this[0]"]
    assert crawler["name"] == "ecommerce-dwh-raw-crawler-dev"
    assert crawler.get("schedule") in (None, "")
    assert len(crawler["s3_target"]) == 4
    namespace = values["module.redshift_serverless.aws_redshiftserverless_namespace.this[0]"]
    assert namespace["namespace_name"] == "ecommerce-dwh-dev"
    assert namespace["manage_admin_password"] is True
    assert "admin_user_password" not in namespace or namespace["admin_user_password"] is None
    workgroup = values["module.redshift_serverless.aws_redshiftserverless_workgroup.this[0]"]
    assert workgroup["workgroup_name"] == "ecommerce-dwh-dev"
    assert workgroup["base_capacity"] == 8
    assert workgroup["publicly_accessible"] is False
    limit = values["module.redshift_serverless.aws_redshiftserverless_usage_limit.this[0]"]
    assert limit["breach_action"] == "deactivate"


def test_raw_crawler_crawls_new_folders_only(dev_plan: DevPlan) -> None:
    """One crawler in the plan, over raw/ only, crawling only folders added since its last
    run: its cost is one day's, whatever the history (the silver tables are declared)."""
    values = _planned(dev_plan.doc)
    crawlers = _of_type(values, "module.glue.aws_glue_crawler.")
    assert list(crawlers) == ["module.glue.aws_glue_crawler.this[0]"]
    assert not [a for a in values if ".aws_glue_crawler." in a and not a.startswith("module.glue")]
    crawler = crawlers["module.glue.aws_glue_crawler.this[0]"]
    assert [p["recrawl_behavior"] for p in crawler["recrawl_policy"]] == ["CRAWL_NEW_FOLDERS_ONLY"]
    assert all(t["path"].startswith("s3://ecommerce-dwh-raw-dev/raw/")
               for t in crawler["s3_target"]), crawler["s3_target"]
    # CRAWL_NEW_FOLDERS_ONLY requires LOG for both schema change behaviours.
    assert crawler["schema_change_policy"] == [{"delete_behavior": "LOG", "update_behavior": "LOG"}]
    assert _of_type(values, "module.glue.aws_glue_catalog_table.silver")


def test_raw_data_stays_readable_when_it_ages(dev_plan: DevPlan) -> None:
    """Lifecycle rules only move objects to classes a plain GET still reads."""
    values = _planned(dev_plan.doc)
    configs = _of_type(values, "module.s3.aws_s3_bucket_lifecycle_configuration.")
    assert len(configs) == 3
    for address, config in configs.items():
        classes = {t["storage_class"] for rule in config["rule"] for t in rule["transition"]}
        classes |= {t["storage_class"] for rule in config["rule"]
                    for t in rule["noncurrent_version_transition"]}
        assert classes <= READABLE_STORAGE_CLASSES, (address, classes)
    raw = configs['module.s3.aws_s3_bucket_lifecycle_configuration.this["raw"]']["rule"][0]
    assert sorted((t["days"], t["storage_class"]) for t in raw["transition"]) == [
        (30, "STANDARD_IA"), (90, "GLACIER_IR")]


def test_dev_plan_network(dev_plan: DevPlan) -> None:
    """A private VPC over three AZs, the workgroup inside it behind its own security
    group, and the endpoints enhanced VPC routing needs; no way in from the internet."""
    doc = dev_plan.doc
    values = _planned(doc)
    vpc = values["module.network.aws_vpc.this[0]"]
    assert vpc["enable_dns_support"] is True and vpc["enable_dns_hostnames"] is True
    subnets = _of_type(values, "module.network.aws_subnet.private")
    assert len({s["availability_zone"] for s in subnets.values()}) >= 3
    assert not any(s["map_public_ip_on_launch"] for s in subnets.values())
    network = ipaddress.ip_network(vpc["cidr_block"])
    assert all(ipaddress.ip_network(s["cidr_block"]).subnet_of(network) for s in subnets.values())
    for kind in ("aws_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_route."):
        assert not [a for a in values if f".{kind}" in a], f"a {kind} in the plan"

    # The workgroup is wired to the module's subnets and security group (their ids are
    # only known after apply, so the configuration says where they come from).
    assert "module.network.private_subnet_ids" in _module_input(doc, "redshift_serverless",
                                                                "subnet_ids")
    assert "module.network.redshift_security_group_id" in _module_input(
        doc, "redshift_serverless", "security_group_ids")
    workgroup = values["module.redshift_serverless.aws_redshiftserverless_workgroup.this[0]"]
    assert workgroup["enhanced_vpc_routing"] is True

    # Enhanced VPC routing's ways out: S3 gateway endpoint, Glue with private DNS.
    s3 = values["module.network.aws_vpc_endpoint.s3[0]"]
    assert (s3["vpc_endpoint_type"], s3["service_name"]) == ("Gateway",
                                                             "com.amazonaws.us-east-2.s3")
    glue = values['module.network.aws_vpc_endpoint.interface["glue"]']
    assert glue["vpc_endpoint_type"] == "Interface" and glue["private_dns_enabled"] is True
    endpoints_in = values["module.network.aws_vpc_security_group_ingress_rule.endpoints_https[0]"]
    assert (endpoints_in["from_port"], endpoints_in["to_port"]) == (443, 443)
    assert endpoints_in["cidr_ipv4"] == vpc["cidr_block"]

    # dev.tfvars admits no worker yet: nothing may reach the workgroup (the plan warns).
    assert not _of_type(values, "module.network.aws_vpc_security_group_ingress_rule.redshift")
    assert 'check "workers_can_reach_redshift"' in dev_plan.text
    egress = _of_type(values, "module.network.aws_vpc_security_group_egress_rule.redshift")
    assert {(e["from_port"], e["to_port"], e["cidr_ipv4"]) for e in egress.values()} == {
        (443, 443, None)}
    flow = values["module.network.aws_flow_log.this[0]"]
    assert flow["log_destination"] == "arn:aws:s3:::ecommerce-dwh-logs-dev/vpc-flow-logs/"


def test_workers_reach_redshift_on_5439_only(dev_full_plan: DevPlan) -> None:
    """With workers given (CIDR and security group), the workgroup admits them on 5439,
    and no ingress rule of the plan (the dashboard's load balancer aside, which admits
    its own ranges on 80/443) is open to the world."""
    values = _planned(dev_full_plan.doc)
    rules = _of_type(values, "module.network.aws_vpc_security_group_ingress_rule.redshift")
    assert {(r["from_port"], r["to_port"], r["ip_protocol"]) for r in rules.values()} == {
        (5439, 5439, "tcp")}
    assert {r["cidr_ipv4"] for r in rules.values()} == {"10.60.0.0/16", None}
    assert {r["referenced_security_group_id"] for r in rules.values()} == {
        "sg-0123456789abcdef0", None}
    every_ingress = {a: v for a, v in values.items()
                     if ".aws_vpc_security_group_ingress_rule." in a}
    for address, rule in every_ingress.items():
        assert rule.get("cidr_ipv4") not in ("0.0.0.0/0",), address
        assert rule.get("cidr_ipv6") not in ("::/0",), address
    assert "workers_can_reach_redshift" not in dev_full_plan.text


@pytest.mark.parametrize("cidr", ["0.0.0.0/0"])
def test_the_world_is_refused_on_5439(dev_terraform: Terraform, cidr: str) -> None:
    """A variable validation stops the plan before anything is asked of AWS."""
    with pytest.raises(TerraformError, match=r"none may be\s+0\.0\.0\.0/0"):
        dev_terraform.run("plan", "-input=false", "-no-color", "-lock=false", "-refresh=false",
                          "-var-file=dev.tfvars",
                          f"-var=redshift_allowed_cidr_blocks=[{json.dumps(cidr)}]")


def _worker_policy(plan: DevPlan) -> Any:
    [policy] = [p for p in plan_policies(plan.doc)
                if p.address == "module.iam.data.aws_iam_policy_document.worker[0]"]
    return policy


def test_worker_role_is_least_privilege(dev_plan: DevPlan) -> None:
    """The worker's policy: named actions only, on the project's ARNs; writes only under
    raw/ and silver/; keys only through their services; "*" only where AWS has no
    resource type, and there only for the worker's own Data API statements."""
    values = _planned(dev_plan.doc)
    role = values["module.iam.aws_iam_role.worker[0]"]
    assert role["name"] == "ecommerce-dwh-worker-dev"
    policy = _worker_policy(dev_plan)
    placeholders = set(PLACEHOLDER_ARNS.values())
    writes = {"s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"}
    for statement in policy.statements:
        sid, actions = statement["Sid"], set(as_list(statement["Action"]))
        resources = as_list(statement["Resource"])
        assert statement["Effect"] == "Allow" and "NotAction" not in statement, sid
        assert not any("*" in a for a in actions), statement
        if resources == ["*"]:
            assert sid == "FollowOwnStatements", statement
            assert statement["Condition"] == {"StringEquals": {
                "redshift-data:statement-owner-iam-userid": ["${aws:userid}"]}}
            continue
        for resource in resources:
            assert resource.startswith(PROJECT_ARNS) or resource in placeholders, statement
        if actions & writes:
            assert sorted(resources) == ["arn:aws:s3:::ecommerce-dwh-raw-dev/raw/*",
                                         "arn:aws:s3:::ecommerce-dwh-staging-dev/silver/*"]
        if "s3:ListBucket" in actions:
            assert statement["Condition"]["StringLike"]["s3:prefix"] in (
                ["raw/", "raw/*"], ["silver/", "silver/*"])
        if any(a.startswith("kms:") for a in actions):
            assert set(statement["Condition"]["StringEquals"]) == {"kms:ViaService"}, statement
        if any(a.startswith("glue:") for a in actions):
            assert all("ecommerce_dwh_staging_dev" in r or r.endswith(":catalog")
                       or r.endswith(("crawler/ecommerce-dwh-raw-crawler-dev",
                                      "job/ecommerce-dwh-bronze-to-silver-dev"))
                       for r in resources), statement
    sids = {s["Sid"] for s in policy.statements}
    assert sids == {
        "ListRawPrefix", "ListSilverPrefix", "LocateDataLakeBuckets",
        "ReadWriteRawAndSilverObjects", "UseDataLakeKeyThroughS3", "RunRawCrawler",
        "RunEtlJob", "RegisterStagingPartitions", "RunStatementsOnWorkgroup",
        "FollowOwnStatements", "RedshiftTemporaryCredentials", "ReadRedshiftAdminSecret",
        "DecryptAdminSecretThroughSecretsManager", "PublishAlerts", "UseAlertsKeyThroughSns",
    }
    assert set(as_list(policy.statement("RunRawCrawler")["Action"])) == {
        "glue:StartCrawler", "glue:GetCrawler"}
    assert set(as_list(policy.statement("RunEtlJob")["Action"])) == {
        "glue:GetJob", "glue:StartJobRun", "glue:GetJobRun", "glue:BatchStopJobRun"}
    # The ARNs AWS assigns at apply come from the right resources.
    doc = dev_plan.doc
    assert "module.redshift_serverless.workgroup_arn" in _module_input(
        doc, "iam", "redshift_workgroup_arn")
    assert "module.redshift_serverless.admin_secret_arn" in _module_input(
        doc, "iam", "redshift_admin_secret_arn")
    assert "module.s3.kms_key_arn" in _module_input(doc, "iam", "kms_key_arn")
    assert "module.monitoring.kms_key_arn" in _module_input(doc, "iam", "alerts_kms_key_arn")


def test_worker_trust(dev_plan: DevPlan, dev_full_plan: DevPlan) -> None:
    """dev.tfvars names no workload identity yet: only this account may assume the role
    (through IAM policies); with one given, only it, presenting the external id."""
    def trust(plan: DevPlan) -> list[dict[str, Any]]:
        [policy] = [p for p in plan_policies(plan.doc)
                    if p.address == "module.iam.data.aws_iam_policy_document.worker_assume[0]"]
        return policy.statements

    [default] = trust(dev_plan)
    assert default["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"}
    [astro] = trust(dev_full_plan)
    assert astro["Principal"] == {"AWS": "arn:aws:iam::123456789012:role/astro-workload-identity"}
    assert astro["Condition"] == {"StringEquals": {"sts:ExternalId": "ecommerce-dwh-dev"}}


@pytest.mark.parametrize(("kind", "services"), [
    ("mwaa", ["airflow-env.amazonaws.com", "airflow.amazonaws.com"]),
    ("ecs", ["ecs-tasks.amazonaws.com"]),
])
def test_worker_trust_for_aws_hosted_airflow(dev_terraform: Terraform, kind: str,
                                            services: list[str]) -> None:
    """MWAA and ECS: the service assumes the role, for this account only (a plan of
    just the role, -target)."""
    plan_file = dev_terraform.data_dir.parent / f"worker-{kind}.tfplan"
    dev_terraform.run("plan", "-input=false", "-no-color", "-lock=false",
                      "-var-file=dev.tfvars", f"-var=worker_trust={kind}",
                      "-target=module.iam.aws_iam_role.worker", f"-out={plan_file}")
    doc = json.loads(dev_terraform.run("show", "-json", "-no-color", str(plan_file)))
    [policy] = [p for p in plan_policies(doc)
                if p.address == "module.iam.data.aws_iam_policy_document.worker_assume[0]"]
    [statement] = policy.statements
    assert sorted(as_list(statement["Principal"]["Service"])) == services
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    if kind != "mwaa":
        return
    with pytest.raises(TerraformError, match=r"apply to worker_trust\s+astro and aws_principals"):
        dev_terraform.run("plan", "-input=false", "-no-color", "-lock=false",
                          "-var-file=dev.tfvars", f"-var=worker_trust={kind}",
                          '-var=worker_trusted_principal_arns=["arn:aws:iam::123456789012:root"]',
                          "-target=module.iam.aws_iam_role.worker")


def test_dev_state_lives_in_the_backend(
    dev_plan: DevPlan, boto3_client: Callable[[str], Any]
) -> None:
    """dev was initialised with the S3 backend of dev.backend.hcl, locked in DynamoDB."""
    tf = dev_plan.tf
    backend = json.loads((tf.data_dir / "terraform.tfstate").read_text())["backend"]
    assert backend["type"] == "s3"
    assert backend["config"]["bucket"] == STATE_BUCKET
    assert backend["config"]["key"] == "ecommerce-dwh/dev/terraform.tfstate"
    assert backend["config"]["dynamodb_table"] == LOCK_TABLE
    # The plan took the lock and released it: no lock item may be left behind.
    items = boto3_client("dynamodb").scan(TableName=LOCK_TABLE)["Items"]
    assert not [i for i in items if "Info" in i], f"a state lock was left behind: {items}"
