"""The clipboard, the fallback when no robot can be reached: the PM pastes the report into
the group by hand. launchpad uses whichever clipboard program this computer has and says
plainly when there is none, rather than pretending the text was copied."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from launchpad.phrases import Phrase, phrase

TOOLS = ("wl-copy", "xclip", "xsel", "pbcopy", "clip.exe")


def _commands() -> list[list[str]]:
    """Clipboard programs to try, the likeliest for this session first."""
    found: list[list[str]] = []
    if os.environ.get("WAYLAND_DISPLAY") and shutil.which("wl-copy"):
        found.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        if shutil.which("xclip"):
            found.append(["xclip", "-selection", "clipboard"])
        if shutil.which("xsel"):
            found.append(["xsel", "--clipboard", "--input"])
    if sys.platform == "darwin" and shutil.which("pbcopy"):
        found.append(["pbcopy"])
    if shutil.which("clip.exe"):  # WSL: the Windows clipboard
        found.append(["clip.exe"])
    return found


def copy_to_clipboard(text: str) -> str | None:
    """Copy `text`; returns the program that took it, or None when none could."""
    for command in _commands():
        try:
            # xclip stays behind to serve the selection: its output must not be waited for.
            subprocess.run(command, input=text.encode("utf-8"), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=5, check=True)
        except (OSError, subprocess.SubprocessError):
            continue
        return command[0]
    return None


def clipboard_missing_hint() -> Phrase:
    return phrase("cli.report.no_clip_tools", tools=list(TOOLS))
