"""The release test report the client reviews before a release: the release's content (what
changes, impact, window, the issues it fixes, the rollback plan) and a run on a test
environment — the acceptance or regression playbook, its steps, results, who and when, read
the way the run report reads it — in Markdown, HTML or xlsx.

The file is attached to the release: its path and sha256 are recorded (`release_reports`) and
audited, so the approval can say which file the reviewer read, and a file changed afterwards no
longer counts as the one reviewed. Everything printed is text from people or servers and goes
through `launchpad.safetext` for the format.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import Phrase, phrase, render
from launchpad.release.record import Release
from launchpad.release.standing import release_standing
from launchpad.report.render import render_template
from launchpad.report.run import collect_run, run_helpers
from launchpad.safetext import formula_like, spreadsheet
from launchpad.sitetime import utc_now
from launchpad.store.db import Store, as_shown
from launchpad.workspace.durable import workbook_bytes
from launchpad.workspace.site import Site

REPORT_FORMATS = ("markdown", "html", "xlsx")
SUFFIX = {"markdown": "md", "html": "html", "xlsx": "xlsx"}
_WORDS = ("report_title", "version", "changes", "impact", "window", "fixes", "rollback", "owner", "status",
          "approved_by", "test_run", "verdict", "reviewer", "none")


@dataclass(frozen=True)
class Attachment:
    release_id: int
    run_id: int
    format: str
    path: Path
    sha256: str


def words(lang: str) -> dict[str, str]:
    return {name: render(phrase("release.report_title" if name == "report_title" else
                                "release.none" if name == "none" else f"release.label.{name}"), lang)
            for name in _WORDS}


def release_status(store: Store, release: Release, lang: str) -> str:
    """Where the release stands as people read it (release/standing.py): one whose switch was
    declined reads 已停止，未切换, as in `release list` and the handover, not its record's 发布中."""
    return render(release_standing(store, release).word, lang)


def test_run(store: Store, site: Site, run_id: int) -> dict[str, Any]:
    """The run the report rests on: finished, and on an environment that is not production."""
    report = collect_run(store, site, run_id)
    run = as_shown(report["run"])
    if run["production"]:
        raise UsageError(phrase("error.report_run_production", id=run_id, env=run["environment"]),
                         hint=phrase("error.report_run_production_hint"))
    if run["status"] == "running":
        raise UsageError(phrase("error.report_run_running", id=run_id), hint=phrase("error.report_run_running_hint"))
    report["run"] = run
    return report


def verdict(run: dict[str, Any], lang: str) -> str:
    said: Phrase = (phrase("release.verdict_passed") if run["status"] == "passed" else
                    phrase("release.verdict_not_passed", status=phrase(f"status.{run['status']}")))
    return render(said, lang)


def fixed_issues(store: Store, release: Release) -> list[dict[str, Any]]:
    if not release.fixes:
        return []
    marks = ", ".join("?" for _ in release.fixes)
    return store.read(f"SELECT id, severity, title, status FROM issues WHERE id IN ({marks}) ORDER BY id",
                      list(release.fixes))


def render_test_report(store: Store, site: Site, release: Release, run_id: int, fmt: str, lang: str,
                       workspace_root: Path | None = None) -> str:
    """The report as Markdown or HTML text; a workspace's `templates/release_test_report.FMT.j2`
    replaces the bundled one, as for every report."""
    report = test_run(store, site, run_id)
    suffix = SUFFIX[fmt]
    context = {"r": report, "rel": release, "w": words(lang), "lang": lang, "window": release.window_text(site),
               "release_status": release_status(store, release, lang), "verdict": verdict(report["run"], lang),
               "fixes": fixed_issues(store, release), **run_helpers(lang, site.site.timezone)}
    return render_template(f"release_test_report.{suffix}.j2", context, lang, workspace_root, clean_every_value=True)


def write_test_report(store: Store, site: Site, release: Release, run_id: int, fmt: str, lang: str,
                      path: Path, workspace_root: Path | None = None) -> Path:
    if fmt == "xlsx":
        return _write_xlsx(store, site, release, run_id, lang, path)
    path.write_text(render_test_report(store, site, release, run_id, fmt, lang, workspace_root), encoding="utf-8")
    return path


def default_name(release: Release, run_id: int, fmt: str, lang: str) -> str:
    # The version is a person's words; in a file name it keeps only what every system accepts.
    version = "".join(c if c.isalnum() or c in ".-_" else "_" for c in release.version)
    return f"{render(phrase('release.report_file_stem'), lang)}-{version}-run{run_id}.{SUFFIX[fmt]}"


