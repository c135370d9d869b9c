"""Whether `launchpad` typed in the current folder, without `--workspace`, opens the workspace
that was opened: what decides if a command a person is told to type must name it with `-w`."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.workspace.folder import open_workspace
from tests.workspaces import write_workspace


@pytest.fixture
def two(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.delenv("LAUNCHPAD_WORKSPACE", raising=False)
    return write_workspace(tmp_path / "a"), write_workspace(tmp_path / "b")


def test_found_from_the_folder_or_below_it(two: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    a, _ = two
    for here in (a, a / "playbooks"):
        monkeypatch.chdir(here)
        assert open_workspace().found_here
        assert open_workspace(str(a)).found_here  # `-w` naming the folder a command typed here finds


def test_named_from_another_workspace_or_from_no_workspace(two: tuple[Path, Path], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = two
    (tmp_path / "elsewhere").mkdir()
    for here in (b / "playbooks", tmp_path / "elsewhere"):
        monkeypatch.chdir(here)
        assert not open_workspace(str(a)).found_here
        monkeypatch.setenv("LAUNCHPAD_WORKSPACE", str(a))  # perhaps given for that one command only
        assert not open_workspace().found_here
        monkeypatch.delenv("LAUNCHPAD_WORKSPACE")


def test_the_variable_naming_another_workspace_wins_over_the_folder(
        two: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = two
    monkeypatch.chdir(a)
    monkeypatch.setenv("LAUNCHPAD_WORKSPACE", str(b))
    assert not open_workspace(str(a)).found_here  # typed here without `-w`, b would open
    monkeypatch.setenv("LAUNCHPAD_WORKSPACE", str(a))
    assert open_workspace().found_here
