"""Fixtures shared by every test folder: a moto server process and clients for it, and
one local SparkSession.

The moto server is a real process on a free loopback port (started once per test
session, stopped by PID at the end); nothing here patches boto3 in-process. The
SparkSession is the local runner's configuration (``local[2]``, loopback only), started
once: the ETL job's transforms run on it in the silver and dbt tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ecommerce_dwh.local.moto_server import (
    MOTO_ACCESS_KEY,
    MOTO_SECRET_KEY,
    MotoServer,
    start_moto,
    stop_moto,
)

REGION = "us-east-2"


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """A moto server process for the whole test session."""
    state_dir = tmp_path_factory.mktemp("moto")
    server = start_moto(state_dir)
    try:
        yield server
    finally:
        stop_moto(state_dir)


@pytest.fixture(scope="session")
def spark() -> Iterator[object]:
    """The session's local SparkSession (a JVM; stopped at the end)."""
    from ecommerce_dwh.silver.local_run import local_spark_session

    session = local_spark_session("ecommerce-dwh-tests")
    try:
        yield session
    finally:
        session.stop()


@pytest.fixture(scope="session")
def spark_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The local Spark service process (a warm JVM that runs the Glue job's script)."""
    from ecommerce_dwh.local.spark_service import start_spark_service, stop_spark_service

    state_dir = tmp_path_factory.mktemp("spark-service")
    service = start_spark_service(state_dir)
    try:
        yield service
    finally:
        stop_spark_service(state_dir)


@pytest.fixture(scope="session")
def aws_env(moto_server: MotoServer) -> dict[str, str]:
    """Environment variables that point boto3, s3fs and Terraform at the moto server."""
    return {
        "AWS_ACCESS_KEY_ID": MOTO_ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": MOTO_SECRET_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": moto_server.endpoint_url,
    }


@pytest.fixture(scope="session")
def boto3_client(aws_env: dict[str, str]) -> Callable[[str], object]:
    """``boto3_client("s3")``: a client for the moto server."""
    import boto3

    def make(service: str) -> object:
        return boto3.client(
            service,
            endpoint_url=aws_env["AWS_ENDPOINT_URL"],
            region_name=REGION,
            aws_access_key_id=MOTO_ACCESS_KEY,
            aws_secret_access_key=MOTO_SECRET_KEY,
        )

    return make
