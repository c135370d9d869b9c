"""Taking a backup: stream the dump from the host into the store, check it, then record it.

Order matters, and is the point of this module: the dump streams (compressed on the host,
hashed here) into a temporary file; the remote command must exit 0; the file is synced and its
content checked for completeness; only then is it renamed into place, its manifest written
beside it and its row added to the store. Any failure on the way (the command fails or is
killed, the connection drops, the disk fills, the dump is cut short) removes the partial file
and records nothing but the failure in the audit log.
"""

from __future__ import annotations

import json
import shlex
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import launchpad
from launchpad.backup import records
from launchpad.backup.compress import SUFFIX, choose, compress_command, decompressed_chunks
from launchpad.backup.drivers import driver_for
from launchpad.backup.drivers.base import Driver
from launchpad.backup.errors import BackupFailed
from launchpad.backup.hostshell import HostShell, tail
from launchpad.backup.progress import ProgressMeter
from launchpad.backup.records import BackupRecord, manifest_path_for
from launchpad.backup.session import BackupSession
from launchpad.backup.structure import TAIL
from launchpad.backup.targets import ResolvedTarget, resolve_target
from launchpad.backup.writer import (
    StreamingFile,
    check_free_space,
    explain_os_error,
    private_directory,
    remove_stale_partials,
)
from launchpad.errors import LaunchpadError
from launchpad.phrases import Said, dumps, phrase
from launchpad.sitetime import utc_now
from launchpad.workspace.durable import write_complete

DUMP_TIMEOUT = 12 * 3600.0  # a dead connection is caught by the heartbeat long before this
MANIFEST_FORMAT = "launchpad-backup/1"


def take_backup(session: BackupSession, env_name: str, target_name: str, *, purpose: str = "manual",
                timeout: float | None = None) -> BackupRecord:
    environment = session.workspace.environment(env_name)
    target = resolve_target(environment, env_name, target_name, session.transport_for, session.workspace.root,
                            ask_secret=session.ask_secret)
    driver = driver_for(target)
    driver.local_prerequisites()
    where = f"{env_name}/{target_name}"
    try:
        directory = private_directory(session.backups_dir / env_name / target_name)
        remove_stale_partials(directory)
        previous = records.list_backups(session.store, env_name, target_name, limit=1)
        check_free_space(directory, previous[0].size if previous else 0)
    except LaunchpadError as exc:  # the backups folder refuses it (unusable, too little space): audited too
        session.audit("backup_refused", where, {"reason": exc.message})
        raise
    shell = HostShell(target.transport, session.audit, local=target.local)
    session.audit("backup_started", where, {"host": shell.name, "driver": driver.name, "purpose": purpose})
    try:
        return _take(session, target, driver, shell, directory, purpose, timeout)
    except LaunchpadError as exc:
        session.audit("backup_failed", where, {"host": shell.name, "reason": exc.message})
        raise


