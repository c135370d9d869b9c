"""New initial passwords for users an import inserted whose hand-out was lost or removed — or
whose passwords a killed apply had kept under a password policy changed since (hashing_progress.py).

Only a user this import inserted (the profile's created_by still `import:ID`) whose password was
never changed (RuoYi: `pwd_update_date` still NULL; other profiles: their force-change flag
still set) is reset: a password a person already chose is never replaced.
The new passwords go to a fresh hand-out folder, like the apply's, written before any password
changes under a name that is not yet its own (`.reset-TIME.pending/`) and renamed to
`reset-TIME/` once the database took them: a hand-out that cannot be written (a full disk)
resets nothing, and an update the target refuses removes it, so no user is left with a
password nobody was handed and no file names a hand-out that is not there. The import's earlier hand-out
files that list a user reset are then rewritten (handout_rewrite.py, audited
`user_handout_rewritten`): that user's password cell names the new hand-out instead of the
password that no longer works, so no file hands a unit a wrong password. One that cannot be
read or rewritten is named with what to do (audited, `user_handout_outdated`); the reset is
done in the database by then.

An import not finished (or whose hand-out was never written) still keeps the passwords it
hashed, to hand them out later (hashing_progress.py): a user reset is taken out of that file
before its password changes, and recorded as handed out, so that no resume and no late hand-out
gives it the old password again. Refused while the import's own process still runs: it holds
those passwords in memory.

Two resets of one import never run at once (two terminals, two engineers on one workspace):
each would read the kept passwords and the earlier hand-outs as the other is changing them, and
one's rewrite could name a hand-out whose password the other has just replaced. A reset holds
an exclusive lock on `.launchpad/locks/reset-import-ID.lock` (`reset_lock`: flock, never
waited for) from before it reads anything until its hand-out is final and the earlier ones are
rewritten; a second reset of the same import meanwhile is refused (a gate, exit 4, audited
`user_password_reset_refused`), having read and changed nothing. The lock goes with the process
holding it, however it ends: nothing is left to clear after a kill."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from launchpad.errors import UsageError
from launchpad.oserrors import os_reason
from launchpad.phrases import Said, phrase
from launchpad.sitetime import utc_now
from launchpad.users import records
from launchpad.users.annotate import CannotWrite
from launchpad.users.apply import ImportTarget
from launchpad.users.guard import ImportRefused
from launchpad.users.handout import handout_dir, recorded_person, unit_file_names, write_handouts
from launchpad.users.handout_rewrite import PENDING, EarlierHandout, rewrite_earlier
from launchpad.users.hashing_progress import FILE_NAME, forget_passwords
from launchpad.users.importing import RESET_REFUSED
from launchpad.users.passwords import ForUser, Issued, PasswordPolicy, issue
from launchpad.users.profile import TARGETS_DIR, TargetProfile, load_profile
from launchpad.users.state import live
from launchpad.users.writes import Writer, constant_sql
from launchpad.workspace.durable import sync_directory, write_complete

LOCKS_DIR = Path(".launchpad") / "locks"  # in the workspace, beside its store


class ResetDone(NamedTuple):
    files: list[Path]  # the new hand-out
    left: list[str]  # keys left alone: their password was already changed
    earlier: list[EarlierHandout]  # earlier hand-outs listing users reset: rewritten, or why not


class ResetHandoutPending(CannotWrite):
    """The passwords were reset but their new hand-out could not be renamed to its final name: it
    stays under its pending one, and `earlier` says what became of the earlier hand-outs (each
    rewritten to name the new hand-out by its final name, or why not)."""

    def __init__(self, message: Said, *, hint: Said, earlier: list[EarlierHandout]) -> None:
        super().__init__(message, hint=hint)
        self.earlier = earlier


class ResetRunning(Exception):
    """Another process holds the reset lock of the import (`reset_lock`)."""


def reset_lock_path(root: Path, import_id: int) -> Path:
    return root / LOCKS_DIR / f"reset-import-{import_id}.lock"


@contextlib.contextmanager
def reset_lock(root: Path, import_id: int) -> Iterator[None]:
    """Import `import_id`'s reset lock held for the block; `ResetRunning` at once, the block not
    run, while another process (or another open of it in this one) holds it. The file stays: a
    lock file removed on release would let a third reset lock a fresh file while a second still
    holds the old one."""
    path = reset_lock_path(root, import_id)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise CannotWrite(phrase("users.os_error", path=str(path), reason=os_reason(exc)),
                          hint=phrase("users.cannot_write_hint")) from None
    try:
        if not _try_lock(fd):
            raise ResetRunning
        yield
    finally:
        os.close(fd)  # releases the lock


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def reset_passwords(to: ImportTarget, import_id: int, keys: list[str], policy: PasswordPolicy) -> ResetDone:
    """New passwords for `keys` that are still initial: the new hand-out, the keys left alone, and
    the earlier hand-outs that listed them with their old password (rewritten, or why not).
    Refused (exit 4, nothing read nor changed) while another reset of the import runs."""
    try:
        with reset_lock(to.workspace_root, import_id):
            return _reset_locked(to, import_id, keys, policy)
    except ResetRunning:  # raised before the block ran: this reset read and changed nothing
        to.audit("user_password_reset_refused", f"{to.environment}/{to.database}",
                 {"import": import_id, "users": keys, "reason": "another reset of the import is running"})
        raise ImportRefused(phrase("users.reset_busy", id=import_id), hint=phrase("users.reset_busy_hint"),
                            title=RESET_REFUSED) from None


def _reset_locked(to: ImportTarget, import_id: int, keys: list[str], policy: PasswordPolicy) -> ResetDone:
    found = records.get_import(to.store, import_id)
    if found["environment"] != to.environment:
        raise UsageError(phrase("users.import_other_env", id=import_id, env=found["environment"], given=to.environment),
                         hint=phrase("users.import_other_env_hint", env=found["environment"]))
    if found["status"] == "applying":
        try:
            records.refuse_if_running(found)  # its process holds the kept passwords in memory
        except ImportRefused:
            to.audit("user_password_reset_refused", f"{to.environment}/{to.database}",
                     {"import": import_id, "users": keys, "reason": "the import's own process is running"})
            raise
    inserted = {r["key"]: r for r in records.import_rows(to.store, import_id) if r["action"] == "insert"}
    unknown = [k for k in keys if k not in inserted]
    if unknown:
        raise UsageError(phrase("users.not_inserted", id=import_id, keys=unknown),
                         hint=phrase("users.not_inserted_hint"))
    mark = records.mark(import_id)
    profile = load_profile(found["target"], to.workspace_root / TARGETS_DIR)
    users = profile.users
    initial = _still_initial(profile)
    where, params = live(users.soft_delete, users.tenant)
    own = f"{users.mark.created_by} = :mark AND {where} AND {initial}"
    untouched = {str(r[0]) for r in to.session.query(
        f"SELECT {profile.column(users.key)} FROM {users.table} WHERE {own}", {"mark": mark, **params}).rows}
    chosen = [k for k in keys if k in untouched]
    left = [k for k in keys if k not in untouched]
    # A lost hand-out gets random passwords even under a site rule: a rule's password is one
    # anybody who knows the rule and the row could work out, and the row is no longer at hand.
    issued = issue([ForUser(k, k) for k in chosen], policy.model_copy(update={"rule": None}))
    folder = handout_dir(to.workspace_root, import_id)
    people = [recorded_person(inserted[i.key], i.password) for i in issued]
    final = _reset_folder(folder)
    pending = final.with_name(f".{final.name}{PENDING}")
    # The new hand-out is written before any password changes, under a name no listing of
    # resets counts: should it not be written, nothing is reset and no password is lost.
    files: list[Path] = []
    written: list[tuple[str, dict[str, Any]]] = []
    try:
        files = write_handouts(pending, people, lambda action, _, detail: written.append((action, detail))) \
            if people else []
    except (CannotWrite, OSError) as exc:
        _discard(pending)
        error = exc.said if isinstance(exc, CannotWrite) else os_reason(exc)
        to.audit("user_password_reset_failed", str(folder),
                 {"import": import_id, "users": chosen, "step": "handout", "error": str(error)})
        raise CannotWrite(phrase("users.reset_handout_unwritable", id=import_id, folder=str(folder), error=error),
                          hint=phrase("users.reset_handout_unwritable_hint")) from None
    try:  # before the passwords change: should the file not be rewritten, nothing is reset
        kept_before = _kept_bytes(folder)
        dropped, still_kept = forget_passwords(folder, set(chosen)) if issued else (0, 0)
    except OSError as exc:  # the old passwords would stay kept: nothing is reset
        _discard(pending)
        to.audit("user_password_reset_failed", str(folder),
                 {"import": import_id, "users": chosen, "step": "kept_passwords", "error": str(os_reason(exc))})
        raise CannotWrite(phrase("users.reset_kept_unwritable", id=import_id, path=str(folder / FILE_NAME),
                                 error=os_reason(exc)),
                          hint=phrase("users.reset_kept_unwritable_hint")) from None
    sql = to.session.sql
    to.session.secrets.add([value for one in issued for value in (one.hashed, one.salt)])
    writer = Writer(sql, profile)
    lines = list(sql.begin)
    for one in issued:
        salt = f", {policy.salt_column} = {sql.text(one.salt)}" if one.salt is not None else ""
        lines.append(f"UPDATE {users.table} SET {users.password.column} = {sql.text(one.hashed)}{salt} "
                     f"WHERE {writer.keyed([one.key])} AND {users.mark.created_by} = {sql.text(mark)} "
                     f"AND {writer.user_live()} AND {initial};")
    lines.append("COMMIT;")
    if issued:
        try:
            to.session.script("\n".join(lines) + "\n", refused="users.reset_refused_hint")
        except Exception as exc:
            _not_reset(to, import_id, folder, pending, kept_before, issued, exc, profile, mark)
            raise
    to.audit("user_password_reset", f"{to.environment}/{to.database}",
             {"import": import_id, "users": chosen, "left_alone": left,
              "kept_passwords_dropped": dropped, "kept_passwords_left": still_kept,
              "handout": final.name if files else None})
    if people:  # a resume neither hands them out nor lists them as having no password
        records.handed_out(to.store, import_id, [one.key for one in issued])
    by_name = {path.name: final / path.name for path in files}
    file_names = unit_file_names(p["unit"] for p in people)  # as write_handouts named them
    new_files = {p["key"]: by_name[file_names[p["unit"]]] for p in people}
    if files:  # the passwords are reset: their hand-out becomes the final one
        try:
            os.rename(pending, final)
            sync_directory(folder)
        except OSError as exc:
            # the hand-out that holds the new passwords is audited as written, under its pending name
            for action, detail in written:
                to.audit(action, str(pending), detail)
            to.audit("user_password_reset_handout_pending", str(pending),
                     {"import": import_id, "final": final.name, "error": str(os_reason(exc))})
            # The old passwords no longer work all the same: the earlier hand-outs name the new one
            # by the name it is to be given (the person is told to), its own files left as written.
            earlier = rewrite_earlier(folder, new_files, written=files)
            _audit_earlier(to, import_id, folder, sorted(set(new_files.values())), earlier)
            hint = "users.reset_handout_pending_named_hint" if any(one.rewritten for one in earlier) \
                else "users.reset_handout_pending_hint"
            raise ResetHandoutPending(phrase("users.reset_handout_pending", id=import_id, pending=str(pending),
                                             error=os_reason(exc)),
                                      hint=phrase(hint, pending=str(pending), final=str(final)),
                                      earlier=earlier) from None
        files = [final / path.name for path in files]
        for action, detail in written:
            to.audit(action, str(final), detail)
    # The new hand-out is final by now: an earlier one is rewritten to name it, so it is there.
    earlier = rewrite_earlier(folder, new_files)
    _audit_earlier(to, import_id, folder, files, earlier)
    return ResetDone(files, left, earlier)


def _kept_bytes(folder: Path) -> bytes | None:
    """The kept passwords' file as it is (hashing_progress.py), to put back should no password change."""
    try:
        return (folder / FILE_NAME).read_bytes()
    except FileNotFoundError:
        return None


