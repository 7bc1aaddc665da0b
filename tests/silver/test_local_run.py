"""The local runner of the Glue job against the moto server process: the job's script
and zip are read from S3 as Glue would read them, the script runs under spark-submit
with nothing but the zip on its path, and the silver day lands in S3 with its
partitions in the Glue catalog."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from ecommerce_dwh import contract, lake
from ecommerce_dwh.generator import GeneratorConfig, generate_day
from ecommerce_dwh.silver import package
from ecommerce_dwh.silver.catalog import register_partition
from ecommerce_dwh.silver.local_run import LocalRunError, run_job_locally

REGION = "us-east-2"
DAY = dt.date(2024, 1, 1)
RAW, STAGING, DATABASE = "localrun-raw", "localrun-staging", "localrun_staging"


def _bucket(s3: Any, name: str) -> None:
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})


@pytest.fixture(scope="module")
def glue_job(boto3_client: Callable[[str], Any]) -> dict:
    """A job defined in moto as Terraform defines it, its artifacts in S3, a landed day."""
    s3, glue = boto3_client("s3"), boto3_client("glue")
    _bucket(s3, RAW)
    _bucket(s3, STAGING)
    zip_path = package.build_zip(Path(tempfile.mkdtemp()))
    s3.upload_file(str(package.SCRIPT), STAGING, "artifacts/glue/bronze_to_silver.py")
    s3.upload_file(str(zip_path), STAGING, f"artifacts/glue/{zip_path.name}")
    glue.create_database(DatabaseInput={"Name": DATABASE})
    for dataset in contract.SILVER_DATASETS:
        glue.create_table(DatabaseName=DATABASE, TableInput={
            "Name": dataset,
            "PartitionKeys": [{"Name": "dt", "Type": "string"}],
            "StorageDescriptor": {
                "Columns": [{"Name": c.name, "Type": c.type}
                            for c in contract.silver_columns(dataset)],
                "Location": f"s3://{STAGING}/silver/{dataset}/",
            },
        })
    glue.create_job(
        Name="localrun-bronze-to-silver",
        Role="arn:aws:iam::123456789012:role/etl",
        Command={"Name": "glueetl",
                 "ScriptLocation": f"s3://{STAGING}/artifacts/glue/bronze_to_silver.py"},
        DefaultArguments={
            "--extra-py-files": f"s3://{STAGING}/artifacts/glue/{zip_path.name}",
            "--job-bookmark-option": "job-bookmark-disable",
            "--raw_root": f"s3://{RAW}/raw",
            "--silver_root": f"s3://{STAGING}/silver",
            "--catalog_database": DATABASE,
        },
        GlueVersion="5.0",
    )
    with tempfile.TemporaryDirectory() as scratch:
        result = generate_day(DAY, GeneratorConfig(seed=3, orders_per_day=40,
                                                   bad_row_rate=0.05), Path(scratch))
        lake.land_day(s3, RAW, DAY, result.files, result.manifest_path)
    # What an earlier run of the day left, which must not survive.
    s3.put_object(Bucket=STAGING, Key=f"silver/orders/dt={DAY}/part-0-old.parquet", Body=b"x")
    return glue.get_job(JobName="localrun-bronze-to-silver")["Job"]


@pytest.fixture(params=["spark-submit", "service"])
def executor(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Where the script runs: its own spark-submit, or the warm local Spark service."""
    if request.param == "service":
        monkeypatch.setenv("DWH_LOCAL_SPARK_URL", request.getfixturevalue("spark_service").url)
    else:
        monkeypatch.delenv("DWH_LOCAL_SPARK_URL", raising=False)
    return request.param


