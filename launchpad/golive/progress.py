"""How far the site is from go-live: each item's state from its proof or its status, what is
late on the site's today, the critical items still open, and the go/no-go a PM pastes.

Go-live is a go when no critical item is open (done or not applicable); everything else open
is listed but does not stop it. A go that rests on a critical item set aside as not applicable
says so in the verdict itself, and every such item is listed with who set it aside, when and
why (`set_aside.py`). An item is late when it is not done and its due date has passed.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from launchpad.golive.checklist import Checklist, Item, PlaybookProof
from launchpad.golive.proofs import Finding, find_proof
from launchpad.golive.set_aside import SetAside, go_set_aside, set_aside_said, who_set_aside
from launchpad.phrases import Lang, Phrase, phrase, render
from launchpad.safetext import one_line
from launchpad.store.db import Store
from launchpad.workspace.site import Site

if TYPE_CHECKING:
    from launchpad.session import Session

State = Literal["done", "open", "blocked", "not_applicable"]


@dataclass(frozen=True)
class ItemProgress:
    item: Item
    state: State
    late: bool
    finding: Finding | None  # None: no proof, the status is what people wrote
    waiting_on: list[str]  # items it depends on that are not done
    set_aside: SetAside | None = None  # a critical item marked not applicable: who and when

    @property
    def stops_golive(self) -> bool:
        return self.item.critical and self.state in ("open", "blocked")

    def as_dict(self, site: Site, lang: Lang) -> dict[str, Any]:
        item = self.item
        return {
            "id": item.id, "title": item.title, "owner": item.owner, "owner_name": owner_name(site, item.owner),
            "due": item.due.isoformat(), "critical": item.critical, "state": self.state, "late": self.late,
            "written_status": item.status, "reason": item.reason, "notes": item.notes,
            "depends_on": item.depends_on, "waiting_on": self.waiting_on,
            "set_aside": None if self.set_aside is None else self.set_aside.as_dict(item),
            "proof": None if self.finding is None else {
                "holds": self.finding.holds, "said": render(self.finding.said, lang),
                "evidence": self.finding.evidence},
        }


@dataclass(frozen=True)
class Progress:
    checklist: Checklist
    today: date
    items: list[ItemProgress]

    @property
    def days_to_golive(self) -> int:
        return (self.checklist.date - self.today).days

    @property
    def stoppers(self) -> list[ItemProgress]:
        return [p for p in self.items if p.stops_golive]

    @property
    def go(self) -> bool:
        return not self.stoppers

    @property
    def set_aside(self) -> list[tuple[Item, SetAside]]:
        """Critical items marked not applicable: a go without them is a decision someone took."""
        return [(p.item, p.set_aside) for p in self.items if p.set_aside is not None]

    def verdict(self) -> Phrase:
        """GO or NO-GO; a GO that rests on critical items set aside names them in the same sentence."""
        if not self.go:
            return phrase("golive.no_go")
        if self.set_aside:
            return go_set_aside([item.title for item, _ in self.set_aside])
        return phrase("golive.go")

    def waiting_said(self, p: ItemProgress) -> Phrase:
        """What `p` waits for, each item by its title with its id after it, as a person reads them."""
        by_id = {item.id: item for item in self.checklist.items}
        return phrase("golive.waiting_on", items=[item_named(by_id[d]) if d in by_id else d for d in p.waiting_on])

    def counts(self) -> dict[str, int]:
        counted = Counter(p.state for p in self.items)
        return {"done": counted["done"], "open": counted["open"], "blocked": counted["blocked"],
                "not_applicable": counted["not_applicable"], "late": sum(p.late for p in self.items),
                "total": len(self.items)}

    def by_owner(self) -> dict[str, dict[str, int]]:
        owners: dict[str, dict[str, int]] = {}
        for p in self.items:
            row = owners.setdefault(p.item.owner, {"done": 0, "open": 0, "blocked": 0, "late": 0})
            if p.state in row:
                row[p.state] += 1
            row["late"] += p.late
        return owners

    def as_dict(self, site: Site, lang: Lang) -> dict[str, Any]:
        return {
            "date": self.checklist.date.isoformat(), "version": self.checklist.version,
            "today": self.today.isoformat(), "days_to_golive": self.days_to_golive,
            "go": self.go, "verdict": render(self.verdict(), lang), "counts": self.counts(),
            "by_owner": self.by_owner(), "stoppers": [p.item.id for p in self.stoppers],
            "set_aside": [aside.as_dict(item) for item, aside in self.set_aside],
            "items": [p.as_dict(site, lang) for p in self.items],
            "summary": summary_text(self, site, lang),
        }


def evaluate(checklist: Checklist, site: Site, store: Store, backups_dir: Path, *,
             today: date, now: datetime, titles: Mapping[str, str] | None = None) -> Progress:
    """Every item's state on `today` (site date) at `now` (aware); `titles` (from
    `playbook_titles`) names the playbooks a proof rests on the way people know them."""
    states: dict[str, tuple[State, Finding | None]] = {}
    for item in checklist.items:
        env = site.environments.get(getattr(item.proof, "backup", "") or "")
        targets = list(env.backups) if env is not None else []
        finding = find_proof(item, store, checklist.version, now, backups_dir, targets, titles)
        states[item.id] = (_state(item, finding), finding)
    items = []
    for item in checklist.items:
        state, finding = states[item.id]
        waiting = [d for d in item.depends_on if states.get(d, ("open", None))[0] not in ("done", "not_applicable")]
        late = state in ("open", "blocked") and item.due < today
        aside = who_set_aside(store, item, site.tz) if item.critical and state == "not_applicable" else None
        items.append(ItemProgress(item, state, late, finding, waiting, aside))
    return Progress(checklist, today, items)


def _state(item: Item, finding: Finding | None) -> State:
    if item.status == "not_applicable":
        return "not_applicable"
    if finding is not None:
        if finding.holds:
            return "done"
        return "blocked" if item.status == "blocked" else "open"
    if item.status == "done":
        return "done"
    return "blocked" if item.status == "blocked" else "open"


def item_named(item: Item) -> Phrase:
    """An item as people name it: its title, then its id (what `golive sign` takes) — 标题（id）."""
    return phrase("golive.item_named", title=one_line(item.title), id=item.id)


def owner_name(site: Site, owner: str) -> str:
    contact = next((c for c in site.contacts if c.id == owner), None)
    return contact.name if contact is not None else owner


def state_word(p: ItemProgress) -> Phrase:
    return phrase(f"golive.state.{p.state}")


def summary_text(progress: Progress, site: Site, lang: Lang) -> str:
    """The go/no-go for the date, to paste to the client: one heading line, the counts, then
    every item that stops go-live, every critical item set aside (who, when, why) and every late
    one, each with its owner and due date."""
    c = progress.counts()
    head = "golive.summary_head_one" if progress.days_to_golive == 1 else "golive.summary_head"
    lines = [render(phrase(head, system=one_line(site.site.name),
                           version=one_line(progress.checklist.version),
                           date=progress.checklist.date.isoformat(), days=progress.days_to_golive,
                           verdict=progress.verdict()), lang),
             render(phrase("golive.summary_counts", done=c["done"], total=c["total"] - c["not_applicable"],
                           open=c["open"], blocked=c["blocked"], late=c["late"]), lang)]
    if progress.stoppers:
        lines.append(render(phrase("golive.summary_stoppers"), lang))
        lines += [_line(p, site, lang) for p in progress.stoppers]
    if progress.set_aside:
        lines.append(render(phrase("golive.summary_set_aside"), lang))
        lines += ["- " + render(set_aside_said(item, aside), lang) for item, aside in progress.set_aside]
    late = [p for p in progress.items if p.late and not p.stops_golive]
    if late:
        lines.append(render(phrase("golive.summary_late"), lang))
        lines += [_line(p, site, lang) for p in late]
    return "\n".join(lines)


def _line(p: ItemProgress, site: Site, lang: Lang) -> str:
    # Titles, reasons and sign-off notes are people's words, pasted into a chat: each stays on
    # its own line of the summary, so none can forge another item or a verdict.
    why = p.item.reason if p.state == "blocked" and p.item.reason else (
        render(p.finding.said, lang) if p.finding is not None else "")
    state: Phrase = phrase("golive.summary_late_state", state=state_word(p)) if p.late else state_word(p)
    # An item with nothing to add (a late one no proof speaks for) ends at its state.
    return render(phrase("golive.summary_item" if one_line(why) else "golive.summary_item_bare",
                         title=one_line(p.item.title), owner=one_line(owner_name(site, p.item.owner)),
                         due=p.item.due.isoformat(), state=state, why=one_line(why)), lang)


STATE_CHANGED = "golive_state"


def record_changes(store: Store, actor: str, progress: Progress) -> list[str]:
    """Audit every item whose state differs from the last one audited for it (a proof that came
    or went, a status someone edited), and return their ids. The states are computed on reading,
    so the change is recorded when it is first seen; a store that can only be read (a full
    disk) still shows the checklist. Reading the last states and appending happen in one write
    transaction, so two readers at once (the CLI and the TUI's dashboard) record a change once."""
    if store.read_only is not None:
        return []
    changed = []
    with store.transaction():
        last: dict[str, str] = {}
        for row in store.read("SELECT target, detail FROM audit WHERE action = ? ORDER BY id", [STATE_CHANGED]):
            last[row["target"]] = json.loads(row["detail"]).get("state", "")
        for p in progress.items:
            if last.get(p.item.id, "open") != p.state:
                detail: dict[str, Any] = {"state": p.state, "version": progress.checklist.version}
                if p.finding is not None:
                    detail |= {"proof": str(p.finding.said), "evidence": p.finding.evidence}
                store.audit(actor, STATE_CHANGED, p.item.id, detail)
                changed.append(p.item.id)
    return changed


def playbook_names(root: Path) -> set[str]:
    """The playbooks a checklist may name: the workspace's and the bundled ones."""
    from launchpad.run.playbook import list_playbooks

    return {path.stem for path in list_playbooks(root)}


def playbook_titles(root: Path, checklist: Checklist) -> dict[str, str]:
    """The title of each playbook the checklist's proofs name (`现场验收`, not `onsite-acceptance`),
    for the client's report and the checklist alike; a playbook without a title, or whose file
    cannot be read, keeps its id."""
    from launchpad.errors import InvalidInput
    from launchpad.run.playbook import list_playbooks
    from launchpad.workspace.yamlsource import read_yaml

    named = {item.proof.playbook for item in checklist.items if isinstance(item.proof, PlaybookProof)}
    titles = {}
    for path in list_playbooks(root):
        if path.stem not in named:
            continue
        try:
            data = read_yaml(path).data
        except (InvalidInput, OSError):
            continue
        title = data.get("title") if isinstance(data, dict) else None
        if isinstance(title, str) and title.strip():
            titles[path.stem] = one_line(title.strip())
    return titles


def open_checklist(session: Session) -> Checklist:
    """The session's workspace's checklist, checked against its site and playbooks."""
    from launchpad.golive.checklist import load_checklist

    workspace = session.workspace
    return load_checklist(workspace.root, workspace.site, playbook_names(workspace.root))


def read_progress(session: Session) -> Progress:
    """The checklist's states now, on the session's clock, for `launchpad golive`, its export
    and the TUI alike; a change first seen is audited."""
    checklist = open_checklist(session)
    store = session.store()
    progress = evaluate(checklist, session.workspace.site, store, session.workspace.backups_dir,
                        today=session.today(), now=session.now(),
                        titles=playbook_titles(session.workspace.root, checklist))
    record_changes(store, session.actor, progress)
    return progress
