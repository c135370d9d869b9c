"""Marking an item of `golive.yaml` blocked (with the reason) or open again, from the command
line or the TUI alike.

The checklist is a file the team edits and keeps in git, with comments that explain it, so the
mark is a small edit of that item's `status:` and `reason:` lines and nothing else: every other
line, comment and blank stays as the team wrote it. The edited text is read back and checked as
`launchpad check` would before it replaces the file (written beside it, then renamed), so a
mark can never leave a checklist that no longer loads. Every mark goes to the audit log.

Marking a critical item not applicable turns what would stop go-live into what does not, so it
takes the care a critical sign-off takes: refused (`SetAsideNotConfirmed`) until the person has
confirmed it — a typed item id or `--yes` on the command line, a dialog in the TUI — and the
confirmation is in the audit entry.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from launchpad.errors import InvalidInput, UsageError
from launchpad.golive.checklist import CHECKLIST_FILE, Checklist, Item, checklist_problems
from launchpad.oserrors import os_reason
from launchpad.phrases import phrase
from launchpad.safetext import one_line
from launchpad.workspace.site import Site
from launchpad.workspace.yamlsource import Document, SourceMap, load_yaml, read_yaml, validate

if TYPE_CHECKING:
    from launchpad.session import Session

MARKED = "golive_marked"
Mark = Literal["blocked", "todo", "in_progress", "not_applicable"]
MARKS: tuple[Mark, ...] = ("blocked", "todo", "in_progress", "not_applicable")


class SetAsideNotConfirmed(UsageError):
    """A critical item marked not applicable without the person confirming it; nothing written."""

    def __init__(self, item: Item) -> None:
        super().__init__(phrase("error.set_aside_critical", item=item.id, title=one_line(item.title)),
                         hint=phrase("error.set_aside_critical_hint", item=item.id))
        self.item = item


def mark_item(session: Session, item_id: str, status: Mark, reason: str = "", *, confirmed: str = "") -> Item:
    """Give item `item_id` the status `status` (blocked and not applicable need a reason) and
    return it as it now reads. Refused (UsageError) and nothing written: an unknown item, a
    missing reason, a status the item already has with the same reason, and a critical item
    marked not applicable without `confirmed` (how the person confirmed it: `typed`, `--yes`,
    `dialog`), which is refused last, so a person is never asked to confirm a mark that would
    be refused anyway."""
    from launchpad.golive.progress import playbook_names

    root, site = session.workspace.root, session.workspace.site
    path = root / CHECKLIST_FILE
    text = path.read_text(encoding="utf-8")
    document = read_yaml(path, CHECKLIST_FILE)
    checklist = validate(Checklist, document)
    index, item = _find(checklist, item_id)
    reason = " ".join(reason.split())  # one line: a reason is a sentence, not a document
    said = phrase(f"golive.status.{status}")  # the status in words, as `golive` shows it
    if status in ("blocked", "not_applicable") and not reason:
        raise UsageError(phrase("error.mark_needs_reason", item=item_id, status=said),
                         hint=phrase("error.mark_needs_reason_hint"))
    if item.status == status and item.reason == reason:
        raise UsageError(phrase("error.mark_already_why", item=item_id, status=said, reason=reason) if reason
                         else phrase("error.mark_already", item=item_id, status=said))
    edited = _edit(text, document, index, status, reason)
    changed = _checked(edited, site, playbook_names(root))
    setting_aside = status == "not_applicable" and item.critical
    if setting_aside and not confirmed:
        raise SetAsideNotConfirmed(item)
    _replace(path, edited)
    detail: dict[str, Any] = {"from": item.status, "to": status, "reason": reason, "old_reason": item.reason,
                              "version": checklist.version, "title": item.title}
    if setting_aside:
        detail |= {"critical": True, "confirmed": confirmed}
    session.store().audit(session.actor, MARKED, item_id, detail)
    return changed.items[index]


def _find(checklist: Checklist, item_id: str) -> tuple[int, Item]:
    for index, item in enumerate(checklist.items):
        if item.id == item_id:
            return index, item
    items = [i.id for i in checklist.items] or phrase("rule.none")
    raise UsageError(phrase("error.mark_no_item", item=item_id, file=CHECKLIST_FILE),
                     hint=phrase("error.mark_no_item_hint", items=items))


def _edit(text: str, document: Document, index: int, status: str, reason: str) -> str:
    """`text` with item `index`'s status and reason lines replaced, added or (an open item's
    reason) removed. A line is found through the source map, so flow-style items
    (`- {id: x, …}`) cannot be edited this way and are refused."""
    lines = text.splitlines(keepends=True)
    source = document.source
    item_path: tuple[str | int, ...] = ("items", index)
    keys = {key[2]: position for key, position in source.keys.items()
            if len(key) == 3 and key[:2] == item_path and isinstance(key[2], str)}
    if "id" not in keys or lines[keys["id"][0] - 1].lstrip().startswith(("{", "- {")):
        raise UsageError(phrase("golive.item_one_line", file=CHECKLIST_FILE, number=index + 1))
    indent = " " * (keys["id"][1] - 1)
    end = _item_end(lines, source, index, keys)
    spans = {name: _span(lines, keys, name, end) for name in ("status", "reason") if name in keys}
    wanted = {"status": f"{indent}status: {status}\n"}
    if reason:  # an item opened again without a reason loses its old one
        wanted["reason"] = f"{indent}reason: {json.dumps(reason, ensure_ascii=False)}\n"
    # Edit from the bottom up, so the line numbers of what is above stay true.
    edits: list[tuple[int, int, str]] = []
    for name in ("status", "reason"):
        if name in spans:
            first, last = spans[name]
            prefix = lines[first][:keys[name][1] - 1]
            # A key on the item's first line keeps its `- `.
            new = wanted.get(name, "")
            if new and prefix.strip() == "-":
                new = prefix + new.lstrip()
            elif not new and prefix.strip() == "-":
                raise UsageError(phrase("golive.item_starts_with", file=CHECKLIST_FILE, number=index + 1, name=name))
            edits.append((first, last, new))
    missing = "".join(wanted[name] for name in ("status", "reason") if name in wanted and name not in spans)
    if missing:
        after = max(spans["status"][1] if "status" in spans else keys["id"][0] - 1, keys["id"][0] - 1)
        edits.append((after + 1, after, missing))
    for first, last, new in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[first:last + 1] = [new] if new else []
    text = "".join(lines)
    return text if text.endswith("\n") else text + "\n"


def _item_end(lines: list[str], source: SourceMap, index: int, keys: dict[str, tuple[int, int]]) -> int:
    """The 0-based line after item `index`'s last line: the next item's line, the next key of
    the top level, or the end of the file."""
    next_item = source.values.get(("items", index + 1))
    if next_item is not None:
        return int(next_item[0]) - 1
    first = min(position[0] for position in keys.values())
    item_indent = keys["id"][1] - 1
    for number in range(first, len(lines)):
        line = lines[number]
        if line.strip() and not line.lstrip().startswith("#") and len(line) - len(line.lstrip()) < item_indent - 2:
            return number
    return len(lines)


def _span(lines: list[str], keys: dict[str, tuple[int, int]], name: str, end: int) -> tuple[int, int]:
    """The 0-based first and last line of key `name`'s entry: up to the next key of the item,
    without the blank and comment lines that lead to it."""
    first = keys[name][0] - 1
    later = [position[0] - 1 for key, position in keys.items() if position[0] - 1 > first]
    stop = min([*later, end])
    last = stop - 1
    while last > first and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
        last -= 1
    return first, last


def _checked(text: str, site: Site, playbook_names: set[str]) -> Checklist:
    try:
        document = load_yaml(text, CHECKLIST_FILE)
        checklist = validate(Checklist, document)
    except InvalidInput as exc:
        raise UsageError(phrase("golive.not_safe", file=CHECKLIST_FILE, problem=exc.problems[0].said),
                         hint=phrase("golive.not_safe_hint")) from None
    if checklist_problems(checklist, document, site, playbook_names):
        raise UsageError(phrase("golive.has_problems", file=CHECKLIST_FILE), hint=phrase("golive.has_problems_hint"))
    return checklist


def _replace(path: Path, text: str) -> None:
    """Written beside the file and renamed over it, with the file's own mode."""
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(partial, path.stat().st_mode & 0o7777)
        os.replace(partial, path)
    except OSError as exc:
        Path(partial).unlink(missing_ok=True)
        raise UsageError(phrase("golive.cannot_write", path=str(path), error=os_reason(exc)),
                         hint=phrase("golive.cannot_write_hint")) from None