def _discard(pending: Path) -> None:
    """A new hand-out that never became final, gone: its passwords were never set."""
    for path in sorted(pending.glob("*"), reverse=True) if pending.is_dir() else []:
        with contextlib.suppress(OSError):
            path.unlink()
    with contextlib.suppress(OSError):
        pending.rmdir()


def _not_reset(to: ImportTarget, import_id: int, folder: Path, pending: Path, kept_before: bytes | None,
               issued: list[Issued], exc: Exception, profile: TargetProfile, mark: str) -> None:
    """The update failed. When the target shows none of the new hashes nothing was reset: the
    new hand-out is removed and the kept passwords put back. When it cannot tell (or some were
    set after all), the new hand-out stays where it is, not final, and the person is told."""
    users = profile.users
    new = {one.key: one.hashed for one in issued}
    try:
        rows = to.session.query(f"SELECT {profile.column(users.key)}, {users.password.column} FROM {users.table} "
                                f"WHERE {users.mark.created_by} = :mark", {"mark": mark}).rows
        landed: list[str] | None = [str(key) for key, hashed in rows if new.get(str(key)) == hashed]
    except Exception:  # the target cannot be asked either: what it holds is not known
        landed = None
    if landed == []:
        _discard(pending)
        restored = kept_before is None
        if kept_before is not None:
            with contextlib.suppress(OSError):
                write_complete(folder / FILE_NAME, kept_before)
                restored = True
        to.audit("user_password_reset_failed", f"{to.environment}/{to.database}",
                 {"import": import_id, "users": list(new), "step": "database", "error": str(exc),
                  "handout_removed": pending.name, "kept_passwords_restored": restored})
        return
    to.audit("user_password_reset_unsure", f"{to.environment}/{to.database}",
             {"import": import_id, "users": list(new), "error": str(exc), "handout": str(pending)})
    raise CannotWrite(phrase("users.reset_unsure", id=import_id, error=str(exc), pending=str(pending)),
                      hint=phrase("users.reset_unsure_hint", id=import_id)) from None


