"""The issues table's filters as a form: status, severity, owner, module, channel, type, the
days reported, overdue only, and the order — what `launchpad issue list` takes as options.
The search text stays in the screen's own line, where it is typed most."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select

from launchpad.errors import LaunchpadError
from launchpad.issues.dates import parse_day
from launchpad.issues.display import field_label, value_label
from launchpad.issues.model import CHANNELS, SEVERITIES, STATUSES, TYPES
from launchpad.issues.query import SORTS, IssueFilter
from screens.dialogs.base import BaseDialog
from screens.support.i18n import current_language, error_says, t

ANY = "*"


def form_row(label: str, widget: Widget) -> Horizontal:
    """One line of a form: the label, then the field."""
    return Horizontal(Label(label, classes="form-label"), widget, classes="form-row")


class IssueFilterDialog(BaseDialog[IssueFilter | None]):
    BINDINGS = [Binding("ctrl+s", "apply", "filter.apply", id="issue_filter.apply")]

    def __init__(self, wanted: IssueFilter, today: date) -> None:
        super().__init__(t("filter.title"))
        self.wanted = wanted
        self.today = today

    def compose_fields(self) -> ComposeResult:
        lang, wanted = current_language(), self.wanted
        coded = (("status", [("open", t("issues.open"))] + [(s, value_label(s, lang)) for s in STATUSES],
                  _first(wanted.statuses, wanted.statuses == ("new", "in_progress"))),
                 ("severity", [(s, value_label(s, lang)) for s in SEVERITIES], _first(wanted.severities)),
                 ("channel", [(c, value_label(c, lang)) for c in CHANNELS], _first(wanted.channels)),
                 ("type", [(k, value_label(k, lang)) for k in TYPES], _first(wanted.types)))
        with VerticalScroll(id="issue-form"):
            for name, choices, value in coded:
                options = [(t("filter.any"), ANY)] + [(label, code) for code, label in choices]
                yield form_row(field_label(name, lang), Select(options, value=value, allow_blank=False,
                                                               compact=True, id=f"filter-{name}"))
            for name, values in (("owner", wanted.owners), ("module", wanted.modules)):
                yield form_row(field_label(name, lang), Input(", ".join(values), id=f"filter-{name}", compact=True))
            for name, day in (("from", wanted.reported_from), ("to", wanted.reported_to)):
                yield form_row(t(f"filter.{name}"), Input(day.isoformat() if day else "", id=f"filter-{name}",
                                                         placeholder=t("form.day_hint"), compact=True))
            yield form_row(t("filter.sort"), Select([(t(f"sort.{key}"), key) for key in SORTS], value=wanted.sort,
                                                    allow_blank=False, compact=True, id="filter-sort"))
            yield Checkbox(t("issues.overdue_only"), wanted.overdue_on is not None, id="filter-overdue",
                           compact=True)

    def buttons(self) -> list[Button]:
        return [Button(t("filter.apply"), id="apply", variant="primary"), Button(t("filter.clear"), id="clear"),
                Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        return self.query_one("#filter-status", Select)

    def action_apply(self) -> None:
        self.answer("apply")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer("apply")

    def answer(self, button_id: str) -> None:
        if button_id == "clear":
            self.dismiss(IssueFilter())
            return
        if button_id != "apply":
            self.dismiss(None)
            return
        try:
            self.dismiss(self._read())
        except LaunchpadError as error:
            self.say_problem(error_says(error))

    def _read(self) -> IssueFilter:
        def chosen(name: str) -> tuple[str, ...]:
            value = self.query_one(f"#filter-{name}", Select).value
            return () if value == ANY else (str(value),)

        def typed(name: str) -> tuple[str, ...]:
            text = self.query_one(f"#filter-{name}", Input).value.replace("，", ",")
            return tuple(part.strip() for part in text.split(",") if part.strip())

        def day(name: str) -> date | None:
            text = self.query_one(f"#filter-{name}", Input).value.strip()
            return parse_day(text, self.today) if text else None

        overdue = self.query_one("#filter-overdue", Checkbox).value
        return IssueFilter(
            statuses=chosen("status"), severities=chosen("severity"), owners=typed("owner"),
            modules=typed("module"), channels=chosen("channel"), types=chosen("type"),
            reported_from=day("from"), reported_to=day("to"), overdue_on=self.today if overdue else None,
            sort=str(self.query_one("#filter-sort", Select).value),
        ).checked()


def _first(values: tuple[str, ...], open_statuses: bool = False) -> str:
    if open_statuses:
        return "open"
    return values[0] if values else ANY
