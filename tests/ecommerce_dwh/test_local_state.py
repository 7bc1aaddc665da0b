"""A new moto server is an empty AWS: ``forget_old_world`` removes exactly what described
the old one (local Terraform state and plans, the warehouse, Airflow's database) and
keeps the rest of the state folder (logs, the UI password)."""

from __future__ import annotations

from pathlib import Path

from ecommerce_dwh.local.pipeline import forget_old_world


def test_forgets_what_described_the_old_moto_server_and_keeps_the_rest(tmp_path: Path) -> None:
    doomed = ["terraform/local.tfstate", "terraform/local/plans/run.tfplan",
              "warehouse.duckdb", "airflow/airflow.db"]
    kept = ["logs/moto.log", "airflow/simple_auth_manager_passwords.json.generated",
            "terraform/dev/.terraform/x"]
    for name in doomed + kept:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    removed = forget_old_world(tmp_path)
    assert sorted(removed) == sorted(["terraform/local.tfstate", "terraform/local/plans",
                                      "warehouse.duckdb", "airflow/airflow.db"])
    assert not any((tmp_path / name).exists() for name in doomed)
    assert all((tmp_path / name).exists() for name in kept)
    assert forget_old_world(tmp_path) == []
