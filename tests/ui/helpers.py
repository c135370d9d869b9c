"""Waiting for the app without sleeping blindly: bounded loops on a condition, generous enough
for a loaded two-core CI machine, failing with what was awaited."""

from __future__ import annotations

import asyncio
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from launchpad.run.playbook import load_playbook

DEADLINE = 60.0
ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def wait_until(pilot: Pilot[Any], condition: Callable[[], object], what: str, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; screen is {pilot.app.screen!r}")
        await pilot.pause(0.02)


async def wait_for_screen(pilot: Pilot[Any], kind: type[ScreenT], timeout: float = DEADLINE) -> ScreenT:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__, timeout)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


async def wait_opened(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    await wait_until(pilot, lambda: app.session is not None or app.open_error is not None, "the workspace")
    await pilot.pause()


async def opened_by_key(pilot: Pilot[Any], key: str, kind: type[ScreenT], ready: Callable[[ScreenT], object],
                        what: str) -> ScreenT:
    """Screen `kind` opened from the dashboard by `key`, once `ready` says it has read `what`."""
    await wait_opened(pilot)
    await pilot.press(key)
    screen = await wait_for_screen(pilot, kind)
    await wait_until(pilot, lambda: ready(screen), what)
    await pilot.pause()
    return screen


async def wait_run_ended(pilot: Pilot[Any], screen: Any, timeout: float = DEADLINE) -> None:
    await wait_until(pilot, lambda: screen.ended_event is not None, "the run screen")
    await asyncio.wait_for(screen.ended_event.wait(), timeout)
    await pilot.pause()


def run_screen(root: Path, playbook: str, env_name: str, values: dict[str, str] | None = None, **kwargs: Any) -> Any:
    from screens.run import RunScreen

    loaded = load_playbook(root / "playbooks" / f"{playbook}.yaml")
    return RunScreen(loaded, env_name, values or {}, **kwargs)


async def type_line(pilot: Pilot[Any], text: str) -> None:
    """Type into the focused Input key by key. The pilot sends full-width symbols (＃ ！ ＠, what a
    Chinese input method types) as keys without their character, which a terminal never does,
    so those few are inserted as the terminal would deliver them."""
    for char in text:
        if unicodedata.east_asian_width(char) == "F":
            focused = pilot.app.focused
            assert isinstance(focused, Input), f"typing {char!r} needs an Input focused, not {focused!r}"
            focused.insert_text_at_cursor(char)
            await pilot.pause()
        else:
            await pilot.press(char)


async def help_text(pilot: Pilot[Any]) -> str:
    """Open `?` on the current screen and return its key table as plain text (140 columns)."""
    import io

    from rich.console import Console

    from screens.help import HelpScreen

    await pilot.press("question_mark")
    help_screen = await wait_for_screen(pilot, HelpScreen)
    console = Console(width=140, record=True, file=io.StringIO())
    console.print(help_screen.key_table())
    return console.export_text()



async def production_question(pilot: Pilot[Any], key: str, title: str, said: str) -> Any:
    """Press `key` and get production's type-name question, titled `title` and saying `said`
    (what passed its gate); a wrong name typed into it is refused there. The dialog, still open."""
    from screens.dialogs.type_name import TypeNameDialog

    await pilot.press(key)
    dialog = await wait_for_screen(pilot, TypeNameDialog)
    assert title in dialog.dialog_title, dialog.dialog_title
    assert said in str(dialog.body), dialog.body
    await type_line(pilot, "test")
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.screen is dialog  # a wrong name is refused in the dialog
    return dialog


def shown(widget: Any) -> str:
    """What `widget` draws in the cells it has on the screen, blanks and line breaks removed, so
    a sentence wrapped over lines reads whole and one cut off at the edge reads cut."""
    from textual.geometry import Region

    width, height = widget.outer_size
    return "".join("".join(strip.text.split()) for strip in widget.render_lines(Region(0, 0, width, height)))


def drawn_lines(app: Any) -> list[str]:
    """The terminal as the app last drew it, line by line: what a person sees, cut or not."""
    return [strip.text for strip in app.screen._compositor.render_strips()]
