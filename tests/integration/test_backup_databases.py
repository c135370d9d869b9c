"""Backups of real MariaDB and PostgreSQL servers, dumped on a real sshd host and streamed back
over SSH: back up, change, restore, the data is the original again (Chinese text, tabs,
newlines, NULLs); a dump killed halfway or cut short records nothing; a flipped byte fails
verification and restore refuses; drills report row counts; production needs its name typed;
the `sql` step binds its parameters."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from launchpad.backup import records
from launchpad.backup.drill import drill_backup
from launchpad.backup.drivers.mysql import MySqlDriver
from launchpad.backup.drivers.postgres import PostgresDriver
from launchpad.backup.errors import BackupFailed, RestoreNotConfirmed, RestoreRefused
from launchpad.backup.restore import restore_backup
from launchpad.backup.session import BackupSession
from launchpad.backup.take import take_backup
from launchpad.backup.verify import verify_backup
from launchpad.hosts.connect import HostConnections
from launchpad.run.engine import Engine
from launchpad.run.playbook import load_playbook
from launchpad.store.db import Store
from launchpad.workspace.folder import Workspace, load_workspace
from tests.integration.databases import PASSWORD, MariaDbServer, PostgresServer
from tests.integration.sshd import SshdHost, SshLab
from tests.scripted import ScriptedPrompter

pytestmark = pytest.mark.integration

SEED = [("张三", "第一行\n第二行"), ("tab\there", None), ("引号 ' \" \\ ;", "")]


class DbLab:
    """A workspace whose environments reach the database servers through a real sshd."""

    def __init__(self, root: Path, host: SshdHost, maria: MariaDbServer, pg: PostgresServer) -> None:
        self.name = f"shop_{secrets.token_hex(4)}"
        self.maria, self.pg = maria, pg
        root.mkdir(parents=True)
        (root / ".launchpad").mkdir()
        (root / ".launchpad" / "known_hosts").write_text(host.known_hosts_line())
        databases = textwrap.dedent(f"""\
            databases:
              maria: {{engine: mariadb, host: 127.0.0.1, port: {maria.port}, name: {self.name}, user: lp,
                       password: env:LP_TEST_DB_PW, via: app1}}
              pg: {{engine: postgresql, host: 127.0.0.1, port: {pg.port}, name: {self.name}, user: lp,
                   password: env:LP_TEST_DB_PW, via: app1}}
            backups:
              maria: {{database: maria}}
              pg: {{database: pg}}
        """)
        envs = ""
        for env, production in (("lab", "false"), ("prod", "true")):
            envs += f"  {env}:\n    production: {production}\n"
            envs += f"    hosts: [{{name: app1, address: {host.address}, port: {host.port}}}]\n"
            envs += textwrap.indent(databases, "    ")
        (root / "site.yaml").write_text("site: {name: 数据库备份, client: 客户}\nenvironments:\n" + envs,
                                        encoding="utf-8")
        (root / "playbooks").mkdir()
        self.root = root
        self.workspace: Workspace = load_workspace(root)
        self.store = Store.open(self.workspace.store_path)
        maria.root_sql(f"CREATE DATABASE {self.name} CHARACTER SET utf8mb4;"
                       f"CREATE TABLE {self.name}.users (id INT PRIMARY KEY AUTO_INCREMENT, name TEXT, note TEXT);")
        pg.sql(f"CREATE DATABASE {self.name};")
        pg.sql("CREATE TABLE users (id serial PRIMARY KEY, name text, note text);", self.name)
        for name, note in SEED:
            self.insert(name, note)

    def insert(self, name: str, note: str | None) -> None:
        def literal(value: str | None, pg: bool) -> str:
            if value is None:
                return "NULL"
            if pg:
                return "'" + value.replace("'", "''") + "'"
            return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

        self.maria.root_sql(f"INSERT INTO users (name, note) VALUES ({literal(name, False)}, {literal(note, False)});",
                            self.name)
        self.pg.sql(f"INSERT INTO users (name, note) VALUES ({literal(name, True)}, {literal(note, True)});", self.name)

    def maria_rows(self) -> str:
        return self.maria.root_sql("SELECT id, HEX(name), IFNULL(HEX(note), 'NULL') FROM users ORDER BY id", self.name)

    def pg_rows(self) -> str:
        return self.pg.sql("SELECT id, encode(convert_to(name, 'UTF8'), 'hex'), "
                           "coalesce(encode(convert_to(note, 'UTF8'), 'hex'), 'NULL') FROM users ORDER BY id",
                           self.name)

    def change_everything(self) -> None:
        self.maria.root_sql("UPDATE users SET name = '改坏了'; DELETE FROM users WHERE id = 1;", self.name)
        self.pg.sql("UPDATE users SET name = '改坏了'; DELETE FROM users WHERE id = 1;", self.name)
        self.insert("新来的", "x")

    @contextlib.contextmanager
    def session(self, env: str = "lab", progress: Any = None) -> Iterator[BackupSession]:
        with HostConnections(self.workspace, env) as connections:
            yield BackupSession(self.workspace, self.store, connections.transport_for, "tester",
                                **({"progress": progress} if progress else {}))

    def backup_files(self, target: str, env: str = "lab") -> list[Path]:
        folder = self.workspace.backups_dir / env / target
        return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def db_lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], mariadb_server: MariaDbServer,
           postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> DbLab:
    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    return DbLab(tmp_path / "ws", ssh_hosts[0], mariadb_server, postgres_server)


@pytest.mark.parametrize("target", ["maria", "pg"])
def test_backup_change_restore_gives_the_original_data_back(db_lab: DbLab, target: str) -> None:
    rows = db_lab.maria_rows if target == "maria" else db_lab.pg_rows
    original = rows()
    assert "e5bca0e4b889" in original.lower()  # 张三, as hex
    with db_lab.session() as session:
        record = take_backup(session, "lab", target)
        assert record.host == "app1" and record.compression == "zstd" and record.verified
        table = "users" if target == "maria" else "public.users"
        # MariaDB's record keeps the database's defaults too (what a database gone is created with).
        defaults = {"database": {"charset": "utf8mb4", "collation": "utf8mb4_general_ci"}} if target == "maria" else {}
        assert record.inventory == {"tables": {table: 3}, **defaults}
        db_lab.change_everything()
        assert rows() != original
        result = restore_backup(session, record.id, "lab", ScriptedPrompter())
    assert rows() == original
    assert result.safety_backup is not None and result.safety_backup.inventory == {"tables": {table: 3}, **defaults}
    # The password was used (password authentication) but is nowhere launchpad writes.
    audit = "\n".join(row["detail"] for row in db_lab.store.db.query("SELECT detail FROM audit"))
    assert PASSWORD not in audit and "remote_command" in "".join(
        row["action"] for row in db_lab.store.db.query("SELECT action FROM audit"))
    for path in db_lab.backup_files(target):
        if path.suffix == ".json":
            assert PASSWORD not in path.read_text(encoding="utf-8")


def test_a_dump_killed_halfway_records_nothing(db_lab: DbLab, ssh_hosts: list[SshdHost],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import launchpad.backup.progress as progress

    db_lab.maria.root_sql("CREATE TABLE big (id INT PRIMARY KEY, a CHAR(128), b CHAR(128)) ENGINE=InnoDB;"
                          "INSERT INTO big SELECT seq, SHA2(seq, 512), SHA2(seq + 1, 512) FROM seq_1_to_100000;",
                          db_lab.name)
    monkeypatch.setattr(progress, "REPORT_EVERY", 0.0)  # a report on every chunk: kill at the first
    killed: list[int] = []

    def kill_the_dump(_event: Any) -> None:
        if killed:
            return
        for pid in ssh_hosts[0].session_pids():
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/comm").read_text().strip() in ("mariadb-dump", "mysqldump"):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)

    with db_lab.session(progress=kill_the_dump) as session, pytest.raises(BackupFailed, match="exited 137"):
        take_backup(session, "lab", "maria")
    assert killed
    assert db_lab.backup_files("maria") == []  # no partial file either
    assert records.list_backups(db_lab.store) == []
    assert "backup_failed" in [r["action"] for r in db_lab.store.db.query("SELECT action FROM audit")]


@pytest.mark.parametrize("target", ["maria", "pg"])
def test_a_dump_that_exits_0_but_is_cut_short_is_rejected(db_lab: DbLab, target: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    driver = MySqlDriver if target == "maria" else PostgresDriver
    original = driver.dump_command
    monkeypatch.setattr(driver, "dump_command", lambda self, tmp: original(self, tmp) + " | head -c 600")
    with db_lab.session() as session, pytest.raises(BackupFailed, match="incomplete and was rejected"):
        take_backup(session, "lab", target)
    assert db_lab.backup_files(target) == [] and records.list_backups(db_lab.store) == []


def test_a_flipped_byte_fails_verify_and_restore_refuses(db_lab: DbLab) -> None:
    with db_lab.session() as session:
        record = take_backup(session, "lab", "pg")
        path = record.path(db_lab.workspace.backups_dir)
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x40
        path.write_bytes(bytes(data))
        db_lab.change_everything()
        changed = db_lab.pg_rows()
        report = verify_backup(session, record.id)
        assert not report.ok and "sha256" in str(report.detail)
        with pytest.raises(RestoreRefused, match="does not verify"):
            restore_backup(session, record.id, "lab", ScriptedPrompter())
    assert db_lab.pg_rows() == changed
    assert [b.purpose for b in records.list_backups(db_lab.store)] == ["manual"]


def test_drills_restore_into_a_scratch_database_and_report_row_counts(db_lab: DbLab) -> None:
    with db_lab.session() as session:
        maria = drill_backup(session, take_backup(session, "lab", "maria").id)
        pg = drill_backup(session, take_backup(session, "lab", "pg").id)
    assert maria.passed and maria.rows == [{"table": "users", "at_backup": 3, "restored": 3, "source_now": 3}]
    assert pg.passed and pg.rows == [{"table": "public.users", "at_backup": 3, "restored": 3, "source_now": 3}]
    assert "3 rows restored" in str(maria.summary) and "3 rows restored" in str(pg.summary)
    # the scratch databases are gone
    assert maria.scratch not in db_lab.maria.root_sql("SHOW DATABASES")
    assert pg.scratch not in db_lab.pg.sql("SELECT datname FROM pg_database")


def test_production_restore_without_the_typed_name_does_nothing(db_lab: DbLab) -> None:
    with db_lab.session("prod") as session:
        record = take_backup(session, "prod", "maria")
        db_lab.change_everything()
        changed = db_lab.maria_rows()
        with pytest.raises(RestoreRefused, match="production"):
            restore_backup(session, record.id, "prod", ScriptedPrompter(typed_name="lab"))
        assert db_lab.maria_rows() == changed
        assert records.restores(db_lab.store) == [] and len(records.list_backups(db_lab.store)) == 1
        restore_backup(session, record.id, "prod", ScriptedPrompter(typed_name="prod"))
    assert db_lab.maria_rows() != changed


SQL_PLAYBOOK = """\
name: q
title: 数据检查
phases:
  - id: q
    name: 查询
    steps:
