"""The docs stay true: every command and path they name exists and runs.

For README.md, QUICKSTART.md and docs/*.md: each ``make <target>`` is a target of the
Makefile; each repository path in backticks or in a relative link exists (scripts are
executable); each ``python -m ecommerce_dwh...`` command's ``--help`` runs and has
every option the docs give it; each ``scripts/*.sh`` command has every option the docs
give it (its ``--help``); each ``airflow ...`` command is a command of Airflow's CLI
with the options used; each ``aws <service> <operation>`` is an operation of that
service's API model (botocore's, which the AWS CLI is generated from) and each of its
options a parameter of that operation. Fast: no services, one subprocess per distinct
command.
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

DOCS = sorted([PROJECT_ROOT / "README.md", PROJECT_ROOT / "QUICKSTART.md",
               *(PROJECT_ROOT / "docs").glob("*.md")])

#: Top-level entries a backticked path must start with to be checked as a path.
TOP_LEVEL = (
    "dags/", "include/", "infra/", "scripts/", "tests/", "docs/", "benchmarks/",
    "plugins/", ".github/", ".ci/", ".astro/", "docker/",
)
TOP_FILES = {
    "Makefile", "Dockerfile", "README.md", "requirements.txt", "requirements-dev.txt",
    "requirements.lock", "pyproject.toml", "packages.txt", "airflow_settings.yaml",
    "docker-compose.override.yml", "QUICKSTART.md",
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
    """Targets of the Makefile and of the files it includes (``mk/*.mk``)."""
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    for included in re.findall(r"^include (\S+)", makefile, flags=re.M):
        makefile += (PROJECT_ROOT / included).read_text()
    return set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, flags=re.M))


def test_docs_exist() -> None:
    names = {p.name for p in DOCS if p.is_file()}
    assert {"README.md", "QUICKSTART.md", "architecture.md", "runbook.md"} <= names, names


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


def _options(line: str) -> list[str]:
    return [w.split("=", 1)[0] for w in shlex.split(line) if w.startswith("--")]


@cache
def _help_text(*argv: str) -> str:
    proc = subprocess.run(  # noqa: S603 - fixed argv
        list(argv) + ["--help"], capture_output=True, text=True, timeout=60,
        cwd=PROJECT_ROOT, check=False)
    return proc.stdout + proc.stderr


def test_every_option_of_a_documented_command_exists() -> None:
    """``python -m ecommerce_dwh... <sub> --opt`` and ``scripts/x.sh --opt``: the command's
    own ``--help`` names each option the docs use."""
    problems = []
    checked = 0
    for doc, text in _docs_text().items():
        for line in _code_lines(text):
            line = re.sub(r"<[^>]*>", "X", line.strip())  # placeholders
            module = re.search(r"python3? -m (ecommerce_dwh[\w.]*)((?: [a-z][\w-]*)?)(.*)", line)
            script = re.match(r"(scripts/[\w/]+\.sh)\b(.*)", line)
            if module:
                argv = [sys.executable, "-m", module.group(1), *module.group(2).split()]
                rest = module.group(3)
            elif script:
                argv, rest = [str(PROJECT_ROOT / script.group(1))], script.group(2)
                words = rest.split()
                if words and re.fullmatch(r"[a-z][\w-]*", words[0]):  # a subcommand
                    argv.append(words[0])
                    rest = rest.split(words[0], 1)[1]
            else:
                continue
            help_text = _help_text(*argv)
            for option in _options(rest):
                checked += 1
                if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", help_text):
                    problems.append(f"{doc}: {line}: {option} is not in its --help")
    assert checked, "no option of a documented command found"
    assert not problems, "\n".join(problems)


#: Options of every AWS CLI command (not parameters of the operation).
AWS_GLOBAL_OPTIONS = {"--region", "--profile", "--output", "--query", "--no-cli-pager",
                      "--endpoint-url", "--debug", "--no-paginate"}


def test_every_aws_command_in_the_docs_is_an_operation_of_its_api() -> None:
    """``aws <service> <operation> --param ...`` against botocore's service model: the
    operation exists and every option is one of its input parameters."""
    import botocore.session
    from botocore import xform_name

    session = botocore.session.get_session()
    problems, checked = [], 0
    for doc, text in _docs_text().items():
        for line in _code_lines(text):
            line = re.sub(r"<[^>]*>", "X", line.strip())
            for command in re.findall(r"(?:^|\$\()aws ([a-z0-9-]+) ([a-z0-9-]+)([^)]*)", line):
                service, operation_cli, rest = command
                if service in ("configure", "s3"):  # the CLI's own commands
                    continue
                checked += 1
                try:
                    model = session.get_service_model(service)
                except Exception:  # noqa: BLE001 - an unknown service is the finding
                    problems.append(f"{doc}: aws {service}: no such service")
                    continue
                names = {xform_name(op, "-"): op for op in model.operation_names}
                if operation_cli not in names:
                    problems.append(f"{doc}: aws {service} {operation_cli}: no such operation")
                    continue
                members = model.operation_model(names[operation_cli]).input_shape
                params = {"--" + xform_name(m, "-") for m in (members.members if members else {})}
                for option in _options(rest):
                    if option not in params | AWS_GLOBAL_OPTIONS:
                        problems.append(f"{doc}: aws {service} {operation_cli}: no {option}")
    assert checked, "no aws command found in the docs"
    assert not problems, "\n".join(problems)
