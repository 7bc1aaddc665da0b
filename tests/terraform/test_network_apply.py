"""modules/network applied to the moto server: what the plan promises, as EC2 reports it.

``environments/aws`` can only be planned here (moto has no Redshift Serverless), so the
network module is applied on its own, from a small root module written for the test,
with the same inputs dev gives it plus a worker CIDR and a worker security group. moto
implements VPCs, subnets, route tables, security group rules, VPC endpoints and flow
logs; what it cannot show (Redshift Serverless accepting these subnets, the Glue
endpoint's private DNS answering) is listed in docs/terraform.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ecommerce_dwh.settings import TERRAFORM_DIR
from ecommerce_dwh.terraform import Terraform

from .conftest import terraform_binary

pytestmark = pytest.mark.terraform

PREFIX = "ecommerce-dwh-nettest"
FLOW_LOG_BUCKET = f"{PREFIX}-logs"
WORKER_CIDR = "10.60.0.0/16"

ROOT_MODULE = """\
terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = ">= 5.60, < 6.0"
    }}
  }}
}}

provider "aws" {{
  region                      = "us-east-2"
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  endpoints {{
    ec2 = "{endpoint}"
    s3  = "{endpoint}"
    sts = "{endpoint}"
  }}
}}

module "network" {{
  source = "{module}"

  name_prefix = "{prefix}"
  environment = "dev"

  # The bucket itself: moto takes everything after "arn:aws:s3:::" for the bucket's
  # name, so it refuses the folder (vpc-flow-logs/) that dev gives (AWS accepts it).
  flow_log_destination_arn            = "arn:aws:s3:::{bucket}"
  redshift_allowed_cidr_blocks        = ["{worker_cidr}"]
  redshift_allowed_security_group_ids = [aws_security_group.workers.id]
}}

# The Airflow workers' own security group (e.g. MWAA's or an ECS service's).
resource "aws_security_group" "workers" {{
  name        = "{prefix}-workers"
  description = "Airflow workers (test)"
  vpc_id      = module.network.vpc_id
}}

output "network" {{
  value = module.network
}}

