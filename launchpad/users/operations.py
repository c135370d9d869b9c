"""The calls both front ends make: find the mapping, check a file, plan it against an
environment. The CLI (`launchpad users …`) and the TUI call these, never the parts."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchpad.errors import UsageError
from launchpad.users.checks import CheckResult, check_workbook
from launchpad.users.mapping import ImportMapping, load_mapping
from launchpad.users.plan import Plan, build_plan, check_roles, check_target
from launchpad.users.ruoyi import TargetState, read_state
from launchpad.users.sources import Workbook, read_workbook
from launchpad.users.target import AuditFn, TargetSession, choose_database, open_target
from launchpad.workspace import Workspace

IMPORTS_DIR = "imports"


def find_mapping(root: Path | None, given: str | None) -> Path:
    """`--mapping` as given, else the workspace's only `imports/*.yaml`."""
    if given is not None:
        path = Path(given)
        if not path.is_file() and root is not None and (root / IMPORTS_DIR / given).is_file():
            path = root / IMPORTS_DIR / given
        return path
    if root is None:
        raise UsageError("no mapping file given and no workspace to look in",
                         hint="pass --mapping FILE (an imports/*.yaml)")
    found = sorted((root / IMPORTS_DIR).glob("*.yaml"))
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or "none"
        raise UsageError(f"{root / IMPORTS_DIR} holds {len(found)} mapping files ({names})",
                         hint="name one with --mapping FILE")
    return found[0]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Checked:
    workbook: Workbook
    mapping: ImportMapping
    result: CheckResult


@dataclass
class Planned(Checked):
    state: TargetState
    plan: Plan


def check_file(file: Path, mapping_path: Path) -> Checked:
    mapping = load_mapping(mapping_path, _display(mapping_path))
    workbook = read_workbook(file)
    return Checked(workbook, mapping, check_workbook(workbook, mapping))


def plan_file(file: Path, mapping_path: Path, session: TargetSession, where: str) -> Planned:
    mapping = load_mapping(mapping_path, _display(mapping_path))
    workbook = read_workbook(file)
    return plan_workbook(workbook, mapping, session, where)


def plan_workbook(workbook: Workbook, mapping: ImportMapping, session: TargetSession, where: str) -> Planned:
    state = read_state(session)
    check_roles(mapping, state, where)
    result = check_workbook(workbook, mapping, check_target(state, mapping))
    return Planned(workbook, mapping, result, state, build_plan(result, mapping, state))


@contextlib.contextmanager
def target_session(workspace: Workspace, env_name: str, database: str | None, transport_for: Any,
                   audit: AuditFn, ask_secret: Callable[[str], str] | None = None) -> Iterator[TargetSession]:
    """The environment's database (the mapping's `database`, or the only one), open for queries
    and scripts."""
    environment = workspace.environment(env_name)
    key, chosen = choose_database(environment, env_name, database)
    with open_target(environment, chosen, transport_for, workspace.root, audit, ask_secret,
                     label=f"database {key} ({env_name})", key=key) as session:
        yield session


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


__all__ = ["target_session", "Checked", "Planned", "check_file", "file_sha256", "find_mapping", "plan_file"]
