"""A `launchpad` that a test starts as a process of its own runs the code of the checkout the
test belongs to, whatever copy of the project the venv has installed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def test_a_process_a_test_starts_imports_this_checkouts_launchpad() -> None:
    found = subprocess.run([sys.executable, "-c", "import launchpad; print(launchpad.__file__)"],
                           capture_output=True, text=True, env=dict(os.environ), timeout=60)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()).resolve().is_relative_to(CHECKOUT)
