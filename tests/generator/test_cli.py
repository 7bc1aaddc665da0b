"""The CLI: clean one-line errors with exit code 2, local output, s3:// output on moto."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from gen_helpers import EPOCH

from ecommerce_dwh.generator import GeneratorConfig, generate_day


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ecommerce_dwh.generator", *args],
                          capture_output=True, text=True, env=env or _env(), timeout=120)


@pytest.mark.parametrize(("args", "needle"), [
    (["--start-date", "2024/01/05"], "invalid date"),
    (["--start-date", "2024-02-30"], "invalid date"),
    (["--scale", "-3"], "--scale"),
    (["--days", "0"], "--days"),
    (["--output", "/proc/no/such/place"], "not writable"),
    (["--start-date", "2023-12-31"], "before the epoch"),
    (["--bad-row-rate", "2"], "bad_row_rate"),
    (["--format", "xml"], "--format"),
])  # fmt: skip
def test_bad_arguments_exit_2_with_one_line(tmp_path, args, needle):
    if "--output" not in args:
        args = [*args, "--output", str(tmp_path)]
    proc = _cli(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_local_output_matches_library(tmp_path):
    proc = _cli("--start-date", "2024-01-02", "--days", "2", "--orders-per-day", "50",
                "--seed", "5", "--output", str(tmp_path / "cli"))
    assert proc.returncode == 0, proc.stderr
    assert "2/2 days" in proc.stderr  # the progress bar
    lib = generate_day(EPOCH.replace(day=3), GeneratorConfig(seed=5, orders_per_day=50),
                       tmp_path / "lib")
    for table, path in lib.files.items():
        assert (tmp_path / "cli" / path.relative_to(tmp_path / "lib")).read_bytes() == \
            path.read_bytes(), table


def test_help_lists_every_option():
    proc = _cli("--help")
    assert proc.returncode == 0
    for option in ("--start-date", "--days", "--orders-per-day", "--scale", "--seed",
                   "--format", "--output", "--bad-row-rate", "--locale"):
        assert option in proc.stdout


@pytest.fixture(scope="module")
def moto_endpoint(moto_server) -> str:
    """The session's moto server process (tests/conftest.py)."""
    return moto_server.endpoint_url


def _aws_env(url: str) -> dict[str, str]:
    return _env(AWS_ENDPOINT_URL=url, AWS_ACCESS_KEY_ID="testing",
                AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")


def test_s3_output_through_moto(moto_endpoint, tmp_path):
    import boto3

    s3 = boto3.client("s3", endpoint_url=moto_endpoint, aws_access_key_id="testing",
                      aws_secret_access_key="testing", region_name="us-east-1")
    s3.create_bucket(Bucket="raw")
    proc = _cli("--days", "2", "--orders-per-day", "40", "--output", "s3://raw/landing",
                "--no-progress", env=_aws_env(moto_endpoint))
    assert proc.returncode == 0, proc.stderr
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="raw")["Contents"])
    assert len(keys) == 10 and all(k.startswith("landing/") for k in keys)
    assert "landing/orders/dt=2024-01-02/orders.csv" in keys
    body = s3.get_object(Bucket="raw", Key="landing/_manifests/dt=2024-01-02/manifest.json")
    manifest = json.loads(body["Body"].read())
    local = generate_day(EPOCH.replace(day=2), GeneratorConfig(orders_per_day=40), tmp_path)
    assert manifest == local.manifest


def test_s3_missing_bucket_exits_2(moto_endpoint):
    proc = _cli("--output", "s3://no-such-bucket/x", env=_aws_env(moto_endpoint))
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "not writable" in proc.stderr
