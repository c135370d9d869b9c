"""The import and the rollback as a person does them, once for both front ends: the CLI
(`launchpad users import|rollback`) and the TUI's import screen call these and only show,
ask and print.

An import goes in two calls, so the front end can show what the person is about to approve
between them: `prepare_import` (what changed in the target since the recorded plan, rejected
rows refused, nothing to write, the hashing estimate) and `run_import` (the confirmation
through the front end's Prompter — on production the typed environment name — the fresh-backup
gate on production, then the apply with its progress and its stop).
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launchpad.durations import said_duration
from launchpad.phrases import Phrase, phrase, typed_instead
from launchpad.sitetime import local_text
from launchpad.store.db import Store
from launchpad.users.apply import (
    ApplyOutcome,
    ApplyProgress,
    ImportTarget,
    RollbackOutcome,
    apply_plan,
    refuse_rolled_back,
    rollback_import,
)
from launchpad.users.guard import (
    DEFAULT_BACKUP_AGE,
    ImportNotConfirmed,
    ImportRefused,
    RollbackRefused,
    confirm_import,
    require_fresh_backup,
)
from launchpad.users.handout import handout_dir
from launchpad.users.handout_kept import handout_owed
from launchpad.users.hashing_progress import HashingProgress
from launchpad.users.operations import Planned, Rows, target_session
from launchpad.users.passwords import PasswordPolicy
from launchpad.users.planlog import differences, last_import, latest_plan
from launchpad.users.records import applying_import, get_import, refuse_if_running, rollback_counts, unfinished_import
from launchpad.users.rollback_handouts import clear_handouts
from launchpad.workspace.folder import Workspace
from launchpad.workspace.secrets import AskSecret
from launchpad.workspace.site import Environment

if TYPE_CHECKING:
    from launchpad.users.reset import ResetDone

ROLLBACK_REFUSED = "rollback refused"  # the refusal's title: an import's rollback, not an import
RESET_REFUSED = "password reset refused"  # and of new initial passwords for users an import wrote


@contextlib.contextmanager
def connect_target(workspace: Workspace, store: Store, actor: str, env_name: str, database: str | None,
                   ask_secret: AskSecret | None = None) -> Iterator[ImportTarget]:
    """env_name's database (the mapping's `database`, or the only one), open for the import,
    every command audited in `store` under `actor`."""
    from launchpad.hosts.connect import HostConnections

    workspace.environment(env_name)

    def audit(action: str, target: str, detail: dict[str, Any]) -> None:
        store.audit(actor, action, target, detail)

    with HostConnections(workspace, env_name, store=store, actor=actor) as connections, \
            target_session(workspace, env_name, database, connections.transport_for, audit, ask_secret) as session:
        yield ImportTarget(store, session, workspace.root, env_name, session.key, actor, workspace.site.tz)


@dataclass(frozen=True)
class SincePlan:
    """How what is about to be written differs from the last plan of this file a person read."""

    plan_id: int | None  # None: no plan of this file was recorded for the environment
    planned_at: str = ""
    differences: list[Phrase] = field(default_factory=list)
    # With no plan: the import of this file a plan would have had to come after, if any.
    after_import: int | None = None


@dataclass(frozen=True)
class HashingEstimate:
    count: int  # the new users still to hash
    cost: int
    seconds: float
    cores: int
    per_hash_ms: float
    kept: int = 0  # hashed by an interrupted attempt of this import and kept (hashing_progress.py)

    @property
    def took(self) -> Phrase:
        """The time as a person plans an evening by: under a second, seconds, minutes, or hours
        and minutes (100,000 users at cost 10 are not "5,700 s")."""
        seconds = self.seconds
        if seconds < 1:
            return phrase("users.took_under_a_second")
        if seconds < 90:  # "2 min" for 61 s would be too rough
            return phrase("users.took", time=said_duration(round(seconds), "second"))
        return phrase("users.took", time=said_duration(math.ceil(seconds / 60) * 60))  # whole minutes, rounded up


@dataclass
class ImportReady:
    """A plan checked for what would stop it, and what the person reads before saying yes."""

    planned: Planned
    rows: Rows
    since_plan: SincePlan
    nothing_to_write: bool
    hashing: HashingEstimate | None
    # With nothing to write: the import of this file whose hand-out could not be written (a
    # full disk), which `users handout ID` writes from the kept passwords (handout_kept.py).
    handout_owed: int | None = None

    @property
    def counts(self) -> dict[str, int]:
        return self.planned.plan.counts()


def prepare_import(to: ImportTarget, planned: Planned, rows: Rows, *, skip_rejected: bool = False) -> ImportReady:
    from launchpad.users.abandon import refuse_abandoned

    refuse_abandoned(to.store, to.environment, rows.sha256)  # before anything is estimated or asked
    since = since_plan(to, rows.sha256, planned)
    counts = planned.plan.counts()
    if counts["rejected"] and not skip_rejected:
        to.audit("user_import_refused", to.environment, {"file": rows.name, "rejected": counts["rejected"]})
        check = rows.command("check", to.environment)  # lists every problem, marks a copy for the client
        raise ImportRefused(phrase("error.import_rows_rejected", count=counts["rejected"], file=rows.name),
                            hint=phrase("error.import_rows_rejected_hint", command=check))
    # An interrupted import of this file is finished (and closed) even when the batches it
    # sent before it died turned out to hold everything.
    nothing = not planned.plan.writes() and unfinished_import(to.store, to.environment) is None
    passwords = planned.mapping.passwords
    hashing = None
    if counts["insert"] and passwords.scheme == "bcrypt":  # the others take microseconds a hash
        kept = _kept_hashes(to, planned, rows.sha256)
        hashing = hashing_estimate(counts["insert"] - kept, passwords.cost, kept)
    owed = None
    if nothing:
        last = last_import(to.store, to.environment, rows.sha256)
        if last is not None and handout_owed(to.workspace_root, get_import(to.store, last)):
            owed = last
    return ImportReady(planned, rows, since, nothing, hashing, owed)


def since_plan(to: ImportTarget, sha: str, planned: Planned) -> SincePlan:
    recorded = latest_plan(to.store, to.environment, sha)
    if recorded is None:
        return SincePlan(None, after_import=last_import(to.store, to.environment, sha))
    changed = differences(recorded, planned.plan)
    if changed:
        to.audit("user_import_plan_changed", to.environment, {"plan": recorded["id"], "differences": len(changed)})
    return SincePlan(recorded["id"], local_text(recorded["planned"], to.zone, with_seconds=True), changed)


def _kept_hashes(to: ImportTarget, planned: Planned, sha: str) -> int:
    """How many of the plan's new users an interrupted attempt of the import it continues (the
    same file's) hashed under this policy already: the apply hashes only the others."""
    continued = applying_import(to.store, to.environment)
    if continued is None or continued["file_sha256"] != sha:  # another file's is refused, not continued
        return 0
    kept = HashingProgress(handout_dir(to.workspace_root, int(continued["id"])), planned.mapping.passwords,
                           to.audit)
    keys = kept.kept(discard_other=False).keys()
    return sum(1 for user in planned.plan.writes() if user.action == "insert" and user.key in keys)


