"""The README's promise, as a newcomer would try it: build the demo, check it, run the
readiness playbook on `test`, read the run report, verify the audit log."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.demo import stop_demo_webapp


def launchpad(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launchpad", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "demo"
    built = launchpad("demo", "--no-tui", "--dir", str(root), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    try:
        yield root
    finally:
        stop_demo_webapp(root)


def test_demo_readiness_runs_and_reports(demo: Path) -> None:
    assert launchpad("check", cwd=demo).returncode == 0
    run = launchpad("run", "environment-readiness", "--env", "test", "--yes", cwd=demo)
    # The demo configures no ports or services to check: those steps are not checked, so the
    # run is not a clean pass (exit 1), and says so.
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Run 1 finished with steps skipped or not checked." in run.stdout
    runs = launchpad("runs", "--json", cwd=demo)
    assert '"status": "partial"' in runs.stdout
    html = launchpad("runs", "show", "1", "--format", "html", "--out", "report.html", cwd=demo)
    assert html.returncode == 0
    page = (demo / "report.html").read_text(encoding="utf-8")
    assert "执行报告" in page and "登录页" in page and "通过" in page
    assert "有跳过或未检查的步骤" in page and "未配置需检查的端口" in page
    assert launchpad("audit", "verify", cwd=demo).returncode == 0


def test_acceptance_needs_people_and_stops_safely_without_them(demo: Path) -> None:
    run = launchpad("run", "onsite-acceptance", "--env", "test", "--yes", cwd=demo)
    assert run.returncode == 1
    assert "critical step needs a person's sign-off" in run.stderr
    assert "Traceback" not in run.stderr


def test_production_is_marked_in_the_run(demo: Path) -> None:
    # Every step of the readiness playbook is read-only, so it runs on production without a
    # confirmation; a confirmed step would stop here without --confirm prod.
    run = launchpad("run", "environment-readiness", "--env", "prod", "--yes", cwd=demo)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "PRODUCTION" in run.stdout
