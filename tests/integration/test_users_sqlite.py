"""User import into SQLite: Python's sqlite3 on the host that holds the file, over the local
transport and over a real sshd. The request travels on stdin, never on the command line."""

from __future__ import annotations

import contextlib
import sqlite3
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.hosts.connect import HostConnections
from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users.apply import ApplyOutcome, ImportRefused, ImportTarget, apply_plan, rollback_import
from launchpad.users.checks import check_workbook
from launchpad.users.mapping import load_mapping
from launchpad.users.operations import Planned, file_sha256, plan_file, read_rows, target_session
from launchpad.users.target import TargetFailed, TargetSession
from launchpad.workspace.folder import Workspace, load_workspace
from tests.core.users_sheets import GOOD, HEADER, MAPPING, write_mapping, write_xlsx
from tests.integration.ruoyi import sqlite_ruoyi
from tests.integration.sshd import SshdHost, SshLab

pytestmark = pytest.mark.integration
FAST_HASH = MAPPING + "passwords: {cost: 4, length: 10}\n"
# 'other' is in the target exactly as here; the nick name is text no SQL may read as SQL.
TRICKY = "');DELETE/**/FROM/**/sys_user;"  # 30 characters, no spaces: what the mapping lets through
SHEET = [HEADER, GOOD[0], GOOD[1], ["other", "别人", "", "13700137000", "", "", "办公室", ""],
         ["obrien", TRICKY, "", "13600136000", "", "男", "信息中心", ""]]


class SqliteLab:
    def __init__(self, root: Path, host: SshdHost) -> None:
        self.local_db = sqlite_ruoyi(root / "data" / "ry.db")
        self.remote_db = sqlite_ruoyi(root / "remote" / "ry.db")  # the sshd host is this machine
        (root / ".launchpad").mkdir(parents=True)
        (root / ".launchpad" / "known_hosts").write_text(host.known_hosts_line())
        (root / "site.yaml").write_text(textwrap.dedent(f"""\
            site: {{name: 用户导入, client: 客户}}
            environments:
              test:
                transport: local
                hosts: [{{name: app1, address: 127.0.0.1}}]
                databases: {{app: {{engine: sqlite, name: data/ry.db}}}}
              remote:
                hosts: [{{name: app1, address: {host.address}, port: {host.port}}}]
                databases: {{app: {{engine: sqlite, name: {self.remote_db}, via: app1}}}}
            """), encoding="utf-8")
        self.root = root
        self.workspace: Workspace = load_workspace(root)
        write_mapping(root, FAST_HASH)

    def db(self, env: str) -> Path:
        return self.local_db if env == "test" else self.remote_db

    def rows(self, env: str, query: str) -> list[tuple[object, ...]]:
        with contextlib.closing(sqlite3.connect(self.db(env))) as connection:
            return list(connection.execute(query))


@pytest.fixture
def lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost]) -> SqliteLab:
    sshd_lab.write_user_ssh_config()
    return SqliteLab(tmp_path / "ws", ssh_hosts[0])


@contextlib.contextmanager
def session(lab: SqliteLab, env: str) -> Iterator[tuple[Store, TargetSession]]:
    mapping = load_mapping(lab.root / "imports" / "ruoyi.yaml")
    with Store.open(lab.workspace.store_path) as store, HostConnections(lab.workspace, env) as connections, \
            target_session(lab.workspace, env, mapping.database, connections.transport_for,
                           lambda action, target, detail: _audit(store, action, target, detail)) as target:
        yield store, target


def _audit(store: Store, action: str, target: str, detail: dict[str, object]) -> None:
    store.audit("tester", action, target, detail)


def plan(lab: SqliteLab, env: str, target: TargetSession) -> tuple[Path, Planned]:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": SHEET})
    return sheet, plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)


def apply(lab: SqliteLab, env: str) -> ApplyOutcome:
    with session(lab, env) as (store, target):
        sheet, planned = plan(lab, env, target)
        to = ImportTarget(store, target, lab.root, env, "app", "tester")
        return apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml")


def users(lab: SqliteLab, env: str) -> list[tuple[object, ...]]:
    return lab.rows(env, "SELECT user_name, nick_name, email, phonenumber, sex, dept_id, create_by FROM sys_user "
                         "ORDER BY user_id")


def links(lab: SqliteLab, env: str) -> list[tuple[object, ...]]:
    return lab.rows(env, "SELECT u.user_name, r.role_key FROM sys_user_role ur JOIN sys_user u USING (user_id) "
                         "JOIN sys_role r USING (role_id) ORDER BY 1, 2")


