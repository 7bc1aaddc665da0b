"""The end-to-end tests share the local pipeline fixtures of tests/conftest.py
(``local_airflow``, ``infrastructure``, ``two_days``): the pipeline runs on its own moto
server, which enforces IAM, as the worker's role (``worker``, tests/e2e/moto_iam.py);
the tests read what it did as the server's admin (``admin_client``, ``s3_text``). Their
timeline and helpers are in e2e_timeline.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def s3_text(admin_client: Callable[[str], object]) -> Callable[[str, str], str]:
    """Read an S3 object of the pipeline's moto server as text (as the admin)."""
    s3 = admin_client("s3")

    def read(bucket: str, key: str) -> str:
        return s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode()

    return read
