"""The go-live checklist screen: every item of golive.yaml by state — blocked and open first,
late ones marked with how late — with owner, due date and why it is not done, the progress,
days to go-live and the verdict on top, with every critical item set aside as not applicable
under it (who, when, why); s signs off the highlighted item when a sign-off proves it, b marks
it blocked with a reason (or open again), n marks it not applicable with a reason (a critical
one only after a dialog that names it and says it is critical), and o opens what proves it: the
run's report, or the backups.

States come from the same core as `launchpad golive` (`golive.progress.evaluate`, read in a
worker on the session's clock), and a sign-off goes through `golive.proofs.sign_item`, the
function behind `launchpad golive sign`: the same refusals, the same audit entry; a mark goes
through `golive.marking.mark_item`, the function behind `launchpad golive mark`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, Label, Static

from launchpad.golive.checklist import Checklist, Item, SignOffProof
from launchpad.golive.marking import Mark
from launchpad.golive.progress import ItemProgress, Progress, owner_name, read_progress
from launchpad.golive.set_aside import set_aside_said
from screens.base import LaunchpadScreen
from screens.dialogs.base import BaseDialog
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.reason import ReasonDialog
from screens.run_report import RunReportScreen
from screens.support.display import verdict_style
from screens.support.i18n import said, t
from screens.widgets.tables import fill_table
from screens.widgets.wide_text import WideText

# Blocked and open items lead: they are what the person came to see.
_ORDER = {"blocked": 0, "open": 1, "done": 2, "not_applicable": 3}
_STYLE = {"blocked": "bold red", "open": "yellow", "done": "green", "not_applicable": "dim"}


class ChecklistRead(Message):
    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


class GoliveScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("s", "sign", "key.gl_sign", id="golive.sign"),
        Binding("b", "block", "key.gl_block", id="golive.block"),
        Binding("n", "not_applicable", "key.gl_not_applicable", id="golive.not_applicable"),
        Binding("o", "open_proof", "key.gl_proof", id="golive.proof"),
        Binding("u", "refresh", "key.refresh", id="golive.refresh"),
        Binding("escape", "back", "key.back", id="golive.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.progress: Progress | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(t("gl.reading"), id="golive-head")
        yield DataTable(id="golive-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="golive-detail")

    def screen_title(self) -> str:
        return t("gl.subtitle")

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#golive-table", DataTable)

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = self.screen_title()
        self.read_checklist()

    @work(thread=True, exclusive=True, exit_on_error=False, group="golive")
    def read_checklist(self) -> None:
        self.post_message(ChecklistRead(read_progress(self.session)))

    def on_checklist_read(self, message: ChecklistRead) -> None:
        self.progress = message.progress
        self.show()

    def relabel(self) -> None:
        super().relabel()
        self.show()

    def show(self) -> None:
        progress = self.progress
        if progress is None:
            return
        counts = progress.counts()
        key = "gl.head_one" if progress.days_to_golive == 1 else "gl.head"
        head = Text(t(key, version=progress.checklist.version, date=progress.checklist.date.isoformat(),
                      days=progress.days_to_golive, done=counts["done"],
                      total=counts["total"] - counts["not_applicable"], late=counts["late"]) + "  ")
        head.append(said(progress.verdict()), style=verdict_style(progress))
        # A go without a critical item is someone's decision: who, when and why, under the verdict.
        for item, aside in progress.set_aside:
            head.append("\n⚠ " + said(set_aside_said(item, aside)), style="yellow")
        self.query_one("#golive-head", Static).update(head)
        site = self.session.site
        rows = [(p.item.id, self._cells(p, site)) for p in ordered(progress)]
        kept = self.table.cursor_row
        fill_table(self.table, [t("gl.col_state"), t("gl.col_title"), t("gl.col_owner"), t("gl.col_due"),
                                t("gl.col_why")], rows)
        if rows:
            self.table.move_cursor(row=min(kept, len(rows) - 1))
        self._show_detail()

    def _cells(self, p: ItemProgress, site: Any) -> list[Any]:
        # Titles, owners and reasons are people's words: Text(), never markup.
        state = Text(t(f"gl.state_{p.state}"), style=_STYLE[p.state])
        if p.stops_golive:
            state.append(" ✗", style="bold red")
        elif p.set_aside is not None:
            state.append(" ⚠", style="bold yellow")
        # Red from the date on: at 80 columns the days late fall past the edge, the date does not.
        due = Text(p.item.due.isoformat(), style="bold red" if p.late else "")
        if p.late:
            days = (self.progress.today - p.item.due).days  # type: ignore[union-attr]
            due.append(" " + (t("gl.late_one", days=days) if days == 1 else t("gl.late", days=days)), style="bold red")
        return [state, Text(p.item.title.replace("\n", " ")), Text(owner_name(site, p.item.owner)), due,
                Text(why_text(p).replace("\n", " "))]

    def highlighted(self) -> ItemProgress | None:
        if self.progress is None or not self.progress.items or self.table.row_count == 0:
            return None
        return ordered(self.progress)[self.table.cursor_row]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        p = self.highlighted()
        text = Text()
        if p is not None:
            # The title, as the table and the client say it; the id (what `golive sign` takes) last.
            text.append(p.item.title.replace("\n", " ") + "  ", style="bold")
            text.append(said(set_aside_said(p.item, p.set_aside)) if p.set_aside is not None else why_text(p) or "—")
            if p.waiting_on and self.progress is not None:  # by title, as a person knows them
                text.append("  " + said(self.progress.waiting_said(p)), style="yellow")
            if isinstance(p.item.proof, SignOffProof) and p.state != "done":
                text.append("  " + t("gl.sign_hint"), style="dim")
            if p.finding is not None and ("run" in p.finding.evidence or p.finding.evidence.get("backups")):
                text.append("  " + t("gl.proof_hint"), style="dim")
            text.append(f"  ({p.item.id})", style="dim")
        self.query_one("#golive-detail", Static).update(WideText(text))  # a reason goes on after the title

    def action_refresh(self) -> None:
        self.read_checklist()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_sign(self) -> None:
        p = self.highlighted()
        if p is None or self.progress is None:
            return
        if not isinstance(p.item.proof, SignOffProof):
            self.notify(t("gl.not_signable", item=p.item.id), severity="warning")
            return
        checklist = self.progress.checklist
        self.app.push_screen(GoliveSignDialog(p.item, self.session.actor),
                             callback=lambda answer: self._signed(checklist, p.item, answer))

    def _signed(self, checklist: Checklist, item: Item, answer: tuple[str, str] | None) -> None:
        if answer is not None:
            self.sign(checklist, item.id, *answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="golive-sign")
    def sign(self, checklist: Checklist, item_id: str, by: str, note: str) -> None:
        from launchpad.golive.proofs import sign_item

        sign_item(self.session.store(), self.session.actor, checklist, item_id, by, note)
        self.app.call_from_thread(self.notify, t("gl.signed", item=item_id, by=by.strip()))
        self.post_message(ChecklistRead(read_progress(self.session)))


    def action_block(self) -> None:
        p = self.highlighted()
        if p is None:
            return
        item = p.item
        if item.status in ("blocked", "not_applicable"):  # set aside either way: b opens it again
            body = "gl.unblock_body" if item.status == "blocked" else "gl.reopen_not_applicable_body"
            self.app.push_screen(ConfirmDialog(t("gl.unblock_title", title=item.title.replace("\n", " ")),
                                               t(body, reason=item.reason), danger=False),
                                 callback=lambda yes: self._marked(item.id, "todo", "" if yes else None))
            return
        self.app.push_screen(ReasonDialog(t("gl.block_title", title=item.title.replace("\n", " ")),
                                          t("gl.block_body"), go_label=t("gl.block_go"), danger=False),
                             callback=lambda reason: self._marked(item.id, "blocked", reason or None))

    def action_not_applicable(self) -> None:
        p = self.highlighted()
        if p is None:
            return
        item = p.item
        if item.status == "not_applicable":  # b opens it again; here it would only be refused
            self.notify(t("gl.already_not_applicable", item=item.id), severity="warning")
            return
        title = item.title.replace("\n", " ")
        self.app.push_screen(ReasonDialog(t("gl.na_title", title=title),
                                          t("gl.na_body_critical" if item.critical else "gl.na_body"),
                                          go_label=t("gl.na_go"), danger=item.critical),
                             callback=lambda reason: self._not_applicable(item, reason or None))

    def _not_applicable(self, item: Item, reason: str | None) -> None:
        """The reason given; a critical item is confirmed in a dialog of its own that names it,
        as `golive mark` asks for its id to be typed."""
        if reason is None:
            return
        if not item.critical:
            self.mark(item.id, "not_applicable", reason)
            return
        confirm = ConfirmDialog(t("gl.na_confirm_title", item=item.id, title=item.title.replace("\n", " ")),
                                t("gl.na_confirm_body", item=item.id, reason=reason), yes_label=t("gl.na_confirm_go"))
        self.app.push_screen(confirm, callback=lambda yes: self._set_aside_confirmed(item.id, reason, yes))

    def _set_aside_confirmed(self, item_id: str, reason: str, yes: bool | None) -> None:
        if yes:
            self.mark(item_id, "not_applicable", reason, "dialog")

    def _marked(self, item_id: str, status: Mark, reason: str | None) -> None:
        """A dialog's answer: None when the person went back."""
        if reason is not None:
            self.mark(item_id, status, reason)

    @work(thread=True, exclusive=True, exit_on_error=False, group="golive-mark")
    def mark(self, item_id: str, status: Mark, reason: str, confirmed: str = "") -> None:
        from launchpad.golive.marking import mark_item

        session = self.session
        mark_item(session, item_id, status, reason, confirmed=confirmed)
        self.app.call_from_thread(self.notify, t(f"gl.marked_{status}", item=item_id))
        self.post_message(ChecklistRead(read_progress(session)))

    def action_open_proof(self) -> None:
        p = self.highlighted()
        evidence = p.finding.evidence if p is not None and p.finding is not None else {}
        if "run" in evidence:
            self.app.push_screen(RunReportScreen(int(evidence["run"])))
        elif evidence.get("backups"):
            from screens.backups import BackupsScreen

            self.app.push_screen(BackupsScreen())
        elif p is not None:
            self.notify(t("gl.no_proof_to_open", item=p.item.id), severity="warning")


