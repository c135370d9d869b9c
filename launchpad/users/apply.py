"""Apply a plan to the target and undo it.

Order of writes, so that a kill -9 at any point loses nothing and doubles nothing:
1. the import is recorded (`applying`, with this process as owner);
2. new users' passwords are generated and hashed (on every core), each kept as it is hashed in
   the import's hand-out folder and synced before step 3 (hashing_progress.py);
3. for each batch: its rows are recorded in the store, the batch is sent as one transaction
   (inserts guarded by NOT EXISTS, every row marked `import:ID` in create_by/update_by), and
   the rows are marked done. Batch N+1 is recorded and built while batch N is on the host
   (`inflight.py`), each committed only after its rows are recorded (into PostgreSQL's one
   session it is sent first and its COMMIT after the record: the host loads it meanwhile), and
   sent before N committed only through the import's one command, which runs them in order;
4. the import becomes `applied`, and the hand-out files are written.

A later `apply` into the same environment finds an `applying` import whose process is gone and
continues it under the same id: the plan is computed afresh from the target, so rows the killed
process committed are now unchanged and are not written again. Their passwords were kept with
their hashes before the first batch was sent (hashing_progress.py), so they are handed out with
the rest; only those whose kept passwords are gone (the policy changed since) are listed for
`launchpad users handout ID --reset`. The users it had hashed are not hashed again.

A stop the person asks for (`should_stop`, the TUI's stop key) is honoured between batches and
between hashes: the import stays `applying`, resumable exactly like a killed one, but the
passwords of the users already written are still in memory, so their hand-out is written (in a
`stopped-…` folder of the import's hand-out) before `ImportStopped` is raised.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.durations import said_duration
from launchpad.errors import LaunchpadError, UsageError
from launchpad.oserrors import os_reason
from launchpad.phrases import Phrase, Said, phrase
from launchpad.sitetime import utc_now, zoned_text
from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users.annotate import CannotWrite
from launchpad.users.bulk import building_rows
from launchpad.users.direct import Reserved, can_copy, direct_batch, prepare_script, reserved_from
from launchpad.users.early_stream import EarlyStream
from launchpad.users.guard import ImportRefused, RollbackRefused
from launchpad.users.handout import HANDOUT_NAME, handout_dir, handouts_root, people_from_kept, write_handouts
from launchpad.users.hashing_progress import HashingProgress, remove_progress
from launchpad.users.inflight import InFlight
from launchpad.users.operations import Planned, users_command
from launchpad.users.passwords import ForUser, Issued, choose, hash_all
from launchpad.users.plan import PlannedUser
from launchpad.users.profile import TARGETS_DIR, TargetProfile, load_profile
from launchpad.users.rollback_handouts import HandoutsAfterRollback
from launchpad.users.staged import IDS_UNFOUND, NO_ID_DEFAULT, can_stage, stage_full, staged_batch
from launchpad.users.state import live
from launchpad.users.stream import BatchStream
from launchpad.users.target import BATCH_REFUSED, TargetFailed, TargetSession, refused_local_load
from launchpad.users.writes import ALREADY_THERE, apply_script, undo_script

BATCH = 500  # rows per transaction sent as a script
# Rows per transaction through the bulk loader: each batch costs one command on the host (SSH,
# the private folder, the client's start), so fewer, larger batches; at 20,000 rows 10,000 was
# as fast as 20,000 (bench/import) while a kill -9 still loses at most one batch's work.
BULK_BATCH = 10_000
# The first of them is small: the host works only once a batch is recorded and built here, so
# a first batch of 10,000 kept it idle for ~0.15 s; the next batches are made while it works.
BULK_FIRST = 1_000
# After the second, each batch is half as large again as the one before, up to BULK_MOST: every
# batch's guard reads the whole users table (RuoYi does not index the login name), so its cost
# is the number of batches times the table, and growing batches keep that number small (100,000
# rows: 6 batches instead of 11). Faster growth leaves the host idle: a batch is recorded and
# built here while the one two before it is written there, at about two thirds of its pace.
BULK_GROWTH = 1.5
BULK_MOST = 40_000
AuditFn = Callable[[str, str, dict[str, Any]], None]


@dataclass(frozen=True)
class ApplyProgress:
    phase: str  # "hashing" or "writing"
    done: int
    total: int
    elapsed: float
    phase_elapsed: float = 0.0  # since this phase began: what its rate and time left come from

    def describe(self) -> Phrase:
        return phrase(f"users.progress.{self.phase}", done=self.done, total=self.total,
                      time=said_duration(round(self.elapsed), "second"))

    @property
    def rate(self) -> float:
        """Rows (or hashes) a second in this phase; 0 before the first is done."""
        return self.done / self.phase_elapsed if self.done and self.phase_elapsed > 0 else 0.0

    @property
    def left(self) -> float | None:
        """Seconds this phase still needs at its rate so far; None until there is a rate."""
        return (self.total - self.done) / self.rate if self.rate else None


class ImportStopped(LaunchpadError):
    """The person stopped an apply between batches: what was written stays, recorded, and the
    same import run again continues it."""

    title = "import stopped"
    exit_code = 1

    def __init__(self, message: Said, *, import_id: int, done: int, total: int, handouts: list[Path],
                 hint: Said = "") -> None:
        super().__init__(message, hint=hint)
        self.import_id, self.done, self.total, self.handouts = import_id, done, total, handouts


class _StopAsked(Exception):
    """Raised from the hashing callback to leave the pool at once."""


@dataclass
class ApplyOutcome:
    import_id: int
    counts: dict[str, int]
    handouts: list[Path] = field(default_factory=list)
    resumed: bool = False
    without_password: list[str] = field(default_factory=list)  # inserted by a killed earlier attempt


@dataclass
class ImportTarget:
    """Where an import goes and who does it: what the record and the audit log need."""

    store: Store
    session: TargetSession
    workspace_root: Path
    environment: str
    database: str
    actor: str
    zone: ZoneInfo = ZoneInfo("UTC")  # the site's, for the times a refusal shows

    def audit(self, action: str, target: str, detail: dict[str, Any]) -> None:
        self.store.audit(self.actor, action, target, detail)


def in_batches(users: list[Any], size: int, first: int, most: int | None = None) -> Iterator[list[Any]]:
    """`users` in batches of `size`, the first of `first`; with `most`, each batch after the
    second BULK_GROWTH times the one before, up to `most`."""
    start, step = 0, first
    while start < len(users):
        yield users[start:start + step]
        start += step
        step = size if start == first else min(int(step * BULK_GROWTH), most or size)


def apply_plan(to: ImportTarget, planned: Planned, *, file: Path, file_sha256: str, mapping_name: str,
               allow_rejected: bool = False, batch_size: int | None = None,
               progress: Callable[[ApplyProgress], None] | None = None,
               should_stop: Callable[[], bool] = lambda: False, check_command: str | None = None) -> ApplyOutcome:
    """`check_command`: what lists the rejected rows, as a person pastes it (by default the check
    of `file` on this environment; rows from a mapping's source have no file to name)."""
    counts = planned.plan.counts()
    if counts["rejected"] and not allow_rejected:
        check = check_command or users_command("check", file, to.environment)
        raise ImportRefused(phrase("error.import_rows_rejected", count=counts["rejected"], file=file.name),
                            hint=phrase("error.import_rows_rejected_hint", command=check))
    started = time.monotonic()
    phase_started: dict[str, float] = {}

    def report(phase: str, done: int, total: int) -> None:
        if progress is not None:
            now = time.monotonic()
            began = phase_started.setdefault(phase, now)
            progress(ApplyProgress(phase, done, total, now - started, now - began))

    def hashed_one(done: int) -> None:
        if should_stop():
            raise _StopAsked
        this_run = done - already  # hashed by this attempt, at its pace so far
        early.hashing_left((len(wanted) - this_run) * (time.monotonic() - hashing_began) / this_run)
        report("hashing", done, len(inserts))

    if counts["insert"]:  # the passwords must have somewhere to go before any user gets one
        _writable(handouts_root(to.workspace_root))
    writes = planned.plan.writes()
    inserts = [u for u in writes if u.action == "insert"]
    policy = planned.mapping.passwords
    # Chosen before the import is recorded: a site rule that fails a row stops here, writing nothing.
    chosen = choose([ForUser(u.key, u.values.get("user_name", u.key), u.rule_inputs) for u in inserts], policy)
    import_id, resumed = _import_record(to, planned, file, file_sha256, mapping_name)
    mark = records.mark(import_id)
    folder = handout_dir(to.workspace_root, import_id)
    # Hours of bcrypt are not thrown away by a kill or a stop: the users an earlier attempt of
    # this import hashed are kept (hashing_progress.py), and only the rest are hashed.
    hashed_so_far = HashingProgress(folder, policy, to.audit)
    kept = hashed_so_far.kept()  # also when nothing is left to insert: the earlier ones are handed out
    wanted = [(user, password) for user, password in chosen if user.key not in kept]
    already = len(chosen) - len(wanted)
    if kept:
        to.audit("user_import_hashing_resumed", f"{to.environment}/{to.database}",
                 {"import": import_id, "kept": already, "to_hash": len(wanted)})
    profile = planned.mapping.profile
    staging = to.session.bulk and can_stage(to.session.sql, profile)
    size = batch_size or (BULK_BATCH if staging else BATCH)
    ramped = staging and not batch_size  # a size asked for is kept for every batch
    first = min(size, BULK_FIRST) if ramped else size
    batches = list(in_batches(writes, size, first, BULK_MOST if ramped else None))
    # The bulk-loaded batches share one command on the host, opened while the last passwords are
    # hashed so that its SSH, shell and private folder are ready by the time the first batch is
    # (early_stream.py); batch N is on the host while batch N+1 is recorded and built here (see
    # inflight.py).
    early = EarlyStream(to.session, staging and bool(inserts), len(batches))
    if inserts:
        report("hashing", already, len(inserts))
    if not wanted:
        early.open_soon()
    # What the batches need of the hashes is noted as each is made, and what the reservation
    # needs of the plan before any: made after the last hash, they held the first batch back
    # 0.1 s at 100,000 users (bench/import), while hashing they cost nothing.
    hashes = {key: one.hashed for key, one in kept.items()}
    salts = {key: one.salt for key, one in kept.items() if one.salt is not None}

    def keep(one: Issued) -> None:
        hashed_so_far.keep(one)
        hashes[one.key] = one.hashed
        if one.salt is not None:
            salts[one.key] = one.salt

    linked = (sorted({r for u in inserts for r in u.roles_added}), sorted({p for u in inserts for p in u.posts_added}))
    hashing_began = time.monotonic()
    try:
        try:
            fresh = hash_all(wanted, policy, on_done=lambda n: hashed_one(already + n), keep=keep)
        except _StopAsked:
            hashed_so_far.flush()
            _stopped(to, import_id, [], [], 0, len(writes))
        # Synced before the first batch is sent: every user written has its password in the file.
        hashed_so_far.flush()
        to.session.secrets.add([*hashes.values(), *salts.values()])
        done = 0
        report("writing", 0, len(writes))

        def committed(batch: list[PlannedUser], record: int) -> None:
            nonlocal done
            records.rows_done(to.store, import_id, record)
            done += len(batch)
            report("writing", done, len(writes))

        # Each batch's record and data are tens of thousands of new objects: with the collector on,
        # they started full passes over the whole plan (0.4 s of 1.0 at 100,000 rows, bench/import).
        with building_rows(), early.ready() as stream, InFlight(2) as flight:
            streamed_before = False
            # PostgreSQL's new users go by COPY straight into the users table where the target
            # allows it (direct.py): their ids are reserved first, answered while batch 1 is recorded.
            asked = stream is not None and to.session.bulk and bool(inserts) and can_copy(to.session.sql, profile)
            if asked and stream is not None:
                stream.ask(prepare_script(to.session.sql, profile, len(inserts), *linked))
            reserved: Reserved | None = None
            for number, batch in enumerate(batches, 1):
                # Into PostgreSQL's one session a batch goes before its rows are recorded, and only
                # its COMMIT after: the host loads and checks it meanwhile. The first is recorded
                # while the reservation is answered.
                ahead = stream is not None and stream.holds_commit and to.session.bulk and not asked
                record = None if ahead else records.record_rows(to.store, import_id, number,
                                                                [_row(u) for u in batch])
                if asked and stream is not None:
                    reserved, asked = reserved_from(stream.answer(), len(inserts)), False
                staged = None
                if stream is not None and to.session.bulk and any(u.action == "insert" for u in batch):
                    staged = staged_batch(to.session.sql, batch, hashes, mark, profile, salts, policy.salt_column) \
                        if reserved is None else \
                        direct_batch(to.session.sql, batch, hashes, mark, profile, reserved, salts, policy.salt_column)
                # A batch through the import's command may be sent while the one before it is still
                # on the host through the same command: the host runs them in order and stops at the
                # first that fails, so the rows travel while the batch before is written. Anything
                # else waits until the batch before committed and its rows are marked done.
                flight.drain(keep=1 if staged is not None and streamed_before else 0)
                streamed = stream is not None and staged is not None and to.session.bulk  # after a refusal: False
                if should_stop():  # not sent: as after a kill, the resume plans it afresh
                    flight.drain()  # one already sent still commits, and its users are handed out
                    _stopped(to, import_id, _issued(chosen, fresh, kept), writes[:done], done, len(writes))
                if streamed and stream is not None and staged is not None:
                    stream.announce(number, staged)
                    stream.send_batch(number, staged, commit=record is not None)
                if record is None:
                    record = records.record_rows(to.store, import_id, number, [_row(u) for u in batch])
                    if streamed and stream is not None:
                        stream.commit(number)
                script = partial(apply_script, to.session.sql, batch, hashes, mark, salts, policy.salt_column,
                                 profile)
                flight.start(partial(_write_batch, to, import_id, number, stream if streamed else None, script),
                             partial(committed, batch, record))
                streamed_before = streamed
    finally:
        early.close()
    records.finish_import(to.store, import_id, "applied")
    to.audit("user_import_applied", f"{to.environment}/{to.database}",
             {"import": import_id, "file": file.name, "sha256": file_sha256, **planned.plan.counts()})
    outcome = ApplyOutcome(import_id, counts, resumed=resumed)
    people = _people(inserts, _issued(chosen, fresh, kept))
    if resumed:
        earlier = _inserted_earlier(to, import_id, {u.key for u in inserts})
        # A killed attempt's users whose passwords were kept are handed out with the rest.
        handed, outcome.without_password = people_from_kept(earlier, kept)
        people += handed
    if people:
        try:
            outcome.handouts = write_handouts(folder, people, to.audit)
        except (CannotWrite, OSError) as exc:
            # The passwords stay kept in the folder until a hand-out is written (handout_kept.py).
            raise CannotWrite(phrase("users.handout_lost", id=import_id, error=str(exc), folder=str(folder)),
                              hint=phrase("users.handout_lost_hint", id=import_id)) from None
    hashed_so_far.remove("handed_out")
    return outcome


def _issued(chosen: list[tuple[ForUser, str]], fresh: list[Issued], kept: dict[str, Issued]) -> list[Issued]:
    """Each chosen user's password and hash, hashed now or kept from an earlier attempt, in order."""
    by_key = {one.key: one for one in fresh} | kept
    return [by_key[user.key] for user, _ in chosen]


def _people(inserts: list[PlannedUser], issued: list[Any]) -> list[dict[str, str]]:
    names = {u.key: (u.unit, u.values.get(HANDOUT_NAME, "")) for u in inserts}
    return [{"unit": names[i.key][0], "key": i.key, "name": names[i.key][1], "password": i.password}
            for i in issued if i.key in names]


def _stopped(to: ImportTarget, import_id: int, issued: list[Any], written: list[PlannedUser], done: int,
             total: int) -> None:
    """Leave the import resumable; hand out the passwords of the users already inserted."""
    inserted = [u for u in written if u.action == "insert"]
    handouts: list[Path] = []
    if inserted:
        stamp = utc_now().replace(":", "").replace("-", "").replace(".", "")[:22]
        handouts = write_handouts(handout_dir(to.workspace_root, import_id) / f"stopped-{stamp}",
                                  _people(inserted, issued), to.audit)
        records.handed_out(to.store, import_id, [u.key for u in inserted])
    to.audit("user_import_stopped", f"{to.environment}/{to.database}",
             {"import": import_id, "done": done, "total": total})
    raise ImportStopped(phrase("users.import_stopped", id=import_id, done=done, total=total),
                        import_id=import_id, done=done, total=total, handouts=handouts,
                        hint=phrase("users.import_stopped_hint"))


def _writable(folder: Path) -> None:
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        probe = folder / ".writable"
        probe.touch(mode=0o600)
        probe.unlink()
    except OSError as exc:
        raise CannotWrite(phrase("users.handout_folder", folder=str(folder), error=os_reason(exc)),
                          hint=phrase("users.handout_folder_hint")) from None


def _write_batch(to: ImportTarget, import_id: int, number: int, stream: BatchStream | None,
                 script: Callable[[], str]) -> None:
    """One batch, on the worker thread: the wait for it when it was sent through the import's
    command and the server loads from the client, else as a script."""
    if stream is not None and _loaded(to, import_id, number, stream):
        return
    _send(to, import_id, number, partial(to.session.script, script(), BATCH_REFUSED))


def _loaded(to: ImportTarget, import_id: int, number: int, stream: BatchStream) -> bool:
    """Whether the batch sent through the import's command committed; False when the server
    refuses loading from the client (a site's `local_infile = OFF`), or MariaDB found the
    batch's stage in memory past its cap: then this batch and the rest go as scripts."""
    try:
        _send(to, import_id, number, partial(stream.wait, number))
    except TargetFailed as exc:
        refused = refused_local_load(exc.message)
        if not refused and not stage_full(exc.message):
            raise
        if to.session.bulk:  # it holds for the rest of the import, and is said once
            to.session.bulk = False
            # with the batch already sent behind this one, which the host never ran (its command
            # stopped at the failure): it goes as a script too
            to.audit("user_import_bulk_refused" if refused else "user_import_stage_full",
                     f"{to.environment}/{to.database}",
                     {"import": import_id, "batch": number, "sent_not_run": stream.sent_after(number)})
        return False
    return True


def _send(to: ImportTarget, import_id: int, number: int, send: Callable[[], object]) -> None:
    try:
        send()
    except TargetFailed as exc:
        if IDS_UNFOUND in exc.message:
            to.audit("user_import_ids_unfound", f"{to.environment}/{to.database}", {"import": import_id,
                                                                                   "batch": number})
            raise TargetFailed(phrase("users.stream.ids_unfound", batch=number, id=import_id, env=to.environment),
                               hint=phrase("users.stream.ids_unfound_hint", env=to.environment)) from None
        unnumbered = re.search(rf"{NO_ID_DEFAULT} (\w+)\.(\w+)", exc.message)
        if unnumbered:  # the stage's own words name the table and column (identifiers: \w)
            raise TargetFailed(phrase("users.stream.no_id_default", batch=number, id=import_id, env=to.environment,
                                      table=unnumbered[1], column=unnumbered[2]),
                               hint=phrase("users.stream.no_id_default_hint")) from None
        if ALREADY_THERE not in exc.message:
            raise
        to.audit("user_import_target_changed", f"{to.environment}/{to.database}", {"import": import_id,
                                                                                  "batch": number})
        raise ImportRefused(phrase("users.batch_raced", batch=number, id=import_id, env=to.environment),
                            hint=phrase("users.batch_raced_hint", id=import_id)) from None


def _import_record(to: ImportTarget, planned: Planned, file: Path, sha: str, mapping_name: str) -> tuple[int, bool]:
    from launchpad.users.abandon import refuse_abandoned

    refuse_abandoned(to.store, to.environment, sha)
    unfinished = records.unfinished_import(to.store, to.environment)
    if unfinished is not None:
        if unfinished["file_sha256"] != sha:
            raise ImportRefused(phrase("users.unfinished_other", id=unfinished["id"], file=unfinished["file_name"],
                                       env=to.environment),
                                hint=phrase("users.unfinished_other_hint", id=unfinished["id"]))
        records.adopt_import(to.store, unfinished["id"])
        to.audit("user_import_resumed", f"{to.environment}/{to.database}", {"import": unfinished["id"]})
        return int(unfinished["id"]), True
    import_id = records.start_import(
        to.store, environment=to.environment, database=to.database, target=planned.mapping.target,
        file_name=file.name, file_sha256=sha, mapping=mapping_name, rows=len(planned.plan.users),
        planned=planned.plan.counts(), plan_digest=planned.plan.digest(), operator=to.actor)
    to.audit("user_import_started", f"{to.environment}/{to.database}",
             {"import": import_id, "file": file.name, "sha256": sha, **planned.plan.counts()})
    return import_id, False


def _row(user: PlannedUser) -> records.RecordedRow:
    """What the store keeps of a written row: what undoing it, resuming it and handing out its
    password need. An update's changed fields as they were and become; of a new user only the
    name its hand-out shows — the rest of a person's data (ID number, phone, e-mail) stays in
    the client's sheet and database, not copied into the store (and recording 100,000 whole
    rows took a third of the import thread's time, bench/import)."""
    if user.action == "update":
        return (user.key, user.action, user.unit, {c: old for c, (old, _) in user.changes.items()},
                {c: new for c, (_, new) in user.changes.items()}, user.roles_added, user.posts_added)
    name = user.values.get(HANDOUT_NAME)
    return (user.key, user.action, user.unit, None, None if name is None else {HANDOUT_NAME: name},
            user.roles_added, user.posts_added)


def _inserted_earlier(to: ImportTarget, import_id: int, now_inserted: set[str]) -> list[dict[str, Any]]:
    """The recorded rows of users an earlier attempt inserted and did not hand out."""
    return [r for r in records.import_rows(to.store, import_id)
            if r["action"] == "insert" and r["key"] not in now_inserted and r["done"] != records.HANDED_OUT]


@dataclass
class RollbackOutcome:
    import_id: int
    deleted: int
    restored: int
    left_alone: list[str]  # updated rows someone changed after the import
    # Its hand-out files once the rollback is done (`importing.run_rollback`): removed, or kept and why.
    handouts: HandoutsAfterRollback | None = None


def refuse_rolled_back(to: ImportTarget, record: dict[str, Any]) -> None:
    """A second rollback of an import is refused (not a usage mistake): when, and by whom, it was."""
    if record.get("status") != "rolled_back":
        return
    at, by = zoned_text(record["rolled_back"], to.zone), records.rolled_back_by(to.store, record["id"])
    said = phrase("users.already_rolled_back", id=record["id"], at=at) if by is None else \
        phrase("users.already_rolled_back_by", id=record["id"], at=at, actor=by)
    raise RollbackRefused(said, hint=phrase("users.already_rolled_back_hint"))


def rollback_import(to: ImportTarget, import_id: int, *, batch_size: int = BATCH) -> RollbackOutcome:
    found = records.get_import(to.store, import_id)
    if found["environment"] != to.environment:
        raise UsageError(phrase("users.import_other_env", id=import_id, env=found["environment"], given=to.environment),
                         hint=phrase("users.import_other_env_hint", env=found["environment"]))
    refuse_rolled_back(to, found)
    if found["status"] == "applying":
        records.refuse_if_running(found, RollbackRefused)  # this import, while its process lives
    rows = records.import_rows(to.store, import_id)
    mark = records.mark(import_id)
    updated = [r["key"] for r in rows if r["action"] == "update" and r["before"]]
    profile = load_profile(found["target"], to.workspace_root / TARGETS_DIR)
    still = _still_marked(to.session, profile, updated, mark)
    left_alone = [k for k in updated if k.casefold() not in still]
    to.audit("user_import_rollback_started", f"{to.environment}/{to.database}",
             {"import": import_id, "rows": len(rows), "left_alone": len(left_alone)})
    for start in range(0, len(rows), batch_size):
        to.session.script(undo_script(to.session.sql, rows[start:start + batch_size], mark, f"rollback:{import_id}",
                                      profile))
    records.finish_import(to.store, import_id, "rolled_back")
    # An import rolled back before it finished: the passwords it hashed will never be used.
    remove_progress(handout_dir(to.workspace_root, import_id), to.audit, "rolled_back")
    outcome = RollbackOutcome(import_id, sum(r["action"] == "insert" for r in rows), len(updated) - len(left_alone),
                              left_alone)
    to.audit("user_import_rolled_back", f"{to.environment}/{to.database}",
             {"import": import_id, "deleted": outcome.deleted, "restored": outcome.restored,
              "left_alone": left_alone})
    return outcome


def _still_marked(session: TargetSession, profile: TargetProfile, keys: list[str], mark: str) -> set[str]:
    if not keys:
        return set()
    users = profile.users
    where, params = live(users.soft_delete, users.tenant)
    rows = session.query(f"SELECT {profile.column(users.key)} FROM {users.table} WHERE {users.mark.updated_by} = "
                         f":mark AND {where}", {"mark": mark, **params})
    return {str(r[0]).casefold() for r in rows.rows}
