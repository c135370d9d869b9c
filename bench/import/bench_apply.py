"""The apply's write rate into MariaDB and PostgreSQL over SSH, against the database's own bulk
loader fed the same rows over the same link, in the same run.

The servers are the test suite's own (tests/integration): a real sshd on 127.0.0.1 with a key
made for the run, MariaDB and PostgreSQL in temporary data directories, a RuoYi-shaped
database in each (tests/integration/ruoyi.py). launchpad reaches the databases as on a site:
the database's client on the host, through SSH.

For each database:
1. the sheet is planned against the live target (every row a new user);
2. the bulk loader loads the rows the plan would insert — the same columns, with a bcrypt
   hash of the same length — into an empty copy of sys_user: `LOAD DATA LOCAL INFILE` from the
   client's stdin for MariaDB, `\\copy … FROM pstdin` for psql, one SSH command each; twice
   before the apply and once after, the fastest counting;
3. `apply_plan` writes the plan (batches in transactions, every row recorded in the store
   first and marked done after, each new user given its role). Its hashing is timed apart
   (the progress callback says when the last hash is done) and left out of the write rate.

With `parts` (run.py's `--parts`) the apply is timed piece by piece: the store's writes, the
batch's data built in Python, the audit log, each batch's wall time from sent into the import's
one command (launchpad/users/stream.py) to its mark, and inside it, on the host, each
statement's time from timestamps the same client prints between the statements (`NOW(6)` /
`clock_timestamp()`); then, apart, what the SSH channel, the client's start and the bytes on
stdin cost alone for one command (what the loader pays once, and the import's command once).
The marks add a few statements to each batch, so a run with `--parts` is a little slower than
one without: its apply / loader ratio is not the figure.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from launchpad.backup.sqlclient import MySqlClient, PostgresClient
from launchpad.hosts.connect import HostConnections
from launchpad.store.db import Store
from launchpad.users import apply as apply_module
from launchpad.users import records
from launchpad.users import stream as stream_module
from launchpad.users.apply import ApplyProgress, ImportTarget, apply_plan, in_batches
from launchpad.users.operations import Planned, file_sha256, plan_file, target_session
from launchpad.users.plan import PlannedUser
from launchpad.users.profile import bundled_profile
from launchpad.users.staged import Staged
from launchpad.users.state import UNIT
from launchpad.users.target import TargetSession
from launchpad.users.writes import Writer
from tests.integration.databases import PASSWORD, MariaDbServer, PostgresServer, server_directory
from tests.integration.ruoyi import RuoYiLab
from tests.integration.sshd import SshLab

ENGINES = {"test": "MariaDB", "test-pg": "PostgreSQL"}  # the lab's environments
COPY_TABLE = "bench_user"
# The loader is timed this many times, all but one before the apply and one after, and the
# fastest counts: on a shared machine a single slow measure would flatter the apply's ratio.
LOADER_ROUNDS = 3
# As long as a real `$2a$10$` hash, so the loader moves as many bytes as the apply.
SAMPLE_HASH = "$2a$10$7JB720yubVSZvUI0rEqK/.VqGOZTH.ulu33dHOiBE8ByOhJIrdAu2"


@dataclass
class ApplyFigures:
    engine: str
    rows: int
    loader_seconds: float
    apply_seconds: float  # writing only: from the last hash to the last batch
    hashing_seconds: float
    batches: int
    batch_size: int
    floor_seconds: float = 0.0  # the loader fed the users and their links: the least any apply writes
    parts: dict[str, float] = field(default_factory=dict)  # seconds, summed over the batches
    alone: dict[str, float] = field(default_factory=dict)  # seconds of one command, measured apart
    rounds: list[float] = field(default_factory=list)  # each apply's writing seconds, the fastest above

    @property
    def ratio(self) -> float:
        """The apply's rate over the loader's: 1.0 is as fast, the target is ≥ 0.5."""
        return self.loader_seconds / self.apply_seconds

    @property
    def floor_ratio(self) -> float:
        """The best ratio any apply could show: the loader's rate over its own rate for the rows
        every apply must write (the users and their role and post links), with no guard, no record,
        no build, no hashing."""
        return self.loader_seconds / self.floor_seconds if self.floor_seconds else 0.0


@contextlib.contextmanager
def servers(folder: Path, apart: bool = False) -> Iterator[RuoYiLab]:
    """sshd, MariaDB and PostgreSQL as the integration tests start them, and a RuoYi lab. With
    `apart`, the servers on the last core and this process on the others (see `keep_apart`)."""
    home = folder / "home"
    home.mkdir()
    os.environ["HOME"] = str(home)  # the lab's ~/.ssh/config; the user's own is never read
    os.environ.pop("SSH_AUTH_SOCK", None)
    os.environ["LP_TEST_DB_PW"] = PASSWORD
    ssh = SshLab(folder / "sshd")
    maria = MariaDbServer(server_directory("lp-bench-mariadb-"))
    pg = PostgresServer(server_directory("lp-bench-postgres-"))
    try:
        host = ssh.start_host("app1")
        ssh.write_user_ssh_config()
        maria.start()
        pg.start()
        if apart:
            keep_apart([host.directory / "sshd.pid", maria.directory / "mysqld.pid", pg.data / "postmaster.pid"])
        yield RuoYiLab(folder / "ws", host, maria, pg)
    finally:
        ssh.close()
        maria.stop()
        pg.stop()
        for directory in (maria.directory, pg.directory):
            shutil.rmtree(directory, ignore_errors=True)


def keep_apart(pid_files: list[Path]) -> None:
    """On a site launchpad runs on the engineer's machine and the database on its host: the
    Python that records and builds the batches never takes CPU from the server. Here both share
    this machine's cores, so the servers (sshd, with the shells, clients and sessions it starts
    from now on, and the databases with every backend they fork) are kept on the last core and
    this process on the others. The loader and the apply are measured alike, the loader's
    client being sshd's child too."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        raise SystemExit("--apart needs two cores or more")
    server = {cores[-1]}
    for pid_file in pid_files:
        for pid in _with_children(int(pid_file.read_text().split()[0])):  # PostgreSQL's workers too
            for task in Path(f"/proc/{pid}/task").iterdir():  # every thread of each
                os.sched_setaffinity(int(task.name), server)
    os.sched_setaffinity(0, set(cores[:-1]))  # before the apply starts its threads, which inherit it


