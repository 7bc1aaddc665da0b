"""Unit tests of the Terraform runner's pure parts: mirror discovery, CLI config, plan
summaries, the environments' files, the identity Terraform runs as, and the refusal to
apply without a plan of the same run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecommerce_dwh import infrastructure
from ecommerce_dwh.deploy import steps
from ecommerce_dwh.deploy.access import AwsAccess
from ecommerce_dwh.deploy.environments import (
    AWS_ROOT,
    LOCAL_ROOT,
    environment,
    environments_sharing_state,
    parse_backend_hcl,
    safe_name,
)
from ecommerce_dwh.deploy.plans import PlanRecord, PlanRefused
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


def test_apply_without_a_plan_of_this_run_is_refused() -> None:
    """The apply task gets the plan task's record through XCom: none means no plan ran."""
    with pytest.raises(TerraformError, match=r"refusing to apply local: this run saved no plan"):
        infrastructure.apply("local", None)


def test_a_plan_of_another_environment_is_refused(tmp_path: Path) -> None:
    record = PlanRecord(environment="staging", run_id="r", location="s3://b/k", sha256="0" * 64,
                        version_id=None, etl_package_sha256="0" * 64, summary="", has_changes=True)
    with pytest.raises(PlanRefused, match="a plan of 'staging' to 'dev'"):
        steps.apply(environment("dev"), AwsAccess(), steps.Workspace(tmp_path), record)


def test_run_ids_become_safe_file_names() -> None:
    one = safe_name("manual__2024-01-01T00:00:00+00:00")
    two = safe_name("scheduled__2024-01-02T00:00:00+00:00")
    assert one != two
    assert ":" not in one and "+" not in one and "/" not in one


def test_each_task_gets_a_fresh_working_directory() -> None:
    with steps.Workspace.fresh("dev") as first, steps.Workspace.fresh("dev") as second:
        assert first.root != second.root
        assert first.root.is_dir() and not any(first.root.iterdir())
        assert first.data_dir == first.root / ".terraform"
    assert not first.root.exists(), "a task's working directory is removed afterwards"


@pytest.mark.parametrize("name", ["dev", "staging", "prod"])
def test_aws_environments_share_one_root_with_their_own_files(name: str) -> None:
    env = environment(name)
    assert env.root == AWS_ROOT
    assert env.var_files == (AWS_ROOT / f"{name}.tfvars", AWS_ROOT / f"{name}.account.tfvars")
    assert all(p.is_file() for p in env.var_files)
    assert env.backend_file == AWS_ROOT / f"{name}.backend.hcl"
    backend = env.backend
    assert backend is not None and backend.key == f"ecommerce-dwh/{name}/terraform.tfstate"
    assert backend.plans_prefix == f"ecommerce-dwh/{name}/plans"


def test_local_has_its_own_root_and_local_state() -> None:
    env = environment("local")
    assert (env.root, env.var_files, env.backend_file) == (LOCAL_ROOT, (), None)
    assert env.is_local


def test_unknown_environment_names_the_missing_file() -> None:
    with pytest.raises(TerraformError, match=r"'qa'.*qa\.tfvars is missing"):
        environment("qa")


def test_backend_files_are_flat_data(tmp_path: Path) -> None:
    good = tmp_path / "good.hcl"
    good.write_text('# c\nbucket = "b"\nkey = "p/dev/terraform.tfstate"  # k\n'
                    'region = "eu-west-1"\ndynamodb_table = "t"\nencrypt = true\n')
    backend = parse_backend_hcl(good)
    assert (backend.bucket, backend.region, backend.dynamodb_table) == ("b", "eu-west-1", "t")
    assert backend.state_prefix == "p/dev"
    bad = tmp_path / "bad.hcl"
    bad.write_text('bucket = "b"\nkey = "k"\nregion = "r"\nendpoints = {\n  s3 = "x"\n}\n')
    with pytest.raises(TerraformError, match="expected `name = value`"):
        parse_backend_hcl(bad)


def test_the_environments_of_one_state_bucket_are_one_account() -> None:
    assert environments_sharing_state("dev") == ("dev", "staging", "prod")


def test_inherited_tf_vars_never_reach_a_plan(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A TF_VAR_ left in a shell would make deploy.sh plan something else than the DAG."""
    monkeypatch.setenv("TF_VAR_bucket_name_suffix", "from-my-shell")
    tf = Terraform(workdir=tmp_path, data_dir=tmp_path / "d",
                   env={"TF_VAR_aws_endpoint_url": "http://127.0.0.1:1"})
    environ = tf._environ()  # noqa: SLF001 - the process environment is the contract
    assert "TF_VAR_bucket_name_suffix" not in environ
    assert environ["TF_VAR_aws_endpoint_url"] == "http://127.0.0.1:1"


def test_terraform_runs_as_exactly_the_given_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "my-admin")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    access = AwsAccess(env={"AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "s"})
    env = access.terraform_env()
    assert env["AWS_PROFILE"] == "" and env["AWS_ENDPOINT_URL"] == ""
    assert env["AWS_ACCESS_KEY_ID"] == "AKIA"
    shell = AwsAccess.from_environ({"AWS_PROFILE": "p", "TF_ENDPOINT_URL": "http://e"})
    assert shell.env == {"AWS_PROFILE": "p"} and shell.endpoint_url == "http://e"


def test_the_dag_branches_on_the_action_and_the_plan() -> None:
    assert infrastructure.next_steps("apply", {"has_changes": True}) == ["apply", "save_outputs"]
    assert infrastructure.next_steps("plan", {"has_changes": False}) == ["save_outputs"]
    assert infrastructure.next_steps("plan", {"has_changes": True}) == []


def test_terraform_runs_as_a_connection_of_its_own_on_aws(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DWH_TERRAFORM_CONN_ID", raising=False)
    assert infrastructure.terraform_conn_id("local") == "aws_default"
    assert infrastructure.terraform_conn_id("prod") == "aws_terraform"
    monkeypatch.setenv("DWH_TERRAFORM_CONN_ID", "tf_prod")
    assert infrastructure.terraform_conn_id("prod") == "tf_prod"