@pytest.mark.parametrize("env", ["test", "remote"])
def test_plan_apply_again_and_rollback_in_sqlite(lab: SqliteLab, env: str) -> None:
    before, links_before = users(lab, env), links(lab, env)
    with session(lab, env) as (_, target):
        planned = plan(lab, env, target)[1]
    assert [(u.key, u.action) for u in planned.plan.users] == [
        ("zhangsan", "insert"), ("lisi", "update"), ("other", "unchanged"), ("obrien", "insert")]
    assert planned.plan.users[1].changes == {"email": ("", "ls@example.cn"), "sex": ("0", "1"),
                                             "dept_id": ("101", "102")}

    first = apply(lab, env)
    assert first.counts == {"insert": 2, "update": 1, "unchanged": 1, "rejected": 0}
    after = users(lab, env)
    mark = f"import:{first.import_id}"
    assert after[-2:] == [("zhangsan", "张三", "zs@example.cn", "13800138000", "0", 101, mark),
                          ("obrien", TRICKY, "", "13600136000", "0", 102, mark)]
    assert after[1] == ("lisi", "李四", "ls@example.cn", "13900139000", "1", 102, "admin")
    [(hashed, changed)] = lab.rows(env, "SELECT password, pwd_update_date FROM sys_user WHERE user_name = 'zhangsan'")
    assert str(hashed).startswith("$2a$04$") and changed is None
    assert ("zhangsan", "leader") in links(lab, env)

    second = apply(lab, env)
    assert second.counts == {"insert": 0, "update": 0, "unchanged": 4, "rejected": 0}
    assert users(lab, env) == after

    with session(lab, env) as (store, target):
        undone = rollback_import(ImportTarget(store, target, lab.root, env, "app", "tester"), first.import_id)
    assert (undone.deleted, undone.restored, undone.left_alone) == (2, 1, [])
    assert [row[:6] for row in users(lab, env)] == [row[:6] for row in before]
    assert links(lab, env) == links_before


def test_the_import_record_keeps_what_undo_and_hand_out_need_not_the_new_users_personal_data(
        lab: SqliteLab) -> None:
    done = apply(lab, "test")
    with Store.open(lab.workspace.store_path) as store:
        found = {row["key"]: row for row in records.import_rows(store, done.import_id)}
        text = "".join(r["rows"] for r in store.db.query("SELECT rows FROM user_import_batches"))
    assert found["zhangsan"]["after"] == {"nick_name": "张三"} and found["zhangsan"]["before"] is None
    assert found["zhangsan"]["unit"] == "某某局/办公室" and "leader" in found["zhangsan"]["roles_added"]
    assert "13800138000" not in text and "zs@example.cn" not in text  # the new user's phone and e-mail
    # an update: the fields it changed, as they were and became (what rollback restores)
    assert found["lisi"]["before"] == {"email": "", "sex": "0", "dept_id": "101"}
    assert found["lisi"]["after"] == {"email": "ls@example.cn", "sex": "1", "dept_id": "102"}