"""


@pytest.mark.parametrize("database", ["maria", "pg"])
def test_sql_step_binds_parameters_through_ssh(db_lab: DbLab, database: str) -> None:
    steps = [
        {"id": "by_name", "query": "SELECT id, note FROM users WHERE name = :name",
         "params": {"name": "张三"}, "expect": {"rows": [[1, "第一行\n第二行"]]}},
        {"id": "tab_null", "query": "SELECT note FROM users WHERE name = :name AND :nothing IS NULL",
         "params": {"name": "tab\there", "nothing": None}, "expect": {"value": None, "row_count": 1}},
        {"id": "quotes", "query": "SELECT count(*) FROM users WHERE name = :name",
         "params": {"name": "引号 ' \" \\ ;"}, "expect": {"value": 1}},
        {"id": "injection", "query": "SELECT count(*) FROM users WHERE name = :name",
         "params": {"name": "x' OR '1'='1"}, "expect": {"value": 0}},
        {"id": "limit", "query": "SELECT name FROM users ORDER BY id LIMIT :n", "params": {"n": 2},
         "expect": {"row_count": 2}},
    ]
    import json

    body = "".join(
        f"      - {json.dumps({'name': s['id'], 'kind': 'sql', 'database': database, **s}, ensure_ascii=False)}\n"
        for s in steps)
    (db_lab.root / "playbooks" / "q.yaml").write_text(SQL_PLAYBOOK + body, encoding="utf-8")
    loaded = load_playbook(db_lab.root / "playbooks" / "q.yaml")
    with HostConnections(db_lab.workspace, "lab") as connections:
        result = Engine(db_lab.workspace, db_lab.store, ScriptedPrompter(), connections.transport_for).start(
            loaded, "lab", {})
    states = db_lab.store.latest_step_states(result.run_id)
    assert {k: v["status"] for k, v in states.items()} == {s["id"]: "passed" for s in steps}, \
        {k: v["summary"] for k, v in states.items()}
    assert states["by_name"]["evidence"]["rows"] == [["1", "第一行\n第二行"]]


def test_a_drill_that_cannot_log_in_says_so_in_chinese_with_what_to_do(db_lab: DbLab,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.commandline import launch

    assert launch(db_lab.root, "backup", "--env", "lab", "pg")[0] == 0
    monkeypatch.setenv("LP_TEST_DB_PW", "not-the-password")
    code, output = launch(db_lab.root, "--lang", "zh", "backups", "drill", "1")
    assert code == 1
    assert "psql 执行失败" in output and "psql failed" not in output, output
    assert "→" in output, output  # what to do next


def test_a_restore_whose_safety_backup_cannot_be_taken_says_what_to_do(db_lab: DbLab,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from launchpad.backup import writer
    from tests.commandline import launch

    assert launch(db_lab.root, "backup", "--env", "lab", "maria")[0] == 0
    # The backups' disk is "full": no free space covers the margin kept beyond a backup's size.
    monkeypatch.setattr(writer, "FREE_SPACE_MARGIN", shutil.disk_usage(db_lab.workspace.backups_dir).total)
    code, output = launch(db_lab.root, "--lang", "zh", "restore", "1", "--env", "lab", "--yes")
    assert code != 0 and "安全备份失败" in output, output
    assert "→" in output and "launchpad backups prune" in output, output  # the full disk's hint
    assert [b.purpose for b in records.list_backups(db_lab.store)] == ["manual"]


def test_a_drill_that_cannot_reach_its_host_leaves_the_earlier_pass_standing(
        tmp_path: Path, sshd_lab: SshLab, fresh_sshd: Any, mariadb_server: MariaDbServer,
        postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A drill that did not run proves nothing either way: the backup stays proven restorable,
    the attempt is audited apart, and nothing says it passed."""
    import json

    from tests.commandline import launch

    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    host = fresh_sshd("drilled")
    lab = DbLab(tmp_path / "ws", host, mariadb_server, postgres_server)
    assert launch(lab.root, "backup", "--env", "lab", "pg")[0] == 0
    code, output = launch(lab.root, "backups", "drill", "1")
    assert code == 0, output
    passed = records.require_backup(lab.store, 1)
    assert passed.drill_status == "passed"

    host.stop()  # the server is down at the next drill
    for lang in ("zh", "en"):
        code, output = launch(lab.root, "--lang", lang, "backups", "drill", "1")
        assert code == 1, output
        assert ("演练未能进行" if lang == "zh" else "drill not run") in output, output
        assert "通过" not in output and "passed" not in output, output
        assert "→" in output, output  # what to do: the unreachable host's hint
    kept = records.require_backup(lab.store, 1)
    assert (kept.drill_status, kept.drilled_at, kept.drill_detail) == (
        passed.drill_status, passed.drilled_at, passed.drill_detail)
    listed = json.loads(launch(lab.root, "backups", "--json")[1])
    assert listed[0]["drill_now"] == "passed"
    attempts = list(lab.store.db.query("SELECT action, detail FROM audit WHERE action LIKE 'drill_%' ORDER BY id"))
    actions = [row["action"] for row in attempts]
    assert actions == ["drill_started", "drill_passed", "drill_started", "drill_not_run",
                       "drill_started", "drill_not_run"], actions
    assert "127.0.0.1" in attempts[-1]["detail"]  # why it did not run

    code, output = launch(lab.root, "--lang", "zh", "backups", "drill", "1", "--json")
    assert code == 1 and "Traceback" not in output


