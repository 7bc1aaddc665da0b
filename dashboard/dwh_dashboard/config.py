"""Which warehouse the dashboard reads: the project's one environment setting.

``DWH_ENVIRONMENT`` = ``local`` (the default) reads the DuckDB file; ``dev``,
``staging`` or ``prod`` read Redshift Serverless with IAM. This module uses the
standard library only, so the main venv's tests can compare it with
``ecommerce_dwh.settings`` (tests/dashboard/test_dashboard_settings.py).

The DuckDB path rule is the one of ``ecommerce_dwh.settings.Settings.duckdb_path``,
replicated rather than imported: the dashboard's venv and image do not install the
pipeline's package (and with it Airflow's pins).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: dashboard/dwh_dashboard/config.py -> parents[2] is the repository root.
REPO_ROOT = Path(__file__).resolve().parents[2]

ENVIRONMENTS = ("local", "dev", "staging", "prod")

#: Redshift's port unless DWH_REDSHIFT_PORT says otherwise.
DEFAULT_REDSHIFT_PORT = 5439


class ConfigError(ValueError):
    """The environment does not say which warehouse to read (the message says what to set)."""


@dataclass(frozen=True)
class DuckDBSource:
    """The local warehouse: one DuckDB file."""

    path: Path

    @property
    def label(self) -> str:
        """Shown in the sidebar and in messages."""
        return f"DuckDB file {self.path}"


@dataclass(frozen=True)
class RedshiftSource:
    """Redshift Serverless, reached with the caller's IAM identity.

    ``host`` is optional: when it is given (the ECS task gets it from Terraform),
    redshift_connector only calls ``redshift-serverless:GetCredentials``; without it
    the driver first calls ``GetWorkgroup`` to find the endpoint, which needs that
    permission too.
    """

    workgroup: str
    database: str
    region: str
    host: str | None = None
    port: int = DEFAULT_REDSHIFT_PORT

    @property
    def label(self) -> str:
        """Shown in the sidebar and in messages."""
        return f"Redshift Serverless workgroup {self.workgroup}, database {self.database}"

    def connect_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of ``redshift_connector.connect`` (IAM, serverless)."""
        kwargs: dict[str, Any] = {
            "iam": True,
            "is_serverless": True,
            "serverless_work_group": self.workgroup,
            "database": self.database,
            "region": self.region,
        }
        if self.host:
            kwargs["host"] = self.host
            kwargs["port"] = self.port
        return kwargs


def duckdb_path(environ: Mapping[str, str] | None = None) -> Path:
    """``DWH_DUCKDB_PATH``, else ``<DWH_STATE_DIR or <repo>/.local>/warehouse.duckdb``."""
    environ = os.environ if environ is None else environ
    state_dir = Path(environ.get("DWH_STATE_DIR", REPO_ROOT / ".local")).resolve()
    return Path(environ.get("DWH_DUCKDB_PATH", state_dir / "warehouse.duckdb"))


def source_from_env(environ: Mapping[str, str] | None = None) -> DuckDBSource | RedshiftSource:
    """The warehouse that ``DWH_ENVIRONMENT`` (and its companions) name.

    Raises:
        ConfigError: an unknown environment, or Redshift without a workgroup.
    """
    environ = os.environ if environ is None else environ
    environment = environ.get("DWH_ENVIRONMENT", "local")
    if environment not in ENVIRONMENTS:
        raise ConfigError(
            f"DWH_ENVIRONMENT={environment!r} is not one of {', '.join(ENVIRONMENTS)}"
        )
    if environment == "local":
        return DuckDBSource(duckdb_path(environ))
    workgroup = environ.get("DWH_REDSHIFT_WORKGROUP", "").strip()
    if not workgroup:
        raise ConfigError(
            f"DWH_ENVIRONMENT={environment} reads Redshift Serverless: set DWH_REDSHIFT_WORKGROUP "
            "(the Terraform output redshift_workgroup_name) and DWH_REDSHIFT_DATABASE"
        )
    port_text = environ.get("DWH_REDSHIFT_PORT", "").strip() or str(DEFAULT_REDSHIFT_PORT)
    try:
        port = int(port_text)
    except ValueError as exc:
        raise ConfigError(f"DWH_REDSHIFT_PORT={port_text!r} is not a port number") from exc
    return RedshiftSource(
        workgroup=workgroup,
        database=environ.get("DWH_REDSHIFT_DATABASE", "").strip() or "dev",
        region=environ.get("AWS_DEFAULT_REGION", "").strip() or "us-east-2",
        host=environ.get("DWH_REDSHIFT_HOST", "").strip() or None,
        port=port,
    )
