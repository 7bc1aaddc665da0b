"""The files other tools read the contract from, rendered from :mod:`ecommerce_dwh.contract`.

Terraform and dbt cannot import Python, so the contract is written out for them:

* ``infra/terraform/modules/data_contract/contract.json``: the whole contract (the Glue
  catalog tables' columns, the raw table list);
* ``include/dbt/models/staging/_sources.yml``: dbt's sources (silver tables with their
  columns and types, the generator's manifests);
* the block of ``include/dbt/dbt_project.yml`` between the ``contract:`` markers: the
  vars dbt's models and tests use (domains, reasons, tables).

``python -m ecommerce_dwh.contract write`` rewrites them; ``check`` (run by the tests)
fails naming each file that differs from what the contract renders.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ecommerce_dwh import contract
from ecommerce_dwh.settings import DBT_PROJECT_DIR, TERRAFORM_DIR

TERRAFORM_CONTRACT = TERRAFORM_DIR / "modules" / "data_contract" / "contract.json"
DBT_SOURCES = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"
DBT_PROJECT = DBT_PROJECT_DIR / "dbt_project.yml"

BEGIN = ("  # contract: begin (rendered by `python -m ecommerce_dwh.contract write`; "
         "edit the contract)")
END = "  # contract: end"
_NOTICE = ("# Rendered from include/ecommerce_dwh/contract.py by `python -m ecommerce_dwh.contract"
           " write`.\n# Do not edit: change the contract and render again (a test fails when"
           " this file is stale).\n")

#: dbt/warehouse spelling of the contract's types (docs only: sources are not enforced).
DBT_TYPES = {contract.BIGINT: "bigint", contract.STRING: "varchar",
             contract.MONEY: "decimal(12,2)", contract.TIMESTAMP: "timestamp",
             contract.BOOLEAN: "boolean"}

_SILVER_LOCATION = (
    "read_parquet('{{ var(\"silver_root\", \"s3://\" ~ var(\"staging_bucket\") ~ \"/silver\") }}"
    "/{name}/*/*.parquet', hive_partitioning = true, hive_types_autocast = false)"
)
_MANIFEST_LOCATION = (
    "read_json('{{ var(\"raw_root\", \"s3://\" ~ var(\"raw_bucket\") ~ \"/raw\") }}"
    "/_manifests/*/manifest.json', format = 'auto', records = true, "
    "hive_partitioning = true, hive_types_autocast = false)"
)
_DT_COLUMN = {"name": "dt", "data_type": "varchar",
              "description": "The landed day (the Hive partition dt=YYYY-MM-DD)."}


def _yaml(value: object) -> str:
    """A scalar or flow list as YAML (JSON is valid YAML; keeps quoting exact)."""
    return json.dumps(value, ensure_ascii=False)


def _columns_yaml(columns: list[dict[str, str]], indent: str) -> list[str]:
    lines = [f"{indent}columns:"]
    for column in columns:
        lines += [f"{indent}  - name: {column['name']}",
                  f"{indent}    data_type: {column['data_type']}",
                  f"{indent}    description: {_yaml(column['description'])}"]
    return lines


def dbt_sources() -> str:
    """``_sources.yml``: the silver tables and the generator's manifests."""
    lines = [_NOTICE.rstrip("\n"), "version: 2", "", "sources:"]
    lines += [
        "  - name: ecommerce",
        "    description: >-",
        "      The shop's daily extracts in the silver zone: typed Parquet that the Glue job",
        "      bronze_to_silver writes, one partition dt=YYYY-MM-DD per landed day",
        "      (s3://<staging bucket>/silver/<table>/dt=D/<table>.parquet). DuckDB reads the",
        "      files (partition pruning on dt); Redshift reads them through the Spectrum",
        "      external schema var('silver_schema') over the Glue staging database, whose",
        "      tables Terraform declares from the same contract.",
        "    schema: \"{{ var('silver_schema') }}\"",
        "    config:",
        "      meta:",
        f"        external_location: {_yaml(_SILVER_LOCATION)}",
        "    tables:",
    ]
    for dataset in contract.SILVER_DATASETS:
        if dataset in contract.TABLE_NAMES:
            description = contract.table(dataset).description + " Good rows only, typed."
        elif dataset == contract.QUARANTINE:
            description = ("Every row the ETL job rejected, with its reason, file, line and "
                           "raw line.")
        else:
            description = "One row per table and landed day: what the ETL job read and wrote."
        columns = [{"name": c.name, "data_type": DBT_TYPES[c.type],
                    "description": c.description} for c in contract.silver_columns(dataset)]
        lines += [f"      - name: {dataset}", f"        description: {_yaml(description)}"]
        lines += _columns_yaml([*columns, _DT_COLUMN], "        ")
    lines += [
        "",
        "  - name: generator",
        "    description: >-",
        "      The generator's ground truth of each landed day (row counts per table and",
        "      bad-row kind, the good order lines' amount), written by the landing code",
        "      beside the bronze files: s3://<raw bucket>/raw/_manifests/dt=D/manifest.json.",
        "    schema: \"{{ var('silver_schema') }}\"",
        "    tables:",
        "      - name: manifests",
        "        description: One JSON object per landed day.",
        "        config:",
        "          meta:",
        f"            external_location: {_yaml(_MANIFEST_LOCATION)}",
    ]
    columns = [{"name": c["name"], "data_type": c["type"], "description": c["description"]}
               for c in contract.MANIFEST_COLUMNS]
    lines += _columns_yaml([*columns, _DT_COLUMN], "        ")
    return "\n".join(lines) + "\n"


