"""Verifying a stored backup: its sha256 against the record, then its structure (the same
completeness check it passed when taken). A failed verification is recorded, and a restore of
that backup is refused."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from launchpad.backup import records
from launchpad.backup.compress import decompressed_chunks
from launchpad.backup.errors import BackupFailed
from launchpad.backup.progress import ProgressMeter, ProgressSink, ignore_progress
from launchpad.backup.records import BackupRecord
from launchpad.backup.session import BackupSession
from launchpad.backup.structure import (
    TAIL,
    CheckResult,
    check_mysqldump,
    check_pattern,
    check_pg_custom,
    check_sqlite,
    check_tar,
)
from launchpad.phrases import Phrase, Said, phrase
from launchpad.workspace.site import Site


@dataclass(frozen=True)
class VerifyReport:
    backup_id: int
    ok: bool
    checksum_ok: bool
    structure_ok: bool
    detail: Said
    hint: Said | None = None  # what to do next when it failed: the CLI and the TUI both show it


def file_sha256(path: Path, meter: ProgressMeter | None = None) -> str:
    with open(path, "rb") as source:
        return stream_sha256(source, meter)


def stream_sha256(source: BinaryIO, meter: ProgressMeter | None = None) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(1024 * 1024):
        digest.update(chunk)
        if meter is not None:
            meter.add(len(chunk))
    return digest.hexdigest()


def checksum_problem(record: BackupRecord, backups_dir: Path, progress: ProgressSink = ignore_progress,
                     opened: BinaryIO | None = None) -> Phrase | None:
    """Why the stored file does not match its record, or None when it does. With `opened`
    (the file, held open by a restore), that open file is what is checked."""
    path = record.path(backups_dir)
    if opened is None:
        missing_or_cut = records.file_problem(record, backups_dir)
        if missing_or_cut is not None:
            return missing_or_cut
    elif (size := os.fstat(opened.fileno()).st_size) != record.size:
        return phrase("check.size_differs", size=size, recorded=record.size)
    meter = ProgressMeter(progress, record.environment, record.target, "verify", record.size)
    if opened is None:
        actual = file_sha256(path, meter)
    else:
        opened.seek(0)
        actual = stream_sha256(opened, meter)
    if actual != record.sha256:
        return phrase("check.sha_differs", actual=actual[:16], recorded=record.sha256[:16])
    manifest = record.manifest_path(backups_dir)
    try:
        written = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return phrase("check.manifest_unreadable", name=manifest.name)
    if written.get("sha256") != record.sha256 or written.get("uid") != record.uid:
        return phrase("check.manifest_differs", name=manifest.name)
    return None


def structure_check(record: BackupRecord, path: Path, site: Site | None = None) -> CheckResult:
    def chunks() -> Iterator[bytes]:
        return decompressed_chunks(path, record.compression)

    def tail() -> Iterator[bytes]:
        return decompressed_chunks(path, record.compression, tail=TAIL)

    checks: dict[str, Callable[[], CheckResult]] = {
        "mysql": lambda: check_mysqldump(tail()),
        "postgresql": lambda: check_pg_custom(chunks),
        "sqlite": lambda: check_sqlite(chunks()),
        "files": lambda: check_tar(chunks()),
        "command": lambda: check_pattern(tail(), _command_pattern(record, site)),
    }
    try:
        return checks[record.driver]()
    except KeyError:
        return CheckResult(False, phrase("check.unknown_driver", driver=record.driver))
    except BackupFailed as exc:
        return CheckResult(False, exc.message)


def _command_pattern(record: BackupRecord, site: Site | None) -> str | None:
    environment = site.environments.get(record.environment) if site else None
    target = environment.backups.get(record.target) if environment else None
    return target.command.complete if target is not None and target.command is not None else None


def verify_backup(session: BackupSession, backup_id: int) -> VerifyReport:
    record = records.require_backup(session.store, backup_id)
    if record.deleted_at:
        raise BackupFailed(phrase("backup.deleted", id=backup_id, reason=record.deleted_said()))
    problem = checksum_problem(record, session.backups_dir, session.progress)
    next_step = phrase("backup.not_usable_hint", env=record.environment, target=record.target)
    if problem:
        report = VerifyReport(backup_id, False, False, False, problem, next_step)
    else:
        check = structure_check(record, record.path(session.backups_dir), session.workspace.site)
        report = VerifyReport(backup_id, check.ok, True, check.ok, check.detail, None if check.ok else next_step)
    records.set_verified(session.store, backup_id, report.ok, report.detail)
    session.audit("backup_verified" if report.ok else "backup_verify_failed",
                  f"{record.environment}/{record.target}", {"backup": backup_id, "detail": report.detail})
    return report