class GoliveSignDialog(BaseDialog[tuple[str, str] | None]):
    """Who signs and what was checked; a blank signer, or a critical item without a note, is
    refused here before the core refuses it too."""

    BINDINGS = [Binding("ctrl+s", "sign", "signoff.sign", id="golive.sign_confirm")]

    def __init__(self, item: Item, actor: str) -> None:
        super().__init__(t("gl.sign_title", title=item.title.replace("\n", " ")), item.notes)
        self.item = item
        self.actor = actor

    def compose_fields(self) -> ComposeResult:
        if self.item.critical:
            yield Static(Text(t("gl.critical"), style="bold yellow"))
        yield Label(t("signoff.by"))
        yield Input(value=self.actor, id="signed-by")
        yield Label(t("signoff.note"))
        yield Input(id="note")

    def buttons(self) -> list[Button]:
        return [Button(t("signoff.sign"), id="sign", variant="success"), Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        return self.query_one("#note", Input)

    def safe_answer(self) -> None:
        return None

    def last_field_entered(self) -> None:
        self.query_one("#sign", Button).focus()  # signing off is a deliberate press, not an Enter

    def action_sign(self) -> None:
        self.answer("sign")

    def answer(self, button_id: str) -> None:
        if button_id != "sign":
            self.dismiss(None)
            return
        by = self.query_one("#signed-by", Input).value.strip()
        note = self.query_one("#note", Input).value.strip()
        if not by:
            self.say_problem(t("signoff.need_by"))
        elif self.item.critical and not note:
            self.say_problem(t("gl.need_note"))
        else:
            self.dismiss((by, note))



def ordered(progress: Progress) -> list[ItemProgress]:
    return sorted(progress.items, key=lambda p: (_ORDER[p.state], not p.stops_golive, not p.late, p.item.due))


def why_text(p: ItemProgress) -> str:
    """A blocked or not-applicable item's reason, else what its proof found."""
    if p.state in ("blocked", "not_applicable") and p.item.reason:
        return p.item.reason
    return said(p.finding.said) if p.finding is not None else ""