def _with_children(pid: int) -> list[int]:
    """`pid` and the processes it started (one level: the databases' workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # the parent's pid is the second field after the command's closing parenthesis
            if int(stat.read_text().rpartition(")")[2].split()[1]) == pid:
                children.append(int(stat.parent.name))
    return [pid, *children]


def measure(lab: RuoYiLab, env: str, sheet: Path, mapping_text: str, batch_size: int,
            parts: bool = False, rounds: int = 1) -> ApplyFigures:
    """The apply of `sheet` into env's empty-of-imports target, `rounds` times (the fastest
    counts, as the loader's fastest does), and the loader and the floor on the same rows."""
    mapping = lab.root / "imports" / "bench.yaml"
    mapping.parent.mkdir(exist_ok=True)
    mapping.write_text(mapping_text, encoding="utf-8")
    with Store.open(lab.workspace.store_path) as store, HostConnections(lab.workspace, env) as connections, \
            target_session(lab.workspace, env, None, connections.transport_for,
                           lambda action, target, detail: store.audit("bench", action, target, detail)) as session:
        _remove_imported(lab, env)
        planned = plan_file(sheet, mapping, session, env)
        inserts = [u for u in planned.plan.writes() if u.action == "insert"]
        loaded = [_bulk_load(lab, env, session, inserts) for _ in range(LOADER_ROUNDS - 1)]
        applied: list[tuple[float, float, dict[str, float]]] = []  # writing, hashing, parts
        for round_number in range(rounds):
            if round_number:  # the same import again from the same target: its users removed first
                _remove_imported(lab, env)
                planned = plan_file(sheet, mapping, session, env)
            applied.append(_apply_once(lab, env, store, session, planned, sheet, mapping, batch_size, parts))
            _check_written(lab, env, len(inserts))
        loaded.append(_bulk_load(lab, env, session, inserts))  # one after: the machine's load drifts
        loader = min(loaded)
        floor = min(_floor_load(lab, env, session, inserts) for _ in range(LOADER_ROUNDS))
        alone = _alone(session, inserts[:batch_size]) if parts else {}
    writing, hashing, timed = min(applied, key=lambda one: one[0])
    # The default size is what `users import` does: a small first batch, then batches of it.
    first = min(batch_size, apply_module.BULK_FIRST) if batch_size == apply_module.BULK_BATCH else batch_size
    return ApplyFigures(ENGINES[env], len(inserts), loader, writing, hashing,
                        len(list(in_batches(inserts, batch_size, first, apply_module.BULK_MOST
                                            if batch_size == apply_module.BULK_BATCH else None))), batch_size,
                        floor, timed, alone, [one[0] for one in applied])


