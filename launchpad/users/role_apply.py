"""Apply a recorded role preview to the target, and undo it.

`roles apply` writes exactly what `roles preview` showed: the preview is computed again from
the live target and must come out the same (the same rules file, the same users with the same
roles before and after); what changed since is said and nothing is written. Then, behind a
confirmation and, on production, the typed environment name and a fresh verified backup, the
users' role links are changed in batches, each one transaction through the database's own
client, values as hex literals (`SqlText`) so no role key or id can end a string.

Every write is idempotent (a link is inserted only where it is missing, removed only where it
is), so a killed apply is continued by running it again: batches not marked done are sent
again. A rollback puts back, for each recorded user, the links the assignment added or removed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from launchpad.errors import Refusal, UsageError
from launchpad.phrases import Phrase, Said, lines, phrase, typed_instead
from launchpad.run.prompter import ConfirmRequest, TypeNameRequest
from launchpad.sitetime import zoned_text
from launchpad.store.db import Store
from launchpad.users import role_records
from launchpad.users.profile import TARGETS_DIR, TargetProfile, load_profile
from launchpad.users.role_rules import LoadedRules, Preview, preview
from launchpad.users.state import TargetState, read_state
from launchpad.users.target import AuditFn, SqlText, TargetSession
from launchpad.users.writes import Writer
from launchpad.workspace.folder import Workspace
from launchpad.workspace.secrets import AskSecret

BATCH = 500
DEFAULT_BACKUP_AGE = "2h"


class RolesRefused(Refusal):
    """An assignment launchpad will not write: no preview, the target changed since, no fresh
    backup, another process still applying it; a rollback of one never applied or already rolled
    back (gates, exit 4); not confirmed or the name typed wrong is `RolesNotConfirmed`."""

    title = "role assignment refused"


class RolesNotConfirmed(RolesRefused):
    """Not confirmed, or production's name not typed: bad usage (exit 2), not a failure."""

    exit_code = 2


ROLLBACK_REFUSED = "role rollback refused"  # the title of a refused rollback (error.role_rollback_refused)


@contextlib.contextmanager
def rules_target(workspace: Workspace, env_name: str, database: str | None, transport_for: Any, audit: AuditFn,
                 ask_secret: AskSecret | None = None) -> Iterator[TargetSession]:
    from launchpad.users.operations import target_session

    with target_session(workspace, env_name, database, transport_for, audit, ask_secret, "rules") as session:
        yield session


def profile_for(workspace: Workspace, loaded: LoadedRules) -> TargetProfile:
    return load_profile(loaded.rules.target, workspace.root / TARGETS_DIR)


def preview_live(workspace: Workspace, session: TargetSession, loaded: LoadedRules) -> tuple[TargetState, Preview]:
    state = read_state(session, profile_for(workspace, loaded))
    return state, preview(loaded, state)


def record_preview(store: Store, session: TargetSession, loaded: LoadedRules, shown: Preview, env_name: str,
                   actor: str, audit: AuditFn) -> int:
    assignment = role_records.record_preview(
        store, shown, environment=env_name, database=session.key, target=loaded.rules.target,
        rules_file=loaded.display, rules_sha256=loaded.sha256, operator=actor)
    audit("role_rules_previewed", f"{env_name}/{session.key}",
          {"assignment": assignment, "rules": loaded.display, "users": len(shown.changes),
           "per_rule": shown.per_rule})
    return assignment


def since_preview(recorded: dict[str, Any], rows: list[dict[str, Any]], loaded: LoadedRules,
                  live: Preview) -> list[Phrase]:
    """What differs between the recorded preview and the same rules on the live target now."""
    said: list[Phrase] = []
    if recorded["rules_sha256"] != loaded.sha256:
        said.append(phrase("roles.rules_edited", rules=loaded.display, id=str(recorded["id"])))
    then = {r["user_id"]: (r["account"], tuple(r["before"]), tuple(r["after"])) for r in rows}
    now = {c.user_id: (c.account, c.before, c.after) for c in live.changes}
    for user_id in sorted(set(then) | set(now), key=lambda u: (then.get(u) or now[u])[0]):
        if user_id not in now:
            account, before, after = then[user_id]
            said.append(phrase("roles.no_longer", account=account, before=_roles(before), after=_roles(after)))
        elif user_id not in then:
            account, before, after = now[user_id]
            said.append(phrase("roles.now_too", account=account, before=_roles(before), after=_roles(after)))
        elif then[user_id] != now[user_id]:
            account, before, after = now[user_id]
            _, was_before, was_after = then[user_id]
            said.append(phrase("roles.differs", account=account, was_before=_roles(was_before),
                               was_after=_roles(was_after), before=_roles(before), after=_roles(after)))
    return said


