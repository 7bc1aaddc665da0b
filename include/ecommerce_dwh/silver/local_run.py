"""Run a Glue job run on local Spark: what Glue would execute, on this machine.

moto accepts ``StartJobRun`` but executes nothing, and local Spark cannot reach moto's S3
(the ``hadoop-aws`` jar is not on PyPI). So, around the unchanged job script:

1. the job's definition is read from Glue (``GetJob``: script location, default
   arguments, ``--extra-py-files``), and the script and its zip are downloaded from the
   S3 objects Terraform uploaded;
2. the day's bronze folders are copied from ``--raw_root`` to a scratch folder;
3. the script runs with the run's arguments, the two roots pointed at the scratch
   folders: on the warm local Spark service at ``DWH_LOCAL_SPARK_URL`` when one is
   running (``include/glue/local_spark_service.py``), else under ``spark-submit --master
   local[N]`` (a JVM of its own);
4. the silver folders the script wrote replace the day's prefixes under
   ``--silver_root``, and the day's partitions are registered in ``--catalog_database``
   (the script itself would do that on Glue, where its output is already in S3).

Java 17 must be on the machine (``scripts/setup.sh`` installs Debian's when missing).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse
from urllib.request import Request, urlopen

from ecommerce_dwh import contract, lake
from ecommerce_dwh.silver.catalog import register_silver_day

log = logging.getLogger(__name__)

#: Local tuning only (the script and its output are the same without it): a small machine,
#: tiny shuffles, no UI, no adaptive re-planning of a few-MB day.
LOCAL_SPARK_CONF: dict[str, str] = {
    # Loopback only: local mode never listens on, or looks up, the machine's network.
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.adaptive.enabled": "false",
    # A ceiling, not a reservation: a 100,000-order day ran out of 2g in one of two
    # benchmark runs (java.lang.OutOfMemoryError in the Python rows' writer thread).
    "spark.driver.memory": os.environ.get("DWH_LOCAL_SPARK_MEMORY", "4g"),
}
LOCAL_SPARK_MASTER = os.environ.get("DWH_LOCAL_SPARK_MASTER", "local[2]")

#: Arguments of a Glue job run that are Glue's own, not the script's.
GLUE_ONLY_ARGUMENTS = frozenset({
    "--extra-py-files", "--job-bookmark-option", "--job-language", "--TempDir",
    "--enable-metrics", "--enable-continuous-cloudwatch-log", "--enable-observability-metrics",
    "--enable-spark-ui", "--spark-event-logs-path", "--enable-glue-datacatalog",
    "--enable-job-insights", "--enable-auto-scaling", "--additional-python-modules",
})  # fmt: skip


class LocalRunError(RuntimeError):
    """The local run failed; the message carries the tail of Spark's log."""


@dataclass(frozen=True)
class LocalRunResult:
    """What a local run did."""

    day: str
    seconds: float
    uploaded: dict[str, list[str]]
    partitions: dict[str, str]
    log_file: Path


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ``("bucket", "some/prefix")``."""
    parsed = urlparse(uri)
    if parsed.scheme != "s3" or not parsed.netloc:
        raise ValueError(f"not an s3:// URI: {uri!r}")
    return parsed.netloc, parsed.path.strip("/")


def java_home() -> str:
    """JAVA_HOME for Spark: the environment's, or the one of ``java`` on PATH."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if java is None:
        raise LocalRunError(
            "no Java runtime: local Spark needs Java 17 (scripts/setup.sh installs Debian's "
            "openjdk-17-jre-headless; or set JAVA_HOME)")
    return str(Path(java).resolve().parents[1])


