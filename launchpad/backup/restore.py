"""Restoring a backup, the thing that must work at 23:00 with the client waiting.

In this order, and nothing happens unless every earlier point held: the backup belongs to this
environment (never across: no option allows test data onto production) and is not deleted; its
file, opened once and held open until it has been streamed, still has the recorded sha256; a
person confirms (on production by typing the environment's name, or `--confirm ENV`); a safety
backup of the current state is taken; only then is the backup streamed into the restore command.
A database that is not there at all (dropped, or never created on a rebuilt server; one that
exists but is empty is not "gone") has nothing to save: the person is told which one, and that
it will be created, before confirming; the safety backup is skipped, saying why; the database
is created empty (with the encoding — MariaDB/MySQL: character set and collation — the backup
records, else the engine's default) and the backup restored into it. When its user may not
create databases, nothing is done and the person is told to have the DBA create it empty, then
run the same command again. MariaDB/MySQL hide from a user without SHOW DATABASES the databases
it has no rights on, so there "not there" is said as "not there, or not yours", and a refused or
already-existing CREATE as a database that may exist with the user lacking rights on it. PostgreSQL is
asked from its `postgres` database, else `template1`; when the user may connect to neither,
its own database answers whether it is there, and when that fails too nothing is asked or done
and the person is told what the server said and what to do.
Every outcome is a row in `backup_restores` and entries in the audit log. A refusal, nothing
changed, is audited too: `restore_refused`, or `restore_declined` when a person said no. A
backup of another environment (`RestoreOtherEnvironment`) and a restore not confirmed
(`RestoreNotConfirmed`) are the person's to put right, exit 2; the backup's own state (deleted,
not verifying, its target's driver changed) is a refused gate, `RestoreRefused`, exit 4.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from launchpad.backup import records
from launchpad.backup.compress import decompress_command, decompressed_from
from launchpad.backup.drivers import driver_for
from launchpad.backup.drivers.base import DatabaseDefaults, Driver
from launchpad.backup.errors import BackupFailed, RestoreNotConfirmed, RestoreOtherEnvironment, RestoreRefused
from launchpad.backup.hostshell import HostShell, tail
from launchpad.backup.progress import ProgressMeter
from launchpad.backup.records import BackupRecord
from launchpad.backup.session import BackupSession
from launchpad.backup.structure import ChunkReader
from launchpad.backup.targets import ResolvedTarget, resolve_target
from launchpad.backup.verified import VerifiedReader
from launchpad.backup.verify import checksum_problem
from launchpad.errors import LaunchpadError
from launchpad.hosts.base import CommandResult
from launchpad.phrases import Phrase, Said, phrase, typed_instead
from launchpad.run.prompter import ConfirmRequest, Prompter, TypeNameRequest
from launchpad.sitetime import local_text

RESTORE_TIMEOUT = 12 * 3600.0


@dataclass(frozen=True)
class RestoreResult:
    restore_id: int
    backup: BackupRecord
    safety_backup: BackupRecord | None
    detail: Said  # what was restored where: a phrase for the reader, its English text in the store


@dataclass(frozen=True)
class MissingDatabase:
    """The target's database is not on its server, as its user sees it: it is created before
    the restore."""

    name: str
    server: str  # where the server listens, as site.yaml says
    host: str  # the host whose shell reaches it
    defaults: DatabaseDefaults
    # "record" (the backup's record, taken with it), "backup" (the dump itself says) or
    # "default" (the engine's character set; a collation, where it has one, the server's)
    charset_from: str
    may_create: bool | None
    user: str  # the database user, as site.yaml names it ("" when it names none)
    # False: MariaDB/MySQL show a user only the databases it has rights on, so one that is
    # "not there" may be there, out of this user's sight.
    certain: bool = True
    server_collation: bool = False  # created without a collation, it takes the server's default

    @property
    def charset(self) -> str:
        return self.defaults.charset

    def defaults_said(self) -> Said:
        """Its character set, and its collation where the engine has one, for the reader."""
        if self.defaults.collation:
            return phrase("restore.charset_collation", charset=self.charset, collation=self.defaults.collation)
        if self.server_collation:
            return phrase("restore.charset_server_collation", charset=self.charset)
        return self.charset

    def user_said(self) -> Said:
        return self.user or phrase("restore.user_unnamed")

    def audit_detail(self) -> dict[str, Any]:
        return {"database": self.name, "server": self.server, "host": self.host, "charset": self.charset,
                "collation": self.defaults.collation, "charset_from": self.charset_from, "certain": self.certain}


class _MeteredFile:
    """The stored file as a readable stream that reports progress."""

    def __init__(self, source: Any, meter: ProgressMeter) -> None:
        self.source, self.meter = source, meter

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self.source.read(size)
        self.meter.add(len(chunk))
        return chunk


def feed_backup(session: BackupSession, shell: HostShell, record: BackupRecord, command: str,
                phase: str = "restore", opened: BinaryIO | None = None) -> CommandResult:
    """Stream the stored file (or `opened`, the file as it was verified) into `command` on the
    host, decompressing it there when the host has the tool (the link then carries compressed
    bytes), else here. It is hashed as it is read and its end held back unless it is still the
    verified one (verified.py)."""
    if shell.envelope is None:
        raise RuntimeError("feed_backup runs inside HostShell.private_dir (the pipeline keeps its status there)")
    path = record.path(session.backups_dir)
    decompressor = decompress_command(record.compression)
    meter = ProgressMeter(session.progress, record.environment, record.target, phase, record.size)
    on_host = decompressor is None or decompressor.split()[0] in shell.tools([decompressor.split()[0]])
    with contextlib.ExitStack() as closing:
        stored = opened if opened is not None else closing.enter_context(open(path, "rb"))
        stored.seek(0)
        verified = VerifiedReader(cast(BinaryIO, _MeteredFile(stored, meter)), record.size, record.sha256)
        try:
            if on_host:
                result = shell.feed(restore_pipeline(decompressor, command), verified, timeout=RESTORE_TIMEOUT)
            else:
                chunks = decompressed_from(cast(BinaryIO, verified), record.compression, path.name)
                result = shell.feed(command, ChunkReader(chunks), timeout=RESTORE_TIMEOUT)
        except LaunchpadError:
            if verified.problem is None:
                raise
            result = None
        if verified.problem is not None:
            records.set_verified(session.store, record.id, False, verified.problem)
            raise BackupFailed(phrase("backup.changed_after_verify", id=record.id, problem=verified.problem,
                                      target=record.target),
                               hint=phrase("backup.changed_after_verify_hint"))
    assert result is not None
    meter.report()
    return result


def restore_pipeline(decompressor: str | None, command: str) -> str:
    """`decompressor | command`, failing when either fails (sh has no pipefail). It runs in a
    private directory's envelope (envelope.py), which keeps the status file in `$lp_tmp`."""
    if decompressor is None:
        return command
    return (f"{{ {decompressor}; echo $? > \"$lp_tmp/decompress.rc\"; }} | {{ {command}\n}}\nc=$?; "
            f"r=$(cat \"$lp_tmp/decompress.rc\" 2>/dev/null || echo 255); "
            f"if [ \"$r\" != 0 ]; then echo \"launchpad: decompressing the backup failed ($r)\" >&2; exit \"$r\"; fi; "
            f"exit $c")


