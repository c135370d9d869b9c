"""Every hand-out of an import kept true after `users handout ID --reset`: each earlier file
that lists a user reset is rewritten so that user's password cell no longer holds the old
password (it no longer works) but says the password was reset and names the new hand-out. The
other rows, the sheet and its layout stay as they were. The file is written whole beside itself
(0600, synced) and renamed over the old one, so it is never half-written nor readable by others
for a moment.

A file that cannot be read or rewritten is returned as such: the reset is done in the database
by then, and the person is told which file still gives a password that no longer works and
what to do with it. `current_resets` tells `users handout ID --remove --keep-resets` which reset
hand-outs still give a working password (those not handed over yet, as far as launchpad knows),
and `unreadable_resets` which ones it cannot tell about (it keeps those too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchpad.oserrors import os_reason
from launchpad.phrases import Lang, Said, phrase, render
from launchpad.users.handout import list_handouts
from launchpad.workspace.durable import workbook_bytes, write_complete

FIRST_PERSON_ROW = 3  # row 1 the note, row 2 the headers (handout.write_handouts)
LOGIN, PASSWORD = 1, 3  # the columns (from 0) of the login and the password
RESET_PREFIX = "reset-"
PENDING = ".pending"  # a reset's new hand-out until its passwords are set: `.reset-STAMP.pending/` (reset.py)


def pending_resets(folder: Path) -> list[Path]:
    """The reset hand-out folders never made final (`.reset-STAMP.pending/`): left when the target
    could not say whether it took the new passwords, or when the rename after it did failed. Either
    way the files in one may give the only passwords that work."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob(f".{RESET_PREFIX}*{PENDING}") if path.is_dir())


@dataclass(frozen=True)
class EarlierHandout:
    """An earlier hand-out listing users just reset: `users` rows (None: it could not be read),
    rewritten or not (`reason` says why not)."""

    path: Path
    users: int | None
    rewritten: bool
    reason: Said | None = None


def rewrite_earlier(folder: Path, new_files: dict[str, Path], lang: Lang = "zh", *,
                    written: Iterable[Path] | None = None) -> list[EarlierHandout]:
    """The import's hand-outs in `folder` other than the new ones (`written`, by default
    `new_files`' values) that list one of the logins of `new_files` (login → the new hand-out
    that gives it its password), each rewritten to name the new file in that login's password
    cell. `written` differs when the new hand-out is not yet where `new_files` names it (a reset
    whose rename failed, reset.py)."""
    skip = set(new_files.values()) | set(written or ())
    return [found for path in list_handouts(folder) if path not in skip
            and (found := _rewrite(path, folder, new_files, lang)) is not None]


def _rewrite(path: Path, folder: Path, new_files: dict[str, Path], lang: Lang) -> EarlierHandout | None:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path)
        sheet = book.worksheets[0]
    except Exception as exc:  # openpyxl raises zip, XML, key and OS errors alike for a file it cannot read
        return EarlierHandout(path, None, False, os_reason(exc) if isinstance(exc, OSError) else None)
    count = 0
    for row in sheet.iter_rows(min_row=FIRST_PERSON_ROW):
        if len(row) <= PASSWORD or row[LOGIN].value is None or str(row[LOGIN].value) not in new_files:
            continue
        new = new_files[str(row[LOGIN].value)].relative_to(folder).as_posix()
        row[PASSWORD].value = render(phrase("users.handout_password_reset", file=new), lang)
        row[PASSWORD].data_type = "s"
        count += 1
    if not count:
        return None
    try:
        write_complete(path, workbook_bytes(book))
    except OSError as exc:
        return EarlierHandout(path, count, False, os_reason(exc))
    return EarlierHandout(path, count, True)


def current_resets(folder: Path) -> set[Path]:
    """The reset hand-outs (`reset-*/`) that still give some user its working password: those
    listing a login that no later reset lists. A file that cannot be read is not among them
    (`unreadable_resets` names it); nor does it count as a later reset of anyone."""
    return _reset_handouts(folder)[0]


def unreadable_resets(folder: Path) -> dict[Path, Said | None]:
    """The reset hand-outs (`reset-*/`) that cannot be read, each with why (None: not a workbook
    that can be read). Nobody can tell which logins one gives, so it may give the only working
    password of some: `--remove --keep-resets` keeps it and names it."""
    return _reset_handouts(folder)[1]


def _reset_handouts(folder: Path) -> tuple[set[Path], dict[Path, Said | None]]:
    by_reset: dict[str, list[Path]] = defaultdict(list)
    for path in list_handouts(folder):
        if (top := path.relative_to(folder).parts[0]).startswith(RESET_PREFIX) and path.parent != folder:
            by_reset[top].append(path)
    later: set[str] = set()  # the logins a later reset gave a new password
    current: set[Path] = set()
    unreadable: dict[Path, Said | None] = {}
    for reset in sorted(by_reset, reverse=True):  # reset-STAMP: the newest first
        here: dict[Path, set[str]] = {}
        for path in by_reset[reset]:
            logins = _logins(path)
            if isinstance(logins, Unreadable):
                unreadable[path] = logins.reason
            else:
                here[path] = logins
        current |= {path for path, logins in here.items() if logins - later}
        later = later.union(*here.values())
    return current, unreadable


@dataclass(frozen=True)
class Unreadable:
    reason: Said | None  # None: not a workbook that can be read


def _logins(path: Path) -> set[str] | Unreadable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception as exc:  # as above: openpyxl raises zip, XML, key and OS errors alike
        return Unreadable(os_reason(exc) if isinstance(exc, OSError) else None)
    try:
        rows: Any = book.worksheets[0].iter_rows(min_row=FIRST_PERSON_ROW, values_only=True)
        return {str(row[LOGIN]) for row in rows if len(row) > LOGIN and row[LOGIN] is not None}
    except Exception as exc:  # a damaged sheet inside a readable zip: read as the open above
        return Unreadable(os_reason(exc) if isinstance(exc, OSError) else None)
    finally:
        book.close()
