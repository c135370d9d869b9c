"""The calls both front ends make: find the mapping, check a file, plan it against an
environment. The CLI (`launchpad users …`) and the TUI call these, never the parts."""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import Lang, Phrase, phrase
from launchpad.safetext import shell_word
from launchpad.users.checks import CheckResult, RowProblem, check_workbook
from launchpad.users.mapping import ApiSource, ImportMapping, load_mapping
from launchpad.users.plan import Plan, build_plan, check_roles, check_target
from launchpad.users.sources import EXCEL_SUFFIXES, TEXT_SUFFIXES, UnreadableSheet, Workbook, read_workbook
from launchpad.users.state import TargetState, read_state
from launchpad.users.target import AuditFn, NamedBy, TargetSession, choose_database, open_target
from launchpad.workspace.folder import Workspace
from launchpad.workspace.secrets import AskSecret

IMPORTS_DIR = "imports"
SHEET_SUFFIXES = (*EXCEL_SUFFIXES, *TEXT_SUFFIXES)
ANNOTATED_SUFFIX = ".checked.xlsx"


def import_files(root: Path) -> tuple[list[Path], list[Path]]:
    """The workspace's `imports/` folder: (the sheets in it, its mapping files). Annotated
    copies written for the client are not sheets to import."""
    folder = root / IMPORTS_DIR
    if not folder.is_dir():
        return [], []
    files = sorted(p for p in folder.iterdir() if p.is_file())
    sheets = [p for p in files if p.suffix.lower() in SHEET_SUFFIXES and not p.name.endswith(ANNOTATED_SUFFIX)]
    return sheets, [p for p in files if p.suffix in (".yaml", ".yml")]


def find_mapping(root: Path | None, given: str | None) -> Path:
    """`--mapping` as given, else the workspace's only `imports/*.yaml`."""
    if given is not None:
        path = Path(given)
        if not path.is_file() and root is not None and (root / IMPORTS_DIR / given).is_file():
            path = root / IMPORTS_DIR / given
        return path
    if root is None:
        raise UsageError(phrase("users.no_mapping"), hint=phrase("users.no_mapping_hint"))
    found = sorted((root / IMPORTS_DIR).glob("*.yaml"))
    if len(found) != 1:
        names = [p.name for p in found] or phrase("users.none")
        raise UsageError(phrase("users.mappings", folder=str(root / IMPORTS_DIR), count=len(found), names=names),
                         hint=phrase("users.mappings_hint"))
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


@dataclass(frozen=True)
class Rows:
    """What an import reads: a file's sheets, or the rows of the mapping's `source:`."""

    workbook: Workbook
    name: str  # the file's name, or "MAPPING-database" / "MAPPING-api"
    sha256: str  # of the file's bytes, or of the rows read
    annotated: Path  # where the annotated copy goes by default
    file: Path | None = None  # as the person gave it; None for the mapping's source

    def command(self, verb: str, env_name: str, *more: str) -> str:
        """`launchpad users VERB FILE --env ENV …` for these rows, as a person pastes it."""
        return users_command(verb, self.file, env_name, *more)


def users_command(verb: str, file: Path | None, env_name: str, *more: str) -> str:
    """`launchpad users VERB FILE --env ENV …` as a person pastes it (no FILE: the mapping's source)."""
    words = ["launchpad", "users", verb, *([str(file)] if file is not None else []), "--env", env_name, *more]
    return " ".join(map(shell_word, words))