def _roles(keys: tuple[str, ...] | list[str]) -> Phrase:
    return phrase("roles.set", roles=list(keys))


@dataclass
class AssignOutcome:
    assignment: int | None  # None: nothing to change
    users: int
    backup_id: int | None = None
    resumed: bool = False
    batches: int = 0
    said: list[str] = field(default_factory=list)


@dataclass
class RolesTarget:
    """Where an assignment goes and who makes it."""

    workspace: Workspace
    store: Store
    session: TargetSession
    environment: str
    actor: str

    def audit(self, action: str, target: str, detail: dict[str, Any]) -> None:
        self.store.audit(self.actor, action, target, detail)

    @property
    def where(self) -> str:
        return f"{self.environment}/{self.session.key}"


def apply_preview(to: RolesTarget, loaded: LoadedRules, prompter: Any, *, backup_age: str = DEFAULT_BACKUP_AGE,
                  batch_size: int = BATCH) -> AssignOutcome:
    """The newest preview of this environment, written if the live target still gives it."""
    unfinished = role_records.latest(to.store, to.environment, ("applying",))
    if unfinished is not None:
        role_records.refuse_if_running(unfinished)
        to.audit("role_assignment_resumed", to.where, {"assignment": unfinished["id"]})
        role_records.set_status(to.store, unfinished["id"], "applying")
        profile = load_profile(unfinished["target"], to.workspace.root / TARGETS_DIR)
        sent = _send_all(to, unfinished["id"], profile, only_undone=True)
        role_records.set_status(to.store, unfinished["id"], "applied")
        to.audit("role_assignment_applied", to.where, {"assignment": unfinished["id"], "resumed": True})
        return AssignOutcome(unfinished["id"], len(role_records.users(to.store, unfinished["id"])), resumed=True,
                             batches=sent)
    _, live = preview_live(to.workspace, to.session, loaded)
    recorded = role_records.latest(to.store, to.environment, ("previewed", "applied", "rolled_back"))
    if not live.changes:
        to.audit("role_assignment_nothing", to.where, {"rules": loaded.display})
        return AssignOutcome(None, 0)
    if recorded is None or recorded["status"] != "previewed":
        to.audit("role_assignment_refused", to.where, {"reason": "no preview", "users": len(live.changes)})
        raise RolesRefused(phrase("error.roles_no_preview", users=len(live.changes), env=to.environment),
                           hint=phrase("error.roles_preview_hint", env=to.environment))
    rows = role_records.users(to.store, recorded["id"])
    said = since_preview(recorded, rows, loaded, live)
    if said:
        to.audit("role_assignment_refused", to.where, {"assignment": recorded["id"], "reason": "target changed",
                                                       "changes": [str(change) for change in said[:50]]})
        shown: list[Said] = [*said[:30]]
        if len(said) > 30:
            shown.append(phrase("roles.more_changes", count=len(said) - 30))
        raise RolesRefused(phrase("roles.changed_since", env=to.environment, id=str(recorded["id"]),
                                  changes=lines(shown)),
                           hint=phrase("roles.changed_since_hint", env=to.environment))
    assignment = int(recorded["id"])
    production = to.workspace.environment(to.environment).production
    backup_id = None
    if production:  # the gate before the question: nobody types the name only to hear there is no backup
        from launchpad.users.guard import require_fresh_backup

        backup_id = require_fresh_backup(to.store, to.workspace.backups_dir, to.workspace.environment(to.environment),
                                         to.environment, to.session.key, to.audit, backup_age,
                                         action="role_assignment", refusal=RolesRefused)
    _confirm(prompter, to, assignment, production, len(rows))
    role_records.set_batches(to.store, assignment, batch_size)
    role_records.set_status(to.store, assignment, "applying", backup_id=backup_id)
    to.audit("role_assignment_started", to.where, {"assignment": assignment, "users": len(rows),
                                                   "backup": backup_id})
    profile = load_profile(recorded["target"], to.workspace.root / TARGETS_DIR)
    sent = _send_all(to, assignment, profile, only_undone=False)
    role_records.set_status(to.store, assignment, "applied")
    to.audit("role_assignment_applied", to.where, {"assignment": assignment, "users": len(rows),
                                                   "per_rule": recorded["counts"]["per_rule"]})
    return AssignOutcome(assignment, len(rows), backup_id, batches=sent)


