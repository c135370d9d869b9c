"""Fixtures every test shares: a private HOME and working directory, so no test reads or
writes the user's ~/.ssh, the repository's backups/ or a real workspace."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from tests.servers import MISSING_PREFIX

INTEGRATION_FOLDER = "integration"
# The checkout these tests belong to: a test that starts `python -m launchpad` runs its code,
# not whichever copy the venv happens to have installed (another checkout of the project).
CHECKOUT = str(Path(__file__).resolve().parent.parent)


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("LAUNCHPAD_WORKSPACE", raising=False)
    monkeypatch.delenv("LAUNCHPAD_LANG", raising=False)  # the command line speaks the site's language
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    monkeypatch.setenv("LAUNCHPAD_ACTOR", "tester")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([CHECKOUT, *filter(None, [os.environ.get("PYTHONPATH")])]))
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    return home


@pytest.fixture
def english_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line in English (LAUNCHPAD_LANG=en, as `--lang en`), for tests that read
    its English words; the sites the tests write speak Chinese."""
    monkeypatch.setenv("LAUNCHPAD_LANG", "en")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests under tests/integration need real servers; `-m "not integration"` must leave
    them all out, so one without the marker stops the run."""
    unmarked = [item.nodeid for item in items
                if INTEGRATION_FOLDER in item.path.parent.parts and item.get_closest_marker("integration") is None]
    if unmarked:
        raise pytest.UsageError("integration tests without the `integration` marker "
                                "(add `pytestmark = pytest.mark.integration`):\n  " + "\n  ".join(unmarked))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly which tests did not run because a server or tool is missing here."""
    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if MISSING_PREFIX in reason:
            reasons[reason.split(MISSING_PREFIX, 1)[1]] += 1
    if not reasons:
        return
    terminalreporter.write_sep("!", f"{sum(reasons.values())} tests did NOT run: a server or tool is missing",
                               red=True, bold=True)
    for reason, count in reasons.most_common():
        terminalreporter.write_line(f"  {count:>4}  {reason}", red=True)
    terminalreporter.write_line("  install them (as root, `bash .ci/run` does) and run the tests again", red=True)
