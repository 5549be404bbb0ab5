"""The dependency direction: flows → pipeline, flows → warehouse, warehouse → pipeline records only."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WAREHOUSE_MAY_USE = {"pipeline.records", "pipeline.errors", "pipeline.config"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _modules(package: str) -> list[Path]:
    return sorted((REPO / package).rglob("*.py"))


@pytest.mark.parametrize("path", _modules("pipeline"), ids=lambda p: p.name)
def test_pipeline_imports_no_orchestration_or_storage(path: Path) -> None:
    forbidden = {"flows", "warehouse", "prefect", "duckdb", "demo"}
    bad = {m for m in _imports(path) if m.split(".")[0] in forbidden}
    assert not bad, f"{path.relative_to(REPO)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", _modules("warehouse"), ids=lambda p: p.name)
def test_warehouse_uses_only_pipeline_records(path: Path) -> None:
    imported = _imports(path)
    assert not {m for m in imported if m.split(".")[0] in {"flows", "prefect", "demo"}}
    stray = {m for m in imported if m.split(".")[0] == "pipeline" and m not in WAREHOUSE_MAY_USE}
    assert not stray, f"{path.relative_to(REPO)} imports {sorted(stray)} from pipeline"


def test_checker_sees_imports() -> None:
    """The checker itself must find imports, or the tests above would pass vacuously."""
    assert "duckdb" in _imports(REPO / "warehouse" / "connect.py")
    assert "pipeline.records" in _imports(REPO / "warehouse" / "read.py")


def test_no_print_in_the_library() -> None:
    offenders = []
    for package in ("pipeline", "warehouse"):
        for path in _modules(package):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "print":
                    offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders


def test_no_utils_module() -> None:
    names = {p.stem for pkg in ("pipeline", "warehouse", "flows") for p in _modules(pkg)}
    assert not names & {"utils", "helpers", "misc", "common"}