def local_spark_session(app_name: str = "ecommerce-dwh-local") -> Any:
    """A SparkSession configured as the local runner's ``spark-submit`` (tests, benchmarks)."""
    from pyspark.sql import SparkSession

    os.environ.update({k: v for k, v in spark_environment().items()
                       if k in ("JAVA_HOME", "SPARK_LOCAL_IP", "PYSPARK_PYTHON",
                                "PYSPARK_DRIVER_PYTHON")})
    builder = SparkSession.builder.master(LOCAL_SPARK_MASTER).appName(app_name)
    for key, value in LOCAL_SPARK_CONF.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def spark_environment() -> dict[str, str]:
    """The environment of ``spark-submit``: this venv's pyspark and Python, Java."""
    import pyspark

    env = dict(os.environ)
    venv_bin = str(Path(sys.executable).parent)
    env.update({
        "SPARK_HOME": str(Path(pyspark.__file__).parent),
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        "JAVA_HOME": java_home(),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PATH": venv_bin + os.pathsep + env.get("PATH", ""),
        # The job imports ecommerce_dwh from its zip only, as on Glue.
        "PYTHONPATH": "",
    })
    return env


def _download(s3: Any, uri: str, target: Path) -> Path:
    bucket, key = split_s3_uri(uri)
    target.parent.mkdir(parents=True, exist_ok=True)
    s3.download_file(bucket, key, str(target))
    return target


def _download_prefix(s3: Any, bucket: str, prefix: str, target: Path) -> list[Path]:
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            name = obj["Key"][len(prefix):]
            if not name or "/" in name:
                continue
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(bucket, obj["Key"], str(path))
            found.append(path)
    return found


def script_arguments(arguments: Mapping[str, str], raw_root: Path,
                     silver_root: Path) -> list[str]:
    """The script's argv: the run's arguments, roots local, Glue's own and the catalog out."""
    argv: list[str] = []
    for name, value in arguments.items():
        if name in GLUE_ONLY_ARGUMENTS or name == "--catalog_database":
            continue
        if name == "--raw_root":
            value = raw_root.as_uri()
        elif name == "--silver_root":
            value = silver_root.as_uri()
        argv += [name, value]
    return argv


