"""The zip the Glue job imports: deterministic, complete, and free of Airflow."""

from __future__ import annotations

import ast
import sys
import zipfile
from pathlib import Path

from ecommerce_dwh.silver import package

#: What a module of the zip may import: the standard library, what Glue 5.0 has, and the
#: zip's own modules.
ALLOWED_ROOTS = set(sys.stdlib_module_names) | {"pyspark", "boto3", "ecommerce_dwh"}


def _imports_outside_main(tree: ast.Module) -> list[ast.AST]:
    """Every node but those under ``if __name__ == "__main__":`` (a module's own CLI)."""
    main_blocks = [node for node in tree.body if isinstance(node, ast.If)
                   and "__main__" in ast.unparse(node.test)]
    skipped = {id(n) for block in main_blocks for n in ast.walk(block)}
    return [node for node in ast.walk(tree) if id(node) not in skipped]


def test_the_zip_is_byte_for_byte_deterministic(tmp_path: Path) -> None:
    first = package.build_zip(tmp_path / "a").read_bytes()
    second = package.build_zip(tmp_path / "b").read_bytes()
    assert first == second


def test_the_zip_holds_the_job_s_modules_and_they_import_only_what_glue_has(
        tmp_path: Path) -> None:
    path = package.build_zip(tmp_path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names == sorted(package.MODULES)
        modules = {name[:-3].replace("/", ".").removesuffix(".__init__") for name in names}
        for name in names:
            tree = ast.parse(archive.read(name))
            for node in _imports_outside_main(tree):
                if isinstance(node, ast.Import):
                    imported = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    imported = [node.module]
                else:
                    continue
                for module in imported:
                    assert module.split(".")[0] in ALLOWED_ROOTS, f"{name} imports {module}"
                    if module.startswith("ecommerce_dwh"):
                        assert module in modules, f"{name} imports {module}, not in the zip"


def test_the_script_imports_only_the_zip_and_glue_s_libraries() -> None:
    tree = ast.parse(package.SCRIPT.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            assert root in ALLOWED_ROOTS, node.module
