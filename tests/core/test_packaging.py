"""A wheel (not only an editable install) carries the bundled playbooks, the report
templates, the demo's page and the UI's stylesheet."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_carries_the_data_files(tmp_path: Path) -> None:
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("launchpad-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {f"playbooks/{p.name}" for p in (ROOT / "playbooks").glob("*.yaml")}
    assert bundled and bundled <= names
    templates = {str(p.relative_to(ROOT)) for p in (ROOT / "launchpad").rglob("*.j2")}
    assert templates and templates <= names
    assert "launchpad/demo/login.html" in names
    assert "launchpad/users/profiles/ruoyi.yaml" in names  # the bundled target profile
    assert "screens/launchpad.tcss" in names
    assert any(n.endswith("entry_points.txt") for n in names)