def _take(session: BackupSession, target: ResolvedTarget, driver: Driver, shell: HostShell, directory: Path,
          purpose: str, timeout: float | None) -> BackupRecord:
    needed = [tool for alternatives in driver.host_tools for tool in alternatives]
    tools = shell.tools([*needed, "zstd", "gzip"])
    for alternatives in driver.host_tools:
        if not set(alternatives) & tools:
            raise BackupFailed(phrase("error.dump_tool_missing", host=shell.name, tools=_either(list(alternatives))),
                               hint=phrase("error.dump_tool_missing_hint"))
    compression = choose(target.spec.compression, tools)
    versions = shell.versions({**driver.version_commands,
                               **({compression: f"{compression} --version"} if compression != "none" else {})})
    started = utc_now()
    uid = uuid.uuid4().hex
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = directory / f"{target.env_name}-{target.name}-{stamp}-{uid[:6]}.{driver.extension}{SUFFIX[compression]}"
    with shell.private_dir(driver.secret_files()) as tmp:
        inventory = driver.inventory(shell, tmp) if driver.inventory_before_dump else None
        command = dump_pipeline(driver.dump_command(tmp), compression, tmp)
        sink = StreamingFile(final, ProgressMeter(session.progress, target.env_name, target.name, "dump"))
        try:
            check_detail, inventory = _stream_and_check(shell, driver, sink, command, compression, inventory,
                                                        timeout)
            sink.publish()
        except BaseException:
            sink.discard()
            raise
    checked = phrase("check.when_taken", detail=check_detail)
    row = {
        "uid": uid, "environment": target.env_name, "target": target.name, "driver": driver.name,
        "host": shell.name, "file": final.relative_to(session.backups_dir).as_posix(), "compression": compression,
        "started": started, "finished": utc_now(), "size": sink.size, "sha256": sink.sha256,
        "tool_versions": versions, "inventory": inventory, "purpose": purpose, "actor": session.actor,
        "run_id": session.run_id, "step_id": session.step_id,
        # The structure was just checked on the stored file: a verification in its own right.
        "verified_at": utc_now(), "verify_status": "ok", "verify_detail": str(checked), "verify_phrase": dumps(checked),
    }
    try:
        _write_manifest(manifest_path_for(final), manifest_json(row, check_detail))
        record = records.insert_backup(session.store, row)
    except BaseException:
        for leftover in (final, manifest_path_for(final)):
            leftover.unlink(missing_ok=True)
        raise
    session.audit("backup_taken", f"{target.env_name}/{target.name}",
                  {"backup": record.id, "file": record.file, "size": record.size, "sha256": record.sha256})
    return record


def _write_manifest(path: Path, data: bytes) -> None:
    # A full disk here is said like one during the dump; the caller removes the dump with it.
    try:
        write_complete(path, data)
    except OSError as exc:
        raise explain_os_error(exc, path) from None


def _stream_and_check(shell: HostShell, driver: Driver, sink: StreamingFile, command: str, compression: str,
                      inventory: dict[str, Any] | None, timeout: float | None) -> tuple[Said, dict[str, Any] | None]:
    try:
        result = shell.stream(command, sink, timeout=timeout or DUMP_TIMEOUT)
    except OSError as exc:  # the local disk (full, removed): the sink raised it
        raise explain_os_error(exc, sink.final) from None
    if result.exit_code != 0:
        status = phrase("error.dump_killed") if result.exit_code < 0 else phrase("error.dump_exited",
                                                                                  code=result.exit_code)
        raise BackupFailed(phrase("error.dump_failed", host=shell.name, status=status, tail=tail(result.stderr)),
                           hint=phrase("error.dump_failed_hint"))
    try:
        sink.finish()
    except OSError as exc:
        raise explain_os_error(exc, sink.final) from None
    only_end = TAIL if driver.tail_check else None
    check = driver.check(lambda: decompressed_chunks(sink.partial, compression, tail=only_end))
    if not check.ok:
        raise BackupFailed(phrase("error.dump_incomplete", host=shell.name, detail=check.detail),
                           hint=phrase("error.dump_incomplete_hint"))
    return check.detail, driver.dump_inventory(result.stderr) or check.inventory or inventory


def dump_pipeline(dump: str, compression: str, tmp: str) -> str:
    """The dump, compressed on the host, failing when either part fails (sh has no pipefail).
    The envelope around it (envelope.py) removes the private directory however the shell ends."""
    compressor = compress_command(compression)
    if compressor is None:
        return dump
    rc = shlex.quote(f"{tmp}/dump.rc")
    return (f"{{ {dump}\necho $? > {rc}; }} | {compressor}; c=$?; "
            f"r=$(cat {rc} 2>/dev/null || echo 255); "
            f"if [ \"$r\" != 0 ]; then echo \"launchpad: the dump exited $r\" >&2; exit \"$r\"; fi; exit $c")


def manifest_json(row: dict[str, Any], check_detail: Said) -> bytes:
    manifest = {"format": MANIFEST_FORMAT, "launchpad": launchpad.__version__, **row, "file": Path(row["file"]).name,
                "check": str(check_detail)}
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8") + b"\n"


def _either(tools: list[str]) -> Said:
    """`a or b` in the reader's language (one tool: its name)."""
    return phrase("valid.alternatives", items=tools[:-1], last=tools[-1]) if len(tools) > 1 else tools[0]