def _drop_database(db_lab: DbLab, target: str) -> None:
    if target == "maria":
        db_lab.maria.root_sql(f"DROP DATABASE {db_lab.name}")
    else:
        db_lab.pg.sql(f"DROP DATABASE {db_lab.name}")


def _database_charset(db_lab: DbLab, target: str) -> str:
    """The database's character set or encoding; empty when it does not exist."""
    if target == "maria":
        return db_lab.maria.root_sql("SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA "
                                     f"WHERE SCHEMA_NAME = '{db_lab.name}'").strip()
    return db_lab.pg.sql(f"SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = '{db_lab.name}'"
                         ).strip()


def _audit(db_lab: DbLab) -> list[tuple[str, dict[str, Any]]]:
    import json

    return [(row["action"], json.loads(row["detail"] or "{}")) for row in db_lab.store.db.query(
        "SELECT action, detail FROM audit WHERE action LIKE 'restore_%' ORDER BY id")]


@pytest.mark.parametrize("target", ["maria", "pg"])
def test_a_dropped_database_is_created_and_restored_with_its_rows(db_lab: DbLab, target: str) -> None:
    """23:00, the client's database is gone: restore says so, saves nothing (there is nothing),
    creates it and brings the rows back."""
    from tests.commandline import launch

    rows = db_lab.maria_rows if target == "maria" else db_lab.pg_rows
    original = rows()
    assert launch(db_lab.root, "backup", "--env", "lab", target)[0] == 0
    _drop_database(db_lab, target)
    assert _database_charset(db_lab, target) == ""
    code, output = launch(db_lab.root, "--lang", "zh", "restore", "1", "--env", "lab", "--yes")
    assert code == 0, output
    assert rows() == original
    charset = "utf8mb4" if target == "maria" else "UTF8"
    assert _database_charset(db_lab, target) == charset
    said = "utf8mb4，排序规则 utf8mb4_general_ci" if target == "maria" else charset  # as the lab created it
    assert f"新建空数据库 {db_lab.name}（{said}）" in output and "未做安全备份：该数据库原本不存在" in output, output
    assert [b.purpose for b in records.list_backups(db_lab.store)] == ["manual"]  # no safety backup
    restore = records.restores(db_lab.store)[0]
    assert restore["status"] == "restored" and restore["safety_backup_id"] is None
    audit = _audit(db_lab)
    assert [action for action, _ in audit] == ["restore_database_missing", "restore_confirmed", "restore_started",
                                               "restore_safety_skipped", "restore_database_created",
                                               "restore_finished"]
    missing, created = audit[0][1], audit[4][1]
    assert missing["database"] == db_lab.name and missing["host"] == "app1"
    assert missing["server"].startswith("127.0.0.1:")
    assert created["charset"] == charset
    # PostgreSQL's archive records its encoding; a MySQL dump names no database, so the backup's
    # record keeps its character set and collation.
    assert created["charset_from"] == ("record" if target == "maria" else "backup")
    assert "nothing to save" in audit[3][1]["reason"]