def restore_backup(session: BackupSession, backup_id: int, env_name: str, prompter: Prompter, *,
                   already_confirmed: bool = False, by_yes: bool = True) -> RestoreResult:
    """`by_yes`: whether a blanket yes answers its question (ConfirmRequest.by_yes); a playbook's
    restore step asks a person, a `launchpad restore` typed on purpose takes the command's --yes."""
    record = records.require_backup(session.store, backup_id)
    environment = session.workspace.environment(env_name)
    if record.environment != env_name:
        # Never across environments (test data onto production): no option allows it.
        session.audit("restore_refused", f"{env_name}/{record.target}",
                      {"backup": backup_id, "reason": "a backup of another environment",
                       "backup_environment": record.environment})
        raise RestoreOtherEnvironment(phrase("error.restore_other_env", id=backup_id, env=record.environment,
                                             wanted=env_name),
                                      hint=phrase("error.restore_other_env_hint", id=backup_id,
                                                  env=record.environment, wanted=env_name))
    if record.deleted_at:
        session.audit("restore_refused", f"{record.environment}/{record.target}",
                      {"backup": backup_id, "reason": "the backup was deleted"})
        raise RestoreRefused(phrase("error.restore_deleted", id=backup_id, reason=record.deleted_said()),
                             hint=phrase("error.restore_deleted_hint", env=record.environment))
    # Held open from the check to the stream: a file renamed or replaced in between changes
    # nothing, and one rewritten in place is caught as it streams (verified.py).
    try:
        opened: BinaryIO | None = open(record.path(session.backups_dir), "rb")  # noqa: SIM115 - closed below
    except OSError:
        opened = None
    try:
        return _verify_and_restore(session, record, env_name, environment.production, prompter, already_confirmed,
                                   by_yes, opened)
    finally:
        if opened is not None:
            opened.close()


