"""Every command is documented: each click command and group, walked from the app, has a
section in docs/commands.md, no section names a command that is gone, and every `launchpad …`
line in the README names a command that exists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click

import launchpad
from launchpad.cli import cli

REPO = Path(launchpad.__file__).resolve().parent.parent
REFERENCE = REPO / "docs" / "commands.md"
SECTION = re.compile(r"^#{2,4} `(launchpad(?: [a-z][a-z-]*)*)`$", re.MULTILINE)


def walk(command: click.Command, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


def every_command() -> set[str]:
    return {" ".join(("launchpad", *path)) for path, command in walk(cli, ()) if not command.hidden}


def documented() -> list[str]:
    return SECTION.findall(REFERENCE.read_text(encoding="utf-8"))


def test_the_walk_finds_commands_and_groups() -> None:
    commands = every_command()
    assert {"launchpad", "launchpad run", "launchpad backups", "launchpad backups drill"} <= commands


def test_every_command_has_a_section_in_the_reference() -> None:
    missing = sorted(every_command() - set(documented()))
    assert missing == [], f"add a section to docs/commands.md for: {', '.join(missing)}"


def test_the_reference_names_no_command_that_is_gone_and_none_twice() -> None:
    sections = documented()
    assert sorted(set(sections) - every_command()) == []
    assert sorted({s for s in sections if sections.count(s) > 1}) == []


def resolves(words: list[str]) -> bool:
    """Whether a command line's words after `launchpad` start with a real command (or an option)."""
    command: click.Command = cli
    for word in words:
        if not isinstance(command, click.Group) or word.startswith("-"):
            return True
        sub = command.commands.get(word)
        if sub is None:
            return command is not cli  # a group's own argument, e.g. `runs --json`
        command = sub
    return True


def readme_command_lines() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, re.DOTALL)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("launchpad ")]


def test_every_readme_tour_line_names_a_real_command() -> None:
    lines = readme_command_lines()
    assert len(lines) > 10
    wrong = [line for line in lines if not resolves(line.split("#")[0].split()[1:])]
    assert wrong == []


def test_the_readme_points_to_the_reference() -> None:
    assert "docs/commands.md" in (REPO / "README.md").read_text(encoding="utf-8")
