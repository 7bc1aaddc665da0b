"""The artifacts of the Glue job: its script and the zip of the modules it imports.

Glue runs ``include/glue/bronze_to_silver.py`` with ``--extra-py-files`` pointing at a
zip of exactly the modules below (standard library, boto3 and pyspark are on Glue
already). Terraform uploads both to the staging bucket; the local runner downloads
what Terraform uploaded and runs it on local Spark, so a module missing from the zip
fails the local run too.

The zip is byte-for-byte deterministic (sorted entries, fixed timestamps, no
compression), so the same sources give the same bytes on every machine and a second
``terraform plan`` shows no change.

    python -m ecommerce_dwh.silver.package [--out build/glue]
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from ecommerce_dwh.settings import PROJECT_ROOT

INCLUDE = PROJECT_ROOT / "include"
#: The job's script (uploaded as is).
SCRIPT = INCLUDE / "glue" / "bronze_to_silver.py"
#: The modules the job imports, relative to ``include/``.
MODULES = (
    "ecommerce_dwh/__init__.py",
    "ecommerce_dwh/contract.py",
    "ecommerce_dwh/silver/__init__.py",
    "ecommerce_dwh/silver/catalog.py",
    "ecommerce_dwh/silver/job.py",
    "ecommerce_dwh/silver/lines.py",
)
#: Where ``make setup``, the Dockerfile and the Terraform runner build the zip; the AWS
#: and local root modules read it from here unless ``glue_package_path`` says otherwise.
DEFAULT_BUILD_DIR = PROJECT_ROOT / "build" / "glue"
ZIP_NAME = "ecommerce_dwh_glue.zip"
_EPOCH = (1980, 1, 1, 0, 0, 0)


def build_zip(out_dir: Path = DEFAULT_BUILD_DIR) -> Path:
    """Write ``<out_dir>/ecommerce_dwh_glue.zip`` (atomically) and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / ZIP_NAME
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(MODULES):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever machine builds it
            archive.writestr(info, (INCLUDE / name).read_bytes())
    partial.replace(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """Build the zip; print its path."""
    parser = argparse.ArgumentParser(prog="python -m ecommerce_dwh.silver.package",
                                     description="Build the Glue job's module zip.")
    parser.add_argument("--out", type=Path, default=DEFAULT_BUILD_DIR,
                        help=f"output folder (default {DEFAULT_BUILD_DIR})")
    args = parser.parse_args(argv)
    print(build_zip(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