def _confirm(prompter: Any, to: RolesTarget, assignment: int, production: bool, users: int) -> None:
    title = phrase("error.roles_title", users=users, env=to.environment, id=assignment)
    if not prompter.confirm(ConfirmRequest("role-assignment", title, to.environment, production, "")):
        to.audit("role_assignment_declined", to.where, {"assignment": assignment, "reason": "not confirmed"})
        raise RolesNotConfirmed(phrase("error.roles_not_confirmed"))
    if production:
        typed = prompter.type_environment(TypeNameRequest("role-assignment", title, to.environment)).strip()
        if typed != to.environment:
            to.audit("role_assignment_declined", to.where, {"assignment": assignment,
                                                            "reason": "environment name typed wrong", "typed": typed})
            raise RolesNotConfirmed(phrase("error.write_not_named", env=to.environment, typed=typed_instead(typed)),
                                    hint=phrase("error.import_rollback_not_named_hint", env=to.environment))
    to.audit("role_assignment_confirmed", to.where, {"assignment": assignment, "production": production})


def _send_all(to: RolesTarget, assignment: int, profile: TargetProfile, *, only_undone: bool,
              undo: bool = False) -> int:
    rows = role_records.users(to.store, assignment)
    batches: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        if only_undone and row["done"]:
            continue
        batches.setdefault(row["batch"], []).append(row)
    for number, batch in sorted(batches.items()):
        to.session.script(links_script(to.session.sql, profile, batch, undo=undo))
        role_records.batch_done(to.store, assignment, number, 0 if undo else 1)
        to.audit("role_assignment_batch", to.where, {"assignment": assignment, "batch": number, "undo": undo,
                                                     "accounts": [r["account"] for r in batch]})
    return len(batches)


def links_script(sql: SqlText, profile: TargetProfile, rows: list[dict[str, Any]], *, undo: bool = False) -> str:
    """One transaction setting each user's role links from `before` to `after` (or back)."""
    w = Writer(sql, profile)
    roles, users = profile.roles, profile.users
    link = roles.link
    adding: dict[str, list[str]] = {}
    removing: dict[str, list[str]] = {}
    for row in rows:
        was, will = (row["after"], row["before"]) if undo else (row["before"], row["after"])
        for key in set(will) - set(was):
            adding.setdefault(key, []).append(row["user_id"])
        for key in set(was) - set(will):
            removing.setdefault(key, []).append(row["user_id"])
    lines = list(sql.begin)
    for key, ids in sorted(removing.items()):
        lines.append(f"DELETE FROM {link.table} WHERE {link.user} IN ({_ids(sql, ids)}) AND {link.to} IN "
                     f"(SELECT {roles.id} FROM {roles.table} WHERE {roles.key} = {sql.text(key)});")
    for key, ids in sorted(adding.items()):
        lines.append(f"INSERT INTO {link.table} ({link.user}, {link.to}) SELECT u.{users.id.column}, r.{roles.id} "
                     f"FROM {users.table} u, {roles.table} r WHERE u.{users.id.column} IN ({_ids(sql, ids)}) "
                     f"AND {w.user_live('u')} AND r.{roles.key} = {sql.text(key)} "
                     f"AND {w.live(roles.soft_delete, roles.tenant, 'r')} AND NOT EXISTS (SELECT 1 FROM {link.table} "
                     f"x WHERE x.{link.user} = u.{users.id.column} AND x.{link.to} = r.{roles.id});")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def _ids(sql: SqlText, ids: list[str]) -> str:
    return ", ".join(sql.number(int(i)) if i.lstrip("-").isdigit() else sql.text(i) for i in sorted(ids))