output "workers_security_group_id" {{
  value = aws_security_group.workers.id
}}
"""


@dataclass
class AppliedNetwork:
    tf: Terraform
    outputs: dict[str, Any]
    created: tuple[str, ...]


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory, aws_env: dict[str, str],
            boto3_client: Callable[[str], Any]) -> Iterator[AppliedNetwork]:
    """The module applied to moto (destroyed by the last test, or at teardown)."""
    root = tmp_path_factory.mktemp("network-root")
    (root / "main.tf").write_text(ROOT_MODULE.format(
        endpoint=aws_env["AWS_ENDPOINT_URL"], module=TERRAFORM_DIR / "modules" / "network",
        prefix=PREFIX, bucket=FLOW_LOG_BUCKET, worker_cidr=WORKER_CIDR))
    boto3_client("s3").create_bucket(
        Bucket=FLOW_LOG_BUCKET, CreateBucketConfiguration={"LocationConstraint": "us-east-2"})
    env = {**aws_env, "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "", "AWS_SECURITY_TOKEN": ""}
    tf = Terraform(workdir=root, data_dir=root / ".terraform", env=env,
                   binary=terraform_binary(), timeout=600)
    tf.run("init", "-input=false", "-no-color")
    plan = tf.plan(root / "network.tfplan")
    tf.apply(root / "network.tfplan")
    applied = AppliedNetwork(tf, tf.output(), plan.create)
    try:
        yield applied
    finally:
        if tf.output():
            tf.run("destroy", "-auto-approve", "-input=false", "-no-color")


def _rules(ec2: Any, group_id: str) -> list[dict[str, Any]]:
    return ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [group_id]}])["SecurityGroupRules"]


def test_private_subnets_in_three_zones(network: AppliedNetwork,
                                        boto3_client: Callable[[str], Any]) -> None:
    ec2 = boto3_client("ec2")
    out = network.outputs["network"]
    vpc_id = out["vpc_id"]
    for attribute, key in (("enableDnsSupport", "EnableDnsSupport"),
                           ("enableDnsHostnames", "EnableDnsHostnames")):
        assert ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)[key]["Value"]
    subnets = ec2.describe_subnets(SubnetIds=out["private_subnet_ids"])["Subnets"]
    assert len({s["AvailabilityZone"] for s in subnets}) == 3
    assert not any(s["MapPublicIpOnLaunch"] for s in subnets)
    assert not ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["InternetGateways"]
    assert not ec2.describe_nat_gateways(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["NatGateways"]
    [table] = ec2.describe_route_tables(RouteTableIds=out["private_route_table_ids"])[
        "RouteTables"]
    assert {a["SubnetId"] for a in table["Associations"] if "SubnetId" in a} == set(
        out["private_subnet_ids"])
    assert not [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
    # The default security group keeps no rule.
    [default] = ec2.describe_security_groups(Filters=[
        {"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "group-name", "Values": ["default"]},
    ])["SecurityGroups"]
    assert not default["IpPermissions"] and not default["IpPermissionsEgress"]


def test_workgroup_admits_the_workers_on_5439_only(network: AppliedNetwork,
                                                   boto3_client: Callable[[str], Any]) -> None:
    ec2 = boto3_client("ec2")
    out = network.outputs["network"]
    rules = _rules(ec2, out["redshift_security_group_id"])
    ingress = [r for r in rules if not r["IsEgress"]]
    assert {(r["IpProtocol"], r["FromPort"], r["ToPort"]) for r in ingress} == {("tcp", 5439, 5439)}
    assert {r.get("CidrIpv4") for r in ingress if r.get("CidrIpv4")} == {WORKER_CIDR}
    assert {r["ReferencedGroupInfo"]["GroupId"] for r in ingress
            if r.get("ReferencedGroupInfo")} == {network.outputs["workers_security_group_id"]}
    assert not [r for r in rules if r.get("CidrIpv4") == "0.0.0.0/0"
                or r.get("CidrIpv6") == "::/0"]
    egress = [r for r in rules if r["IsEgress"]]
    assert {(r["FromPort"], r["ToPort"]) for r in egress} == {(443, 443)}
    assert {r.get("PrefixListId") for r in egress if r.get("PrefixListId")} == {
        out["s3_prefix_list_id"]}
    assert {r["ReferencedGroupInfo"]["GroupId"] for r in egress
            if r.get("ReferencedGroupInfo")} == {out["vpc_endpoint_security_group_id"]}


def test_endpoints_for_enhanced_vpc_routing(network: AppliedNetwork,
                                            boto3_client: Callable[[str], Any]) -> None:
    ec2 = boto3_client("ec2")
    out = network.outputs["network"]
    endpoints = {e["ServiceName"]: e for e in ec2.describe_vpc_endpoints(
        Filters=[{"Name": "vpc-id", "Values": [out["vpc_id"]]}])["VpcEndpoints"]}
    s3 = endpoints["com.amazonaws.us-east-2.s3"]
    assert s3["VpcEndpointType"] == "Gateway"
    assert set(s3["RouteTableIds"]) == set(out["private_route_table_ids"])
    glue = endpoints["com.amazonaws.us-east-2.glue"]
    assert glue["VpcEndpointType"] == "Interface" and glue["PrivateDnsEnabled"] is True
    assert set(glue["SubnetIds"]) == set(out["private_subnet_ids"])
    assert [g["GroupId"] for g in glue["Groups"]] == [out["vpc_endpoint_security_group_id"]]
    ingress = [r for r in _rules(ec2, out["vpc_endpoint_security_group_id"]) if not r["IsEgress"]]
    assert [(r["FromPort"], r["ToPort"], r.get("CidrIpv4")) for r in ingress] == [
        (443, 443, out["vpc_cidr_block"])]


def test_flow_logs_go_to_the_logs_bucket(network: AppliedNetwork,
                                         boto3_client: Callable[[str], Any]) -> None:
    logs = boto3_client("ec2").describe_flow_logs(
        Filters=[{"Name": "resource-id", "Values": [network.outputs["network"]["vpc_id"]]}])
    [flow] = logs["FlowLogs"]
    assert flow["LogDestinationType"] == "s3"
    assert flow["LogDestination"] == f"arn:aws:s3:::{FLOW_LOG_BUCKET}"


#: What moto does not store, so that a second plan differs from AWS's (where it is a
#: no-op): a flow log's destination options (it is replaced) and the description of a
#: security group rule that references a group or a prefix list (it is updated).
MOTO_DRIFT = {
    "module.network.aws_flow_log.this[0]": [["destination_options"]],
    "module.network.aws_vpc_security_group_egress_rule.redshift_to_endpoints[0]": "description",
    "module.network.aws_vpc_security_group_egress_rule.redshift_to_s3[0]": "description",
    'module.network.aws_vpc_security_group_ingress_rule.redshift_from_security_group["0"]':
        "description",
}


def test_second_plan_changes_only_what_moto_forgets_then_destroy(
        network: AppliedNetwork, boto3_client: Callable[[str], Any], tmp_path: Path) -> None:
    plan_file = tmp_path / "again.tfplan"
    network.tf.plan(plan_file)
    changes = {c["address"]: c["change"] for c in network.tf.show_plan_json(plan_file)[
        "resource_changes"] if c["change"]["actions"] != ["no-op"]}
    assert changes.keys() <= MOTO_DRIFT.keys(), sorted(changes.keys() - MOTO_DRIFT.keys())
    for address, change in changes.items():
        expected = MOTO_DRIFT[address]
        if isinstance(expected, list):
            assert change["actions"] == ["delete", "create"], change["actions"]
            assert {p[0] for p in change["replace_paths"]} == {e[0] for e in expected}, change[
                "replace_paths"]
        else:
            before, after = change["before"], change["after"]
            assert change["actions"] == ["update"], change["actions"]
            assert {k for k in after if before.get(k) != after[k]} == {expected}, address
    vpc_id = network.outputs["network"]["vpc_id"]
    network.tf.run("destroy", "-auto-approve", "-input=false", "-no-color")
    vpcs = boto3_client("ec2").describe_vpcs(
        Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Vpcs"]
    assert not vpcs
    assert network.tf.output() == {}
