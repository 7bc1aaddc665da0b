"""What the Redshift warehouse needs before dbt's first run, as SQL for the Data API.

dbt and the Redshift Data API log in with IAM: the worker's role maps to the database
user ``IAMR:<role name>``, which Redshift creates on its first login with no privilege
at all, and the dashboard's task role likewise. ``dwh_infrastructure`` therefore runs,
once per apply and as the namespace's admin (its Secrets Manager secret, through the
provider's ``RedshiftDataOperator``), statements that are all idempotent:

* the Spectrum external schema over the Glue staging database (dbt's silver sources);
* the database users that do not exist yet (``password disable``: IAM login only);
* dbt's schemas, owned by the worker's user, so that dbt can create, replace and drop
  its relations there; ``TEMP`` on the database (dbt's incremental models);
* ``USAGE`` on the external schema for the worker;
* for the dashboard (when Terraform created it): ``USAGE`` and ``SELECT`` on the marts
  and audit schemas, including the tables the worker creates later (default privileges),
  and nothing else.

Redshift has no ``create user if not exists``: :func:`user_lookup_sql` asks ``pg_user``
first and :func:`bootstrap_statements` creates only the missing users.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import yaml

from ecommerce_dwh.settings import DBT_PROJECT_DIR

#: The dbt schemas the dashboard may read.
READ_SCHEMAS = ("marts", "audit")


class BootstrapError(ValueError):
    """The Terraform outputs lack what the bootstrap needs."""


@cache
def _dbt_project() -> dict[str, Any]:
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())


def silver_schema() -> str:
    """The Spectrum external schema's name: dbt's ``silver_schema`` var."""
    return str(_dbt_project()["vars"]["silver_schema"])


def dbt_schemas() -> list[str]:
    """The schemas dbt writes to: each model folder's ``+schema`` in ``dbt_project.yml``
    (``generate_schema_name`` uses them as they are)."""
    folders = _dbt_project()["models"][_dbt_project()["name"]]
    return sorted({str(config["+schema"]) for config in folders.values()
                   if isinstance(config, dict) and "+schema" in config})


def role_user(role_arn: str) -> str:
    """The database user IAM maps a role to: ``IAMR:<role name>`` (path excluded)."""
    if ":role/" not in role_arn:
        raise BootstrapError(f"not an IAM role ARN: {role_arn!r}")
    return "IAMR:" + role_arn.rsplit("/", 1)[-1]


def quote_ident(name: str) -> str:
    """A double-quoted identifier (``IAMR:...`` has a colon)."""
    if '"' in name or not name:
        raise BootstrapError(f"not a usable database user name: {name!r}")
    return f'"{name}"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _required(outputs: Mapping[str, Any], *names: str) -> list[str]:
    missing = [n for n in names if not outputs.get(n)]
    if missing:
        raise BootstrapError(f"the Terraform outputs lack {', '.join(missing)}: "
                             "apply dwh_infrastructure (environments/aws) first")
    return [str(outputs[n]) for n in names]


def database_users(outputs: Mapping[str, Any]) -> dict[str, str]:
    """``{"worker": "IAMR:...", "dashboard": "IAMR:..."}`` (no dashboard unless created)."""
    [worker_role] = _required(outputs, "worker_role_arn")
    users = {"worker": role_user(worker_role)}
    if outputs.get("dashboard_redshift_database_user"):
        users["dashboard"] = str(outputs["dashboard_redshift_database_user"])
    return users


def external_schema_sql(outputs: Mapping[str, Any]) -> str:
    """``create external schema if not exists`` over the Glue staging database."""
    glue_database, role = _required(outputs, "glue_staging_database", "redshift_iam_role_arn")
    return (f"create external schema if not exists {silver_schema()}"
            f" from data catalog database {quote_literal(glue_database)}"
            f" iam_role {quote_literal(role)}")


def user_lookup_sql(outputs: Mapping[str, Any]) -> str:
    """Which of the project's database users exist already."""
    names = ", ".join(quote_literal(u) for u in database_users(outputs).values())
    return f"select usename from pg_user where usename in ({names}) order by usename"


def existing_users(results: Iterable[Mapping[str, Any]] | None) -> set[str]:
    """The user names in ``RedshiftDataOperator(return_sql_result=True)``'s answer."""
    found = set()
    for result in results or []:
        for record in result.get("Records", []):
            found.update(str(field["stringValue"]) for field in record if "stringValue" in field)
    return found


def bootstrap_statements(outputs: Mapping[str, Any], existing: Iterable[str]) -> list[str]:
    """The statements, in order, given the users that exist (:func:`existing_users`)."""
    [database] = _required(outputs, "redshift_database_name")
    users = database_users(outputs)
    worker = quote_ident(users["worker"])
    statements = [f"create user {quote_ident(user)} password disable"
                  for user in users.values() if user not in set(existing)]
    for schema in dbt_schemas():
        statements += [f"create schema if not exists {schema} authorization {worker}",
                       f"alter schema {schema} owner to {worker}"]
    statements += [f"grant temp on database {quote_ident(database)} to {worker}",
                   f"grant usage on schema {silver_schema()} to {worker}"]
    if "dashboard" in users:
        reader = quote_ident(users["dashboard"])
        for schema in READ_SCHEMAS:
            statements += [
                f"grant usage on schema {schema} to {reader}",
                f"grant select on all tables in schema {schema} to {reader}",
                f"alter default privileges for user {worker} in schema {schema}"
                f" grant select on tables to {reader}",
            ]
    return statements
