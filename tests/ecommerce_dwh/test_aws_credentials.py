"""dbt acts as the identity the connection resolves to: the provider's hook assumes the
connection's ``role_arn`` (against the moto server's STS, over HTTP) and the session token
is kept; a connection with keys only gives those keys."""

from __future__ import annotations

import json

import boto3
import pytest

from ecommerce_dwh.aws_credentials import resolved_credentials
from ecommerce_dwh.local.moto_server import MOTO_ACCESS_KEY, MOTO_SECRET_KEY


def connection(endpoint: str, **extra: str) -> str:
    return json.dumps({"conn_type": "aws", "login": MOTO_ACCESS_KEY,
                       "password": MOTO_SECRET_KEY,
                       "extra": {"region_name": "us-east-2", "endpoint_url": endpoint,
                                 # the provider never sends AssumeRole to endpoint_url
                                 "service_config": {"sts": {"endpoint_url": endpoint}},
                                 **extra}})


@pytest.fixture(autouse=True)
def fresh_cache():
    resolved_credentials.cache_clear()
    yield
    resolved_credentials.cache_clear()


def test_keys_only_connection_gives_its_keys(moto_server, monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_AWS_CREDS_KEYS", connection(moto_server.endpoint_url))
    creds = resolved_credentials("aws_creds_keys")
    assert (creds.access_key, creds.secret_key, creds.token) == (
        MOTO_ACCESS_KEY, MOTO_SECRET_KEY, "")
    assert "AWS_SESSION_TOKEN" not in creds.environment()


def test_a_role_arn_is_assumed_and_its_session_token_kept(moto_server, boto3_client,
                                                          monkeypatch) -> None:
    role = boto3_client("iam").create_role(
        RoleName="dbt-credentials-test",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "sts:AssumeRole"}]}))["Role"]
    monkeypatch.setenv("AIRFLOW_CONN_AWS_CREDS_ROLE",
                       connection(moto_server.endpoint_url, role_arn=role["Arn"]))
    creds = resolved_credentials("aws_creds_role")
    assert creds.access_key != MOTO_ACCESS_KEY
    assert creds.token, "temporary credentials without their session token are useless"
    assert creds.environment()["AWS_SESSION_TOKEN"] == creds.token
    identity = boto3.client(
        "sts", endpoint_url=moto_server.endpoint_url, region_name="us-east-2",
        aws_access_key_id=creds.access_key, aws_secret_access_key=creds.secret_key,
        aws_session_token=creds.token).get_caller_identity()
    assert ":assumed-role/dbt-credentials-test/" in identity["Arn"], identity