def attach_report(store: Store, actor: str, release_id: int, run_id: int, fmt: str, path: Path) -> Attachment:
    """Record the written file against the release (path and sha256) and audit it."""
    digest = file_sha256(path)
    with store.transaction():
        store.db.table("release_reports").insert({
            "release_id": release_id, "run_id": run_id, "format": fmt, "path": str(path.resolve()),
            "sha256": digest, "actor": actor, "at": utc_now()})
        store.audit(actor, "release_report_attached", f"release {release_id}",
                    {"run": run_id, "format": fmt, "path": str(path.resolve()), "sha256": digest})
    return Attachment(release_id, run_id, fmt, path.resolve(), digest)


def attachments(store: Store, release_id: int) -> list[dict[str, Any]]:
    return store.read("SELECT * FROM release_reports WHERE release_id = ? ORDER BY id", [release_id])


def intact_attachments(store: Store, release_id: int) -> list[dict[str, Any]]:
    """The attached reports whose file is still there with the recorded checksum."""
    return [row for row in attachments(store, release_id) if attachment_state(row) == "intact"]


def attachment_state(row: dict[str, Any]) -> str:
    """An attached report as the reviewer would find it: `intact`, `missing`, or `changed`
    since it was attached (then it is not the one reviewed, and approval refuses it)."""
    path = Path(row["path"])
    if not path.is_file():
        return "missing"
    return "intact" if file_sha256(path) == row["sha256"] else "changed"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_xlsx(store: Store, site: Site, release: Release, run_id: int, lang: str, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    report = test_run(store, site, run_id)
    helpers = run_helpers(lang, site.site.timezone)
    t, s, local, said, result = (helpers[k] for k in ("t", "s", "local", "said", "step_result"))
    decision = helpers["decision"]
    w = words(lang)
    run = report["run"]
    book = Workbook()
    sheet = book.active
    sheet.title = render(phrase("release.sheet.release"), lang)
    fixes = "\n".join(f"#{i['id']} [{i['severity']}] {i['title']}" for i in fixed_issues(store, release))
    rows: list[tuple[str, Any]] = [
        (w["report_title"], f"{site.site.name} {release.version}"), (t["client"], site.site.client),
        (w["version"], release.version), (w["window"], release.window_text(site)), (w["owner"], release.owner),
        (w["status"], release_status(store, release, lang)), (w["approved_by"], release.approved_by or w["none"]),
        (w["changes"], release.changes), (w["impact"], release.impact), (w["fixes"], fixes or w["none"]),
        (w["rollback"], release.rollback_plan),
        (w["test_run"], f"{run['playbook']} #{run['id']}"), (t["environment"], run["environment"]),
        (t["operator"], run["operator"] or ""), (t["started"], local(run["started"])),
        (t["finished"], local(run["finished"])), (t["status"], s(run["status"])),
        (w["verdict"], verdict(run, lang)), (w["reviewer"], ""),
    ]
    _rows(sheet, rows, Font(bold=True), Alignment(wrap_text=True, vertical="top"))
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 24, 80
    steps = book.create_sheet(render(phrase("release.sheet.steps"), lang))
    _rows(steps, [(t["step"], t["status"], t["summary"])] + [
        (step["title"], s(step["status"]), result(step))
        for step in report["steps"]], Font(bold=True))
    for column, width in zip("ABC", (40, 12, 60), strict=True):
        steps.column_dimensions[column].width = width
    decisions = book.create_sheet(render(phrase("release.sheet.decisions"), lang))
    _rows(decisions, [(t["at"], t["step"], t["kind"], t["who"], t["reason"])] + [
        (local(d["at"]), helpers["step_of"](d), decision(d["kind"]), d["actor"], said(d, "reason"))
        for d in report["decisions"]],
        Font(bold=True))
    path.write_bytes(workbook_bytes(book))  # not book.save(path): see workbook_bytes
    return path


def _rows(sheet: Any, rows: list[tuple[Any, ...]], head: Any, wrap: Any = None) -> None:
    """Rows of text cells; the first column (or the first row, for a table) in bold."""
    table = len(rows[0]) > 2
    for number, values in enumerate(rows, start=1):
        for position, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=position)
            _put(cell, value)
            if (table and number == 1) or (not table and position == 1):
                cell.font = head
            if wrap is not None:
                cell.alignment = wrap


def _put(cell: Any, value: Any) -> None:
    """Text cleaned of what XML cannot hold; text Excel would read as a formula stays a string."""
    cell.value = spreadsheet(value) if isinstance(value, str) else value
    if isinstance(value, str) and formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True