def _reset_folder(folder: Path) -> Path:
    """A folder of its own for this reset's hand-out, named by when: a second reset within the
    same second must not write over the first's."""
    stamp = utc_now().replace(":", "").replace("-", "")[:15]
    fresh, n = folder / f"reset-{stamp}", 1
    while fresh.exists() or fresh.with_name(f".{fresh.name}{PENDING}").exists():
        n += 1
        fresh = folder / f"reset-{stamp}-{n}"
    return fresh


def _audit_earlier(to: ImportTarget, import_id: int, folder: Path, files: list[Path],
                   earlier: list[EarlierHandout]) -> None:
    """File names and how many rows each, never a password."""
    def named(path: Path) -> str:
        return str(path.relative_to(folder))

    if rewritten := [one for one in earlier if one.rewritten]:
        to.audit("user_handout_rewritten", str(folder),
                 {"import": import_id, "new": [named(p) for p in files],
                  "files": {named(one.path): one.users for one in rewritten},
                  "users": sum(one.users or 0 for one in rewritten)})
    if outdated := [one for one in earlier if not one.rewritten]:
        to.audit("user_handout_outdated", str(folder),
                 {"import": import_id, "files": {named(one.path): one.users for one in outdated},
                  "reasons": {named(one.path): str(one.reason) for one in outdated if one.reason is not None}})


def _still_initial(profile: TargetProfile) -> str:
    """The condition a user's password is still the initial one: the profile's `changed_at`
    still NULL, or its force-change columns still set."""
    password = profile.users.password
    if password.changed_at is not None:
        return f"{password.changed_at} IS NULL"
    if password.force_change:
        return " AND ".join(f"{column} = {constant_sql(value)}" for column, value in password.force_change.items())
    raise UsageError(phrase("users.reset_unsafe", name=profile.name), hint=phrase("users.reset_unsafe_hint"))
