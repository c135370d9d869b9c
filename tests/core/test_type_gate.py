"""The type checker reads every Python package of the repository — the core, the UI, the tests —
and holds every function to annotations: a wrong call in a screen is found before a client sees
it, and one in a test before the test quietly checks nothing."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import launchpad

REPO = Path(launchpad.__file__).resolve().parent.parent


def mypy_settings() -> dict[str, Any]:
    with (REPO / "pyproject.toml").open("rb") as file:
        settings: dict[str, Any] = tomllib.load(file)["tool"]["mypy"]
    return settings


def test_every_package_is_type_checked() -> None:
    packages = {init.parent.name for init in REPO.glob("*/__init__.py")}
    assert {"launchpad", "screens", "tests"} <= packages
    assert sorted(packages - set(mypy_settings().get("files", []))) == []


def test_every_function_is_annotated() -> None:
    settings = mypy_settings()
    assert settings.get("disallow_untyped_defs") is True
    assert settings.get("disallow_incomplete_defs") is True
    assert settings.get("warn_unused_ignores") is True
