"""Choosing what to run: the bundled and workspace playbooks, a preview of the highlighted
one, the environment and the variables, and the start.

Playbooks are read and checked against site.yaml in a worker; one that cannot run says why
(file:line:col) in its preview and cannot be started. Starting on production first asks for the
environment's name to be typed, like every production confirmation.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, OptionList, Select
from textual.widgets.option_list import Option

from launchpad.run.playbook_list import PlaybookEntry, read_playbooks
from screens.base import LaunchpadScreen
from screens.support.i18n import error_says, t
from screens.support.messages import PlaybooksRead
from screens.widgets.playbook_preview import PlaybookPreview
from screens.widgets.variables_form import VariablesForm


class PlaybooksScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("r", "start", "key.start", id="playbooks.run"),
        Binding("a", "arm", "key.arm", id="playbooks.arm"),
        Binding("escape", "app.pop_screen", "key.back", id="playbooks.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[PlaybookEntry] = []

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="pb-left"):
                yield OptionList(id="pb-list")
                with VerticalScroll(id="pb-form"):
                    yield Label(t("pb.run_on"), id="pb-env-label")
                    yield Select([], id="pb-env", allow_blank=True, compact=True)
                    yield Label(t("pb.variables"), id="pb-vars-label")
                    yield Vertical(id="pb-vars")
                    yield Button("", id="pb-start", variant="primary")
            yield PlaybookPreview(id="pb-preview")

    def screen_title(self) -> str:
        return t("pb.subtitle")

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = self.screen_title()
        session = self.launchpad.session
        if session is not None:
            options = [
                (f"{name} ({t('production.tag')})" if env.production else name, name)
                for name, env in session.site.environments.items()
            ]
            self.query_one("#pb-env", Select).set_options(options)
            if self.launchpad.environment:
                self.query_one("#pb-env", Select).value = self.launchpad.environment
        self.query_one("#pb-list", OptionList).border_title = t("pb.list")
        self.query_one("#pb-preview", PlaybookPreview).show(None, None)
        self._label_start()
        self.read_playbooks()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#pb-env-label", Label).update(t("pb.run_on"))
        self.query_one("#pb-vars-label", Label).update(t("pb.variables"))
        self.query_one("#pb-list", OptionList).border_title = t("pb.list")
        self._show_entries()
        self._label_start()

    @work(thread=True, exclusive=True, exit_on_error=False, group="playbooks")
    def read_playbooks(self) -> None:
        session = self.launchpad.session
        if session is not None:
            self.post_message(PlaybooksRead(read_playbooks(session.workspace)))

    def on_playbooks_read(self, message: PlaybooksRead) -> None:
        self.entries = message.entries
        self._show_entries()

    def _show_entries(self) -> None:
        listing = self.query_one("#pb-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for entry in self.entries:
            prompt = Text(entry.title, style="bold" if entry.usable else "dim strike")
            prompt.append(f"\n  {entry.name}", style="dim")
            if not entry.usable:
                prompt.append(f" · {t('pb.invalid')}", style="red")
            listing.add_option(Option(prompt, id=entry.name))
        if self.entries:
            listing.highlighted = highlighted if highlighted is not None else 0

    # -- the highlighted playbook and the form ----------------------------------------------

    @property
    def entry(self) -> PlaybookEntry | None:
        index = self.query_one("#pb-list", OptionList).highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_preview()
        self._build_form()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#pb-env", Select).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "pb-env":
            return
        env_name = None if event.value is Select.BLANK else str(event.value)
        if env_name:
            self.launchpad.action_select_environment(env_name)
        for form in self.query(VariablesForm):
            form.set_environment(env_name)
        self._show_preview()
        self._label_start()

    def _env_name(self) -> str | None:
        value = self.query_one("#pb-env", Select).value
        return None if value is Select.BLANK else str(value)

    def _show_preview(self) -> None:
        self.query_one("#pb-preview", PlaybookPreview).show(self.entry, self._env_name())

    def _build_form(self) -> None:
        holder = self.query_one("#pb-vars", Vertical)
        holder.remove_children()
        entry = self.entry
        if entry is not None and entry.loaded is not None:
            holder.mount(VariablesForm(dict(entry.loaded.playbook.vars), self._env_name()))

    def _label_start(self) -> None:
        env_name = self._env_name()
        button = self.query_one("#pb-start", Button)
        button.label = t("pb.start", env=env_name or "…")
        production = self.launchpad.session is not None and self.launchpad.session.is_production(env_name)
        button.variant = "error" if production else "primary"

    # -- starting -----------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "pb-start":
            event.stop()
            self.action_start()

    def _chosen(self) -> tuple[PlaybookEntry, str, dict[str, Any]] | None:
        """The playbook, environment and values to run, or None after saying what is missing."""
        entry, env_name = self.entry, self._env_name()
        if entry is None:
            self.notify(t("pb.choose_first"), severity="warning")
            return None
        if not entry.usable or entry.loaded is None:
            self.notify(t("pb.problems"), severity="error")
            return None
        if env_name is None:
            self.notify(t("pb.choose_env"), severity="warning")
            return None
        forms = list(self.query(VariablesForm))
        problems = forms[0].problems() if forms else []
        if problems:
            self.notify("\n".join(problems), severity="error")
            return None
        return entry, env_name, forms[0].values() if forms else {}

    def _confirm_production(self, entry: PlaybookEntry, env_name: str, go: Any) -> None:
        """On production, the typed name first; `go(typed)` gets what was typed."""
        session = self.launchpad.session
        if session is not None and session.is_production(env_name):
            from screens.dialogs.type_name import TypeNameDialog

            # Only a playbook with a step that asks (a change) is said to change production.
            changes = entry.loaded is not None and _asks_before_changing(entry.loaded.playbook)
            body = "" if changes else t(
                "prod.body_read_only", env=env_name, playbook=entry.title)
            dialog = TypeNameDialog(entry.title, env_name, t("pb.start", env=env_name), body=body)
            self.app.push_screen(dialog, callback=go)
            return
        go(env_name)

    def action_start(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            entry, env_name, values = chosen
            self._confirm_production(entry, env_name, lambda typed: self._start(entry, env_name, values, typed))

    def _start(self, entry: PlaybookEntry, env_name: str, values: dict[str, Any], typed: str | None) -> None:
        from screens.run import RunScreen

        if typed != env_name or entry.loaded is None:
            return
        self.app.switch_screen(RunScreen(entry.loaded, env_name, values))

    def action_arm(self) -> None:
        """Arm the run to start when its window opens (the engineer confirms then)."""
        from launchpad.errors import UsageError
        from launchpad.run.arming import plan_arming

        chosen = self._chosen()
        session = self.launchpad.session
        if chosen is None or session is None:
            return
        entry, env_name, values = chosen
        assert entry.loaded is not None
        try:
            arming = plan_arming(entry.loaded.playbook, session.site, env_name, session.now())
        except UsageError as refused:
            self.notify(error_says(refused), severity="warning")
            return
        self._confirm_production(entry, env_name, lambda typed: self._arm(entry, arming, values, typed))

    def _arm(self, entry: PlaybookEntry, arming: Any, values: dict[str, Any], typed: str | None) -> None:
        from launchpad.run.arming import ARMED, record
        from screens.armed import ArmedScreen

        session = self.launchpad.session
        if typed != arming.environment or entry.loaded is None or session is None:
            return
        record(session.store(), session.actor, ARMED, arming)
        self.app.switch_screen(ArmedScreen(entry.loaded, arming, values))


def _asks_before_changing(playbook: Any) -> bool:
    """Whether some step (rollback steps included) is marked as a change that asks first."""
    steps = [step for phase in playbook.phases for step in (*phase.steps, *phase.rollback)]
    return any(step.confirm or step.kind == "restore" for step in steps)