def test_an_empty_database_that_exists_is_restored_as_ever(db_lab: DbLab) -> None:
    """Empty is not gone: the safety backup is taken, nothing is created."""
    original = db_lab.pg_rows()
    with db_lab.session() as session:
        record = take_backup(session, "lab", "pg")
        db_lab.pg.sql("DROP TABLE users;", db_lab.name)
        result = restore_backup(session, record.id, "lab", ScriptedPrompter())
    assert db_lab.pg_rows() == original
    assert result.safety_backup is not None and result.safety_backup.inventory == {"tables": {}}
    actions = [action for action, _ in _audit(db_lab)]
    assert "restore_database_missing" not in actions and "restore_database_created" not in actions


def test_production_asks_for_its_name_saying_the_database_will_be_created(db_lab: DbLab) -> None:
    original = db_lab.maria_rows()
    with db_lab.session("prod") as session:
        record = take_backup(session, "prod", "maria")
        _drop_database(db_lab, "maria")
        wrong = ScriptedPrompter(typed_name="lab")
        with pytest.raises(RestoreRefused, match="production"):
            restore_backup(session, record.id, "prod", wrong)
        assert _database_charset(db_lab, "maria") == ""  # nothing created
        assert records.restores(db_lab.store) == []
        asked = [str(request.title) for request in wrong.asked]
        assert len(asked) == 2 and all(f"creating the database {db_lab.name}" in title for title in asked), asked
        assert "will be created" in str(wrong.asked[0].detail) and "No safety backup" in str(wrong.asked[0].detail)
        restore_backup(session, record.id, "prod", ScriptedPrompter(typed_name="prod"))
    assert db_lab.maria_rows() == original


