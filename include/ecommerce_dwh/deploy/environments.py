"""What an environment is, for Terraform: its root module, its var files and its state.

Everything a plan depends on is a file of the repository, read the same way by the
``dwh_infrastructure`` DAG, ``scripts/deploy.sh`` and the delivery workflow:

* ``infra/terraform/environments/aws/<env>.tfvars``: the environment's name and sizes
  (the same for everyone who deploys this project);
* ``<env>.account.tfvars``: where it lives, the values that differ per AWS account
  (region, the bucket name suffix, the alert e-mail);
* ``<env>.backend.hcl``: where its state lives (bucket, key, region, lock table).

``local`` is the laptop world: the ``local`` root module against moto, state in a
local file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ecommerce_dwh.settings import TERRAFORM_DIR
from ecommerce_dwh.terraform import TerraformError

AWS_ROOT = TERRAFORM_DIR / "environments" / "aws"
LOCAL_ROOT = TERRAFORM_DIR / "environments" / "local"
BOOTSTRAP_ROOT = TERRAFORM_DIR / "environments" / "bootstrap"

#: The environments of the ``aws`` root, in promotion order.
AWS_ENVIRONMENTS = ("dev", "staging", "prod")

_ASSIGNMENT = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(".*"|true|false|-?\d+)\s*$')


@dataclass(frozen=True)
class Backend:
    """The S3 backend of one environment (``<env>.backend.hcl``)."""

    bucket: str
    key: str
    region: str
    dynamodb_table: str | None = None
    encrypt: bool = True

    @property
    def state_prefix(self) -> str:
        """The key prefix of this environment's objects: ``ecommerce-dwh/<env>``."""
        return self.key.rsplit("/", 1)[0] if "/" in self.key else ""

    @property
    def plans_prefix(self) -> str:
        """Where saved plans go, next to the state: ``ecommerce-dwh/<env>/plans``."""
        return f"{self.state_prefix}/plans" if self.state_prefix else "plans"

    def as_config(self) -> dict[str, str]:
        """The values as ``-backend-config`` pairs would give them."""
        config = {"bucket": self.bucket, "key": self.key, "region": self.region,
                  "encrypt": "true" if self.encrypt else "false"}
        if self.dynamodb_table:
            config["dynamodb_table"] = self.dynamodb_table
        return config


def parse_backend_hcl(path: Path) -> Backend:
    """Read a ``<env>.backend.hcl`` of flat ``name = value`` lines (comments allowed).

    Anything else (blocks, interpolation) is refused: these files are data, and the
    package, the bootstrap stack and the deploy roles all derive names from them.
    """
    values: dict[str, str | bool] = {}
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("//"):
            continue
        match = _ASSIGNMENT.match(line)
        if not match:
            raise TerraformError(f"{path}:{number}: expected `name = value`, got {raw!r}")
        name, value = match.groups()
        if value.startswith('"'):
            values[name] = value[1:-1]
        elif value in ("true", "false"):
            values[name] = value == "true"
        else:
            values[name] = value
    missing = [k for k in ("bucket", "key", "region") if not values.get(k)]
    if missing:
        raise TerraformError(f"{path} lacks {', '.join(missing)}")
    unknown = set(values) - {"bucket", "key", "region", "dynamodb_table", "encrypt"}
    if unknown:
        raise TerraformError(f"{path}: unsupported settings {sorted(unknown)}")
    return Backend(
        bucket=str(values["bucket"]),
        key=str(values["key"]),
        region=str(values["region"]),
        dynamodb_table=str(values["dynamodb_table"]) if values.get("dynamodb_table") else None,
        encrypt=bool(values.get("encrypt", True)),
    )


@dataclass(frozen=True)
class Environment:
    """One Terraform environment: root module, var files (in order) and backend."""

    name: str
    root: Path
    var_files: tuple[Path, ...] = ()
    backend_file: Path | None = None

    @property
    def is_local(self) -> bool:
        """True for ``local`` (moto, local state file)."""
        return self.backend_file is None

    @property
    def backend(self) -> Backend | None:
        """The parsed backend file (None for ``local``)."""
        return None if self.backend_file is None else parse_backend_hcl(self.backend_file)


def environment(name: str) -> Environment:
    """The environment called ``name``; a missing file is named in the error."""
    if name == "local":
        return Environment(name="local", root=LOCAL_ROOT)
    var_file = AWS_ROOT / f"{name}.tfvars"
    account_file = AWS_ROOT / f"{name}.account.tfvars"
    backend_file = AWS_ROOT / f"{name}.backend.hcl"
    for path in (var_file, account_file, backend_file):
        if not path.is_file():
            raise TerraformError(f"no Terraform environment {name!r}: {path} is missing")
    return Environment(name=name, root=AWS_ROOT, var_files=(var_file, account_file),
                       backend_file=backend_file)


def environments_sharing_state(name: str) -> tuple[str, ...]:
    """The AWS environments whose state is in the same bucket as ``name``'s (its account).

    The bootstrap stack of that account creates their deploy roles.
    """
    bucket = environment(name).backend.bucket  # type: ignore[union-attr]
    return tuple(env for env in AWS_ENVIRONMENTS
                 if (AWS_ROOT / f"{env}.backend.hcl").is_file()
                 and parse_backend_hcl(AWS_ROOT / f"{env}.backend.hcl").bucket == bucket)


def safe_name(run_id: str) -> str:
    """A run id as a file or object name (``manual__2024-01-01T00:00:00+00:00`` ->
    ``manual__2024-01-01T00_00_00_00_00``)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)
