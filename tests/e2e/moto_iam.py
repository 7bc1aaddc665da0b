"""The worker's identity on the pipeline's IAM-enforcing moto server, and what moto checks.

After ``dwh_infrastructure`` has applied ``environments/local`` (as the admin), the
harness, still as the admin, does what a person does on AWS when a new machine gets an
identity: it makes an access key for the local Airflow's IAM user (Terraform makes
none, so no secret is in its state), and the ``aws_default`` connection carries that
key plus ``role_arn`` = the worker's role. Every DAG task then assumes the role and acts
as it, and moto checks each call against the role's policy.

**moto's copy of the policy differs from the project's in one way, on purpose.** moto
5.2.5 checks the Resource of a request for S3 only (bucket and key ARNs), and for IAM,
STS and SQS; for every other service (Glue, SNS, KMS...) it checks the action against
Resource ``"*"`` (``moto/core/responses.py``: ``call_action`` passes ``"*"`` unless the
service's response class has ``_determine_resource``; ``moto/iam/access_control.py``
then matches the statement's Resource against that string). An ARN-scoped grant, which
every Glue, SNS and KMS grant of the worker is, therefore never matches there, and moto
would deny calls that AWS allows. :func:`policy_for_moto` gives exactly those
statements Resource ``"*"``: their actions and conditions stay as they are, and the S3
statements are untouched. What the enforced run then proves: every action the pipeline
calls is in the worker's policy, and its S3 access is limited to the prefixes the policy
names. What it cannot prove: the ARNs of the Glue, SNS and KMS statements (the plan
tests and the IAM linter check those), nor any condition (moto evaluates
``sts:ExternalId`` only). The project's policy itself is never changed; Terraform's
state then differs from moto's copy, which no test plans against again.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ecommerce_dwh.local.environment import aws_connection_uri
from ecommerce_dwh.local.moto_server import AccessKey, EnforcingMotoServer

#: Services whose requests moto checks against a real resource ARN (S3 objects and
#: buckets; IAM, STS and SQS through ``_determine_resource``).
MOTO_CHECKS_RESOURCES = frozenset({"s3", "iam", "sts", "sqs"})


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [value]


def policy_for_moto(policy: dict[str, Any]) -> dict[str, Any]:
    """``policy`` with Resource ``"*"`` in each statement whose service moto checks
    against ``"*"`` only (the module docstring says why); nothing else changes.

    A statement that mixes such services with S3 (or IAM, STS, SQS), or that uses
    NotAction or NotResource, cannot be rewritten without changing its meaning: it is
    refused.
    """
    rewritten = copy.deepcopy(policy)
    statements = _as_list(rewritten["Statement"])
    for statement in statements:
        if "NotAction" in statement or "NotResource" in statement:
            raise ValueError(f"not rewritten for moto (NotAction/NotResource): {statement}")
        services = {action.split(":", 1)[0] for action in _as_list(statement["Action"])}
        if services <= MOTO_CHECKS_RESOURCES:
            continue
        if services & MOTO_CHECKS_RESOURCES:
            raise ValueError(f"a statement mixes services moto checks by resource with others "
                             f"({sorted(services)}): split it: {statement}")
        statement["Resource"] = "*"
    rewritten["Statement"] = statements
    return rewritten


@dataclass(frozen=True)
class WorkerIdentity:
    """The local Airflow's IAM user (its access key) and the worker role it assumes."""

    server: EnforcingMotoServer
    user_name: str
    access_key: AccessKey
    role_arn: str
    policy_name: str
    #: The role's policy as Terraform wrote it (the project's, before the rewrite).
    project_policy: dict[str, Any]

    @property
    def role_name(self) -> str:
        return self.role_arn.rsplit("/", 1)[1]

    def connection_uri(self, endpoint_url: str | None = None, **kwargs: Any) -> str:
        """``aws_default`` as the worker: the user's key, assuming the role (through
        ``endpoint_url``, e.g. a proxy, when given)."""
        return aws_connection_uri(endpoint_url or self.server.endpoint_url,
                                  access_key=self.access_key, role_arn=self.role_arn, **kwargs)

    def policy_in_moto(self) -> dict[str, Any]:
        """The role's policy as moto holds it now."""
        return self.server.client("iam").get_role_policy(
            RoleName=self.role_name, PolicyName=self.policy_name)["PolicyDocument"]

    def put_policy(self, policy: dict[str, Any]) -> None:
        self.server.client("iam").put_role_policy(
            RoleName=self.role_name, PolicyName=self.policy_name,
            PolicyDocument=json.dumps(policy))

    @contextlib.contextmanager
    def without(self, action: str) -> Iterator[dict[str, Any]]:
        """moto's copy of the policy without ``action`` (the statement that grants it
        keeps its other actions); restored afterwards. Yields the reduced policy."""
        before = self.policy_in_moto()
        reduced = copy.deepcopy(before)
        found = False
        kept = []
        for statement in _as_list(reduced["Statement"]):
            actions = _as_list(statement["Action"])
            if action in actions:
                found = True
                actions = [a for a in actions if a != action]
                if not actions:
                    continue
                statement["Action"] = actions
            kept.append(statement)
        if not found:
            raise KeyError(f"the worker's policy does not grant {action}")
        reduced["Statement"] = kept
        self.put_policy(reduced)
        try:
            yield reduced
        finally:
            self.put_policy(before)


def set_up_worker(server: EnforcingMotoServer, outputs: dict[str, Any]) -> WorkerIdentity:
    """As the admin: an access key for the local Airflow's user, and moto's copy of the
    worker's policy (:func:`policy_for_moto`). ``outputs`` are ``dwh_infra_outputs``."""
    iam = server.client("iam")
    user = outputs["airflow_user_name"]
    key = iam.create_access_key(UserName=user)["AccessKey"]
    role_name = outputs["worker_role_arn"].rsplit("/", 1)[1]
    [policy_name] = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    worker = WorkerIdentity(
        server=server, user_name=user,
        access_key=AccessKey(key["AccessKeyId"], key["SecretAccessKey"]),
        role_arn=outputs["worker_role_arn"], policy_name=policy_name,
        project_policy=iam.get_role_policy(RoleName=role_name,
                                           PolicyName=policy_name)["PolicyDocument"])
    worker.put_policy(policy_for_moto(worker.project_policy))
    return worker
