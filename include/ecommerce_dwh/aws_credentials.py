"""The AWS identity a task acts as, resolved once, for the tools that are not Airflow's
own boto3 clients: dbt (dbt-redshift's IAM login, dbt-duckdb's s3fs).

Handing such a tool the connection's ``login`` and ``password`` is wrong whenever the
connection does more than hold keys: with a ``role_arn`` in its extra the tool would act
as the base identity instead of the role, and temporary credentials need their session
token. :func:`resolved_credentials` asks the provider's hook, which assumes the role,
keeps the token, and falls back to boto3's default chain (the worker's own role: Astro
workload identity, MWAA, ECS) when the connection holds no keys. The secret parts are
registered with Airflow's secrets masker, so they never show in logs or rendered
templates.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ecommerce_dwh.settings import AWS_CONN_ID


@dataclass(frozen=True)
class TaskCredentials:
    """Access key, secret key and session token ('' when there is none)."""

    access_key: str
    secret_key: str
    token: str

    def environment(self) -> dict[str, str]:
        """The standard ``AWS_*`` variables (no token variable without a token)."""
        env = {"AWS_ACCESS_KEY_ID": self.access_key, "AWS_SECRET_ACCESS_KEY": self.secret_key}
        if self.token:
            env["AWS_SESSION_TOKEN"] = self.token
        return env


def resolve_credentials(aws_conn_id: str = AWS_CONN_ID) -> TaskCredentials:
    """The credentials of ``aws_conn_id`` as the provider's hook resolves them."""
    from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook
    from airflow.sdk.log import mask_secret

    credentials = AwsBaseHook(aws_conn_id=aws_conn_id, client_type="sts").get_credentials()
    resolved = TaskCredentials(credentials.access_key or "", credentials.secret_key or "",
                               credentials.token or "")
    for secret in (resolved.secret_key, resolved.token):
        if secret:
            mask_secret(secret)
    return resolved


@functools.cache
def resolved_credentials(aws_conn_id: str = AWS_CONN_ID) -> TaskCredentials:
    """:func:`resolve_credentials`, once per task process (a task renders several
    template fields from them: the DAG's ``aws_credentials()`` macro)."""
    return resolve_credentials(aws_conn_id)
