"""The envelope around the commands a backup sends to a host (local transport; the `kill -9`
cases over a real sshd are in tests/integration/test_backup_killed.py): a credential is
readable by the command and by nothing on disk, the private folder lives as long as the
command, the SQLite snapshot is unlinked before its first byte is sent, and a restore of a
file cut short on the way never replaces the live database."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from launchpad.backup.drivers.sqlite import SqliteDriver
from launchpad.backup.hostshell import HostShell
from launchpad.hosts.local import LocalTransport

SECRET = "pw with \"quotes\" 'and' %s \\ and\nnewline 口令"


def shell(tmp_path: Path) -> HostShell:
    return HostShell(LocalTransport(cwd=str(tmp_path)), lambda *args: None, local=True)


def test_a_credential_is_readable_by_the_command_and_on_no_disk(tmp_path: Path) -> None:
    host = shell(tmp_path)
    with host.private_dir({"db-password": SECRET}) as tmp:
        result = host.check(f"cat {tmp}/db-password; echo; readlink {tmp}/db-password; "
                            f"find {tmp} -type f -exec cat {{}} +; head -c 5", stdin=b"input")
        assert not Path(tmp).exists()  # it lives only while a command runs
    text = result.text()
    assert text.startswith(SECRET + "\n/dev/fd/3\n")
    # The only regular file in the folder is the owner's pid; the command's own stdin follows.
    rest = text[len(SECRET + "\n/dev/fd/3\n"):]
    assert "口令" not in rest and rest.endswith("input")


def test_the_sqlite_snapshot_is_unlinked_before_it_is_streamed(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE t (x TEXT)")
        connection.executemany("INSERT INTO t VALUES (?)", [("行" * 500,)] * 2000)
    driver = SqliteDriver(SimpleNamespace(database=SimpleNamespace(name=str(db))))  # type: ignore[arg-type]
    host = shell(tmp_path)
    seen: list[list[str]] = []
    received = bytearray()

    class Sink:
        def write(self, chunk: bytes) -> int:
            seen.append(sorted(os.listdir(tmp)))
            received.extend(chunk)
            return len(chunk)

    with host.private_dir() as tmp:
        result = host.stream(driver.dump_command(tmp), Sink(), timeout=60)
    assert result.exit_code == 0, result.stderr
    assert seen and all("snapshot.sqlite3" not in names for names in seen)
    copy = tmp_path / "copy.db"
    copy.write_bytes(bytes(received))
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT COUNT(*) FROM t").fetchone() == (2000,)


def test_a_sqlite_backup_cut_short_is_not_restored(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    with sqlite3.connect(live) as connection:
        connection.execute("CREATE TABLE t (x TEXT)")
        connection.execute("INSERT INTO t VALUES ('live')")
    backup = tmp_path / "backup.db"
    with sqlite3.connect(backup) as connection:
        connection.execute("CREATE TABLE t (x TEXT)")
        connection.executemany("INSERT INTO t VALUES (?)", [("b" * 3000,)] * 50)
    data = backup.read_bytes()
    driver = SqliteDriver(SimpleNamespace(database=SimpleNamespace(name=str(live))))  # type: ignore[arg-type]
    host = shell(tmp_path)
    with host.private_dir() as tmp:
        result: Any = host.run(driver.restore_command(tmp), stdin=data[: len(data) // 2])
    assert result.exit_code != 0 and "cut short" in result.text("stderr")
    with sqlite3.connect(live) as connection:
        assert connection.execute("SELECT x FROM t").fetchall() == [("live",)]