@pytest.mark.parametrize("target", ["maria", "pg"])
def test_a_user_who_may_not_create_databases_is_told_to_ask_the_dba(db_lab: DbLab, target: str) -> None:
    from tests.commandline import launch

    assert launch(db_lab.root, "backup", "--env", "lab", target)[0] == 0
    # A user that can read and back up the database but not create one.
    if target == "maria":
        quoted = PASSWORD.replace("\\", "\\\\").replace("'", "\\'")
        for host in ("127.0.0.1", "localhost"):
            db_lab.maria.root_sql(f"CREATE USER 'lp_ro'@'{host}' IDENTIFIED BY '{quoted}';"
                                  f"GRANT SELECT, LOCK TABLES, SHOW VIEW ON {db_lab.name}.* TO 'lp_ro'@'{host}';")
    else:
        db_lab.pg.sql("CREATE ROLE lp_ro LOGIN NOCREATEDB PASSWORD '" + PASSWORD.replace("'", "''") + "';")
    site = db_lab.root / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("user: lp,", "user: lp_ro,"), encoding="utf-8")
    _drop_database(db_lab, target)
    code, output = launch(db_lab.root, "--lang", "zh", "restore", "1", "--env", "lab", "--yes")
    assert code == 4, output
    assert "经 app1 连接，环境 lab" in output and "`launchpad restore 1 --env lab`" in output, output
    if target == "pg":  # every database is in pg_database, for every user: gone is gone
        assert f"数据库 {db_lab.name} 在 127.0.0.1:" in output and "没有建库权限；什么都没有改动" in output, output
        assert f"→ 请 DBA 新建空数据库 {db_lab.name}" in output, output
    else:  # MariaDB hides from a user without SHOW DATABASES what it has no rights on: either may be true
        assert f"用户 lp_ro 看不到数据库 {db_lab.name}" in output, output
        assert "要么它存在而该用户对它没有权限，要么它不存在而该用户没有建库权限；什么都没有改动" in output, output
        assert f"→ 请 DBA 给用户 lp_ro 授予数据库 {db_lab.name} 的权限" in output, output
    assert "Traceback" not in output
    assert _database_charset(db_lab, target) == ""  # nothing half-done
    assert [b.purpose for b in records.list_backups(db_lab.store)] == ["manual"]
    actions = [action for action, _ in _audit(db_lab)]
    if target == "pg":  # PostgreSQL tells before anything is asked
        assert actions == ["restore_database_missing", "restore_refused"]
    else:  # MariaDB tells only when asked to create it
        assert actions == ["restore_database_missing", "restore_confirmed", "restore_started",
                           "restore_safety_skipped", "restore_database_not_created", "restore_failed"]


@pytest.mark.parametrize("target", ["maria", "pg"])
def test_a_dropped_database_with_quotes_in_its_name_is_created_under_that_name(db_lab: DbLab, target: str) -> None:
    """The name is an identifier, quoted by the server or psql: quotes, a backtick, a space and
    Chinese in it create that database, no other, and nothing runs that the name spells."""
    from tests.commandline import launch

    name = f"lp 库 '{secrets.token_hex(2)}\" `x`; DROP"
    if target == "maria":
        quoted = "`" + name.replace("`", "``") + "`"
        db_lab.maria.root_sql(f"CREATE DATABASE {quoted}; CREATE TABLE {quoted}.t (v TEXT);"
                              f"INSERT INTO {quoted}.t VALUES ('张三');")
    else:
        quoted = '"' + name.replace('"', '""') + '"'
        db_lab.pg.sql(f"CREATE DATABASE {quoted};")
        db_lab.pg.sql("CREATE TABLE t (v text); INSERT INTO t VALUES ('张三');", name)
    site = db_lab.root / "site.yaml"
    yaml_name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    site.write_text(site.read_text(encoding="utf-8").replace(f"name: {db_lab.name},", f"name: {yaml_name},"),
                    encoding="utf-8")
    assert launch(db_lab.root, "backup", "--env", "lab", target)[0] == 0
    if target == "maria":
        db_lab.maria.root_sql(f"DROP DATABASE {quoted}")
    else:
        db_lab.pg.sql(f"DROP DATABASE {quoted}")
    code, output = launch(db_lab.root, "restore", "1", "--env", "lab", "--yes")
    assert code == 0, output
    if target == "maria":
        assert db_lab.maria.root_sql("SELECT v FROM t", name).strip() == "张三"
    else:
        assert db_lab.pg.sql("SELECT v FROM t", name).strip() == "张三"
    assert db_lab.name in (db_lab.maria.root_sql("SHOW DATABASES") if target == "maria"
                           else db_lab.pg.sql("SELECT datname FROM pg_database"))  # the other one untouched