def read_rows(file: Path | None, mapping: ImportMapping, mapping_path: Path, workspace: Workspace | None,
              store: Any = None, actor: str = "", ask_secret: AskSecret | None = None) -> Rows:
    """FILE, or the mapping's source when it has one (then FILE must not be given)."""
    source = mapping.source
    if source is None:
        if file is None:
            raise UsageError(phrase("users.no_source", mapping=mapping_path.name), hint=phrase("users.no_source_hint"))
        return Rows(read_workbook(file, mapping.encoding, mapping.encoding_at), file.name, file_sha256(file),
                    file.with_name(f"{file.stem}{ANNOTATED_SUFFIX}"), file)
    if file is not None:
        raise UsageError(phrase("users.file_ignored", mapping=mapping_path.name, kind=source.kind, file=str(file)),
                         hint=phrase("users.file_ignored_hint"))
    if workspace is None:
        raise UsageError(phrase("users.source_needs_workspace", mapping=mapping_path.name, kind=source.kind),
                         hint=phrase("users.source_needs_workspace_hint"))
    name = f"{mapping_path.stem}-{source.kind}"

    def audit(action: str, target: str, detail: dict[str, Any]) -> None:
        if store is not None:
            store.audit(actor, action, target, detail)

    if isinstance(source, ApiSource):
        from launchpad.users.apisource import read_api
        from launchpad.workspace.secrets import resolve_secret

        token = None
        if source.token is not None:
            token = resolve_secret(source.token, ask=ask_secret, label=phrase("secret.api_token", url=source.url))
        sheet = read_api(source, token, audit)
    else:
        from launchpad.hosts.connect import HostConnections
        from launchpad.users.dbsource import read_query

        with HostConnections(workspace, source.environment, store=store, actor=actor) as connections, \
                target_session(workspace, source.environment, source.database, connections.transport_for,
                               audit, ask_secret) as session:
            sheet = read_query(session, source.query, source.params, f"{session.key}@{source.environment}")
        audit("user_source_read", sheet.name, {"kind": "database", "records": len(sheet.rows) - 1})
    if len(sheet.rows) < 2:
        raise UnreadableSheet(phrase("users.source_empty", name=name, kind=source.kind),
                              hint=phrase("users.source_empty_hint"))
    digest = hashlib.sha256(json.dumps([name, sheet.rows], ensure_ascii=False).encode("utf-8")).hexdigest()
    return Rows(Workbook(Path(name), [sheet]), name, digest, mapping_path.with_name(f"{name}.checked.xlsx"))


@dataclass(frozen=True)
class CheckReport:
    """What a check found, as `users check` and a playbook's check step both tell it."""

    checked: Checked
    annotated: Path | None  # the copy for the client, written when some row has a problem

    @property
    def result(self) -> CheckResult:
        return self.checked.result

    @property
    def problems(self) -> list[RowProblem]:
        return self.result.problems

    @property
    def rows(self) -> int:
        return len(self.result.rows)

    @property
    def bad_rows(self) -> int:
        return self.rows - len(self.result.good_rows)

    def summary(self) -> Phrase:
        """`N rows, no problems`, or how many rows have how many problems and where the copy is."""
        if self.annotated is None:
            return phrase("import.checked", rows=self.rows)
        return phrase("import.check_problems", rows=self.rows, bad=self.bad_rows, problems=len(self.problems),
                      out=str(self.annotated))


def check_users(workbook: Workbook, mapping: ImportMapping, session: TargetSession | None, where: str,
                annotated: Path, lang: Lang) -> CheckReport:
    """The check of `users check` and of a playbook's check step, one use case so the two can
    never find different problems: every row, and with a target open (`session`, the database
    of environment `where`) its units and the values its users already hold, as a plan checks
    them. With a problem, the annotated copy for the client is written to `annotated`."""
    checked = Checked(workbook, mapping, check_workbook(workbook, mapping)) if session is None else \
        plan_workbook(workbook, mapping, session, where)
    if not checked.result.problems:
        return CheckReport(checked, None)
    from launchpad.users.annotate import write_annotated

    write_annotated(workbook, checked.result, annotated, lang)
    return CheckReport(checked, annotated)


def plan_file(file: Path, mapping_path: Path, session: TargetSession, where: str) -> Planned:
    mapping = load_mapping(mapping_path, _display(mapping_path))
    workbook = read_workbook(file, mapping.encoding, mapping.encoding_at)
    return plan_workbook(workbook, mapping, session, where)


def plan_workbook(workbook: Workbook, mapping: ImportMapping, session: TargetSession, where: str) -> Planned:
    state = read_state(session, mapping.profile)
    check_roles(mapping, state, where)
    result = check_workbook(workbook, mapping, check_target(state, mapping))
    return Planned(workbook, mapping, result, state, build_plan(result, mapping, state))


@contextlib.contextmanager
def target_session(workspace: Workspace, env_name: str, database: str | None, transport_for: Any,
                   audit: AuditFn, ask_secret: AskSecret | None = None,
                   named_by: NamedBy = "mapping") -> Iterator[TargetSession]:
    """The environment's database (`database`, named by `named_by` — the mapping's, a command's
    --database, the rules' —, or the only one), open for queries and scripts."""
    environment = workspace.environment(env_name)
    key, chosen = choose_database(environment, env_name, database, named_by)
    with open_target(environment, chosen, transport_for, workspace.root, audit, ask_secret,
                     label=phrase("secret.database", database=key, env=env_name), key=key) as session:
        yield session


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


__all__ = ["target_session", "Checked", "CheckReport", "Planned", "Rows", "check_users", "file_sha256", "find_mapping",
           "import_files", "plan_file", "read_rows"]
