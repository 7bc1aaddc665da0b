"""Run the Terraform CLI: one function the DAG, ``scripts/deploy.sh`` and tests share.

Terraform is always the real binary. Two details make it work offline and locally:

* **Provider installation.** Where a filesystem mirror of ``hashicorp/aws`` exists
  (``TF_PROVIDER_MIRROR``, or one of the places :func:`find_provider_mirror`
  looks), a CLI config is written that installs the provider from it; elsewhere
  Terraform uses the public registry as usual.
* **Working data.** ``TF_DATA_DIR`` moves ``.terraform/`` out of the source tree,
  so that several environments (and tests) can run side by side.

A plan depends on the files of the repository only: ``TF_VAR_*`` variables inherited
from the caller's shell are dropped (and named in the log), so that the DAG, ``scripts/
deploy.sh`` and CI, which run in different shells, can never plan different things.
Variables reach Terraform through var files and the ``env``/``variables`` given here.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

AWS_PROVIDER = "registry.terraform.io/hashicorp/aws"

#: Seconds Terraform gets to stop cleanly (save state, release the lock) once interrupted.
INTERRUPT_GRACE_SECONDS = 120


class TerraformError(RuntimeError):
    """Terraform exited non-zero; the message carries its own error text."""


def find_provider_mirror(environ: Mapping[str, str] | None = None) -> Path | None:
    """Return a filesystem mirror directory that holds ``hashicorp/aws``, or None.

    Looks at ``TF_PROVIDER_MIRROR`` first, then at Terraform's implied local mirror
    directories and at any ``/opt/<dir>/`` holding a ``registry.terraform.io`` tree
    (where offline images put one). None means "use the registry".
    """
    environ = os.environ if environ is None else environ
    explicit = environ.get("TF_PROVIDER_MIRROR")
    if explicit:
        path = Path(explicit)
        if not (path / AWS_PROVIDER).is_dir():
            raise TerraformError(
                f"TF_PROVIDER_MIRROR={explicit} has no {AWS_PROVIDER} directory"
            )
        return path
    home = Path(environ.get("HOME", "~")).expanduser()
    xdg = Path(environ.get("XDG_DATA_HOME", home / ".local" / "share"))
    candidates = [
        home / ".terraform.d" / "plugins",
        xdg / "terraform" / "plugins",
        Path("/usr/local/share/terraform/plugins"),
        Path("/usr/share/terraform/plugins"),
        *sorted(Path("/opt").glob("*")),
    ]
    for candidate in candidates:
        if (candidate / AWS_PROVIDER).is_dir():
            return candidate
    return None


def write_cli_config(path: Path, mirror: Path | None) -> Path:
    """Write a Terraform CLI config that installs hashicorp/aws from ``mirror``.

    With no mirror the file still exists (empty), so that a stale
    ``TF_CLI_CONFIG_FILE`` in the caller's environment never leaks in.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if mirror is None:
        text = "# no provider mirror found: providers come from the registry\n"
    else:
        text = (
            "provider_installation {\n"
            "  filesystem_mirror {\n"
            f'    path    = "{mirror}"\n'
            f'    include = ["{AWS_PROVIDER}"]\n'
            "  }\n"
            "  direct {\n"
            f'    exclude = ["{AWS_PROVIDER}"]\n'
            "  }\n"
            "}\n"
        )
    path.write_text(text)
    return path