def hashing_estimate(count: int, cost: int, kept: int = 0) -> HashingEstimate:
    """One hash timed here, spread over every core as the apply does."""
    from launchpad.users.passwords import bcrypt_2a

    started = time.monotonic()
    bcrypt_2a("estimate-only", cost)
    one = time.monotonic() - started
    cores = os.cpu_count() or 1
    return HashingEstimate(count, cost, one * count / cores, cores, one * 1000, kept)


@dataclass(frozen=True)
class ImportGates:
    """Where the import goes and what production asks of it."""

    environment: Environment
    backups_dir: Path
    backup_age: str = DEFAULT_BACKUP_AGE


def run_import(to: ImportTarget, ready: ImportReady, gates: ImportGates, prompter: Any, *, mapping_name: str,
               skip_rejected: bool = False, batch_size: int | None = None,
               progress: Callable[[ApplyProgress], None] | None = None,
               should_stop: Callable[[], bool] = lambda: False,
               backup_passed: Callable[[int], None] = lambda _id: None) -> ApplyOutcome:
    """Production's fresh-backup gate passed, confirmed by the person (production: its name
    typed), then applied. The gate comes first, so nobody types the environment's name only to
    be told there is no backup. Every refusal is audited and raised as `ImportRefused`."""
    production = gates.environment.production
    if production:
        backup_passed(require_fresh_backup(to.store, gates.backups_dir, gates.environment, to.environment,
                                           to.database, to.audit, gates.backup_age))
    confirm_import(prompter, to.audit, to.environment, production, ready.counts, ready.rows.name)
    return apply_plan(to, ready.planned, file=Path(ready.rows.name), file_sha256=ready.rows.sha256,
                      mapping_name=mapping_name, allow_rejected=skip_rejected, batch_size=batch_size,
                      progress=progress, should_stop=should_stop,
                      check_command=ready.rows.command("check", to.environment))


