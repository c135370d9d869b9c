"""The use cases the command line and the `baseline` step share: read an environment, compare
it with the baseline or with another environment (recorded and audited), and fix chosen
differences behind the same gates as a user import (confirmation, the environment's name typed
on production, a fresh verified backup of the database), then compare again."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.baseline.drift import Difference, Drift, choose, compare
from launchpad.baseline.files import find_baseline, load_baseline
from launchpad.baseline.fix import Statement, statements_for, transaction_script
from launchpad.baseline.model import Baseline
from launchpad.baseline.records import record_comparison, record_fix
from launchpad.baseline.ruoyi import LiveState, read_live
from launchpad.errors import Refusal
from launchpad.phrases import listed, phrase, typed_instead
from launchpad.run.prompter import ConfirmRequest, TypeNameRequest
from launchpad.sitetime import utc_now, zoned_text
from launchpad.store.db import Store
from launchpad.users.target import AuditFn, NamedBy, TargetSession
from launchpad.workspace.folder import Workspace
from launchpad.workspace.secrets import AskSecret

DEFAULT_BACKUP_AGE = "2h"


class FixRefused(Refusal):
    """A fix launchpad will not start: no fresh backup (a gate, exit 4); not confirmed or the
    name typed wrong is `FixNotConfirmed`."""

    title = "fix refused"


class FixNotConfirmed(FixRefused):
    """Not confirmed, or production's name not typed: bad usage (exit 2), not a failure."""

    exit_code = 2


@contextlib.contextmanager
def environment_session(workspace: Workspace, env_name: str, transport_for: Any, audit: AuditFn,
                        ask_secret: AskSecret | None = None,
                        database: str | None = None, named_by: NamedBy = "option") -> Iterator[TargetSession]:
    """ENV's database (the only one, or `database`: a command's --database, a step's), open
    for queries."""
    from launchpad.users.operations import target_session

    with target_session(workspace, env_name, database, transport_for, audit, ask_secret, named_by) as session:
        yield session


@contextlib.contextmanager
def environment_sessions(workspace: Workspace, store: Store, actor: str, env_names: list[str],
                         ask_secret: AskSecret | None = None,
                         database: str | None = None) -> Iterator[list[TargetSession]]:
    """A target session on each environment's database, all open together over the
    workspace's own host connections (strict host keys), every command audited."""
    from launchpad.hosts.connect import HostConnections

    def audit(action: str, target: str, detail: dict[str, Any]) -> None:
        store.audit(actor, action, target, detail)

    for name in env_names:
        workspace.environment(name)  # an unknown name fails before anything connects
    with contextlib.ExitStack() as stack:
        targets = []
        for name in env_names:
            connections = stack.enter_context(HostConnections(workspace, name, store=store, actor=actor))
            targets.append(stack.enter_context(environment_session(workspace, name, connections.transport_for,
                                                                   audit, ask_secret, database)))
        yield targets


def read_environment(session: TargetSession, env_name: str, zone: ZoneInfo | None = None) -> LiveState:
    """The environment as it is now, labelled `ENV@time` (the site's time and zone, which a
    two-environment diff shows as the reference's version)."""
    return read_live(session, f"{env_name}@{zoned_text(utc_now(), zone or ZoneInfo('UTC'))}", env_name)


def baseline_for(workspace: Workspace, given: str | None) -> Baseline:
    path = find_baseline(workspace.root, given)
    return load_baseline(path, _display(path, workspace.root), workspace.root / ".launchpad" / "baselines")


def compared(store: Store, reference: Baseline, target: LiveState, env_name: str, actor: str,
             audit: AuditFn) -> tuple[Drift, int]:
    """The drift of `target` from `reference`, recorded in the store and audited."""
    drift = compare(reference, target.baseline, env_name)
    comparison = record_comparison(store, drift, actor)
    audit("baseline_compared", env_name, {"comparison": comparison, "reference": drift.reference,
                                          "version": drift.reference_version, **drift.counts()})
    return drift, comparison


@dataclass
class FixOutcome:
    fix_id: int
    applied: list[Difference]
    backup_id: int | None
    after: Drift  # the re-diff