def dbt_vars_block() -> str:
    """The vars block of ``dbt_project.yml`` between the markers, markers included."""
    values = {
        "contract_version": contract.CONTRACT_VERSION,
        "raw_tables": list(contract.TABLE_NAMES),
        "customer_segments": list(contract.SEGMENTS),
        "order_statuses": list(contract.ORDER_STATUSES),
        "order_channels": list(contract.CHANNELS),
        "payment_methods": list(contract.PAYMENT_METHODS),
        "currencies": list(contract.CURRENCIES),
        "quarantine_reasons": list(contract.REASON_NAMES),
        "etl_job_reasons": list(contract.ETL_JOB_REASONS),
        "warehouse_reasons": list(contract.WAREHOUSE_REASONS),
    }
    body = [f"  {name}: {_yaml(value)}" for name, value in values.items()]
    return "\n".join([BEGIN, *body, END]) + "\n"


def dbt_project(current: str) -> str:
    """``dbt_project.yml`` with its contract block rendered anew."""
    try:
        start = current.index(BEGIN)
        end = current.index(END, start) + len(END) + 1
    except ValueError:
        raise ValueError(f"{DBT_PROJECT}: the vars block lacks the contract markers "
                         f"{BEGIN!r} ... {END!r}") from None
    return current[:start] + dbt_vars_block() + current[end:]


def rendered() -> dict[Path, str]:
    """Every rendered file and its expected content."""
    return {
        TERRAFORM_CONTRACT: contract.as_json_text(),
        DBT_SOURCES: dbt_sources(),
        DBT_PROJECT: dbt_project(DBT_PROJECT.read_text()),
    }


def stale() -> list[Path]:
    """The rendered files whose content differs from the contract's."""
    return [path for path, text in rendered().items()
            if not path.is_file() or path.read_text() != text]


def main(argv: list[str] | None = None) -> int:
    """``write`` the files, or ``check`` them (exit 1 naming the stale ones)."""
    parser = argparse.ArgumentParser(
        prog="python -m ecommerce_dwh.contract",
        description="Render the data contract for Terraform and dbt, or check the files.")
    parser.add_argument("command", choices=["write", "check"],
                        help="write: render every file; check: exit 1 if one is stale")
    args = parser.parse_args(argv)
    if args.command == "check":
        found = stale()
        for path in found:
            print(f"stale: {path} (run: python -m ecommerce_dwh.contract write)")
        return 1 if found else 0
    for path, text in rendered().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text() != text:
            path.write_text(text)
            print(f"wrote {path}")
    return 0
