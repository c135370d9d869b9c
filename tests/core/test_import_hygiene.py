"""The core stays headless: importing any module under launchpad/ never loads textual or
screens (the TUI is imported only inside the command that opens it)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import launchpad


def core_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(launchpad.__path__, prefix="launchpad.")
        if not info.name.endswith("__main__")
    )


def test_core_never_imports_the_ui() -> None:
    modules = core_modules()
    assert "launchpad.run.engine" in modules and "launchpad.cli" in modules
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'screens'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"the core imported: {result.stdout}"


def test_cli_start_imports_no_heavy_library() -> None:
    """`launchpad --help` stays fast: paramiko, httpx and the UI load only when used."""
    probe = (
        "import sys\n"
        "import launchpad.cli\n"
        "print(','.join(m for m in ('paramiko', 'httpx', 'textual', 'sqlite_utils') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