@dataclass
class RollbackOutcome:
    assignment: int
    users: int
    # Users whose roles are no longer what the assignment left: changed by hand since.
    changed_since: list[Phrase] = field(default_factory=list)


def changed_by_hand(rows: list[dict[str, Any]], state: TargetState) -> list[Phrase]:
    """Users whose roles now differ from what the assignment left them with. The rollback
    still only takes back its own changes (a role someone granted by hand since stays), but a
    person about to roll back should know that others have worked on these users."""
    now = {user.id: user for user in state.users.values()}
    said: list[Phrase] = []
    for row in sorted(rows, key=lambda r: r["account"]):
        user = now.get(str(row["user_id"]))
        if user is None:
            said.append(phrase("roles.rollback_user_gone", account=row["account"]))
        elif sorted(user.roles) != sorted(row["after"]):
            said.append(phrase("roles.rollback_user_changed", account=row["account"], after=_roles(row["after"]),
                               now=_roles(sorted(user.roles))))
    return said


def rollback(to: RolesTarget, assignment: int, prompter: Any) -> RollbackOutcome:
    found = role_records.get(to.store, assignment)
    if found["environment"] != to.environment:
        raise UsageError(phrase("error.roles_other_env", id=assignment, env=found["environment"], given=to.environment))
    # Its state refuses it, not what was typed: gates, exit 4.
    if found["status"] == "previewed":
        raise RolesRefused(phrase("error.roles_never_applied", id=assignment), title=ROLLBACK_REFUSED)
    if found["status"] == "rolled_back":
        raise RolesRefused(phrase("error.roles_rolled_back", id=assignment,
                                  at=zoned_text(found["rolled_back"], to.workspace.site.tz)), title=ROLLBACK_REFUSED)
    role_records.refuse_if_running(found, title=ROLLBACK_REFUSED)
    rows = role_records.users(to.store, assignment)
    profile = load_profile(found["target"], to.workspace.root / TARGETS_DIR)
    changed = changed_by_hand(rows, read_state(to.session, profile))
    production = to.workspace.environment(to.environment).production
    title = phrase("error.roles_rollback_title", id=assignment, users=len(rows), env=to.environment)
    detail: Said = ""
    if changed:
        shown: list[Said] = [*changed[:30]]
        if len(changed) > 30:
            shown.append(phrase("roles.more_changes", count=len(changed) - 30))
        detail = phrase("roles.rollback_changed_since", id=assignment, count=len(changed), users=lines(shown))
    if not prompter.confirm(ConfirmRequest("role-rollback", title, to.environment, production, detail)):
        to.audit("role_rollback_declined", to.where, {"assignment": assignment, "reason": "not confirmed"})
        raise RolesNotConfirmed(phrase("error.roles_rollback_not_confirmed"), title=ROLLBACK_REFUSED)
    if production:
        typed = prompter.type_environment(TypeNameRequest("role-rollback", title, to.environment)).strip()
        if typed != to.environment:
            to.audit("role_rollback_declined", to.where, {"assignment": assignment,
                                                          "reason": "environment name typed wrong", "typed": typed})
            raise RolesNotConfirmed(phrase("error.write_not_named", env=to.environment, typed=typed_instead(typed)),
                                    hint=phrase("error.import_rollback_not_named_hint", env=to.environment),
                                    title=ROLLBACK_REFUSED)
    to.audit("role_rollback_started", to.where, {"assignment": assignment, "users": len(rows),
                                                 "changed_since": [str(line) for line in changed[:50]]})
    _send_all(to, assignment, profile, only_undone=False, undo=True)
    role_records.set_status(to.store, assignment, "rolled_back")
    to.audit("role_assignment_rolled_back", to.where, {"assignment": assignment, "users": len(rows)})
    return RollbackOutcome(assignment, len(rows), changed)


def environment_of(store: Store, assignment: int) -> str:
    return str(role_records.get(store, assignment)["environment"])


__all__ = ["AssignOutcome", "RolesNotConfirmed", "RolesRefused", "RolesTarget", "apply_preview", "environment_of",
           "links_script", "preview_live", "record_preview", "rollback", "rules_target"]
