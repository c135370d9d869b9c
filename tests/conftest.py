"""Fixtures every test shares: a private HOME and working directory, so no test reads or
writes the user's ~/.ssh, the repository's backups/ or a real workspace."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("LAUNCHPAD_WORKSPACE", raising=False)
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    monkeypatch.setenv("LAUNCHPAD_ACTOR", "tester")
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    return home