def test_a_hand_out_that_could_not_be_written_is_written_later_from_the_kept_passwords(
        lab: SqliteLab, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk filled up between the last batch and the hand-out: the users are in, their
    passwords are not lost. `users handout ID` writes the hand-out once there is room, every
    password verifying against the target's hash, and the kept file is gone."""
    import errno
    import subprocess
    import sys

    import bcrypt
    from openpyxl import load_workbook

    from launchpad.errors import LaunchpadError
    from launchpad.users import apply as apply_module
    from launchpad.users.handout import handout_dir
    from launchpad.users.hashing_progress import FILE_NAME
    from tests.integration.test_users_import import handout_of

    def disk_full(*_: object, **__: object) -> list[Path]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(apply_module, "write_handouts", disk_full)
    with pytest.raises(LaunchpadError) as failed:
        apply(lab, "test")
    folder = handout_dir(lab.root, 1)
    said = failed.value.render("zh")
    assert f"新用户的初始密码仍保存在 {folder}" in said and "launchpad users handout 1" in said
    assert "--reset" not in said  # no password needs one
    assert (folder / FILE_NAME).is_file() and not list(folder.glob("*.xlsx"))
    monkeypatch.undo()
    listed = subprocess.run([sys.executable, "-m", "launchpad", "users", "imports"], cwd=lab.root,
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert "⚠ 发放单未写出：运行 `launchpad users handout 1` 写出" in listed.stdout, listed.stdout
    # the same import run again has nothing to write, and says where the hand-out is
    again = subprocess.run([sys.executable, "-m", "launchpad", "users", "import", "名单.xlsx", "--env", "test",
                            "--yes"], cwd=lab.root, capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
    assert again.returncode == 0 and "无需写入" in again.stdout, again.stderr
    assert "⚠ 发放单未写出：运行 `launchpad users handout 1` 写出" in again.stderr

    done = subprocess.run([sys.executable, "-m", "launchpad", "users", "handout", "1"], cwd=lab.root,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "已由导入 1 保存的密码写出发放单：2 个文件。" in done.stderr
    assert not (folder / FILE_NAME).exists()
    for login in ("zhangsan", "obrien"):
        [(hashed,)] = lab.rows("test", f"SELECT password FROM sys_user WHERE user_name = '{login}'")
        rows = load_workbook(handout_of(folder, login)).active.iter_rows(min_row=3, values_only=True)
        [password] = [row[3] for row in rows if row[1] == login]
        assert bcrypt.checkpw(password.encode(), ("$2b$" + str(hashed)[4:]).encode())
    with Store.open(lab.workspace.store_path) as store:
        assert {r["key"] for r in records.import_rows(store, 1) if r["done"] == records.HANDED_OUT} == \
            {"zhangsan", "obrien"}
        actions = [row["action"] for row in store.db.query("SELECT action FROM audit ORDER BY id")]
    assert "user_handout_written" in actions and "user_import_hashing_progress_removed" in actions
    again = subprocess.run([sys.executable, "-m", "launchpad", "users", "handout", "1"], cwd=lab.root,
                           capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert again.returncode == 0 and "保存的密码" not in again.stderr  # written once; now only listed
    assert "导入 1 有 2 个初始密码交接文件。" in again.stdout


def test_an_owed_hand_out_is_not_removed_before_it_is_written(lab: SqliteLab, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-out failed after the users went in (a full disk): the kept file is the only copy
    of their initial passwords. `users handout ID --remove` refuses (exit 2, nothing deleted)
    and names `users handout ID`, which writes the hand-out; after that --remove removes it."""
    import errno
    import subprocess
    import sys

    from launchpad.errors import LaunchpadError
    from launchpad.users import apply as apply_module
    from launchpad.users.handout import handout_dir, list_handouts
    from launchpad.users.hashing_progress import FILE_NAME

    def disk_full(*_: object, **__: object) -> list[Path]:
        raise OSError(errno.ENOSPC, "No space left on device")

    def launchpad(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "launchpad", *args], cwd=lab.root, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)

    def audited(action: str) -> int:
        with Store.open(lab.workspace.store_path) as store:
            return len(list(store.db.query("SELECT id FROM audit WHERE action = ?", (action,))))

    monkeypatch.setattr(apply_module, "write_handouts", disk_full)
    with pytest.raises(LaunchpadError):
        apply(lab, "test")
    monkeypatch.undo()
    folder = handout_dir(lab.root, 1)
    assert (folder / FILE_NAME).is_file()

    refused = launchpad("--lang", "en", "users", "handout", "1", "--remove")
    assert refused.returncode == 4, refused.stderr  # the import's state refuses it: a gate
    assert ("the hand-out of import 1 was never written: its kept file holds the only copy of 2 new user(s)' "
            "initial password(s), so nothing was deleted") in refused.stderr
    assert "write the hand-out first (launchpad users handout 1)" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert (folder / FILE_NAME).is_file()
    assert audited("user_handout_removed") == 0 and audited("user_import_hashing_progress_removed") == 0
    zh = launchpad("--lang", "zh", "users", "handout", "1", "--remove")
    assert zh.returncode == 4 and "导入 1 的发放单从未写出" in zh.stderr and "launchpad users handout 1" in zh.stderr
    assert (folder / FILE_NAME).is_file()

    written = launchpad("users", "handout", "1")
    assert written.returncode == 0, written.stderr
    assert len(list_handouts(folder)) == 2 and not (folder / FILE_NAME).exists()
    removed = launchpad("--lang", "en", "users", "handout", "1", "--remove")
    assert removed.returncode == 0, removed.stderr
    assert "2 hand-out file(s) removed." in removed.stdout
    assert not folder.exists() and audited("user_handout_removed") == 1


def test_a_user_added_after_the_plan_stops_the_batch_and_writes_nothing(lab: SqliteLab) -> None:
    with session(lab, "test") as (store, target):
        sheet, planned = plan(lab, "test", target)
        with contextlib.closing(sqlite3.connect(lab.local_db)) as connection, connection:
            connection.execute("INSERT INTO sys_user (user_name, nick_name, dept_id) VALUES ('zhangsan', '张三', 101)")
        before = users(lab, "test")
        to = ImportTarget(store, target, lab.root, "test", "app", "tester")
        with pytest.raises(ImportRefused, match="were added to test after the plan was made; nothing of this batch") \
                as refused:
            apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml")
        assert "：制定计划之后，test 中又新增了其中的部分用户；这一批什么都没有写入" in refused.value.render("zh")
        assert "→ 请再次运行同一导入：它会重新制定计划并继续导入" in refused.value.render("zh")
    assert users(lab, "test") == before  # lisi's update, in the same batch, was rolled back too


def test_a_missing_file_is_an_error_and_is_not_created(lab: SqliteLab) -> None:
    lab.local_db.unlink()
    with session(lab, "test") as (_, target), pytest.raises(TargetFailed, match="no database file data/ry.db"):
        target.query("SELECT 1")
    assert not lab.local_db.exists()


def test_the_request_travels_on_stdin_not_the_command_line(lab: SqliteLab) -> None:
    seen: list[str] = []
    with session(lab, "test") as (_, target):
        real = target.shell.run

        def spy(command: str, *args: object, **kwargs: object) -> object:
            seen.append(command)
            return real(command, *args, **kwargs)

        target.shell.run = spy
        found = target.query("SELECT nick_name FROM sys_user WHERE user_name = :name", {"name": "lisi"})
    assert found.rows == (("李四",),)
    assert seen and all("lisi" not in command for command in seen)


def test_a_query_on_sqlite_reads_its_numbers_as_the_text_a_sheet_holds(lab: SqliteLab) -> None:
    # SQLite answers numbers as numbers: a 0, an integer stored as REAL and a fraction are
    # read as a sheet shows them, not lost (0 as empty) nor a crash of the check.
    path = write_mapping(lab.root, FAST_HASH + "source: {kind: database, environment: test, query: \"SELECT "
                         "user_name AS 账号, nick_name AS 姓名, '办公室' AS 单位, user_id * 0 AS 岗位, 1.0 AS 整, "
                         "2.5 AS 半, NULL AS 空 FROM sys_user WHERE user_name = :name\", params: {name: lisi}}\n")
    mapping = load_mapping(path)
    rows = read_rows(None, mapping, path, lab.workspace)
    assert rows.workbook.sheets[0].rows[1] == ["lisi", "李四", "办公室", "0", "1", "2.5", ""]
    assert check_workbook(rows.workbook, mapping).problems == []


@pytest.mark.parametrize("env", ["test", "remote"])
def test_no_password_hash_is_said_audited_or_stored_when_sqlite_refuses_a_batch(
        lab: SqliteLab, env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's refusals name the constraint or the trigger's words, not the statement: the
    hashes of a refused batch stay out of the error, the audit log and the store."""
    from typing import Any

    from launchpad.backup.sqlclient import hex_literal
    from launchpad.users import apply as apply_module

    made: list[str] = []
    real = apply_module.hash_all

    def hash_all(*args: Any, **kwargs: Any) -> Any:
        issued = real(*args, **kwargs)
        made.extend(one.hashed for one in issued)
        return issued

    monkeypatch.setattr(apply_module, "hash_all", hash_all)
    with contextlib.closing(sqlite3.connect(lab.db(env))) as connection:
        connection.execute("CREATE TRIGGER site_rule BEFORE INSERT ON sys_user WHEN NEW.nick_name = '张三' "
                           "BEGIN SELECT RAISE(ABORT, 'refused by the site'); END")
        connection.commit()
    with pytest.raises(TargetFailed) as refused:
        apply(lab, env)
    shown = refused.value.render("en")
    assert "refused by the site" in shown, shown
    assert len(made) == 2  # zhangsan's and obrien's

    secrets = [form for hashed in made for form in (hashed, hex_literal(hashed))]
    with Store.open(lab.workspace.store_path) as store:
        audited = [" ".join(str(v) for v in dict(e).values()) for e in store.db.query("SELECT * FROM audit")]
    store_files = [p.read_bytes().decode("latin-1") for p in lab.workspace.store_path.parent.glob("*") if p.is_file()]
    assert [s for s in secrets for text in [shown, *audited, *store_files] if s in text] == []
