"""Who Terraform is, and where AWS is: credentials and (for an emulator) an endpoint.

Two ways to get them, one shape:

* :meth:`AwsAccess.from_environ`: the standard AWS variables of a shell or of a CI job
  (``AWS_PROFILE``, ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_SESSION_TOKEN``
  as ``aws-actions/configure-aws-credentials`` sets them, ...) and ``AWS_ENDPOINT_URL``;
* :meth:`AwsAccess.from_connection`: an Airflow connection (the DAG): its credentials,
  after assuming the connection's ``role_arn`` when it has one, and its ``endpoint_url``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Variables of the AWS SDKs and CLI that say who the caller is.
CREDENTIAL_VARIABLES = (
    "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN", "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE",
    "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
)


@dataclass(frozen=True)
class AwsAccess:
    """Credentials as process variables, and the emulator endpoint (None on AWS).

    Attributes:
        env: variables for the ``terraform`` process (credentials only; regions come
            from the environment's files).
        endpoint_url: an AWS emulator (the moto server) for every service, or None.
    """

    env: Mapping[str, str] = field(default_factory=dict)
    endpoint_url: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None,
                     endpoint_url: str | None = None) -> AwsAccess:
        """The caller's own AWS identity (a shell, a CI job); ``AWS_ENDPOINT_URL`` or
        ``TF_ENDPOINT_URL`` names an emulator."""
        environ = os.environ if environ is None else environ
        env = {k: environ[k] for k in CREDENTIAL_VARIABLES if environ.get(k)}
        endpoint = (endpoint_url or environ.get("AWS_ENDPOINT_URL")
                    or environ.get("TF_ENDPOINT_URL") or None)
        return cls(env=env, endpoint_url=endpoint)

    @classmethod
    def from_connection(cls, conn_id: str) -> AwsAccess:
        """An Airflow connection's identity (assuming its ``role_arn``, if any)."""
        from airflow.providers.amazon.aws.hooks.base_aws import AwsBaseHook

        from ecommerce_dwh.aws_credentials import resolve_credentials

        credentials = resolve_credentials(conn_id)
        env = credentials.environment() if credentials.access_key else {}
        endpoint = AwsBaseHook(aws_conn_id=conn_id, client_type="sts").conn_config.endpoint_url
        return cls(env=env, endpoint_url=endpoint or None)

    def terraform_env(self) -> dict[str, str]:
        """Variables for the terraform process: exactly these credentials, nothing else.

        The caller's own AWS variables are blanked when others are given, so that a
        profile or key of the shell can never mix with the chosen identity.
        """
        env = {k: "" for k in CREDENTIAL_VARIABLES if k not in self.env} if self.env else {}
        env.update(self.env)
        # The provider reads AWS_ENDPOINT_URL itself: the root modules' aws_endpoint_url
        # variable is the one switch, so it must not leak in from the shell.
        env["AWS_ENDPOINT_URL"] = ""
        return env

    def client(self, service: str, region: str) -> Any:
        """A boto3 client with these credentials (and the emulator endpoint)."""
        import boto3

        session = boto3.session.Session(
            aws_access_key_id=self.env.get("AWS_ACCESS_KEY_ID") or None,
            aws_secret_access_key=self.env.get("AWS_SECRET_ACCESS_KEY") or None,
            aws_session_token=self.env.get("AWS_SESSION_TOKEN") or None,
            profile_name=self.env.get("AWS_PROFILE") or None,
            region_name=region,
        )
        config = None
        if self.endpoint_url:
            from botocore.config import Config

            # An emulator reached by host name (http://moto:5000) has no per-bucket DNS.
            config = Config(s3={"addressing_style": "path"})
        return session.client(service, endpoint_url=self.endpoint_url, config=config)