@pytest.mark.parametrize("target", ["maria", "pg"])
def test_a_restore_step_asks_saying_a_missing_database_is_created_and_says_why_no_safety_backup(
        db_lab: DbLab, target: str) -> None:
    """A playbook's `restore` with `confirm: true` is asked by the run, before the server is: the
    question says what happens to a database that is not there, and the step's line says why no
    safety backup was taken, not "safety backup -"."""
    from launchpad.phrases import loads, render

    rows = db_lab.maria_rows if target == "maria" else db_lab.pg_rows
    original = rows()
    with db_lab.session() as session:
        take_backup(session, "lab", target)
    _drop_database(db_lab, target)
    (db_lab.root / "playbooks" / "r.yaml").write_text(
        SQL_PLAYBOOK + f"      - {{id: back, name: 恢复, kind: restore, target: {target}, source: latest_verified, "
                       "confirm: true}\n", encoding="utf-8")
    prompter = ScriptedPrompter()
    with HostConnections(db_lab.workspace, "lab") as connections:
        result = Engine(db_lab.workspace, db_lab.store, prompter, connections.transport_for).start(
            load_playbook(db_lab.root / "playbooks" / "r.yaml"), "lab", {})
    state = db_lab.store.latest_step_states(result.run_id)["back"]
    assert state["status"] == "passed", state["summary"]
    assert rows() == original
    (question,) = prompter.asked  # the run's question; the restore asks no second one
    assert "数据库若在其服务器上不存在，将新建空数据库再把备份恢复进去，不做安全备份" in render(question.detail, "zh")
    assert "does not exist on its server is created empty" in render(question.detail, "en")
    said = loads(state["summary"], state["summary_phrase"])
    assert "未做安全备份：该数据库原本不存在" in render(said, "zh") and "安全备份 -" not in render(said, "zh")
    english = render(said, "en")
    assert "no safety backup was taken: the database did not exist" in english and "backup -" not in english, english


def _pg_role_owning_the_database(db_lab: DbLab) -> str:
    """A role that owns the lab's database and its table, may create databases and is no
    superuser (CONNECT is checked for it), now the one site.yaml names."""
    role = f"lp_own_{secrets.token_hex(3)}"
    db_lab.pg.sql(f"CREATE ROLE {role} LOGIN CREATEDB PASSWORD '" + PASSWORD.replace("'", "''") + "';"
                  f"ALTER DATABASE {db_lab.name} OWNER TO {role};")
    db_lab.pg.sql(f"ALTER TABLE users OWNER TO {role};", db_lab.name)
    site = db_lab.root / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("name: " + db_lab.name + ", user: lp,",
                                                             "name: " + db_lab.name + f", user: {role},"),
                    encoding="utf-8")
    return role


@contextlib.contextmanager
def _pg_closed(db_lab: DbLab, *databases: str) -> Iterator[None]:
    """`databases` closed to every user but superusers (CONNECT revoked from PUBLIC)."""
    try:
        for database in databases:
            db_lab.pg.sql(f"REVOKE CONNECT ON DATABASE {database} FROM PUBLIC;")
        yield
    finally:
        for database in databases:
            db_lab.pg.sql(f"GRANT CONNECT ON DATABASE {database} TO PUBLIC;")


def test_a_missing_postgresql_database_is_found_and_created_from_template1_when_postgres_is_closed(
        db_lab: DbLab) -> None:
    from tests.commandline import launch

    _pg_role_owning_the_database(db_lab)
    original = db_lab.pg_rows()
    assert launch(db_lab.root, "backup", "--env", "lab", "pg")[0] == 0
    with _pg_closed(db_lab, "postgres"):
        _drop_database(db_lab, "pg")
        code, output = launch(db_lab.root, "--lang", "zh", "restore", "1", "--env", "lab", "--yes")
        assert code == 0, output
    assert db_lab.pg_rows() == original
    assert f"新建空数据库 {db_lab.name}（UTF8）" in output and "未做安全备份：该数据库原本不存在" in output, output
    assert [action for action, _ in _audit(db_lab)] == [
        "restore_database_missing", "restore_confirmed", "restore_started", "restore_safety_skipped",
        "restore_database_created", "restore_finished"]


def test_a_postgresql_database_that_cannot_be_asked_about_says_so_and_what_to_do(db_lab: DbLab) -> None:
    """Neither postgres nor template1 lets the user in, and its own database is gone: nothing is
    asked or done, and the person reads which database, what the server said and what to do —
    not that a safety backup failed."""
    from tests.commandline import launch

    _pg_role_owning_the_database(db_lab)
    assert launch(db_lab.root, "backup", "--env", "lab", "pg")[0] == 0
    with _pg_closed(db_lab, "postgres", "template1"):
        _drop_database(db_lab, "pg")
        code, output = launch(db_lab.root, "--lang", "zh", "restore", "1", "--env", "lab", "--yes")
    assert code == 1, output
    assert f"无法连接 127.0.0.1:{db_lab.pg.port} 上的数据库 {db_lab.name}（经 app1 连接，环境 lab）" in output, output
    assert "也无法连接 postgres 或 template1 数据库来确认它是否存在" in output and db_lab.name in output, output
    assert "什么都没有改动" in output and "安全备份失败" not in output, output
    assert f"→ 若该数据库不存在，请 DBA 新建空数据库 {db_lab.name}（UTF8）" in output, output
    assert "`launchpad restore 1 --env lab`" in output and "Traceback" not in output, output
    assert _database_charset(db_lab, "pg") == ""  # nothing created
    assert records.restores(db_lab.store) == []
    assert [b.purpose for b in records.list_backups(db_lab.store)] == ["manual"]
    ((action, detail),) = _audit(db_lab)
    assert action == "restore_refused" and db_lab.name in detail["said"], detail


