"""How a command gets the typed session: `@pass_session` hands it the `Session` the whole
command works on — the workspace found once, its store opened once and closed when the command
ends, the site's clock and the person at the keyboard — opened only for commands that need a
workspace (`init` and `--help` do not).

And the language the command line speaks: `--lang`, else LAUNCHPAD_LANG, else site.yaml's
`language`, else Chinese — a field engineer at a Chinese site outside any workspace (`init`, a
typo in --workspace) reads Chinese like everywhere else. It is settled before click parses
(`settle_language`), since click answers `--help` and refuses a bad option while parsing, and
again from the session once the workspace is open. `say(key, …)` is every command's way to
the word-book in that language."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from launchpad.phrases import DEFAULT_LANGUAGE, spoken, word

if TYPE_CHECKING:
    from launchpad.session import Session

F = TypeVar("F", bound=Callable[..., Any])

# One command per process: the language it speaks is process-wide, like the TUI's.
_language: str = DEFAULT_LANGUAGE


def speak(language: str | None) -> None:
    global _language
    _language = spoken(language)


def language() -> str:
    return _language


def settle_language(args: Sequence[str]) -> None:
    """The language of `--help` and of click's usage errors, chosen before click parses `args`:
    `--lang` anywhere before `--`, else LAUNCHPAD_LANG, else the workspace's site.yaml (found as
    every command finds it, by `--workspace`/`-w`, LAUNCHPAD_WORKSPACE or the folders above),
    else Chinese. A workspace that cannot be read leaves the help in Chinese, never failing it."""
    from launchpad.workspace.folder import site_language

    chosen = _given(args, ("--lang",)) or os.environ.get("LAUNCHPAD_LANG")
    speak(chosen or site_language(_given(args, ("--workspace", "-w"))))


def _given(args: Sequence[str], names: tuple[str, ...]) -> str | None:
    """The value of the last option named `names` in `args` (`--lang en`, `--lang=en`, `-wDIR`)."""
    found = None
    for position, arg in enumerate(args):
        if arg == "--":
            break
        for name in names:
            if arg == name and position + 1 < len(args):
                found = args[position + 1]
            elif arg.startswith(name + "=") and name.startswith("--"):
                found = arg.removeprefix(name + "=")
            elif arg.startswith(name) and len(arg) > len(name) and not name.startswith("--"):
                found = arg.removeprefix(name)
    return found


def say(key: str, /, **values: Any) -> str:
    """Word-book entry `key` in the command line's language."""
    return word(key, _language, **values)


class Door:
    """The root command's object: the `--workspace` given, and the session once opened."""

    def __init__(self, workspace_arg: str | None, lang_arg: str | None = None) -> None:
        self.workspace_arg = workspace_arg
        self.lang_arg = lang_arg
        self._session: Session | None = None
        if lang_arg:  # else the language settled before parsing stands until the session opens
            speak(lang_arg)

    def session(self, click_ctx: click.Context | None = None) -> Session:
        """The command's session, opened on first call (for a command whose workspace is
        optional, which catches WorkspaceNotFound)."""
        click_ctx = click_ctx or click.get_current_context()
        if self._session is None:
            from launchpad.session import open_session
            from launchpad.store.migrations import on_lock_wait

            on_lock_wait(_say_waiting)
            self._session = open_session(self.workspace_arg)
            # A sub-command's own `--lang` (`users check FILE --lang en`) is the language of
            # its refusals too, not only of its report.
            own = click_ctx.params.get("lang")
            self._session.chosen_language = own if isinstance(own, str) and own else self.lang_arg
            speak(self._session.language)
            click_ctx.find_root().call_on_close(self._session.close)
        return self._session


def _say_waiting() -> None:
    click.echo(say("cli.store_waiting"), err=True)


def session_of(click_ctx: click.Context) -> Session:
    """The session of the command `click_ctx` belongs to, opened on first call."""
    door = click_ctx.find_object(Door)
    if door is None:  # a command invoked outside the `launchpad` group
        door = click_ctx.find_root().obj = Door(None)
    return door.session(click_ctx)


def pass_session(command: F) -> F:
    """Call `command(session, …)` with the command's session as its first argument."""

    @functools.wraps(command)
    def with_session(*args: Any, **kwargs: Any) -> Any:
        return command(session_of(click.get_current_context()), *args, **kwargs)

    return with_session  # type: ignore[return-value]
