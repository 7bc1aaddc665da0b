"""Unit tests of the Terraform runner's pure parts: mirror discovery, CLI config, plan
summaries, and the refusal to apply without a plan of the same run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecommerce_dwh import infrastructure
from ecommerce_dwh.terraform import (
    AWS_PROVIDER,
    PlanSummary,
    Terraform,
    TerraformError,
    find_provider_mirror,
    write_cli_config,
)


def test_explicit_mirror_wins(tmp_path: Path) -> None:
    (tmp_path / AWS_PROVIDER).mkdir(parents=True)
    assert find_provider_mirror({"TF_PROVIDER_MIRROR": str(tmp_path)}) == tmp_path


def test_explicit_mirror_without_aws_provider_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(TerraformError, match="has no registry.terraform.io/hashicorp/aws"):
        find_provider_mirror({"TF_PROVIDER_MIRROR": str(tmp_path)})


def test_implied_mirror_under_home_is_found(tmp_path: Path) -> None:
    plugins = tmp_path / ".terraform.d" / "plugins"
    (plugins / AWS_PROVIDER).mkdir(parents=True)
    assert find_provider_mirror({"HOME": str(tmp_path)}) == plugins


def test_cli_config_points_aws_at_the_mirror_only(tmp_path: Path) -> None:
    text = write_cli_config(tmp_path / "rc", Path("/some/mirror")).read_text()
    assert 'path    = "/some/mirror"' in text
    assert f'include = ["{AWS_PROVIDER}"]' in text
    assert f'exclude = ["{AWS_PROVIDER}"]' in text


def test_cli_config_without_mirror_uses_the_registry(tmp_path: Path) -> None:
    text = write_cli_config(tmp_path / "rc", None).read_text()
    assert "provider_installation" not in text


def test_plan_summary_buckets_actions() -> None:
    doc = {
        "resource_changes": [
            {"address": "a.new", "change": {"actions": ["create"]}},
            {"address": "a.same", "change": {"actions": ["no-op"]}},
            {"address": "a.tag", "change": {"actions": ["update"]}},
            {"address": "a.swap", "change": {"actions": ["delete", "create"]}},
            {"address": "a.gone", "change": {"actions": ["delete"]}},
            {"address": "a.read", "change": {"actions": ["read"]}},
        ]
    }
    summary = PlanSummary.from_show_json(doc)
    assert summary.create == ("a.new",)
    assert summary.update == ("a.tag",)
    assert summary.replace == ("a.swap",)
    assert summary.delete == ("a.gone",)
    assert summary.has_changes
    assert str(summary) == "Plan: 1 to add, 1 to change, 1 to replace, 1 to destroy."
    assert not PlanSummary.from_show_json({"resource_changes": []}).has_changes


def test_terraform_errors_carry_terraforms_own_text(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "nonsense" {\n')
    tf = Terraform(workdir=tmp_path, data_dir=tmp_path / ".tfdata", timeout=60)
    with pytest.raises(TerraformError) as err:
        tf.run("validate", "-no-color")
    assert "terraform validate -no-color failed" in str(err.value)
    assert str(tmp_path) in str(err.value)
    # Terraform's own diagnostic, not a generic message.
    assert "Error" in str(err.value)


def test_missing_binary_is_a_clear_error(tmp_path: Path) -> None:
    tf = Terraform(workdir=tmp_path, data_dir=tmp_path / "d", binary="no-such-terraform-bin")
    with pytest.raises(TerraformError, match="terraform binary not found: no-such-terraform-bin"):
        tf.run("version")


def test_apply_without_a_plan_of_this_run_is_refused(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DWH_STATE_DIR", str(tmp_path))
    with pytest.raises(TerraformError, match=r"refusing to apply local: no plan saved by this run"):
        infrastructure.apply("local", "manual__2024-01-01T00:00:00+00:00")


def test_plan_paths_are_per_run_and_filesystem_safe(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DWH_STATE_DIR", str(tmp_path))
    one = infrastructure.plan_path("dev", "manual__2024-01-01T00:00:00+00:00")
    two = infrastructure.plan_path("dev", "scheduled__2024-01-02T00:00:00+00:00")
    assert one != two
    assert one.parent == tmp_path / "terraform" / "dev" / "plans"
    assert ":" not in one.name and "+" not in one.name


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_aws_environments_share_one_root_with_their_own_files(environment: str) -> None:
    root, var_file, backend_file = infrastructure.environment_files(environment)
    assert root == infrastructure.AWS_ROOT
    assert var_file == root / f"{environment}.tfvars" and var_file.is_file()
    assert backend_file == root / f"{environment}.backend.hcl" and backend_file.is_file()


def test_local_has_its_own_root_and_local_state() -> None:
    assert infrastructure.environment_files("local") == (infrastructure.LOCAL_ROOT, None, None)


def test_unknown_environment_names_the_missing_file() -> None:
    with pytest.raises(TerraformError, match=r"'qa'.*qa\.tfvars is missing"):
        infrastructure.environment_files("qa")
