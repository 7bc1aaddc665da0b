"""The docs stay true: every command and path they name exists and runs.

For README.md and docs/*.md: each ``make <target>`` is a target of the Makefile;
each repository path in backticks or in a relative link exists (scripts are
executable); each ``python -m ecommerce_dwh...`` command's ``--help`` runs; each
``airflow ...`` command is a command of Airflow's CLI with the options used.
Fast: no services, one subprocess per distinct ``python -m`` command.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from functools import cache
from pathlib import Path

from ecommerce_dwh.settings import PROJECT_ROOT

DOCS = sorted([PROJECT_ROOT / "README.md", *(PROJECT_ROOT / "docs").glob("*.md")])

#: Top-level entries a backticked path must start with to be checked as a path.
TOP_LEVEL = (
    "dags/", "include/", "infra/", "scripts/", "tests/", "docs/", "benchmarks/",
    "plugins/", ".github/", ".ci/", ".astro/", "docker/",
)
TOP_FILES = {
    "Makefile", "Dockerfile", "README.md", "requirements.txt", "requirements-dev.txt",
    "requirements.lock", "pyproject.toml", "packages.txt", "airflow_settings.yaml",
    "docker-compose.override.yml",
}


def _docs_text() -> dict[str, str]:
    return {str(p.relative_to(PROJECT_ROOT)): p.read_text() for p in DOCS}


def _code_lines(text: str) -> list[str]:
    """Commands as they appear: inline code spans and lines of fenced blocks."""
    spans = re.findall(r"`([^`\n]+)`", text)
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    lines = [line for block in blocks for line in block.splitlines()]
    return spans + lines


def _make_targets() -> set[str]:
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, flags=re.M))


def test_docs_exist() -> None:
    names = {p.name for p in DOCS}
    assert {"README.md", "architecture.md", "runbook.md"} <= names, names


def test_every_make_target_in_the_docs_exists() -> None:
    targets = _make_targets()
    named = {
        (doc, target)
        for doc, text in _docs_text().items()
        for line in _code_lines(text)
        for target in re.findall(r"(?:^|[\s;&(])make ([a-z][a-z0-9-]*)", line)
    }
    assert named, "no make command found in the docs"
    missing = sorted(f"{doc}: make {target}" for doc, target in named if target not in targets)
    assert not missing, f"make targets named in the docs but not in the Makefile: {missing}"


def _paths_named(doc: str, text: str) -> set[tuple[str, Path]]:
    """``(as written, resolved path)``: repository paths in backticks, relative links."""
    found = set()
    for span in re.findall(r"`([^`\n]+)`", text):
        for token in span.split():
            token = token.rstrip(".,;:)")
            if token.startswith(TOP_LEVEL) or token in TOP_FILES:
                found.add((token, PROJECT_ROOT / token))
    base = (PROJECT_ROOT / doc).parent
    for link in re.findall(r"\]\(([^)\s]+)\)", text):
        if not re.match(r"[a-z]+:", link):  # http:, mailto:
            target = link.split("#")[0]
            found.add((link, base / target))
    return found


def test_every_path_in_the_docs_exists() -> None:
    missing, not_executable = [], []
    for doc, text in _docs_text().items():
        for written, path in sorted(_paths_named(doc, text)):
            if re.search(r"[<>*{}$]|\.\.\.", written):
                continue  # placeholders such as environments/<env>/
            if not path.exists():
                missing.append(f"{doc}: {written}")
            elif path.suffix == ".sh" and not os.access(path, os.X_OK):
                not_executable.append(f"{doc}: {written}")
    assert not missing, f"paths named in the docs that do not exist: {missing}"
    assert not not_executable, f"scripts named in the docs, not executable: {not_executable}"


def _python_m_commands() -> set[tuple[str, ...]]:
    """``(module, subcommand?)`` of every ``python -m ecommerce_dwh...`` in the docs."""
    found = set()
    for text in _docs_text().values():
        for line in _code_lines(text):
            for match in re.finditer(r"python3? -m (ecommerce_dwh[\w.]*)((?: [\w-]+)?)", line):
                module, rest = match.group(1), match.group(2).strip()
                sub = (rest,) if rest and not rest.startswith("-") else ()
                found.add((module, *sub))
    return found


def test_every_python_m_command_in_the_docs_runs() -> None:
    commands = _python_m_commands()
    assert commands, "no python -m ecommerce_dwh command found in the docs"
    failures = []
    for command in sorted(commands):
        argv = [sys.executable, "-m", *command, "--help"]
        proc = subprocess.run(  # noqa: S603 - fixed argv
            argv, capture_output=True, text=True, timeout=60, cwd=PROJECT_ROOT, check=False
        )
        if proc.returncode != 0 or "usage" not in proc.stdout.lower():
            failures.append(f"{' '.join(argv[1:])}: exit {proc.returncode}\n{proc.stderr[-800:]}")
    assert not failures, "\n".join(failures)


@cache
def _airflow_parser():
    from airflow.cli.cli_parser import get_parser

    return get_parser()


def _airflow_commands() -> set[str]:
    found = set()
    for text in _docs_text().values():
        for line in _code_lines(text):
            line = line.strip()
            if re.match(r"airflow [a-z]", line):
                found.add(line)
    return found


def _subparsers(parser) -> dict:
    import argparse

    for action in parser._actions:  # noqa: SLF001 - argparse has no public accessor
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            return action.choices
    return {}


def test_every_airflow_command_in_the_docs_exists() -> None:
    """``airflow <group> <command> --option ...``: the command and each option exist."""
    commands = _airflow_commands()
    # The README and runbook name airflow commands (unpause, backfill, ...): finding
    # none means this parser broke, not that there is nothing to check.
    assert commands, "no `airflow ...` command found in the docs"
    problems = []
    for line in sorted(commands):
        words = shlex.split(line)[1:]
        parser = _airflow_parser()
        consumed = 0
        while consumed < len(words) and (choices := _subparsers(parser)):
            if words[consumed] not in choices:
                problems.append(f"{line}: no command {words[consumed]!r}")
                break
            parser = choices[words[consumed]]
            consumed += 1
        options = {opt for action in parser._actions for opt in action.option_strings}  # noqa: SLF001
        for word in words[consumed:]:
            option = word.split("=", 1)[0]
            if option.startswith("-") and option not in options:
                problems.append(f"{line}: no option {option}")
    assert not problems, "\n".join(problems)