def test_a_run_lands_the_silver_day_and_registers_its_partitions(
        glue_job: dict, boto3_client: Callable[[str], Any], tmp_path: Path,
        executor: str) -> None:
    s3, glue = boto3_client("s3"), boto3_client("glue")
    result = run_job_locally(s3, glue, glue_job, {"--day": DAY.isoformat()}, log_dir=tmp_path)
    for dataset in contract.SILVER_DATASETS:
        listed = s3.list_objects_v2(Bucket=STAGING, Prefix=f"silver/{dataset}/dt={DAY}/")
        assert [o["Key"] for o in listed["Contents"]] == [
            f"silver/{dataset}/dt={DAY}/{dataset}.parquet"], dataset
        partition = glue.get_partition(DatabaseName=DATABASE, TableName=dataset,
                                       PartitionValues=[DAY.isoformat()])["Partition"]
        assert partition["StorageDescriptor"]["Location"] == \
            f"s3://{STAGING}/silver/{dataset}/dt={DAY}/"
    assert set(result.partitions.values()) <= {"created", "updated"}
    assert list(result.partitions) == list(contract.SILVER_DATASETS)
    log = result.log_file.read_text()
    # The script imported the package from the zip it downloaded, as on Glue.
    assert "ecommerce_dwh from " in log and "ecommerce_dwh_glue.zip/ecommerce_dwh/" in log
    assert result.log_file.parent == tmp_path


def test_registering_a_partition_again_updates_it(glue_job: dict,
                                                 boto3_client: Callable[[str], Any]) -> None:
    glue = boto3_client("glue")
    location = f"s3://{STAGING}/silver/loads/dt=2030-01-01/"
    assert register_partition(glue, DATABASE, "loads", "2030-01-01", location) == "created"
    assert register_partition(glue, DATABASE, "loads", "2030-01-01", location) == "updated"
    partitions = glue.get_partitions(DatabaseName=DATABASE, TableName="loads")["Partitions"]
    assert [p["Values"] for p in partitions].count(["2030-01-01"]) == 1


def test_a_failing_run_says_why_with_the_job_s_own_error(
        glue_job: dict, boto3_client: Callable[[str], Any], tmp_path: Path,
        executor: str) -> None:
    s3, glue = boto3_client("s3"), boto3_client("glue")
    with pytest.raises(LocalRunError) as error:
        run_job_locally(s3, glue, glue_job, {"--day": "2024-02-01"}, log_dir=tmp_path)
    message = str(error.value)
    assert "for 2024-02-01 failed" in message
    assert "day 2024-02-01 has no bronze folder for customers" in message
    assert s3.list_objects_v2(Bucket=STAGING, Prefix="silver/orders/dt=2024-02-01/")[
        "KeyCount"] == 0


def test_the_service_runs_the_zip_it_is_given_not_an_earlier_one(
        glue_job: dict, boto3_client: Callable[[str], Any], tmp_path: Path,
        spark_service, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip whose code differs from the last run's gets fresh imports (and a fresh
    SparkSession): the service never runs stale modules."""
    s3, glue = boto3_client("s3"), boto3_client("glue")
    monkeypatch.setenv("DWH_LOCAL_SPARK_URL", spark_service.url)
    run_job_locally(s3, glue, glue_job, {"--day": DAY.isoformat()}, log_dir=tmp_path)
    other = tmp_path / "other"
    source = other / "include"
    for name in package.MODULES:
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        text = (package.INCLUDE / name).read_text()
        if name == "ecommerce_dwh/contract.py":
            text = text.replace(f'CONTRACT_VERSION = "{contract.CONTRACT_VERSION}"',
                                'CONTRACT_VERSION = "other-zip"')
        (source / name).write_text(text)
    monkeypatch.setattr(package, "INCLUDE", source)
    zip_path = package.build_zip(other / "build")
    key = glue_job["DefaultArguments"]["--extra-py-files"].split("/", 3)[3]
    original = s3.get_object(Bucket=STAGING, Key=key)["Body"].read()
    s3.upload_file(str(zip_path), STAGING, key)
    try:
        run_job_locally(s3, glue, glue_job, {"--day": DAY.isoformat()}, log_dir=tmp_path)
        body = s3.get_object(Bucket=STAGING, Key=f"silver/loads/dt={DAY}/loads.parquet")["Body"]
        table = pq.read_table(io.BytesIO(body.read()))
        assert set(table.column("contract_version").to_pylist()) == {"other-zip"}
    finally:
        s3.put_object(Bucket=STAGING, Key=key, Body=original)