def test_a_postgresql_database_whose_server_cannot_be_asked_is_restored_as_ever_when_it_is_there(
        db_lab: DbLab) -> None:
    _pg_role_owning_the_database(db_lab)
    db_lab.workspace = load_workspace(db_lab.root)
    original = db_lab.pg_rows()
    with db_lab.session() as session:
        record = take_backup(session, "lab", "pg")
        db_lab.change_everything()
        with _pg_closed(db_lab, "postgres", "template1"):
            result = restore_backup(session, record.id, "lab", ScriptedPrompter())
    assert db_lab.pg_rows() == original
    assert result.safety_backup is not None
    assert "restore_database_missing" not in [action for action, _ in _audit(db_lab)]


def _maria_defaults(db_lab: DbLab, table: str = "") -> tuple[str, ...]:
    """The MariaDB database's default character set and collation (a table's collation, with
    `table`); empty when it does not exist."""
    if table:
        return tuple(db_lab.maria.root_sql("SELECT TABLE_COLLATION FROM information_schema.TABLES "
                                           f"WHERE TABLE_SCHEMA = '{db_lab.name}' AND TABLE_NAME = '{table}'").split())
    return tuple(db_lab.maria.root_sql("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME "
                                       "FROM information_schema.SCHEMATA "
                                       f"WHERE SCHEMA_NAME = '{db_lab.name}'").split())


@pytest.mark.parametrize(("charset", "collation"), [("utf8mb4", "utf8mb4_bin"), ("gbk", "gbk_bin")])
def test_a_dropped_mariadb_database_is_created_with_the_character_set_and_collation_it_had(
        db_lab: DbLab, charset: str, collation: str) -> None:
    """The dump's tables carry their own, but the database's defaults decide every table the
    application creates later (an upgrade script): the backup records them, the restore creates
    the database with them — not with the server's (utf8mb4_unicode_ci in the lab)."""
    from tests.commandline import launch

    db_lab.maria.root_sql(f"ALTER DATABASE {db_lab.name} CHARACTER SET {charset} COLLATE {collation};")
    original = db_lab.maria_rows()
    assert launch(db_lab.root, "backup", "--env", "lab", "maria")[0] == 0
    (record,) = records.list_backups(db_lab.store)
    assert record.inventory is not None
    assert record.inventory["database"] == {"charset": charset, "collation": collation}
    manifest = json.loads(record.manifest_path(db_lab.workspace.backups_dir).read_text(encoding="utf-8"))
    assert manifest["inventory"]["database"] == {"charset": charset, "collation": collation}
    _drop_database(db_lab, "maria")
    code, output = launch(db_lab.root, "--lang", "zh", "restore", "1", "--env", "lab", "--yes")
    assert code == 0, output
    assert db_lab.maria_rows() == original
    assert _maria_defaults(db_lab) == (charset, collation)
    db_lab.maria.root_sql("CREATE TABLE sys_upgrade (v VARCHAR(20));", db_lab.name)  # what an upgrade adds
    assert _maria_defaults(db_lab, "sys_upgrade") == (collation,)
    assert f"新建空数据库 {db_lab.name}（{charset}，排序规则 {collation}）" in output, output
    created = dict(_audit(db_lab))["restore_database_created"]
    assert (created["charset"], created["collation"], created["charset_from"]) == (charset, collation, "record")


def test_a_mariadb_backup_recorded_without_its_defaults_says_the_collation_is_the_servers(db_lab: DbLab) -> None:
    """A backup taken before its record kept the database's defaults, whose dump names no
    database: utf8mb4, the server's default collation for it, and the result says so."""
    from tests.commandline import launch

    db_lab.maria.root_sql(f"ALTER DATABASE {db_lab.name} COLLATE utf8mb4_bin;")
    assert launch(db_lab.root, "backup", "--env", "lab", "maria")[0] == 0
    db_lab.store.db.execute("UPDATE backups SET inventory = json_remove(inventory, '$.database')")
    db_lab.store.db.conn.commit()
    _drop_database(db_lab, "maria")
    code, output = launch(db_lab.root, "--lang", "zh", "restore", "1", "--env", "lab", "--yes")
    assert code == 0, output
    server = db_lab.maria.root_sql("SELECT DEFAULT_COLLATE_NAME FROM information_schema.CHARACTER_SETS "
                                   "WHERE CHARACTER_SET_NAME = 'utf8mb4'").strip()
    assert _maria_defaults(db_lab) == ("utf8mb4", server)
    said = "（utf8mb4，排序规则为该服务器上 utf8mb4 的默认排序规则：备份未记录原库的字符集与排序规则）"
    assert said in output, output
    created = dict(_audit(db_lab))["restore_database_created"]
    assert (created["charset"], created["collation"], created["charset_from"]) == ("utf8mb4", None, "default")


