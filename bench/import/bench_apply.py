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
   client's stdin for MariaDB, `\\copy … FROM pstdin` for psql, one SSH command each;
3. `apply_plan` writes the plan (batches in transactions, every row recorded in the store
   first and marked done after, each new user given its role). Its hashing is timed apart
   (the progress callback says when the last hash is done) and left out of the write rate.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from launchpad.backup.sqlclient import MySqlClient, PostgresClient
from launchpad.hosts.connect import HostConnections
from launchpad.store.db import Store
from launchpad.users.apply import ApplyProgress, ImportTarget, apply_plan
from launchpad.users.operations import file_sha256, plan_file, target_session
from launchpad.users.plan import PlannedUser
from launchpad.users.profile import bundled_profile
from launchpad.users.state import UNIT
from launchpad.users.target import TargetSession
from launchpad.users.writes import Writer
from tests.integration.databases import PASSWORD, MariaDbServer, PostgresServer, server_directory
from tests.integration.ruoyi import RuoYiLab
from tests.integration.sshd import SshLab

ENGINES = {"test": "MariaDB", "test-pg": "PostgreSQL"}  # the lab's environments
COPY_TABLE = "bench_user"
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

    @property
    def ratio(self) -> float:
        """The apply's rate over the loader's: 1.0 is as fast, the target is ≥ 0.5."""
        return self.loader_seconds / self.apply_seconds


@contextlib.contextmanager
def servers(folder: Path) -> Iterator[RuoYiLab]:
    """sshd, MariaDB and PostgreSQL as the integration tests start them, and a RuoYi lab."""
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
        yield RuoYiLab(folder / "ws", host, maria, pg)
    finally:
        ssh.close()
        maria.stop()
        pg.stop()
        for directory in (maria.directory, pg.directory):
            shutil.rmtree(directory, ignore_errors=True)


def measure(lab: RuoYiLab, env: str, sheet: Path, mapping_text: str, batch_size: int) -> ApplyFigures:
    mapping = lab.root / "imports" / "bench.yaml"
    mapping.parent.mkdir(exist_ok=True)
    mapping.write_text(mapping_text, encoding="utf-8")
    _copy_table(lab, env)
    _remove_imported(lab, env)
    with Store.open(lab.workspace.store_path) as store, HostConnections(lab.workspace, env) as connections, \
            target_session(lab.workspace, env, None, connections.transport_for,
                           lambda action, target, detail: store.audit("bench", action, target, detail)) as session:
        planned = plan_file(sheet, mapping, session, env)
        inserts = [u for u in planned.plan.writes() if u.action == "insert"]
        loader = _bulk_load(session, inserts)
        marks: dict[str, float] = {}

        def progress(step: ApplyProgress) -> None:
            if step.done == step.total:
                marks[step.phase] = time.monotonic()

        started = time.monotonic()
        apply_plan(ImportTarget(store, session, lab.root, env, "app", "bench"), planned, file=sheet,
                   file_sha256=file_sha256(sheet), mapping_name=mapping.name, progress=progress,
                   batch_size=batch_size)
    hashed = marks.get("hashing", started)
    count = int(lab.sql(env, "SELECT count(*) FROM sys_user WHERE create_by LIKE 'import:%'")[0][0])
    if count != len(inserts):
        raise RuntimeError(f"{ENGINES[env]}: the apply wrote {count} users, the plan had {len(inserts)}")
    return ApplyFigures(ENGINES[env], len(inserts), loader, marks["writing"] - hashed, hashed - started,
                        -(-len(inserts) // batch_size), batch_size)


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


def _copy_table(lab: RuoYiLab, env: str) -> None:
    if env == "test":
        lab.maria.root_sql(f"DROP TABLE IF EXISTS {COPY_TABLE}; CREATE TABLE {COPY_TABLE} LIKE sys_user;", lab.name)
    else:
        lab.pg.sql(f"DROP TABLE IF EXISTS {COPY_TABLE}; CREATE TABLE {COPY_TABLE} (LIKE sys_user INCLUDING ALL);",
                   lab.name)


def _bulk_load(session: TargetSession, users: list[PlannedUser]) -> float:
    """Seconds the database's own loader takes for `users`, sent as one SSH command."""
    writer = Writer(session.sql, bundled_profile("ruoyi"))
    fields = [f for f in (*writer.users.fields, UNIT) if any(f in u.values for u in users)]
    names = [*(writer.column(f) for f in fields), "password", "status", "del_flag", "create_by"]
    data = "".join("\t".join([*(u.values.get(f, "") for f in fields), SAMPLE_HASH, "0", "0", "import:bench"])
                   + "\n" for u in users).encode("utf-8")
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


def run(sheet: Path, mapping_text: str, batch_sizes: list[int]) -> list[ApplyFigures]:
    with tempfile.TemporaryDirectory(prefix="lp-bench-import-") as folder, servers(Path(folder)) as lab:
        return [measure(lab, env, sheet, mapping_text, size) for env in ENGINES for size in batch_sizes]