def _apply_once(lab: RuoYiLab, env: str, store: Store, session: TargetSession, planned: Planned, sheet: Path,
                mapping: Path, batch_size: int, parts: bool) -> tuple[float, float, dict[str, float]]:
    """One apply: seconds writing (from the last hash to the last batch), seconds hashing, and
    with `parts` its parts."""
    marks: dict[str, float] = {}

    def progress(step: ApplyProgress) -> None:
        if step.done == step.total:
            marks[step.phase] = time.monotonic()

    timer = PartTimer(session, store) if parts else None
    started = time.monotonic()
    with timer or contextlib.nullcontext():
        apply_plan(ImportTarget(store, session, lab.root, env, "app", "bench"), planned, file=sheet,
                   file_sha256=file_sha256(sheet), mapping_name=mapping.name, progress=progress,
                   batch_size=None if batch_size == apply_module.BULK_BATCH else batch_size)
    hashed = marks.get("hashing", started)
    return marks["writing"] - hashed, hashed - started, timer.seconds if timer else {}


def _check_written(lab: RuoYiLab, env: str, wanted: int) -> None:
    count = int(lab.sql(env, "SELECT count(*) FROM sys_user WHERE create_by LIKE 'import:%'")[0][0])
    if count != wanted:
        raise RuntimeError(f"{ENGINES[env]}: the apply wrote {count} users, the plan had {wanted}")


def _remove_imported(lab: RuoYiLab, env: str) -> None:
    """The users an earlier measure (another batch size) imported, so each starts from the same target."""
    imported = "SELECT user_id FROM sys_user WHERE create_by LIKE 'import:%'"
    statements = [f"DELETE FROM sys_user_role WHERE user_id IN ({imported})",
                  f"DELETE FROM sys_user_post WHERE user_id IN ({imported})",
                  "DELETE FROM sys_user WHERE create_by LIKE 'import:%'"]
    for statement in statements:
        if env == "test":
            lab.maria.root_sql(statement, lab.name)
        else:
            lab.pg.sql(statement, lab.name)
    if env != "test":
        # The tables rewritten now, as the first round found them. Left to autovacuum, the dead
        # rows were vacuumed during the next round's apply, on the server's one core with
        # --apart (1.06 s, then 1.35 and 1.10 s in one run); vacuumed in place, they left
        # 100,000 rows' room in pages long out of the server's buffers, which the next round's
        # COPY read back to fill, where the first round's took new pages (0.97 s, then
        # 1.2–1.9 s in one run).
        lab.pg.sql("VACUUM FULL sys_user, sys_user_role, sys_user_post", lab.name)


def _copy_table(lab: RuoYiLab, env: str, table: str = "sys_user", copy: str = COPY_TABLE) -> None:
    """An empty copy of `table` (its keys too) named `copy`, made anew."""
    if env == "test":
        lab.maria.root_sql(f"DROP TABLE IF EXISTS {copy}; CREATE TABLE {copy} LIKE {table};", lab.name)
    else:
        lab.pg.sql(f"DROP TABLE IF EXISTS {copy}; CREATE TABLE {copy} (LIKE {table} INCLUDING ALL);", lab.name)


def _loader_fields(session: TargetSession, users: list[PlannedUser]) -> tuple[Writer, list[str]]:
    """The fields any of `users` fills, in the profile's order, and the writer naming their columns."""
    writer = Writer(session.sql, bundled_profile("ruoyi"))
    return writer, [f for f in (*writer.users.fields, UNIT) if any(f in u.values for u in users)]


