"""The import contract in pyproject.toml keeps its promises: it holds today, an exception that
no longer matches any import fails the run (so none outlives its reason), and the one thing the
contract lets pass — an import under `if TYPE_CHECKING:` — never names the UI from the core."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import launchpad

REPO = Path(launchpad.__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS.exists(), "lint-imports is missing: pip install -e '.[dev]'"
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(config)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def project_settings() -> dict[str, Any]:
    with (REPO / "pyproject.toml").open("rb") as file:
        settings: dict[str, Any] = tomllib.load(file)["tool"]["importlinter"]
    return settings


def as_toml(settings: dict[str, Any]) -> str:
    """The importlinter table back as TOML; its values are strings, booleans and string lists,
    which JSON spells the way TOML reads them."""
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in settings.items() if key != "contracts"]
    for contract in settings["contracts"]:
        lines += ["", "[[tool.importlinter.contracts]]"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in contract.items()]
    return "\n".join(lines) + "\n"


def test_the_contracts_hold() -> None:
    result = lint_imports(REPO / "pyproject.toml", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_exception_that_matches_no_import_fails_the_run(tmp_path: Path) -> None:
    settings = project_settings()
    walls = settings["contracts"][0]
    assert walls["name"] == "the core never imports the UI"
    walls["ignore_imports"] = [*walls.get("ignore_imports", []), "launchpad.errors -> screens.app"]
    config = tmp_path / "stale.toml"
    config.write_text(as_toml(settings), encoding="utf-8")
    result = lint_imports(config, cwd=tmp_path)
    assert result.returncode != 0, result.stdout
    assert "launchpad.errors -> screens.app" in result.stdout + result.stderr


def test_an_import_for_annotations_only_is_no_dependency(tmp_path: Path) -> None:
    """screens/base.py names the app under TYPE_CHECKING; read as a dependency, that import
    would break "the app sits on top", so the contract holds only because it reads what runs."""
    settings = project_settings()
    assert settings["exclude_type_checking_imports"] is True
    settings["exclude_type_checking_imports"] = False
    config = tmp_path / "annotations.toml"
    config.write_text(as_toml(settings), encoding="utf-8")
    result = lint_imports(config, cwd=tmp_path)
    assert result.returncode != 0, result.stdout
    assert "the app sits on top" in result.stdout and "BROKEN" in result.stdout


def ui_imports(source: Path) -> list[str]:
    """Every import of textual or screens in a module, wherever it sits (TYPE_CHECKING too)."""
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        where = f"{source.relative_to(REPO)}:{node.lineno}"
        found += [f"{where} {name}" for name in names if name.split(".")[0] in ("textual", "screens")]
    return found


def test_the_core_never_names_the_ui_even_for_annotations() -> None:
    door = REPO / "launchpad" / "cli" / "tui.py"
    found = [hit for path in sorted((REPO / "launchpad").rglob("*.py")) if path != door for hit in ui_imports(path)]
    assert found == []
    assert ui_imports(door) != [], "the command that opens the TUI should be the one door"
