"""SQLite: the online backup API, on the host that holds the file.

The backup API copies a consistent snapshot page by page while the application keeps writing;
it needs a seekable destination, so on the host the snapshot goes into the command's private
directory (envelope.py), is counted, opened, unlinked and only then streamed: the one driver
with a copy on the host, and it is gone from the folder before the first byte is sent. The API is used through Python's
`sqlite3` module (`python3` on the host): servers often lack the sqlite3 shell, rarely Python.
A restore copies the backup into the live file with the same API, under SQLite's own locking.
"""

from __future__ import annotations

import json
import shlex
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from launchpad.backup.drivers.base import DrillOutcome, Driver, FeedBackup, OpenChunks, compare_tables
from launchpad.backup.errors import BackupFailed
from launchpad.backup.hostshell import HostShell, tail
from launchpad.backup.structure import CheckResult, check_sqlite
from launchpad.phrases import phrase

MARKER = "LAUNCHPAD-INVENTORY "
_COUNT = """
def counts(path):
    c = sqlite3.connect(path)
    names = [r[0] for r in c.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    out = {n: c.execute('SELECT COUNT(*) FROM "%s"' % n.replace('"', '""')).fetchone()[0] for n in names}
    c.close()
    return out
"""
_BACKUP = "import json, os, sqlite3, sys\n" + _COUNT + """
src, dst = sys.argv[1], sys.argv[2]
if not os.path.isfile(src):
    sys.exit("no database file " + src)
s = sqlite3.connect("file:" + os.path.abspath(src).replace("?", "%3f").replace("#", "%23") + "?mode=ro", uri=True)
d = sqlite3.connect(dst)
s.backup(d)
d.close(); s.close()
tables = counts(dst)
snapshot = open(dst, "rb")
os.unlink(dst)
print("@MARKER@" + json.dumps({"tables": tables}), file=sys.stderr, flush=True)
while True:
    block = snapshot.read(1 << 20)
    if not block:
        break
    sys.stdout.buffer.write(block)
sys.stdout.buffer.flush()
""".replace("@MARKER@", MARKER)
_RESTORE = "import os, sqlite3, sys\n" + """
src, dst = sys.argv[1], sys.argv[2]
with open(src, "rb") as f:
    header = f.read(100)
size = os.path.getsize(src)
page = int.from_bytes(header[16:18], "big") if len(header) == 100 else 0
page = 65536 if page == 1 else page
pages = int.from_bytes(header[28:32], "big")
# The header's page count holds when its change counter matches (SQLite 3.7.0 and later):
# a file shorter than that was cut short on the way, and never replaces the live one.
if len(header) < 100 or (header[24:28] == header[92:96] and pages and size < page * pages):
    sys.exit("the backup arrived cut short (%d bytes); nothing was restored" % size)
s = sqlite3.connect(src)
if s.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
    sys.exit("the backup does not pass PRAGMA integrity_check")
d = sqlite3.connect(dst)
s.backup(d)
d.close(); s.close()
"""
_INVENTORY = "import json, sqlite3, sys\n" + _COUNT + """
print(json.dumps({"tables": counts(sys.argv[1])}))
"""


def python(script: str, *args: str) -> str:
    return "python3 -c " + " ".join(shlex.quote(a) for a in (script, *args))


class SqliteDriver(Driver):
    name = "sqlite"
    extension = "sqlite3"
    host_tools = (("python3",),)
    version_commands = {"python3": "python3 --version",
                        "sqlite": python("import sqlite3; print(sqlite3.sqlite_version)")}

    @property
    def path(self) -> str:
        assert self.target.database is not None
        return self.target.database.name

    def dump_command(self, tmp: str) -> str:
        snapshot = f"{tmp}/snapshot.sqlite3"
        return python(_BACKUP, self.path, snapshot)

    def restore_command(self, tmp: str) -> str:
        incoming = f"{tmp}/restore.sqlite3"
        return f"cat > {shlex.quote(incoming)} && {python(_RESTORE, incoming, self.path)}"

    def check(self, open_chunks: OpenChunks) -> CheckResult:
        return check_sqlite(open_chunks())

    def dump_inventory(self, stderr: bytes) -> dict[str, Any] | None:
        for line in stderr.decode("utf-8", "replace").splitlines():
            if line.startswith(MARKER):
                return dict(json.loads(line[len(MARKER):]))
        return None

    def inventory(self, shell: HostShell, tmp: str) -> dict[str, Any] | None:
        result = shell.run(python(_INVENTORY, self.path))
        if not result.ok:
            raise BackupFailed(phrase("host.said", host=shell.name, message=phrase(
                "backup.cannot_count", path=self.path, error=tail(result.stderr))))
        return dict(json.loads(result.text()))

    def drill(self, shell: HostShell, tmp: str, feed: FeedBackup, recorded: dict[str, Any] | None,
              open_chunks: OpenChunks) -> DrillOutcome:
        # The scratch database is a file on this machine: the proof is that the file opens,
        # passes SQLite's integrity check and holds the recorded rows.
        with tempfile.TemporaryDirectory(prefix="launchpad-drill-") as scratch_dir:
            scratch = Path(scratch_dir) / "drill.sqlite3"
            with open(scratch, "wb") as out:
                for chunk in open_chunks():
                    out.write(chunk)
            connection = sqlite3.connect(scratch)
            try:
                integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
                names = [r[0] for r in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
                restored = {n: connection.execute(f'SELECT COUNT(*) FROM "{n.replace(chr(34), chr(34) * 2)}"')
                            .fetchone()[0] for n in names}
            finally:
                connection.close()
        if integrity != "ok":
            return DrillOutcome(False, phrase("drill.integrity", result=str(integrity)))
        now = (self.inventory(shell, tmp) or {}).get("tables")
        return compare_tables(recorded, restored, now)
