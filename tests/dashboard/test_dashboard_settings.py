"""The dashboard against the rest of the project, from the main venv: the same DuckDB
path rule as ecommerce_dwh.settings, the same duckdb and redshift_connector as the
pipeline, telemetry off in the committed config, and SQL that parses as Redshift."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

from ecommerce_dwh import settings

sys.path.insert(0, str(settings.PROJECT_ROOT / "dashboard"))

from dwh_dashboard import config  # noqa: E402
from dwh_dashboard import queries as q  # noqa: E402

pytestmark = pytest.mark.dashboard

DASHBOARD = settings.PROJECT_ROOT / "dashboard"


@pytest.mark.parametrize("environ", [
    {},
    {"DWH_STATE_DIR": "/tmp/some-state"},
    {"DWH_STATE_DIR": "relative/state"},
    {"DWH_DUCKDB_PATH": "/data/wh.duckdb"},
    {"DWH_STATE_DIR": "/tmp/s", "DWH_DUCKDB_PATH": "/data/wh.duckdb"},
])
def test_duckdb_path_rule_matches_the_project_settings(environ: dict[str, str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """dwh_dashboard.config replicates Settings.duckdb_path (its venv lacks the package)."""
    for name in ("DWH_STATE_DIR", "DWH_DUCKDB_PATH", "DWH_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert config.duckdb_path(environ) == settings.get_settings().duckdb_path
    assert config.REPO_ROOT == settings.PROJECT_ROOT
    assert config.ENVIRONMENTS == settings.ENVIRONMENTS


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)$", line.strip())
        if match:
            pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def test_dashboard_lock_is_exact_and_agrees_with_the_project_lock() -> None:
    lock = _pins(DASHBOARD / "requirements.lock")
    project = _pins(settings.PROJECT_ROOT / "requirements.lock")
    for requirements in ("requirements.txt", "requirements-dev.txt"):
        for line in (DASHBOARD / requirements).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{requirements}: {line!r} is not pinned exactly"
                name, version = line.split("==")
                assert lock[name.lower().replace("_", "-")] == version, line
    assert lock["streamlit"] == "1.67.0"
    # The dashboard reads the file the pipeline writes and the same Redshift driver.
    for shared in ("duckdb", "redshift-connector"):
        assert lock[shared] == project[shared], shared
    differing = {n: (v, project[n]) for n, v in lock.items() if n in project and project[n] != v}
    assert not differing, f"packages pinned differently from requirements.lock: {differing}"


def test_committed_streamlit_config_keeps_the_app_quiet_and_local() -> None:
    doc = tomllib.loads((DASHBOARD / ".streamlit" / "config.toml").read_text())
    assert doc["server"]["address"] == "127.0.0.1"  # also skips the external-IP lookup
    assert doc["server"]["headless"] is True
    assert doc["browser"]["gatherUsageStats"] is False
    dockerfile = (DASHBOARD / "Dockerfile").read_text()
    assert "--browser.gatherUsageStats=false" in dockerfile
    assert "STREAMLIT_BROWSER_SERVER_ADDRESS" in dockerfile  # no external-IP lookup on 0.0.0.0
    assert re.search(r"^USER \d+", dockerfile, re.M), "the image must run as a non-root user"
    assert "/_stcore/health" in dockerfile and "HEALTHCHECK" in dockerfile
    base = re.search(r"^FROM (\S+)", dockerfile, re.M).group(1)
    assert re.search(r":\d+\.\d+\.\d+", base), f"base image {base} is not pinned by version"


#: Functions the dashboard's SQL may call: in both DuckDB and Redshift.
PORTABLE_FUNCTIONS = {"Avg", "Cast", "Coalesce", "Count", "Floor", "Least", "Max", "Min",
                      "Nullif", "Sum", "Case", "If"}


def _queries() -> list[q.Query]:
    import datetime as dt

    day = dt.date(2024, 1, 2)
    return [
        q.revenue_bounds(), q.revenue_categories(), q.revenue_totals(day, day, ["Books"]),
        q.revenue_daily(day, day, ["Books", "Toys"]), q.customer_summary(), q.ltv_histogram(),
        q.top_customers(), q.new_vs_returning(), q.order_lifecycle(), q.most_versioned("customer"),
        q.versions("product", 1), q.entity_orders("customer", 1), q.last_day_of_data("product"),
        q.quarantine_by_day(), q.quarantine_sample(["orders"]), q.load_reconciliation(),
        q.fact_reconciliation(), q.last_loads(),
    ]


@pytest.mark.parametrize("query", _queries(), ids=lambda query: query.title)
def test_query_parses_as_redshift_with_portable_functions(query: q.Query) -> None:
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(query.sql, read="redshift")
    # sqlglot models AND, OR, = and the like as functions too: only real calls count.
    functions = {type(f).__name__ for f in tree.find_all(exp.Func)
                 if not isinstance(f, exp.Connector | exp.Binary | exp.Predicate)}
    anonymous = {f.name for f in tree.find_all(exp.Anonymous)}
    assert not anonymous, f"{query.title}: functions sqlglot does not know: {anonymous}"
    assert functions <= PORTABLE_FUNCTIONS, f"{query.title}: {functions - PORTABLE_FUNCTIONS}"
    # And as DuckDB, the local dialect.
    sqlglot.parse_one(query.sql, read="duckdb")
