"""The hand-out: one xlsx per unit with each new user's login name and initial password, the
only place a plain password is ever written. Files are 0600 in a 0700 folder, written whole or
not at all; their creation and their removal go to the audit log (names and counts, never a
password)."""

from __future__ import annotations

import contextlib
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from launchpad.phrases import Lang, phrase, render
from launchpad.users.annotate import save_private
from launchpad.users.hashing_progress import remove_progress

AuditFn = Callable[[str, str, dict[str, Any]], None]
HANDOUT_NAME = "nick_name"  # the field whose value a hand-out shows beside the login


def recorded_person(row: dict[str, Any], password: str) -> dict[str, str]:
    """A new user as the import recorded it (records.import_rows: unit, key, name) with the
    password its hand-out gives."""
    return {"unit": row["unit"] or "", "key": row["key"], "name": (row["after"] or {}).get(HANDOUT_NAME, ""),
            "password": password}


def people_from_kept(rows: list[dict[str, Any]], kept: dict[str, Any]) -> tuple[list[dict[str, str]], list[str]]:
    """The recorded new users whose passwords are kept (hashing_progress.py), as a hand-out
    lists them, and the keys of those without one (for `users handout ID --reset`)."""
    return ([recorded_person(row, kept[row["key"]].password) for row in rows if row["key"] in kept],
            [row["key"] for row in rows if row["key"] not in kept])


def handouts_root(root: Path) -> Path:
    return root / "handouts"


def handout_dir(root: Path, import_id: int) -> Path:
    return handouts_root(root) / f"import-{import_id}"


def unit_file_name(unit: str) -> str:
    return (re.sub(r"[\\/:*?\"<>|\s]+", "_", unit).strip("_") or "未分配单位")[:80] + ".xlsx"


def unit_file_names(units: Iterable[str]) -> dict[str, str]:
    """Each unit's hand-out file name, no two alike: units whose names become the same file name
    (`财务部/会计科` and `财务部 会计科`, or two long paths alike in their first 80 characters)
    would otherwise write one file over the other, and the first unit's new passwords would be
    nowhere. The second and later of such units (in sorted order) get `-2`, `-3`, …"""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for unit in sorted(set(units)):
        name = unit_file_name(unit)
        stem, number = name.removesuffix(".xlsx"), 2
        while name.casefold() in taken:  # a file system that folds case would clash too
            name, number = f"{stem}-{number}.xlsx", number + 1
        taken.add(name.casefold())
        names[unit] = name
    return names


def write_handouts(folder: Path, people: list[dict[str, str]], audit: AuditFn, lang: Lang = "zh") -> list[Path]:
    """`people`: unit, key, name, password. One file per unit."""
    from openpyxl import Workbook

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    by_unit: dict[str, list[dict[str, str]]] = defaultdict(list)
    for person in people:
        by_unit[person["unit"]].append(person)
    written = []
    file_names = unit_file_names(by_unit)
    for unit, members in sorted(by_unit.items()):
        book = Workbook(write_only=True)
        ws = book.create_sheet(render(phrase("users.handout_sheet"), lang)[:31])
        ws.append([render(phrase("users.handout_note"), lang)])
        ws.append([render(phrase(f"users.handout_{c}"), lang) for c in ("unit", "login", "name", "password")])
        for person in members:
            # Every cell is text: a name typed as =… or a password starting with = stays what it is.
            ws.append([_text(ws, value) for value in (unit, person["key"], person["name"], person["password"])])
        path = folder / file_names[unit]
        save_private(book, path)
        written.append(path)
    audit("user_handout_written", str(folder), {"files": [p.name for p in written], "users": len(people)})
    return written


def _text(ws: Any, value: str) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def list_handouts(folder: Path) -> list[Path]:
    """An import's hand-out files: its own, and those of stops and password resets."""
    return sorted(folder.rglob("*.xlsx")) if folder.is_dir() else []


def remove_handouts(folder: Path, audit: AuditFn, keep: frozenset[Path] = frozenset()) -> list[Path]:
    """Every file of the import's folder that holds plain passwords: the hand-outs, and the
    passwords hashed so far of an import not finished; but the hand-outs in `keep` (the newest
    resets' when asked: handout_rewrite.current_resets)."""
    remove_progress(folder, audit, "handouts_removed")
    removed = []
    for path in sorted(folder.rglob("*.xlsx")) if folder.is_dir() else []:
        if path in keep:
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    for emptied in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True) if folder.is_dir() else []:
        with contextlib.suppress(OSError):
            emptied.rmdir()
    with contextlib.suppress(OSError):
        folder.rmdir()
    detail: dict[str, Any] = {"files": [str(p.relative_to(folder)) for p in removed]}
    if keep:
        detail["kept"] = sorted(str(p.relative_to(folder)) for p in keep)
    audit("user_handout_removed", str(folder), detail)
    return removed
