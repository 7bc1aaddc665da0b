"""infra/terraform/modules/dashboard planned, then applied, against the moto server.

The test root (``terraform_root/``) gives the module a VPC of its own and points every
service it uses at moto. The plan is checked for what matters for security: the
listener rule authenticates before it forwards, the HTTPS listener forwards nothing by
default, the task admits only the load balancer, the task role may only call
``redshift-serverless:GetCredentials`` on the one workgroup, and the container runs
read-only with Streamlit's health check. The apply then creates every resource in moto
(with a self-signed certificate imported into moto's ACM) and reads them back.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ecommerce_dwh.terraform import PlanSummary, Terraform

pytestmark = pytest.mark.terraform

ROOT = Path(__file__).resolve().parent / "terraform_root"
MODULE = "module.dashboard"
WORKGROUP_ARN = ("arn:aws:redshift-serverless:us-east-2:123456789012:workgroup/"
                 "11111111-2222-3333-4444-555555555555")

#: Everything the module creates with the test root's settings.
EXPECTED = {
    "aws_cloudwatch_log_group.this",
    "aws_cognito_user_pool.this",
    "aws_cognito_user_pool_client.this",
    "aws_cognito_user_pool_domain.this",
    "aws_ecs_cluster.this",
    "aws_ecs_service.this",
    "aws_ecs_task_definition.this",
    "aws_iam_role.execution",
    "aws_iam_role.task",
    "aws_iam_role_policy.execution",
    "aws_iam_role_policy.task",
    "aws_lb.this",
    "aws_lb_listener.http[0]",
    "aws_lb_listener.https",
    "aws_lb_listener_rule.authenticated",
    "aws_lb_target_group.this",
    "aws_security_group.alb",
    "aws_security_group.task",
    "aws_vpc_security_group_egress_rule.alb_to_idp",
    "aws_vpc_security_group_egress_rule.alb_to_task",
    "aws_vpc_security_group_egress_rule.task_to_aws_apis",
    "aws_vpc_security_group_egress_rule.task_to_redshift[0]",
    'aws_vpc_security_group_ingress_rule.alb_http["203.0.113.0/24"]',
    'aws_vpc_security_group_ingress_rule.alb_https["203.0.113.0/24"]',
    "aws_vpc_security_group_ingress_rule.redshift_from_task[0]",
    "aws_vpc_security_group_ingress_rule.task_from_alb",
}

#: What a second plan after the apply wants to change, and why: moto 5.2.5 drops the
#: description of a security group rule that references another group, and does not
#: return the ECS service's availability_zone_rebalancing. Anything else is a failure.
MOTO_DRIFT = {
    "aws_ecs_service.this",
    "aws_vpc_security_group_egress_rule.alb_to_task",
    "aws_vpc_security_group_egress_rule.task_to_redshift[0]",
    "aws_vpc_security_group_ingress_rule.redshift_from_task[0]",
    "aws_vpc_security_group_ingress_rule.task_from_alb",
}


@pytest.fixture(scope="module")
def terraform(aws_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Terraform:
    """The test root, initialised (local state in a temporary folder), aimed at moto."""
    binary = shutil.which("terraform")
    if binary is None:
        pytest.fail("terraform CLI not found on PATH", pytrace=False)
    home = tmp_path_factory.mktemp("tf-dashboard")
    env = {**aws_env, "TF_VAR_aws_endpoint_url": aws_env["AWS_ENDPOINT_URL"],
           "AWS_PROFILE": "", "AWS_SESSION_TOKEN": "", "AWS_SECURITY_TOKEN": ""}
    tf = Terraform(workdir=ROOT, data_dir=home / ".terraform", env=env, binary=binary,
                   timeout=600)
    # State in the temporary folder: a state left next to the root would be refreshed
    # (one read per resource, against a moto that never had them) by every later plan.
    tf.init(backend_config={"path": str(home / "terraform.tfstate")})
    return tf


@pytest.fixture(scope="module")
def plan(terraform: Terraform) -> tuple[PlanSummary, dict[str, dict[str, Any]]]:
    """A saved plan of the test root: its summary and address -> planned values."""
    home = terraform.data_dir.parent
    summary = terraform.plan(home / "dashboard.tfplan")
    doc = json.loads(terraform.run("show", "-json", "-no-color", str(home / "dashboard.tfplan"),
                                   log_output=False))
    values: dict[str, dict[str, Any]] = {}

    def walk(module: dict[str, Any]) -> None:
        for resource in module.get("resources", []):
            values[resource["address"]] = resource.get("values", {})
        for child in module.get("child_modules", []):
            walk(child)

    walk(doc["planned_values"]["root_module"])
    return summary, values


def _module(values: dict[str, dict[str, Any]], address: str) -> dict[str, Any]:
    return values[f"{MODULE}.{address}"]


def test_plan_creates_the_whole_service(plan: tuple[PlanSummary, dict]) -> None:
    summary, _ = plan
    print(f"\ndashboard module plan: {summary}")
    assert not (summary.update or summary.replace or summary.delete)
    created = {a.removeprefix(f"{MODULE}.") for a in summary.create if a.startswith(MODULE)}
    assert created == EXPECTED


def test_listener_authenticates_before_forwarding(plan: tuple[PlanSummary, dict]) -> None:
    _, values = plan
    https = _module(values, "aws_lb_listener.https")
    assert https["protocol"] == "HTTPS" and https["port"] == 443
    assert https["ssl_policy"].startswith("ELBSecurityPolicy-TLS13")
    assert https["certificate_arn"].startswith("arn:aws:acm:")
    # Without the rule nothing is forwarded: the default is a fixed 403.
    [default] = https["default_action"]
    assert default["type"] == "fixed-response"
    assert default["fixed_response"][0]["status_code"] == "403"

    rule = _module(values, "aws_lb_listener_rule.authenticated")
    actions = sorted(rule["action"], key=lambda a: a["order"])
    assert [a["type"] for a in actions] == ["authenticate-cognito", "forward"]
    cognito = actions[0]["authenticate_cognito"][0]
    assert cognito["on_unauthenticated_request"] == "authenticate"
    assert rule["condition"][0]["path_pattern"][0]["values"] == ["/*"]

    [http_default] = _module(values, "aws_lb_listener.http[0]")["default_action"]
    assert http_default["type"] == "redirect"
    assert http_default["redirect"][0]["protocol"] == "HTTPS"


def test_only_admins_create_users(plan: tuple[PlanSummary, dict]) -> None:
    _, values = plan
    pool = _module(values, "aws_cognito_user_pool.this")
    assert pool["admin_create_user_config"][0]["allow_admin_create_user_only"] is True
    client = _module(values, "aws_cognito_user_pool_client.this")
    assert client["callback_urls"] == ["https://dashboard.example.com/oauth2/idpresponse"]
    assert client["generate_secret"] is True and client["allowed_oauth_flows"] == ["code"]


def test_task_admits_only_the_load_balancer(plan: tuple[PlanSummary, dict]) -> None:
    _, values = plan
    ingress = {a: v for a, v in values.items()
               if a.startswith(f"{MODULE}.aws_vpc_security_group_ingress_rule.")}
    task_rules = [v for a, v in ingress.items() if ".task_from_alb" in a]
    [rule] = task_rules
    assert rule["cidr_ipv4"] is None and rule["cidr_ipv6"] is None  # a group, not a range
    assert rule["from_port"] == rule["to_port"] == 8501
    public = [v for a, v in ingress.items() if ".alb_" in a]
    assert {(v["from_port"], v["cidr_ipv4"]) for v in public} == {
        (443, "203.0.113.0/24"), (80, "203.0.113.0/24")}
    service = _module(values, "aws_ecs_service.this")
    assert service["launch_type"] == "FARGATE"
    assert service["network_configuration"][0]["assign_public_ip"] is False
    target_group = _module(values, "aws_lb_target_group.this")
    assert target_group["health_check"][0]["path"] == "/_stcore/health"
    assert target_group["target_type"] == "ip"


def test_task_role_reads_one_workgroup_only(plan: tuple[PlanSummary, dict]) -> None:
    _, values = plan
    policy = json.loads(_module(values, "aws_iam_role_policy.task")["policy"])
    statements = policy["Statement"]
    assert len(statements) == 1
    [statement] = statements
    assert statement["Effect"] == "Allow"
    def as_list(value: object) -> list:
        return value if isinstance(value, list) else [value]

    actions, resources = as_list(statement["Action"]), as_list(statement["Resource"])
    assert actions == ["redshift-serverless:GetCredentials"]
    assert resources == [WORKGROUP_ARN]
    assert "*" not in json.dumps(policy)


def test_container_is_read_only_and_configured_for_redshift(
    plan: tuple[PlanSummary, dict],
) -> None:
    _, values = plan
    task = _module(values, "aws_ecs_task_definition.this")
    assert task["requires_compatibilities"] == ["FARGATE"]
    [container] = json.loads(task["container_definitions"])
    assert container["readonlyRootFilesystem"] is True
    assert "/_stcore/health" in " ".join(container["healthCheck"]["command"])
    env = {e["name"]: e["value"] for e in container["environment"]}
    assert env["DWH_ENVIRONMENT"] == "dev"
    assert env["DWH_REDSHIFT_WORKGROUP"] == "ecommerce-dwh-dev"
    assert env["DWH_REDSHIFT_DATABASE"] == "dev"
    assert env["DWH_REDSHIFT_HOST"].endswith(".redshift-serverless.amazonaws.com")
    assert env["STREAMLIT_BROWSER_SERVER_ADDRESS"] == "dashboard.example.com"
    assert not any(k in container for k in ("secrets", "repositoryCredentials"))
    assert container["logConfiguration"]["logDriver"] == "awslogs"


def _self_signed_certificate() -> tuple[bytes, bytes]:
    """A throw-away certificate for dashboard.example.com (PEM certificate, PEM key)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "dashboard.example.com")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("dashboard.example.com")]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    return (certificate.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


@pytest.mark.slow
def test_apply_against_moto(terraform: Terraform, plan: tuple[PlanSummary, dict],
                            boto3_client: Callable[[str], Any]) -> None:
    """Apply creates every resource in moto; what it created reads back as planned."""
    certificate, key = _self_signed_certificate()
    arn = boto3_client("acm").import_certificate(Certificate=certificate,
                                                 PrivateKey=key)["CertificateArn"]
    home = terraform.data_dir.parent
    terraform.env = {**terraform.env, "TF_VAR_certificate_arn": arn}
    terraform.plan(home / "apply.tfplan")
    terraform.apply(home / "apply.tfplan")
    assert terraform.output()["redshift_database_user"] == "IAMR:ecommerce-dwh-dashboard-dev-task"

    elb = boto3_client("elbv2")
    [lb] = [b for b in elb.describe_load_balancers()["LoadBalancers"]
            if b["LoadBalancerName"] == "ecommerce-dwh-dashboard-dev"]
    listeners = {li["Port"]: li for li in
                 elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]}
    assert set(listeners) == {80, 443}
    rules = elb.describe_rules(ListenerArn=listeners[443]["ListenerArn"])["Rules"]
    [rule] = [r for r in rules if not r["IsDefault"]]
    kinds = [a["Type"] for a in sorted(rule["Actions"], key=lambda a: a["Order"])]
    assert kinds == ["authenticate-cognito", "forward"]

    iam = boto3_client("iam")
    document = iam.get_role_policy(RoleName="ecommerce-dwh-dashboard-dev-task",
                                   PolicyName="redshift-read")["PolicyDocument"]
    text = document if isinstance(document, str) else json.dumps(document)
    assert "redshift-serverless:GetCredentials" in text and WORKGROUP_ARN in text

    ecs = boto3_client("ecs")
    [service] = ecs.describe_services(cluster="ecommerce-dwh-dashboard-dev",
                                      services=["ecommerce-dwh-dashboard-dev"])["services"]
    assert service["launchType"] == "FARGATE"

    # A second plan: nothing to create or destroy; only moto's known drift may show.
    again = terraform.plan(home / "again.tfplan")
    assert not (again.create or again.replace or again.delete), again
    drift = {a.removeprefix(f"{MODULE}.") for a in again.update}
    assert drift <= MOTO_DRIFT, f"unexpected changes after apply: {drift - MOTO_DRIFT}"