def _loader_columns(session: TargetSession, users: list[PlannedUser]) -> list[str]:
    """The columns `_loader_data`'s lines fill, in order."""
    writer, fields = _loader_fields(session, users)
    return [*(writer.column(f) for f in fields), "password", "status", "del_flag", "create_by"]


def _bulk_load(lab: RuoYiLab, env: str, session: TargetSession, users: list[PlannedUser]) -> float:
    """Seconds the database's own loader takes for `users` into an empty copy of sys_user, sent
    as one SSH command."""
    _copy_table(lab, env)
    names = _loader_columns(session, users)
    data = _loader_data(session, users)
    if session.sql.mysql:
        statement = (f"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE {COPY_TABLE} CHARACTER SET utf8mb4 "
                     f"FIELDS TERMINATED BY '\\t' ({', '.join(names)}) SET create_time = NOW()")
        client = MySqlClient(session.access)
        command = client.command(session.tmp, None, f"--local-infile=1 -e {shlex.quote(statement)}")
    else:
        client = PostgresClient(session.access)
        statement = f"\\copy {COPY_TABLE} ({', '.join(names)}) FROM pstdin"
        command = (f"{client.env(session.tmp)}psql -X -q -v ON_ERROR_STOP=1 {client.connection()} "
                   f"-c {shlex.quote(statement)}")
    started = time.monotonic()
    result = session.shell.run(command, stdin=data, timeout=600)
    seconds = time.monotonic() - started
    if not result.ok:
        raise RuntimeError(f"the bulk loader failed: {result.stderr.decode(errors='replace')[-2000:]}")
    return seconds


LINK_COPIES = {"sys_user_role": "bench_user_role", "sys_user_post": "bench_user_post"}


def _floor_load(lab: RuoYiLab, env: str, session: TargetSession, users: list[PlannedUser]) -> float:
    """Seconds the database's own loader takes, as one SSH command and one client, for what every
    apply of `users` must write at the least: the users (numbered 1.. as their ids) into an empty
    copy of sys_user, as `_bulk_load`, and their role and post links by those ids into empty
    copies of sys_user_role and sys_user_post (primary keys as RuoYi's). No guard, no record in
    the store, no id or role looked up on the host: a floor, not a way to import."""
    _copy_table(lab, env)
    for table, copy in LINK_COPIES.items():
        _copy_table(lab, env, table, copy)
    role_ids = dict(lab.sql(env, "SELECT role_key, role_id FROM sys_role"))
    post_ids = dict(lab.sql(env, "SELECT post_code, post_id FROM sys_post"))
    names = ["user_id", *_loader_columns(session, users)]
    lines = _loader_data(session, users).decode().splitlines(keepends=True)
    people = "".join(f"{n}\t{line}" for n, line in enumerate(lines, 1))
    roles = "".join(f"{n}\t{role_ids[r]}\n" for n, u in enumerate(users, 1) for r in u.roles_added)
    posts = "".join(f"{n}\t{post_ids[p]}\n" for n, u in enumerate(users, 1) for p in u.posts_added)
    parts = [(COPY_TABLE, names, people), (LINK_COPIES["sys_user_role"], ["user_id", "role_id"], roles),
             (LINK_COPIES["sys_user_post"], ["user_id", "post_id"], posts)]
    if session.sql.mysql:
        # A client per table, each reading its part of the command's stdin (`head -c` reads no
        # further than its count): two client starts more than the apply's one for the import.
        runs = []
        for table, columns, text in parts:
            load = (f"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE {table} CHARACTER SET utf8mb4 "
                    f"FIELDS TERMINATED BY '\\t' ({', '.join(columns)})"
                    f"{' SET create_time = NOW()' if table == COPY_TABLE else ''}")
            client = MySqlClient(session.access).command(session.tmp, None, f"--local-infile=1 -e {shlex.quote(load)}")
            runs.append(f"head -c {len(text.encode())} | {client}")
        command = "set -o pipefail; " + " && ".join(runs)
        data = "".join(text for _, _, text in parts).encode("utf-8")
    else:
        client = PostgresClient(session.access)
        command = f"{client.env(session.tmp)}psql -X -q -v ON_ERROR_STOP=1 {client.connection()}"
        data = "".join(f"COPY {table} ({', '.join(columns)}) FROM STDIN;\n{text}\\.\n"
                       for table, columns, text in parts).encode("utf-8")
    started = time.monotonic()
    result = session.shell.run(command, stdin=data, timeout=600)
    seconds = time.monotonic() - started
    if not result.ok:
        raise RuntimeError(f"the floor's loader failed: {result.stderr.decode(errors='replace')[-2000:]}")
    counts = [int(lab.sql(env, f"SELECT count(*) FROM {table}")[0][0]) for table, _, _ in parts]
    wanted = [len(users), roles.count("\n"), posts.count("\n")]
    if counts != wanted:
        raise RuntimeError(f"the floor's loader wrote {counts} rows, not {wanted}")
    return seconds