def _verify_and_restore(session: BackupSession, record: BackupRecord, env_name: str, production: bool,
                        prompter: Prompter, already_confirmed: bool, by_yes: bool,
                        opened: BinaryIO | None) -> RestoreResult:
    backup_id, where = record.id, f"{record.environment}/{record.target}"
    problem = checksum_problem(record, session.backups_dir, session.progress, opened)
    if problem:
        records.set_verified(session.store, backup_id, False, problem)
        session.audit("restore_refused", where, {"backup": backup_id, "reason": problem})
        raise RestoreRefused(phrase("error.restore_not_verified", id=backup_id, problem=problem),
                             hint=phrase("error.restore_not_verified_hint", env=record.environment))
    target, missing = _missing_database(session, record, opened)
    if missing is not None:
        session.audit("restore_database_missing", where, {"backup": backup_id, **missing.audit_detail(),
                                                          "may_create": missing.may_create})
        if missing.may_create is False:
            session.audit("restore_refused", where, {"backup": backup_id, **missing.audit_detail(),
                                                     "reason": "the database does not exist and its user may not "
                                                               "create databases"})
            raise _not_creatable(record, missing)
    if not already_confirmed:
        _confirm(session, prompter, record, production, by_yes, missing)
    for dead in records.close_dead_restores(session.store):
        session.audit("restore_interrupted", f"{dead['environment']}/{dead['target']}",
                      {"backup": dead["backup_id"], "restore": dead["id"], "reason": "its process was killed mid-way"})
    restore_id = records.start_restore(session.store, record, session.actor, session.run_id, session.step_id)
    session.audit("restore_started", where, {"backup": backup_id, "restore": restore_id,
                                             **({"database_missing": missing.name} if missing else {})})
    safety = None
    try:
        from launchpad.backup.take import take_backup

        if missing is None:
            try:
                safety = take_backup(session, env_name, record.target, purpose="safety")
            except LaunchpadError as exc:
                raise BackupFailed(phrase("error.restore_safety_failed", error=exc.said),
                                   hint=exc.said_hint) from None
        else:
            session.audit("restore_safety_skipped", where, {
                "backup": backup_id, "restore": restore_id, "database": missing.name, "host": missing.host,
                "reason": "the database does not exist: there is nothing to save" if missing.certain else
                          "the database is not among those its user can see (it does not exist, or the user has "
                          "no rights on it): there is nothing the user could save"})
        assert opened is not None  # it verified
        detail = _restore(session, record, opened, safety.id if safety else None, target, missing)
    except LaunchpadError as exc:
        records.finish_restore(session.store, restore_id, "failed", exc.message, safety.id if safety else None)
        session.audit("restore_failed", where, {"backup": backup_id, "restore": restore_id, "reason": exc.message,
                                                "safety_backup": safety.id if safety else None})
        raise
    records.finish_restore(session.store, restore_id, "restored", str(detail), safety.id if safety else None)
    session.audit("restore_finished", where, {"backup": backup_id, "restore": restore_id,
                                              "safety_backup": safety.id if safety else None,
                                              **({"database_created": missing.name} if missing else {})})
    return RestoreResult(restore_id, record, safety, detail)


