"""Project paths and the one environment setting that separates the two worlds.

Everything here is read from environment variables with defaults that give the
local mode (moto + DuckDB). Nothing touches the network, so DAG files may import
this module at parse time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Repository root: include/ecommerce_dwh/settings.py -> parents[2].
PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: Where the dbt project lives (Cosmos wants absolute paths).
DBT_PROJECT_DIR = PROJECT_ROOT / "include" / "dbt"

#: Terraform root (modules/ and environments/).
TERRAFORM_DIR = PROJECT_ROOT / "infra" / "terraform"

#: Airflow Variable holding the Terraform outputs that the other DAGs read.
INFRA_OUTPUTS_VARIABLE = "dwh_infra_outputs"

#: Airflow connection used for every AWS call (moto locally, real AWS elsewhere).
AWS_CONN_ID = "aws_default"

ENVIRONMENTS = ("local", "dev", "staging", "prod")


@dataclass(frozen=True)
class Settings:
    """Runtime settings resolved from the environment.

    Attributes:
        environment: ``local`` (moto + DuckDB, the default) or ``dev``/``staging``/``prod``.
        state_dir: where local state goes (DuckDB file, Terraform state and plans).
        region: the AWS region (us-east-2 by default, as in the seed).
    """

    environment: str
    state_dir: Path
    region: str

    @property
    def is_local(self) -> bool:
        """True in the local (emulated AWS, DuckDB) world."""
        return self.environment == "local"

    @property
    def duckdb_path(self) -> Path:
        """The local warehouse file (only used when ``is_local``)."""
        return Path(os.environ.get("DWH_DUCKDB_PATH", self.state_dir / "warehouse.duckdb"))

    @property
    def dbt_target(self) -> str:
        """dbt target name: the environment name (profiles.yml has one per environment)."""
        return self.environment


def get_settings() -> Settings:
    """Read settings from ``DWH_ENVIRONMENT``, ``DWH_STATE_DIR`` and ``AWS_DEFAULT_REGION``."""
    environment = os.environ.get("DWH_ENVIRONMENT", "local")
    if environment not in ENVIRONMENTS:
        raise ValueError(
            f"DWH_ENVIRONMENT={environment!r} is not one of {', '.join(ENVIRONMENTS)}"
        )
    state_dir = Path(os.environ.get("DWH_STATE_DIR", PROJECT_ROOT / ".local")).resolve()
    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-2")
    return Settings(environment=environment, state_dir=state_dir, region=region)