def plan_fix(reference: Baseline, target: LiveState, chosen: list[Difference], actor: str) -> list[Statement]:
    return statements_for(chosen, reference, target.baseline, target.menu_ids, actor)


@dataclass
class PreparedFix:
    """A fix planned against the environment as it is now: read again, compared (recorded),
    the differences chosen, their statements — what is shown before anything is asked."""

    state: LiveState
    drift: Drift
    chosen: list[Difference]
    statements: list[Statement]


def prepare_fix(store: Store, reference: Baseline, session: TargetSession, env_name: str, actor: str,
                audit: AuditFn, *, everything: bool = False, kinds: set[str] | None = None,
                items: set[str] | None = None) -> PreparedFix:
    state = read_environment(session, env_name)
    drift, _ = compared(store, reference, state, env_name, actor, audit)
    chosen = choose(drift, everything=everything, kinds=kinds, items=items)
    statements = plan_fix(reference, state, chosen, actor) if chosen else []
    return PreparedFix(state, drift, chosen, statements)


def confirm_fix(prompter: Any, audit: AuditFn, env_name: str, production: bool, chosen: list[Difference]) -> None:
    title = phrase("error.fix_title", count=len(chosen), env=env_name)
    where = f"{env_name}/baseline"
    if not prompter.confirm(ConfirmRequest("baseline-fix", title, env_name, production,
                                           listed(d.id for d in chosen[:10]))):
        audit("baseline_fix_declined", where, {"reason": "not confirmed", "differences": len(chosen)})
        raise FixNotConfirmed(phrase("error.fix_not_confirmed"))
    if production:
        typed = prompter.type_environment(TypeNameRequest("baseline-fix", title, env_name)).strip()
        if typed != env_name:
            audit("baseline_fix_declined", where, {"reason": "environment name typed wrong", "typed": typed})
            raise FixNotConfirmed(phrase("error.write_not_named", env=env_name, typed=typed_instead(typed)),
                                  hint=phrase("error.import_rollback_not_named_hint", env=env_name))
    audit("baseline_fix_confirmed", where, {"production": production, "differences": [d.id for d in chosen]})


def fix_gate(workspace: Workspace, store: Store, session: TargetSession, env_name: str, audit: AuditFn,
             backup_age: str = DEFAULT_BACKUP_AGE) -> int:
    """The fix's gate, before anybody is asked anything: a verified backup of the database
    younger than `backup_age`; its id, or `FixRefused`."""
    from launchpad.users.guard import require_fresh_backup

    environment = workspace.environment(env_name)
    return require_fresh_backup(store, workspace.backups_dir, environment, env_name, session.key, audit,
                                backup_age, action="baseline_fix", refusal=FixRefused,
                                production=environment.production)


def apply_fix(store: Store, session: TargetSession, drift: Drift, reference: Baseline, chosen: list[Difference],
              statements: list[Statement], env_name: str, actor: str, audit: AuditFn, backup_id: int) -> FixOutcome:
    """Every statement in one transaction (after `fix_gate` passed with `backup_id`), each
    applied change recorded and audited, then a re-diff."""
    from launchpad.users.target import TargetFailed

    try:
        if session.access.engine == "sqlite":
            session.transaction([(s.sql, dict(s.params)) for s in statements])
        else:
            session.script(transaction_script(session.access.engine, statements))
    except TargetFailed as exc:
        record_fix(store, drift, session.key, chosen, statements, actor, backup_id, "failed", None)
        audit("baseline_fix_failed", env_name, {"error": exc.message, "differences": [d.id for d in chosen]})
        raise
    after_state = read_environment(session, env_name)
    after, _ = compared(store, reference, after_state, env_name, actor, audit)
    fix_id = record_fix(store, drift, session.key, chosen, statements, actor, backup_id, "applied",
                        len(after.differences))
    for d in chosen:
        audit("baseline_fix_applied", f"{env_name}/{d.id}", {"fix": fix_id, "change": d.change,
                                                              "severity": d.severity})
    return FixOutcome(fix_id, chosen, backup_id, after)


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