def _confirm(session: BackupSession, prompter: Prompter, record: BackupRecord, production: bool,
             by_yes: bool = True, missing: MissingDatabase | None = None) -> None:
    step = session.step_id or "restore"
    at = local_text(record.finished, session.workspace.site.tz)
    if missing is None:
        title = phrase("bk.restore_title", id=record.id, target=record.target)
        detail = phrase("bk.restore_detail", id=record.id, target=record.target, env=record.environment,
                        at=at, file=record.file)
    else:
        # Asked and typed alike: the question itself says that the database will be created,
        # and, when the server may only be hiding it from this user, that it may be there.
        sure = "" if missing.certain else "_unsure"
        title = phrase("bk.restore_title_create" + sure, id=record.id, target=record.target, db=missing.name)
        detail = phrase("bk.restore_detail_create" + sure, id=record.id, db=missing.name, server=missing.server,
                        host=missing.host, env=record.environment, charset=missing.defaults_said(), at=at,
                        file=record.file, user=missing.user_said())
    where = f"{record.environment}/{record.target}"
    if not prompter.confirm(ConfirmRequest(step, title, record.environment, production, detail, by_yes=by_yes)):
        session.audit("restore_declined", where, {"backup": record.id, "reason": "not confirmed"})
        raise RestoreNotConfirmed(phrase("error.restore_not_confirmed"))
    if production:
        typed = prompter.type_environment(TypeNameRequest(step, title, record.environment)).strip()
        if typed != record.environment:
            session.audit("restore_declined", where, {"backup": record.id, "reason": "environment name typed wrong",
                                                      "typed": typed})
            raise RestoreNotConfirmed(phrase("error.import_rollback_not_named", env=record.environment,
                                             typed=typed_instead(typed)),
                                      hint=phrase("error.import_rollback_not_named_hint", env=record.environment))
    session.audit("restore_confirmed", where, {"backup": record.id, "production": production})


def _restore(session: BackupSession, record: BackupRecord, opened: BinaryIO, safety_id: int | None,
             target: ResolvedTarget | None = None, missing: MissingDatabase | None = None) -> Phrase:
    """`target`: as resolved before the question (its secrets asked once), else resolved now."""
    environment = session.workspace.environment(record.environment)
    if target is None:
        target = resolve_target(environment, record.environment, record.target, session.transport_for,
                                session.workspace.root, ask_secret=session.ask_secret)
    driver = driver_for(target)
    if driver.name != record.driver:
        raise RestoreRefused(phrase("error.restore_driver", id=record.id, was=record.driver, now=driver.name),
                             hint=phrase("error.restore_driver_hint"))
    shell = HostShell(target.transport, session.audit, local=target.local)
    with shell.private_dir(driver.secret_files()) as tmp:
        if missing is not None:
            _create_database(session, shell, tmp, driver, record, missing)
        result = feed_backup(session, shell, record, driver.restore_command(tmp), opened=opened)
    if not result.ok:
        hint = phrase("error.restore_failed_hint", id=safety_id, env=record.environment) if safety_id is not None \
            else phrase("error.restore_failed_created_hint", db=missing.name if missing else record.target,
                        id=record.id, env=record.environment)
        raise BackupFailed(phrase("error.restore_failed", host=shell.name, code=result.exit_code,
                                  tail=tail(result.stderr)), hint=hint)
    if missing is not None:
        return phrase("restore.restored_created", id=record.id, file=record.file, host=shell.name, db=missing.name,
                      charset=missing.defaults_said())
    return phrase("restore.restored", id=record.id, file=record.file, host=shell.name)


def _missing_database(session: BackupSession, record: BackupRecord, opened: BinaryIO | None
                      ) -> tuple[ResolvedTarget | None, MissingDatabase | None]:
    """The target, resolved (None when it cannot be: the restore says why later, as ever), and
    its database when its server says it is not there; None when it is, when the target is no
    database, or when the server cannot be asked (the restore then goes on as ever, and its
    safety backup says what is wrong). When neither the database nor the server's maintenance
    databases can be reached, the restore stops here, saying what the server said."""
    if opened is None:
        return None, None
    environment = session.workspace.environment(record.environment)
    try:
        target = resolve_target(environment, record.environment, record.target, session.transport_for,
                                session.workspace.root, ask_secret=session.ask_secret)
    except LaunchpadError:
        return None, None
    try:
        driver = driver_for(target)
        if not driver.default_charset or driver.name != record.driver or target.database is None:
            return target, None
        shell = HostShell(target.transport, session.audit, local=target.local)
        with shell.private_dir(driver.secret_files()) as tmp:
            state = driver.database_state(shell, tmp)
    except LaunchpadError:
        return target, None
    if state is None or state.exists:
        return target, None
    defaults, charset_from = driver.recorded_defaults(record.inventory), "record"
    if defaults is None:
        defaults, charset_from = _dump_defaults(driver, record, opened), "backup"
    if defaults is None:
        defaults, charset_from = DatabaseDefaults(driver.default_charset), "default"
    database = target.database
    server = f"{database.host or 'localhost'}" + (f":{database.port}" if database.port else "")
    missing = MissingDatabase(database.name, server, shell.name, defaults, charset_from, state.may_create,
                              database.user or "", state.certain,
                              server_collation=driver.has_collation and defaults.collation is None)
    if state.exists is None:
        raise _unreached(session, record, missing, state.said)
    return target, missing


