"""Files and directories: tar, streamed from the host.

Paths are stored relative to `/` (absolute paths) or to the login directory (relative ones; the
workspace on a local environment). A restore unpacks the whole archive into the private
directory first; only when that succeeded is each path swapped in (the current one moved
aside, the restored one moved in, the old one deleted), so a broken archive never leaves half a
directory behind. The drill unpacks into a scratch directory here and compares every file's
sha256 with the hashes recorded when the backup was checked.
"""

from __future__ import annotations

import hashlib
import shlex
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from launchpad.backup.drivers.base import DrillOutcome, Driver, FeedBackup, OpenChunks
from launchpad.backup.errors import BackupFailed
from launchpad.backup.hostshell import HostShell, tail
from launchpad.backup.structure import CheckResult, ChunkReader, check_tar
from launchpad.phrases import phrase


class FilesDriver(Driver):
    name = "files"
    extension = "tar"
    host_tools = (("tar",),)
    version_commands = {"tar": "tar --version"}

    @property
    def base(self) -> str:
        paths = self.target.spec.paths or []
        return "/" if paths and paths[0].startswith("/") else "."

    @property
    def members(self) -> list[str]:
        return [p.strip("/") if self.base == "/" else p.rstrip("/") for p in self.target.spec.paths or []]

    def dump_command(self, tmp: str) -> str:
        names = " ".join(shlex.quote(m) for m in self.members)
        return f"tar -C {shlex.quote(self.base)} -cf - -- {names}"

    def restore_command(self, tmp: str) -> str:
        staging = f"{tmp}/restore"
        steps = [f"mkdir {shlex.quote(staging)}", f"tar -C {shlex.quote(staging)} -xpf -"]
        for member in self.members:
            new, live = shlex.quote(f"{staging}/{member}"), shlex.quote(f"{self.base.rstrip('/')}/{member}")
            old = shlex.quote(f"{self.base.rstrip('/')}/{member}.launchpad-old")
            steps.append(
                f"{{ if [ -e {new} ] || [ -L {new} ]; then rm -rf -- {old} && "
                f"{{ {{ [ ! -e {live} ] && [ ! -L {live} ]; }} || mv -- {live} {old}; }} && "
                f"mkdir -p -- \"$(dirname -- {live})\" && mv -- {new} {live} && rm -rf -- {old}; fi; }}"
            )
        return " && ".join(steps)

    def check(self, open_chunks: OpenChunks) -> CheckResult:
        return check_tar(open_chunks())

    def inventory(self, shell: HostShell, tmp: str) -> dict[str, Any] | None:
        names = " ".join(shlex.quote(m) for m in self.members)
        result = shell.run(f"cd {shlex.quote(self.base)} && find {names} -type f -print0 | xargs -0 -r sha256sum")
        if not result.ok:
            raise BackupFailed(phrase("host.said", host=shell.name,
                                      message=phrase("backup.cannot_hash", error=tail(result.stderr))))
        files = {}
        for line in result.text().splitlines():
            digest, _, name = line.partition("  ")
            if name and not digest.startswith("\\"):  # names with newlines or backslashes are skipped
                files[name] = digest
        return {"files": files}

    def drill(self, shell: HostShell, tmp: str, feed: FeedBackup, recorded: dict[str, Any] | None,
              open_chunks: OpenChunks) -> DrillOutcome:
        with tempfile.TemporaryDirectory(prefix="launchpad-drill-") as scratch:
            with tarfile.open(fileobj=ChunkReader(open_chunks()), mode="r|") as archive:  # type: ignore[call-overload]
                _extract_safely(archive, scratch)
            restored = _hash_tree(Path(scratch))
        expected = {name: info["sha256"] for name, info in ((recorded or {}).get("files") or {}).items()
                    if info.get("type") == "file"}
        now = (self.inventory(shell, tmp) or {}).get("files", {})
        rows = [{"file": name, "at_backup": expected.get(name), "restored": restored.get(name),
                 "source_now": now.get(name)} for name in sorted(set(expected) | set(restored))]
        differing = [r["file"] for r in rows if r["at_backup"] != r["restored"]]
        changed = sum(1 for r in rows if r["restored"] != r["source_now"])
        since = phrase("drill.source_changed", changed=changed) if changed else phrase("drill.source_same")
        if differing:
            return DrillOutcome(False, phrase("drill.files_differ", differing=len(differing), count=len(rows),
                                              names=differing[:5]), rows)
        return DrillOutcome(True, phrase("drill.files_ok", count=len(restored), since=since), rows)


def _extract_safely(archive: tarfile.TarFile, destination: str) -> None:
    """Nothing may land outside the scratch directory (absolute names, `..`, odd links)."""
    if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
        archive.extractall(destination, filter="data")
        return
    for member in archive:
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or member.issym() or member.islnk() or member.isdev():
            continue
        archive.extract(member, destination)


def _hash_tree(root: Path) -> dict[str, str]:
    hashes = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256()
            with open(path, "rb") as source:
                while data := source.read(1024 * 1024):
                    digest.update(data)
            hashes[path.relative_to(root).as_posix()] = digest.hexdigest()
    return hashes