@dataclass
class Terraform:
    """One Terraform working directory (an environment under ``infra/terraform/environments``).

    Attributes:
        workdir: the environment's directory.
        data_dir: where ``.terraform/`` goes (``TF_DATA_DIR``).
        env: extra environment for the process (credentials, ``TF_VAR_*``).
        binary: the terraform executable.
        timeout: seconds before a command is killed.
    """

    workdir: Path
    data_dir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    binary: str = "terraform"
    timeout: float = 900

    def _environ(self) -> dict[str, str]:
        environ = dict(os.environ)
        inherited = sorted(k for k in environ if k.startswith("TF_VAR_"))
        if inherited:
            log.warning("ignoring %s from the calling shell: a plan depends on the "
                        "repository's var files only", ", ".join(inherited))
            for key in inherited:
                del environ[key]
        environ.update(
            {
                "TF_DATA_DIR": str(self.data_dir),
                "TF_IN_AUTOMATION": "1",
                "TF_INPUT": "0",
                "CHECKPOINT_DISABLE": "1",  # no version check call-home
            }
        )
        config = self.data_dir.parent / "terraform.rc"
        if "TF_CLI_CONFIG_FILE" not in self.env:
            mirror = find_provider_mirror()
            environ["TF_CLI_CONFIG_FILE"] = str(write_cli_config(config, mirror))
            if mirror is None and "TF_PLUGIN_CACHE_DIR" not in environ:
                # No mirror: providers come from the registry. A cache per machine keeps
                # a fresh working directory (one per DAG task) from downloading again.
                cache = Path(environ.get("DWH_TF_PLUGIN_CACHE",
                                         Path.home() / ".cache" / "terraform-plugins"))
                cache.mkdir(parents=True, exist_ok=True)
                environ["TF_PLUGIN_CACHE_DIR"] = str(cache)
        environ.update(self.env)
        return environ

    def run(self, *args: str, capture: bool = True, log_output: bool = True) -> str:
        """Run ``terraform <args>`` in the working dir; return stdout, raise with stderr.

        ``log_output=False`` keeps machine-readable output (``show -json``) out of the log.
        """
        binary = shutil.which(self.binary) or self.binary
        cmd = [binary, *args]
        log.info("$ %s  (in %s)", " ".join(cmd), self.workdir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        pipe = subprocess.PIPE if capture else None
        try:
            proc = subprocess.Popen(  # noqa: S603 - the terraform binary, our arguments
                cmd, cwd=self.workdir, env=self._environ(), stdout=pipe, stderr=pipe, text=True)
        except FileNotFoundError as exc:
            raise TerraformError(f"terraform binary not found: {self.binary}") from exc
        try:
            stdout, stderr = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired as exc:
            # Interrupt like Ctrl-C: Terraform stops, writes the state it has and releases
            # the state lock. A kill would leave the lock held and the state unsaved.
            proc.send_signal(signal.SIGINT)
            try:
                stdout, stderr = proc.communicate(timeout=INTERRUPT_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                stdout, stderr = proc.communicate()
            raise TerraformError(
                f"terraform {args[0]} timed out after {self.timeout:.0f}s in {self.workdir} "
                f"and was interrupted:\n{(stderr or '').strip()[-4000:]}"
            ) from exc
        proc = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
        if capture and log_output and proc.stdout:
            log.info("%s", proc.stdout.rstrip())
        if proc.returncode != 0:
            raise TerraformError(
                f"terraform {' '.join(args)} failed (exit {proc.returncode}) in {self.workdir}:\n"
                f"{(proc.stderr or '').strip() or (proc.stdout or '').strip()}"
            )
        return proc.stdout or ""

    def init(
        self,
        backend_config: Mapping[str, str] | None = None,
        backend_config_file: Path | None = None,
        backend_config_files: Sequence[Path] = (),
    ) -> str:
        """``terraform init`` with backend config files and/or key=value pairs (in that order)."""
        args = ["init", "-input=false", "-no-color", "-reconfigure"]
        files = [backend_config_file] if backend_config_file is not None else []
        args += [f"-backend-config={path}" for path in [*files, *backend_config_files]]
        args += [f"-backend-config={k}={v}" for k, v in (backend_config or {}).items()]
        return self.run(*args)

    def plan(self, plan_file: Path, variables: Mapping[str, str] | None = None,
             destroy: bool = False, var_file: Path | None = None,
             var_files: Sequence[Path] = ()) -> PlanSummary:
        """Save a plan to ``plan_file`` and return what it would change."""
        plan_file.parent.mkdir(parents=True, exist_ok=True)
        args = ["plan", "-input=false", "-no-color", "-detailed-exitcode", f"-out={plan_file}"]
        files = [var_file] if var_file is not None else []
        args += [f"-var-file={path}" for path in [*files, *var_files]]
        args += _var_args(variables)
        if destroy:
            args.append("-destroy")
        try:
            self.run(*args)
        except TerraformError as exc:
            # -detailed-exitcode: 2 means "succeeded, with changes".
            if "(exit 2)" not in str(exc):
                raise
        return self.show_plan(plan_file)

    def show_plan(self, plan_file: Path) -> PlanSummary:
        """Summarise a saved plan file (``terraform show -json``)."""
        return PlanSummary.from_show_json(self.show_plan_json(plan_file))

    def show_plan_json(self, plan_file: Path) -> dict[str, object]:
        """The JSON of ``terraform show -json <plan_file>``."""
        return json.loads(self.run("show", "-json", "-no-color", str(plan_file), log_output=False))

    def show_plan_text(self, plan_file: Path) -> str:
        """The human-readable plan (``terraform show``), for a reviewer."""
        return self.run("show", "-no-color", str(plan_file), log_output=False)

    def apply(self, plan_file: Path) -> str:
        """Apply a saved plan file (never an unreviewed, implicit plan)."""
        if not plan_file.is_file():
            raise TerraformError(f"no saved plan at {plan_file}: run plan first")
        return self.run("apply", "-input=false", "-no-color", "-auto-approve", str(plan_file))

    def output(self) -> dict[str, object]:
        """``terraform output -json`` as a plain ``{name: value}`` dict."""
        raw = json.loads(self.run("output", "-json", "-no-color", log_output=False) or "{}")
        return {name: item["value"] for name, item in raw.items()}


@dataclass(frozen=True)
class PlanSummary:
    """What a plan would do: resource addresses per action."""

    create: tuple[str, ...] = ()
    update: tuple[str, ...] = ()
    replace: tuple[str, ...] = ()
    delete: tuple[str, ...] = ()

    @classmethod
    def from_show_json(cls, doc: Mapping[str, object]) -> PlanSummary:
        """Build from the JSON of ``terraform show -json <planfile>``."""
        buckets: dict[str, list[str]] = {"create": [], "update": [], "replace": [], "delete": []}
        for change in doc.get("resource_changes", []) or []:  # type: ignore[union-attr]
            actions = tuple(change["change"]["actions"])
            if actions == ("create",):
                buckets["create"].append(change["address"])
            elif actions == ("update",):
                buckets["update"].append(change["address"])
            elif actions == ("delete",):
                buckets["delete"].append(change["address"])
            elif set(actions) == {"create", "delete"}:
                buckets["replace"].append(change["address"])
        return cls(**{k: tuple(v) for k, v in buckets.items()})

    @property
    def has_changes(self) -> bool:
        """True unless the plan is a no-op."""
        return any((self.create, self.update, self.replace, self.delete))

    def __str__(self) -> str:
        return (
            f"Plan: {len(self.create)} to add, {len(self.update)} to change, "
            f"{len(self.replace)} to replace, {len(self.delete)} to destroy."
        )


def _var_args(variables: Mapping[str, str] | None) -> Sequence[str]:
    return [f"-var={k}={v}" for k, v in (variables or {}).items()]
