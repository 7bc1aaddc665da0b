"""The dbt SQL follows the repository's .sqlfluff (dialect duckdb, jinja templater)."""

from __future__ import annotations

import pytest
from dbt_harness import DBT_PROJECT_DIR, REPO_ROOT
from sqlfluff.core import FluffConfig, Linter

pytestmark = pytest.mark.dbt


def test_sqlfluff_lint_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    # .sqlfluff is found from the working directory up, as on the command line.
    monkeypatch.chdir(REPO_ROOT)
    paths = [str(DBT_PROJECT_DIR / "models"), str(DBT_PROJECT_DIR / "tests")]
    linter = Linter(config=FluffConfig.from_root())
    result = linter.lint_paths(tuple(paths))
    violations = [
        f"{record['filepath']}:{v['start_line_no']}:{v['start_line_pos']} "
        f"{v['code']} {v['description']}"
        for record in result.as_records()
        for v in record["violations"]
    ]
    assert not violations, "\n".join(violations)