def test_a_mariadb_dump_that_creates_its_database_gives_its_defaults(db_lab: DbLab) -> None:
    """A dump made with --databases (another tool's, or by hand) says the database's defaults in
    its CREATE DATABASE: read from the real dump tool's output."""
    import subprocess

    from launchpad.backup.drivers.base import DatabaseDefaults
    from launchpad.backup.targets import resolve_target

    db_lab.maria.root_sql(f"ALTER DATABASE {db_lab.name} CHARACTER SET gbk COLLATE gbk_bin;")
    dump_tool = next(path for path in (shutil.which("mariadb-dump"), shutil.which("mysqldump")) if path)
    dumped = subprocess.run([dump_tool, "--no-defaults", "-uroot", f"--socket={db_lab.maria.socket_path}",
                             "--databases", db_lab.name], capture_output=True, check=True, timeout=60).stdout
    with db_lab.session() as session:
        target = resolve_target(db_lab.workspace.environment("lab"), "lab", "maria", session.transport_for,
                                db_lab.root)
        driver = MySqlDriver(target)
        assert driver.dump_defaults(iter([dumped[:200], dumped[200:]])) == DatabaseDefaults("gbk", "gbk_bin")
        # launchpad's own dump names no database, so it says nothing of them
        assert driver.dump_defaults(iter([b"-- MariaDB dump\nCREATE TABLE `t` (v TEXT);\n"])) is None


def test_a_mariadb_database_its_user_has_no_rights_on_is_not_taken_for_gone(db_lab: DbLab) -> None:
    """MariaDB leaves out of information_schema the databases a user has no rights on: "not
    there" may be "not yours". The question says both, and the refusal says the database may
    exist and what the DBA should grant — not that the user may not create databases."""
    from tests.commandline import launch

    original = db_lab.maria_rows()
    assert launch(db_lab.root, "backup", "--env", "lab", "maria")[0] == 0
    other = f"other_{secrets.token_hex(3)}"
    quoted = PASSWORD.replace("\\", "\\\\").replace("'", "\\'")
    db_lab.maria.root_sql(f"CREATE DATABASE {other};")
    for host in ("127.0.0.1", "localhost"):
        db_lab.maria.root_sql(f"CREATE USER 'lp_else'@'{host}' IDENTIFIED BY '{quoted}';"
                              f"GRANT ALL ON {other}.* TO 'lp_else'@'{host}';")
    site = db_lab.root / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("user: lp,", "user: lp_else,"), encoding="utf-8")
    code, output = launch(db_lab.root, "--lang", "zh", "restore", "1", "--env", "lab", "--yes")
    assert code == 4, output
    assert f"用户 lp_else 看不到数据库 {db_lab.name}" in output, output
    assert "要么它存在而该用户对它没有权限" in output and "什么都没有改动" in output, output
    assert f"→ 请 DBA 给用户 lp_else 授予数据库 {db_lab.name} 的权限" in output, output
    assert "Traceback" not in output
    assert db_lab.maria_rows() == original  # there all along, untouched
    missing = dict(_audit(db_lab))["restore_database_missing"]
    assert missing["certain"] is False
    not_created = dict(_audit(db_lab))["restore_database_not_created"]
    assert not_created["denied"] is True and "1044" in not_created["said"]
    db_lab.workspace = load_workspace(db_lab.root)
    prompter = ScriptedPrompter(confirm_answer=False)
    with db_lab.session() as session, pytest.raises(RestoreNotConfirmed):
        restore_backup(session, 1, "lab", prompter)
    (question,) = prompter.asked
    assert f"creating the database {db_lab.name} if it is gone" in str(question.title)
    assert "it does not exist, or this user has no rights on it" in str(question.detail), question.detail
    assert db_lab.maria_rows() == original


def test_a_mariadb_database_that_is_there_when_it_is_created_is_said_to_exist(db_lab: DbLab) -> None:
    """Not seen when asked, there when created (ER_DB_CREATE_EXISTS, 1007): created since, or
    out of the user's sight. Nothing is restored into it unsaved, and the person reads that it
    exists and what to do."""
    from launchpad.phrases import render

    original = db_lab.maria_rows()
    with db_lab.session() as session:
        record = take_backup(session, "lab", "maria")
    _drop_database(db_lab, "maria")

    class MeanwhileCreated(ScriptedPrompter):
        def confirm(self, request: Any) -> bool:  # someone creates it while the question is open
            db_lab.maria.root_sql(f"CREATE DATABASE {db_lab.name}; CREATE TABLE {db_lab.name}.kept (v INT);")
            return super().confirm(request)

    with db_lab.session() as session, pytest.raises(RestoreRefused) as refused:
        restore_backup(session, record.id, "lab", MeanwhileCreated())
    message = render(refused.value.said, "zh")
    assert f"服务器说数据库 {db_lab.name} 在 127.0.0.1:{db_lab.maria.port} 上已存在" in message, message
    assert "该用户对它没有权限，或它是之后才建的；什么都没有改动" in message, message
    assert "它会先做安全备份再照常恢复" in render(refused.value.said_hint, "zh")
    assert db_lab.maria.root_sql("SHOW TABLES", db_lab.name).split() == ["kept"]  # nothing restored into it
    not_created = dict(_audit(db_lab))["restore_database_not_created"]
    assert not_created["exists"] is True and "1007" in not_created["said"]
    with db_lab.session() as session:  # the same command again: restored as ever, after a safety backup
        result = restore_backup(session, record.id, "lab", ScriptedPrompter())
    assert result.safety_backup is not None and db_lab.maria_rows() == original
