"""The release use cases both front ends call: record, approve, move, write the test report.
The CLI (`launchpad release …`) and the TUI only parse, ask and show; the rules live here and
in `record.py`."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from launchpad.errors import UsageError
from launchpad.oserrors import os_reason
from launchpad.phrases import Phrase, Said, phrase
from launchpad.release.record import (
    Release,
    ReleaseDraft,
    create_release,
    get_release,
    move_release,
    refuse,
    same_version,
)
from launchpad.release.testreport import (
    Attachment,
    attach_report,
    default_name,
    intact_attachments,
    write_test_report,
)
from launchpad.release.window import plan_window
from launchpad.sitetime import utc_now

if TYPE_CHECKING:
    from launchpad.issues.log import IssueLog
    from launchpad.session import Session

REPORTS_FOLDER = "reports"


@dataclass(frozen=True)
class IssueMarked:
    """What became of a fixed issue when its release went out: `fixed` (status and fixed_in),
    `noted` (fixed_in only: already resolved, or the workflow refused — `why` says so)."""

    issue_id: int
    result: str
    why: Said = ""


def new_release(session: Session, *, version: str, changes: str, impact: str, start: str, end: str,
                rollback_plan: str, owner: str, fixes: tuple[int, ...] = (), window: str | None = None) -> Release:
    planned = plan_window(session.site, start, end, window)
    draft = ReleaseDraft(version=version, changes=changes, impact=impact, rollback_plan=rollback_plan,
                         owner=owner, window=planned, fixes=tuple(dict.fromkeys(fixes)))
    return create_release(session.store(), session.actor, draft)


# The test run results a reviewer may approve on: passed, or finished with skips or unchecked
# steps (the report names each with its reason, for the reviewer to weigh).
APPROVABLE_RUNS = ("passed", "partial")


def approve_release(session: Session, release_id: int, by: str, note: str = "") -> Release:
    """The client's reviewer approves the release after reading its test report: refused
    (and audited) while no attached report is intact, when the latest one rests on a run that
    failed, was aborted or never finished, or on a run of another version; or with nobody named."""
    store = session.store()
    release = get_release(store, release_id)
    if not by.strip():
        raise UsageError(phrase("error.release_no_reviewer"), hint=phrase("error.release_no_reviewer_hint"))
    if release.status == "planned":
        reports = intact_attachments(store, release_id)
        if not reports:
            refuse(store, session.actor, release, "approved", why=phrase("release.no_test_report", id=release_id),
                   hint=phrase("release.attach_report_hint", id=release_id))
        _refuse_a_report_not_passed(session, release, int(reports[-1]["run_id"]))
    return move_release(store, session.actor, release_id, "approved", note,
                        extra={"approved_by": by.strip(), "approved_at": utc_now()})


def _refuse_a_report_not_passed(session: Session, release: Release, run_id: int) -> None:
    """The report the reviewer read last must show this release's version passing its test."""
    store = session.store()
    run = store.get_run(run_id)
    hint = phrase("release.attach_report_hint", id=release.id)
    if run is None or run["status"] not in APPROVABLE_RUNS:
        status = phrase(f"status.{run['status']}") if run is not None else phrase("release.none")
        refuse(store, session.actor, release, "approved",
               why=phrase("release.report_not_passed", id=release.id, run=run_id, status=status), hint=hint)
    tested = str((run.get("variables") or {}).get("version", "")).strip()
    if tested and not same_version(tested, release.version):
        refuse(store, session.actor, release, "approved",
               why=phrase("release.report_other_version", id=release.id, run=run_id, tested=tested,
                          version=release.version), hint=hint)


def set_status(session: Session, release_id: int, status: str, note: str = "") -> tuple[Release, list[IssueMarked]]:
    """Move a release on (in_progress, released, rolled_back, cancelled); a release that went
    out marks the issues it fixes as fixed in it."""
    if status == "approved":
        raise UsageError(phrase("error.release_approve_apart"), hint=phrase("error.release_approve_apart_hint"))
    release = move_release(session.store(), session.actor, release_id, status, note)
    marked = mark_fixed(session, release) if status == "released" else []
    return release, marked


def mark_fixed(session: Session, release: Release) -> list[IssueMarked]:
    return mark_fixed_in(session.issue_log(), release)


def mark_fixed_in(log: IssueLog, release: Release) -> list[IssueMarked]:
    """The issues a release fixes, marked fixed in its version (the CLI's `release set` and
    the playbook's `release_status` step both end here)."""
    said = str(phrase("release.fixed_note", id=release.id, version=release.version))
    results = []
    for issue_id in release.fixes:
        issue = log.get(issue_id)
        if issue.status in ("new", "in_progress"):
            try:
                log.update(issue_id, {"status": "fixed", "fixed_in": release.version}, note=said)
                results.append(IssueMarked(issue_id, "fixed"))
                continue
            except UsageError as refused:  # no owner or due date: the workflow keeps it open
                why: Said = refused.said
        else:
            why = phrase("release.issue_already", status=Phrase("issue.value." + issue.status))
        log.update(issue_id, {"fixed_in": release.version}, note=said)
        results.append(IssueMarked(issue_id, "noted", why))
    return results


def write_report(session: Session, release_id: int, run_id: int, fmt: str, lang: str,
                 out: Path | None = None) -> Attachment:
    """Write the test report (whole or not at all) and attach it to the release."""
    store = session.store()
    release = get_release(store, release_id)
    path = out or session.workspace.root / REPORTS_FOLDER / f"release-{release_id}" / default_name(
        release, run_id, fmt, lang)
    if out is None:
        path.parent.mkdir(parents=True, exist_ok=True)
    _write_whole(path, lambda partial: write_test_report(store, session.site, release, run_id, fmt, lang, partial,
                                                        session.workspace.root))
    return attach_report(store, session.actor, release_id, run_id, fmt, path)


def _write_whole(path: Path, write: Callable[[Path], object]) -> None:
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(phrase("error.write_no_folder", path=str(path), folder=str(folder)),
                         hint=phrase("error.write_no_folder_hint"))
    if path.is_dir():
        raise UsageError(phrase("error.write_is_folder", path=str(path)), hint=phrase("error.write_is_folder_hint"))
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    os.close(handle)
    partial = Path(name)
    try:
        write(partial)
        partial.chmod(0o644)
        partial.replace(path)
    except OSError as exc:
        raise UsageError(phrase("error.write_failed", path=str(path), reason=os_reason(exc)),
                         hint=phrase("error.write_failed_hint")) from None
    finally:
        partial.unlink(missing_ok=True)