def run(sheet: Path, mapping_text: str, batch_sizes: list[int], parts: bool = False,
        rounds: int = 1, apart: bool = False) -> list[ApplyFigures]:
    with tempfile.TemporaryDirectory(prefix="lp-bench-import-") as folder, servers(Path(folder), apart) as lab:
        return [measure(lab, env, sheet, mapping_text, size, parts, rounds) for env in ENGINES
                for size in batch_sizes]


# What each statement of a batch's command is, by how it begins; the host's time between two
# marks goes to the statement before the second.
_KINDS = [("START TRANSACTION", "begin + temporary tables"), ("SET NAMES", "begin + temporary tables"),
          ("BEGIN", "begin + temporary tables"), ("CREATE TEMP TABLE launchpad_lowest", "links"),
          ("CREATE TEMP", "begin + temporary tables"),
          ("LOAD DATA", "load (loader)"), ("COPY", "load (loader)"),
          ("CREATE INDEX", "stage index"), ("ANALYZE", "analyze the stage"),
          ("INSERT INTO launchpad_guard", "guard"), ("SELECT COALESCE(MAX", "id base"), ("LOCK TABLE", "id base"),
          ("INSERT INTO sys_user_role", "links"), ("INSERT INTO sys_user_post", "links"),
          ("INSERT INTO sys_user ", "merge (INSERT … SELECT)"),
          ("WITH launchpad_new", "merge (INSERT … SELECT, checked)"),
          ("DO $launchpad$", "begin + temporary tables"),
          ("SET @launchpad", "new users' ids"),
          ("UPDATE launchpad_stage s JOIN sys_user u ON u.user_id", "new users' ids"),
          ("UPDATE launchpad_stage s JOIN sys_user u ON u.user_name", "new users' ids by key (when needed)"),
          ("UPDATE", "updates"), ("COMMIT", "commit")]
_MARK = "lp_mark"


def _kind(statement: str) -> str:
    return next((kind for start, kind in _KINDS if statement.lstrip().startswith(start)), statement[:30])


