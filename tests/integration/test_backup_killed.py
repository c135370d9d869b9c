"""`kill -9` of `launchpad backup` and `launchpad restore` at several points, over a real sshd:
nothing of a dump or of the database password is left on the host, and the host's commands
end with the channel instead of running on. A later backup removes the leftovers of earlier
commands whose shell was killed outright (or of versions that left them behind)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.backup import records
from launchpad.store.audit import iter_audit
from launchpad.store.db import Store
from tests.integration.sshd import SshdHost, SshLab

pytestmark = pytest.mark.integration

CANARY = "canary-口令-3f9a"
WAIT = 30.0  # bound on the host noticing the dead client; a pass takes about a second

SITE = """\
site: {{name: 中断测试, client: 测试客户}}
environments:
  lab:
    hosts: [{{name: app1, address: {address}, port: {port}}}]
    databases:
      dm: {{engine: other, name: shop, user: lp, password: env:LP_TEST_DB_PW, via: app1}}
    backups:
      dm:
        database: dm
        compression: gzip
        command: {{dump: 'sh {root}/dump.sh', restore: 'sh {root}/restore.sh', extension: bin}}
"""

# Each script first proves it can read the password, then says where it is and how far it got.
FINITE_DUMP = 'cat "$LAUNCHPAD_DB_PASSWORD_FILE" > /dev/null && printf "data\\nEND\\n"\n'
HANGING = ('cat "$LAUNCHPAD_DB_PASSWORD_FILE" > /dev/null || exit 1\n'
           'echo $$ > "{root}/hanging.pid"; echo ready > "{root}/ready.tmp"; mv "{root}/ready.tmp" "{root}/ready"\n'
           "exec sleep 300\n")
STREAMING = ('cat "$LAUNCHPAD_DB_PASSWORD_FILE" > /dev/null || exit 1\n'
             'echo $$ > "{root}/hanging.pid"; echo ready > "{root}/ready.tmp"; mv "{root}/ready.tmp" "{root}/ready"\n'
             "exec yes launchpad-dump-data\n")


@pytest.fixture
def workspace(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost]) -> Path:
    host = ssh_hosts[0]
    root = sshd_lab.workspace_trusting(tmp_path / "ws", host)
    (root / "site.yaml").write_text(SITE.format(address=host.address, port=host.port, root=root), encoding="utf-8")
    (root / "dump.sh").write_text(FINITE_DUMP)
    (root / "restore.sh").write_text("cat > /dev/null\n")
    return root


def launchpad(root: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                            env={**os.environ, "LP_TEST_DB_PW": CANARY})


def finished(root: Path, *args: str) -> int:
    process = launchpad(root, *args)
    return process.wait(timeout=120)


@contextlib.contextmanager
def killed_when_ready(root: Path, *args: str) -> Iterator[None]:
    """Run launchpad until the host's script says it is ready, then `kill -9` it."""
    victim = launchpad(root, *args)
    try:
        deadline = time.monotonic() + 60
        while not (root / "ready").exists():
            assert victim.poll() is None, "launchpad ended before the host's script started"
            assert time.monotonic() < deadline, "the host's script never started"
            time.sleep(0.01)  # polling interval of the wait for the script, not synchronisation
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        yield
    finally:
        if victim.poll() is None:
            victim.kill()
        # Whatever this test's script left running, and nothing else on the machine.
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            os.kill(int((root / "hanging.pid").read_text()), signal.SIGKILL)
        (root / "ready").unlink(missing_ok=True)


def private_dirs(root: Path) -> set[Path]:
    """Every private directory the workspace's commands used on the host (from the audit log)."""
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        return {Path(entry.detail["private_dir"]) for entry in iter_audit(store)
                if entry.action == "remote_command" and "private_dir" in entry.detail}


def leftovers(dirs: set[Path]) -> set[Path]:
    """Wait until the host's commands have cleaned up; whatever is still there after the bound."""
    deadline = time.monotonic() + WAIT
    while (left := {d for d in dirs if d.exists()}) and time.monotonic() < deadline:
        time.sleep(0.05)  # polling interval of the wait for the host, not synchronisation
    return left


def script_alive(root: Path) -> bool:
    with contextlib.suppress(FileNotFoundError, ValueError):
        pid = int((root / "hanging.pid").read_text())
        return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    return False


@pytest.mark.parametrize("script", [HANGING, STREAMING], ids=["before-any-output", "while-streaming"])
def test_a_killed_backup_leaves_nothing_on_the_host(workspace: Path, script: str) -> None:
    (workspace / "dump.sh").write_text(script.format(root=workspace))
    with killed_when_ready(workspace, "backup", "--env", "lab", "dm"):
        dirs = private_dirs(workspace)
        assert dirs, "the dump ran in no private directory"
        assert leftovers(dirs) == set()
        assert not script_alive(workspace), "the dump went on running after its client died"


def test_a_killed_restore_leaves_nothing_on_the_host(workspace: Path) -> None:
    assert finished(workspace, "backup", "--env", "lab", "dm") == 0
    (workspace / "restore.sh").write_text(HANGING.format(root=workspace))
    with killed_when_ready(workspace, "restore", "1", "--env", "lab", "--yes"):
        dirs = private_dirs(workspace)
        assert len(dirs) >= 3  # the backup, the safety backup and the restore
        assert leftovers(dirs) == set()
        assert not script_alive(workspace), "the restore went on running after its client died"
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        assert [row["status"] for row in records.restores(store)] == ["interrupted"]


def test_a_later_backup_removes_leftovers_of_killed_commands(workspace: Path, tmp_path: Path) -> None:
    # A command whose shell was killed outright (its pid is gone), and a folder an older version
    # left behind without an owner file, a day ago: both hold a password in clear.
    dead = subprocess.Popen(["true"])
    dead.wait()
    killed = Path(f"/tmp/launchpad.k{os.getpid():07x}"[:23])
    old = Path(f"/tmp/launchpad.o{os.getpid():07x}"[:23])
    for folder in (killed, old):
        folder.mkdir(mode=0o700)
        (folder / "db-password").write_text(CANARY)
    (killed / "owner").write_text(f"{dead.pid}\n")
    day_ago = time.time() - 24 * 3600
    os.utime(old, (day_ago, day_ago))
    # A folder of a command still running is left alone.
    alive = Path(f"/tmp/launchpad.a{os.getpid():07x}"[:23])
    alive.mkdir(mode=0o700)
    (alive / "owner").write_text(f"{os.getpid()}\n")
    try:
        assert finished(workspace, "backup", "--env", "lab", "dm") == 0
        assert not killed.exists() and not old.exists()
        assert alive.exists()
    finally:
        for folder in (killed, old, alive):
            with contextlib.suppress(FileNotFoundError):
                for child in folder.iterdir():
                    child.unlink()
                folder.rmdir()
