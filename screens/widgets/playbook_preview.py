"""A playbook read before it runs: its phases and steps, what each will do and where, which
ask for confirmation or are critical, and each phase's rollback steps.

The preview is the plan a field engineer reads aloud to the client's administrator before a
release, so it says plainly what will run (the command itself, not the step's nickname).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.support.i18n import said, t

if TYPE_CHECKING:
    from launchpad.run.playbook_list import PlaybookEntry

COMMAND_LINES = 4  # lines of a command shown in the preview; the rest is elided


def describe_step(number: str, step: Any, env_name: str | None) -> Text:
    """One step: number, name, kind and where it runs, its flags, then what will run."""
    line = Text.assemble((f"{number:>4} ", "dim"), (step.name, "bold"), "  ", (f"[{step.kind}]", "cyan"))
    group = step.hosts_group()
    if group:
        line.append(f"  {t('pb.hosts', group=group)}", style="magenta")
    if step.confirm:
        line.append(f"  ⚠ {t('pb.confirm')}", style="bold yellow")
    if step.critical:
        line.append(f"  ★ {t('pb.critical')}", style="bold red")
    if step.environments is not None:
        skipped = env_name is not None and env_name not in step.environments
        line.append(f"  {t('pb.only_on', envs=list(step.environments))}", style="dim" if skipped else "yellow")
    # A manual step's "what" is what the person will be asked to do.
    what = (getattr(step, "instructions", "") or said(step.describe())).strip().splitlines()
    shown = what[:COMMAND_LINES] + (["…"] if len(what) > COMMAND_LINES else [])
    for command_line in shown:
        line.append(f"\n       {command_line}", style="dim")
    return line


def describe_playbook(entry: PlaybookEntry, env_name: str | None) -> Text:
    """The whole preview, or the problems that keep the playbook from running."""
    text = Text()
    origin = t("pb.bundled") if entry.bundled else t("pb.workspace")
    text.append(f"{entry.title}\n", style="bold underline")
    text.append(f"{entry.name} · {origin}\n", style="dim")
    if entry.problems:
        text.append(f"\n{t('pb.problems')}\n", style="bold red")
        for problem in entry.problems:
            text.append(f"  {problem.file}:{problem.line}:{problem.col}", style="bold yellow")
            text.append(f"  {said(problem.said)}\n")
    if entry.loaded is None:
        return text
    playbook = entry.loaded.playbook
    if playbook.description:
        text.append(f"{playbook.description.strip()}\n")
    for p, phase in enumerate(playbook.phases, 1):
        text.append(f"\n{t('pb.phase', n=p, name=phase.name)}\n", style="bold green")
        for s, step in enumerate(phase.steps, 1):
            text.append_text(describe_step(f"{p}.{s}", step, env_name))
            text.append("\n")
        if phase.rollback:
            text.append(f"     ↺ {t('pb.rollback')}\n", style="bold yellow")
            for s, step in enumerate(phase.rollback, 1):
                text.append_text(describe_step(f"↺{s}", step, env_name))
                text.append("\n")
    return text


class PlaybookPreview(VerticalScroll):
    DEFAULT_CSS = """
    PlaybookPreview > Static {
        width: 100%;
    }
    """

    def compose(self) -> Any:
        yield Static(id="preview-text")

    def show(self, entry: PlaybookEntry | None, env_name: str | None) -> None:
        text = describe_playbook(entry, env_name) if entry is not None else Text(t("pb.loading"), style="dim")
        self.query_one("#preview-text", Static).update(text)
        self.scroll_home(animate=False)