class PartTimer:
    """Times the apply's parts by wrapping, for the benchmark only, the functions that do them."""

    def __init__(self, session: TargetSession, store: Store) -> None:
        self.session, self.store = session, store
        self.seconds: dict[str, float] = {}
        self._undo: list[Callable[[], None]] = []

    def add(self, part: str, seconds: float) -> None:
        self.seconds[part] = self.seconds.get(part, 0.0) + seconds

    def _wrap(self, owner: Any, name: str, part: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.monotonic()
            try:
                return original(*args, **kwargs)
            finally:
                self.add(part, time.monotonic() - started)

        setattr(owner, name, timed)
        self._undo.append(lambda: setattr(owner, name, original))

    def __enter__(self) -> PartTimer:
        self._wrap(records, "record_rows", "store: record_rows")
        self._wrap(records, "rows_done", "store: rows_done")
        self._wrap(apply_module, "staged_batch", "build the batch (Python)")
        self._wrap(apply_module, "direct_batch", "build the batch (Python)")
        self._wrap(self.store, "audit", "store: audit log (the batch's statements)")
        stream_class = stream_module.BatchStream
        send_batch, wait, ask = stream_class.send_batch, stream_class.wait, stream_class.ask
        sent: dict[int, float] = {}
        answered = [0.0]

        def timed_ask(stream: stream_module.BatchStream, script: str) -> None:
            sent[stream_module.ASKED] = time.monotonic()
            ask(stream, script)

        def timed_send(stream: stream_module.BatchStream, number: int, staged: Staged, *, commit: bool = True) -> None:
            sent[number] = time.monotonic()
            send_batch(stream, number, _marked(staged, self.session.sql.mysql), commit=commit)

        def timed_wait(stream: stream_module.BatchStream, number: int) -> str:
            said = wait(stream, number)
            # From when the host could take it: sent, and the batch before it answered.
            now = time.monotonic()
            wall = now - max(sent.get(number, now), answered[0])
            answered[0] = now
            if number == stream_module.ASKED:  # PostgreSQL's reservation of the new users' ids
                self.add("ids reserved (asked to answered)", wall)
                return said
            self.add("batch on the host, sent (or the one before answered) to committed", wall)
            on_host = _marks(said)
            for kind, seconds in on_host.items():
                self.add(f"  on the host: {kind}", seconds)
            self.add("  client start/exit + the rows' travel (wall − host)", wall - sum(on_host.values()))
            return said

        stream_class.send_batch = timed_send  # type: ignore[method-assign,assignment]
        stream_class.wait = timed_wait  # type: ignore[method-assign,assignment]
        stream_class.ask = timed_ask  # type: ignore[method-assign]
        self._undo.append(lambda: setattr(stream_class, "ask", ask))
        self._undo.append(lambda: setattr(stream_class, "send_batch", send_batch))
        self._undo.append(lambda: setattr(stream_class, "wait", wait))
        return self

    def __exit__(self, *exc_info: object) -> None:
        for undo in reversed(self._undo):
            undo()


def _marked(staged: Staged, mysql: bool) -> Staged:
    """The same batch with a timestamp printed before the first statement and after each."""
    def mark(kind: str) -> str:
        label = kind.replace("'", "")
        if mysql:
            return f"SELECT CONCAT('{_MARK}|{label}|', UNIX_TIMESTAMP(NOW(6))) AS m;"
        return f"SELECT '{_MARK}|{label}|' || extract(epoch FROM clock_timestamp()) AS m;"

    def each(statements: list[str]) -> list[str]:
        return [part for s in statements for part in (s, mark(_kind(s)))]

    return replace(staged, before=[mark("start"), *each(staged.before)],
                   after=[mark(_kind(staged.load)), *each(staged.after)])


def _marks(output: str) -> dict[str, float]:
    """Seconds per kind of statement from the marks in the client's output."""
    found = [(m.group(1), float(m.group(2))) for m in re.finditer(rf"{_MARK}\|([^|]*)\|([0-9.]+)", output)]
    spent: dict[str, float] = {}
    for (_, before), (kind, after) in zip(found, found[1:], strict=False):
        spent[kind] = spent.get(kind, 0.0) + after - before
    return spent


def _alone(session: TargetSession, users: list[PlannedUser]) -> dict[str, float]:
    """What one command costs without the database's work: an empty command through the SSH
    channel (with the private folder's envelope), the same bytes as a batch into `cat`, and the
    client started for `SELECT 1`. Best of three each."""
    data = b"x" * len(_loader_data(session, users))
    if session.sql.mysql:
        select = MySqlClient(session.access).command(session.tmp, None, "--batch -e 'SELECT 1'")
    else:
        client = PostgresClient(session.access)
        select = f"{client.env(session.tmp)}psql -X -q {client.connection()} -c 'SELECT 1'"
    measures = {"empty command (true)": ("true", None), f"{len(data) // 1024} KiB to cat": ("cat >/dev/null", data),
                "client start + SELECT 1": (select, None)}
    alone = {}
    for label, (command, stdin) in measures.items():
        times = []
        for _ in range(3):
            started = time.monotonic()
            session.shell.run(command, stdin=stdin, timeout=600)
            times.append(time.monotonic() - started)
        alone[label] = min(times)
    return alone


def _loader_data(session: TargetSession, users: list[PlannedUser]) -> bytes:
    _, fields = _loader_fields(session, users)
    return "".join("\t".join([*(u.values.get(f, "") for f in fields), SAMPLE_HASH, "0", "0", "import:bench"])
                   + "\n" for u in users).encode("utf-8")