def run_job_locally(
    s3: Any,
    glue: Any,
    job: Mapping[str, Any],
    run_arguments: Mapping[str, str],
    log_dir: Path | None = None,
    timeout: float = 1800,
) -> LocalRunResult:
    """Execute one run of the Glue ``job`` (a ``GetJob`` answer) on local Spark.

    ``run_arguments`` are the run's own (``--day``...), over the job's default arguments,
    as Glue merges them. The scratch folder is removed afterwards; Spark's log is kept
    in ``log_dir`` (default: the system's temporary folder) as
    ``bronze_to_silver-<day>.log``.
    """
    arguments = {**(job.get("DefaultArguments") or {}), **run_arguments}
    missing = [n for n in ("--day", "--raw_root", "--silver_root") if not arguments.get(n)]
    if missing:
        raise LocalRunError(f"Glue job {job.get('Name')} run lacks {', '.join(missing)}")
    day = arguments["--day"]
    log_dir = Path(log_dir or tempfile.gettempdir())
    log_dir.mkdir(parents=True, exist_ok=True)
    # The scratch folder must be one the service can read (the same machine, or a
    # volume shared with its container: DWH_LOCAL_SPARK_SCRATCH).
    scratch_root = os.environ.get("DWH_LOCAL_SPARK_SCRATCH") or None
    if scratch_root:
        Path(scratch_root).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"dwh-silver-{day}-", dir=scratch_root))
    try:
        return _run(s3, glue, job, arguments, day, work, log_dir / f"bronze_to_silver-{day}.log",
                    timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(s3: Any, glue: Any, job: Mapping[str, Any], arguments: dict[str, str], day: str,
         work: Path, log_file: Path, timeout: float) -> LocalRunResult:
    started = time.monotonic()
    script = _download(s3, job["Command"]["ScriptLocation"], work / "artifacts" / "script.py")
    py_files = [_download(s3, uri, work / "artifacts" / Path(split_s3_uri(uri)[1]).name)
                for uri in filter(None, arguments.get("--extra-py-files", "").split(","))]

    raw_bucket, raw_prefix = split_s3_uri(arguments["--raw_root"])
    raw_dir, silver_dir = work / "raw", work / "silver"
    for table in contract.TABLE_NAMES:
        folder = f"{table}/{contract.day_folder(day)}/"
        _download_prefix(s3, raw_bucket, f"{raw_prefix}/{folder}", raw_dir / folder)

    argv = ["--JOB_NAME", str(job["Name"]), *script_arguments(arguments, raw_dir, silver_dir)]
    service = os.environ.get("DWH_LOCAL_SPARK_URL")
    if service:
        _run_on_service(service, script, py_files, argv, log_file, job, day, timeout)
    else:
        _spark_submit(script, py_files, argv, work, log_file, job, day, timeout)
    for line in log_file.read_text(errors="replace").splitlines():
        if "bronze_to_silver:" in line:  # the script's own summary lines
            log.info("%s", line)

    staging_bucket, silver_prefix = split_s3_uri(arguments["--silver_root"])
    uploaded = {}
    for dataset in contract.SILVER_DATASETS:
        folder = f"{dataset}/{contract.day_folder(day)}/"
        files = sorted(p for p in (silver_dir / folder).glob("*.parquet"))
        if not files:
            raise LocalRunError(f"the job wrote no {dataset} file for {day} in {silver_dir}")
        landed = lake.replace_prefix(s3, staging_bucket, f"{silver_prefix}/{folder}", files)
        uploaded[dataset] = [obj.key for obj in landed]
    partitions = {}
    if arguments.get("--catalog_database"):
        partitions = register_silver_day(glue, arguments["--catalog_database"],
                                         arguments["--silver_root"], day)
    return LocalRunResult(day, time.monotonic() - started, uploaded, partitions, log_file)


def _spark_submit(script: Path, py_files: list[Path], argv: list[str], work: Path,
                  log_file: Path, job: Mapping[str, Any], day: str, timeout: float) -> None:
    """Run the script under ``spark-submit --master local[N]``: a JVM for this run alone."""
    cmd = [str(Path(sys.executable).with_name("spark-submit")), "--master", LOCAL_SPARK_MASTER]
    for key, value in LOCAL_SPARK_CONF.items():
        cmd += ["--conf", f"{key}={value}"]
    if py_files:
        cmd += ["--py-files", ",".join(map(str, py_files))]
    cmd += [str(script), *argv]
    log.info("local Spark: %s", " ".join(cmd))
    with log_file.open("w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT,  # noqa: S603
                              stdin=subprocess.DEVNULL, env=spark_environment(), cwd=work,
                              timeout=timeout, check=False)
    if proc.returncode != 0:
        raise LocalRunError(
            f"local Spark run of Glue job {job['Name']} for {day} failed (exit "
            f"{proc.returncode}); log {log_file}:\n{_tail(log_file)}")


def _run_on_service(url: str, script: Path, py_files: list[Path], argv: list[str],
                    log_file: Path, job: Mapping[str, Any], day: str, timeout: float) -> None:
    """Run the script on the warm local Spark service at ``url``."""
    body = json.dumps({"script": str(script), "py_files": [str(p) for p in py_files],
                       "argv": argv, "log_file": str(log_file)}).encode()
    request = Request(f"{url.rstrip('/')}/run", data=body, method="POST",
                      headers={"Content-Type": "application/json"})
    log.info("local Spark service %s: %s %s", url, script.name, " ".join(argv))
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback
            json.loads(response.read())
    except HTTPError as error:
        answer = json.loads(error.read() or b"{}")
        raise LocalRunError(
            f"local Spark run of Glue job {job['Name']} for {day} failed on the service at "
            f"{url}; log {log_file}:\n{answer.get('error', error)}") from None
    except URLError as error:
        raise LocalRunError(f"the local Spark service at {url} (DWH_LOCAL_SPARK_URL) does not "
                            f"answer: {error.reason}; start it (make run and make airflow "
                            "do) or unset DWH_LOCAL_SPARK_URL") from None


def _tail(path: Path, lines: int = 60) -> str:
    text = path.read_text(errors="replace").splitlines()
    interesting = [line for line in text if " WARN " not in line and " INFO " not in line]
    return "\n".join((interesting or text)[-lines:])