def run_rollback(to: ImportTarget, record: dict[str, Any], environment: Environment, prompter: Any) -> RollbackOutcome:
    """Import `record` undone once the person confirms it (production: its name typed)."""
    from launchpad.run.prompter import ConfirmRequest, TypeNameRequest

    import_id, env_name = record["id"], to.environment
    refuse_rolled_back(to, record)  # before anyone is asked to confirm it
    if record.get("status") == "applying":
        refuse_if_running(record, RollbackRefused)  # so is an import another process still writes
    title = phrase("users.rollback_title", id=import_id, file=record["file_name"])
    counts = rollback_counts(to.store, import_id)
    detail = phrase("users.rollback_detail", insert=counts["insert"], update=counts["update"])
    if not prompter.confirm(ConfirmRequest("user-rollback", title, env_name, environment.production, detail)):
        to.audit("user_import_rollback_declined", env_name, {"import": import_id})
        raise ImportNotConfirmed(phrase("error.import_rollback_not_confirmed"), title=ROLLBACK_REFUSED)
    if environment.production:
        typed = prompter.type_environment(TypeNameRequest("user-rollback", title, env_name)).strip()
        if typed != env_name:
            to.audit("user_import_rollback_declined", env_name, {"import": import_id, "typed": typed})
            raise ImportNotConfirmed(
                phrase("error.import_rollback_not_named", env=env_name, typed=typed_instead(typed)),
                hint=phrase("error.import_rollback_not_named_hint", env=env_name), title=ROLLBACK_REFUSED)
    outcome = rollback_import(to, import_id)
    # The plain passwords of users no longer there go too; kept while any of them is still there.
    outcome.handouts = clear_handouts(to, import_id)
    return outcome


def run_reset(to: ImportTarget, record: dict[str, Any], environment: Environment, prompter: Any, keys: list[str],
              policy: PasswordPolicy) -> ResetDone:
    """New initial passwords for `keys` of import `record` once the person confirms it
    (production: its name typed): the passwords handed out before stop working, in the
    client's live system. (hand-out files, keys left alone, earlier hand-outs rewritten or why not.)"""
    from launchpad.run.prompter import ConfirmRequest, TypeNameRequest
    from launchpad.users.reset import reset_passwords

    import_id, env_name = record["id"], to.environment
    title = phrase("users.reset_title", id=import_id, count=len(keys), env=env_name)
    detail = phrase("users.reset_detail", users=list(keys))
    if not prompter.confirm(ConfirmRequest("user-password-reset", title, env_name, environment.production, detail)):
        to.audit("user_password_reset_declined", env_name, {"import": import_id, "users": keys})
        raise ImportNotConfirmed(phrase("error.password_reset_not_confirmed"), title=RESET_REFUSED)
    if environment.production:
        typed = prompter.type_environment(TypeNameRequest("user-password-reset", title, env_name)).strip()
        if typed != env_name:
            to.audit("user_password_reset_declined", env_name, {"import": import_id, "users": keys, "typed": typed})
            raise ImportNotConfirmed(phrase("error.password_reset_not_named", env=env_name, typed=typed_instead(typed)),
                                     hint=phrase("error.import_rollback_not_named_hint", env=env_name),
                                     title=RESET_REFUSED)
    return reset_passwords(to, import_id, keys, policy)


__all__ = ["HashingEstimate", "ImportGates", "ImportReady", "SincePlan", "connect_target", "prepare_import",
           "run_import", "run_reset", "run_rollback"]