def _unreached(session: BackupSession, record: BackupRecord, database: MissingDatabase, said: Said) -> BackupFailed:
    """Neither the database nor its server's maintenance databases let the user in: whether it
    is there is not known, and its safety backup could not be taken either; nothing is asked."""
    session.audit("restore_refused", f"{record.environment}/{record.target}", {
        "backup": record.id, **database.audit_detail(), "said": str(said),
        "reason": "neither the database nor the postgres or template1 database could be reached, so whether "
                  "it exists is not known"})
    return BackupFailed(phrase("error.restore_db_unreached", db=database.name, server=database.server,
                               host=database.host, env=record.environment, said=said),
                        hint=phrase("error.restore_db_unreached_hint", db=database.name,
                                    charset=database.defaults_said(), id=record.id, env=record.environment))


def _dump_defaults(driver: Driver, record: BackupRecord, opened: BinaryIO) -> DatabaseDefaults | None:
    """The defaults the backup's own start records (its file as verified); None when it records none."""
    opened.seek(0)
    chunks = decompressed_from(opened, record.compression, record.file)
    try:
        return driver.dump_defaults(chunks)
    except LaunchpadError:
        return None
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # stops a decompressor that would otherwise run to the end
        opened.seek(0)


def _create_database(session: BackupSession, shell: HostShell, tmp: str, driver: Driver, record: BackupRecord,
                     missing: MissingDatabase) -> None:
    where = f"{record.environment}/{record.target}"
    outcome = driver.create_database(shell, tmp, missing.defaults)
    if outcome.created:
        session.audit("restore_database_created", where, {"backup": record.id, **missing.audit_detail()})
        return
    session.audit("restore_database_not_created", where, {"backup": record.id, **missing.audit_detail(),
                                                           "denied": outcome.denied, "exists": outcome.exists,
                                                           "said": str(outcome.said)})
    if outcome.exists:
        # There after all: out of this user's sight for want of any right on it, or created since.
        raise RestoreRefused(phrase("error.restore_db_hidden", db=missing.name, server=missing.server,
                                    host=missing.host, env=record.environment, user=missing.user_said()),
                             hint=phrase("error.restore_db_hidden_hint", db=missing.name, user=missing.user_said(),
                                         id=record.id, env=record.environment))
    if outcome.denied:
        raise _not_creatable(record, missing, outcome.said)
    raise BackupFailed(phrase("error.restore_create_failed", db=missing.name, server=missing.server,
                              host=missing.host, env=record.environment, said=outcome.said),
                       hint=phrase("error.restore_no_create_hint", db=missing.name, charset=missing.defaults_said(),
                                   id=record.id, env=record.environment))


def _not_creatable(record: BackupRecord, missing: MissingDatabase, said: Said = "") -> RestoreRefused:
    if not missing.certain:
        # Refused a database it cannot see: gone and not to be created by this user, or there
        # and closed to it. Either way the DBA is the one to act.
        return RestoreRefused(phrase("error.restore_no_create_unsure", db=missing.name, server=missing.server,
                                     host=missing.host, env=record.environment, user=missing.user_said(),
                                     said=said),
                              hint=phrase("error.restore_no_create_unsure_hint", db=missing.name,
                                          user=missing.user_said(), charset=missing.defaults_said(), id=record.id,
                                          env=record.environment))
    return RestoreRefused(phrase("error.restore_no_create", db=missing.name, server=missing.server,
                                 host=missing.host, env=record.environment),
                          hint=phrase("error.restore_no_create_hint", db=missing.name, charset=missing.defaults_said(),
                                      id=record.id, env=record.environment))
