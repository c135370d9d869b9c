"""The rules the test suite keeps about itself: a test under tests/integration carries the
`integration` marker, and a test that could not run for want of a server says so loudly (and
fails under CI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = "from tests.conftest import pytest_collection_modifyitems, pytest_terminal_summary  # noqa: F401\n"
REPOSITORY = Path(__file__).parents[2]


@pytest.fixture(autouse=True)
def _repository_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The runs in a temporary folder import the rules from this repository's tests/."""
    monkeypatch.setenv("PYTHONPATH", str(REPOSITORY))


def test_an_unmarked_integration_test_stops_the_run(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST)
    pytester.mkdir("integration")
    (pytester.path / "integration" / "test_marked.py").write_text(
        "import pytest\npytestmark = pytest.mark.integration\ndef test_ok():\n    pass\n")
    (pytester.path / "integration" / "test_forgot.py").write_text("def test_needs_a_server():\n    pass\n")
    pytester.makeini("[pytest]\nmarkers =\n    integration: needs servers\n")
    result = pytester.runpytest_subprocess("--collect-only", "-q")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*without the `integration` marker*", "*test_forgot.py::test_needs_a_server*"])
    assert "test_marked.py" not in result.stderr.str()


def test_every_integration_test_here_is_marked() -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "not integration",
                           "tests/integration"], capture_output=True, text=True, cwd=REPOSITORY, timeout=120)
    assert done.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, done.stdout + done.stderr
    assert "deselected" in done.stdout


MISSING_SERVER = """\
from tests.servers import missing

def test_needs_sshd():
    missing("OpenSSH's sshd", "/usr/sbin/sshd not found")

def test_plain():
    pass
"""


def test_a_missing_server_is_listed_loudly(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_lab=MISSING_SERVER)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*1 tests did NOT run: a server or tool is missing*",
                                 "*1  OpenSSH's sshd (/usr/sbin/sshd not found)*"])


def test_a_missing_server_fails_under_ci(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_lab=MISSING_SERVER)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*OpenSSH's sshd is missing*CI must run these tests*"])
