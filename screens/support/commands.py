"""The command palette (Ctrl+P): every action by name, titled "area: action".

A person who forgot a key finds the action by typing a few letters of it, in either language:
each command matches both its Chinese and its English title. App-wide commands come from the
app; the screen under the palette adds its own (the run screen's "run: next step" …) through
`palette_commands()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from launchpad.phrases import LANGUAGES, word
from screens.support import i18n
from screens.support.i18n import t


@dataclass(frozen=True)
class PaletteCommand:
    key: str  # catalog key of the title
    run: Callable[[], Any]
    values: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        return t(self.key, **dict(self.values))

    @property
    def both_titles(self) -> str:
        """Both languages' titles, so a search in either finds the command."""
        values = dict(self.values)
        if not i18n.known(self.key):
            return self.key
        return " ".join(word(self.key, lang, **values) for lang in LANGUAGES[::-1])


def app_commands(app: Any) -> Iterator[PaletteCommand]:
    yield PaletteCommand("cmd.dashboard", app.action_show_dashboard)
    yield PaletteCommand("cmd.playbooks", app.action_playbooks)
    yield PaletteCommand("cmd.run", partial(_run_playbook, app))
    yield PaletteCommand("cmd.hosts", app.action_check_hosts)
    yield PaletteCommand("cmd.resume", app.action_resume)
    yield PaletteCommand("cmd.issues", app.action_issues)
    yield PaletteCommand("cmd.issues_add", partial(app.action_issues, "capture"))
    yield PaletteCommand("cmd.issues_search", partial(app.action_issues, "search"))
    yield PaletteCommand("cmd.issues_paste", partial(app.action_issues, "paste"))
    yield PaletteCommand("cmd.report_daily", app.action_daily_report)
    yield PaletteCommand("cmd.report_send", partial(app.action_daily_report, "send"))
    yield PaletteCommand("cmd.backups", app.action_backups)
    for then in ("take", "verify", "drill", "restore"):
        yield PaletteCommand(f"cmd.backups_{then}", partial(app.action_backups, then))
    yield PaletteCommand("cmd.golive", app.action_golive)
    yield PaletteCommand("cmd.handover", app.action_handover)
    yield PaletteCommand("cmd.users_import", app.action_user_import)
    yield PaletteCommand("cmd.drift", app.action_drift)
    yield PaletteCommand("cmd.language", app.action_switch_language)
    if app.session is not None:
        for env_name in app.session.site.environments:
            yield PaletteCommand(
                "cmd.environment", partial(app.action_select_environment, env_name), (("env", env_name),)
            )
    yield PaletteCommand("cmd.help", app.action_help)
    yield PaletteCommand("cmd.quit", app.action_quit)


def _run_playbook(app: Any) -> None:
    """The palette's "playbook: run": start the highlighted playbook, or open the list first."""
    start = getattr(app.screen, "action_start", None)
    if start is not None:
        start()
    else:
        app.action_playbooks()


class LaunchpadCommands(Provider):
    def _commands(self) -> list[PaletteCommand]:
        screen_commands = getattr(self.screen, "palette_commands", None)
        own = list(screen_commands()) if screen_commands else []
        return own + list(app_commands(self.app))

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.title, command.run, text=command.title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = max(matcher.match(command.title), matcher.match(command.both_titles))
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, text=command.title)
