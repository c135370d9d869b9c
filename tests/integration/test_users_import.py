"""User import against real MariaDB and PostgreSQL holding a RuoYi-shaped schema, reached
through a real sshd: the plan is computed from the live target."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from launchpad.errors import UsageError
from launchpad.hosts.connect import HostConnections
from launchpad.store.audit import iter_audit
from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users.annotate import CannotWrite
from launchpad.users.apply import (
    ApplyOutcome,
    ImportRefused,
    ImportTarget,
    RollbackOutcome,
    apply_plan,
    rollback_import,
)
from launchpad.users.handout import list_handouts
from launchpad.users.mapping import load_mapping
from launchpad.users.operations import Planned, file_sha256, plan_file, target_session
from launchpad.users.target import TargetSession
from tests.core.users_sheets import GOOD, HEADER, MAPPING, write_mapping, write_xlsx
from tests.integration.databases import PASSWORD, MariaDbServer, PostgresServer
from tests.integration.ruoyi import RuoYiLab
from tests.integration.sshd import SshdHost, SshLab
from tests.small_disk import full_disk

# These tests read the command line's English words.
pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("english_cli")]

SHEET = [
    HEADER,
    GOOD[0],  # zhangsan: new, post 科长 → roles common + leader
    GOOD[1],  # lisi: exists in 办公室; the sheet moves him to 信息中心 and adds his e-mail
    ["other", "别人", "", "13700137000", "", "", "办公室", ""],  # exactly as in the target
    ["wangwu", "王五", "", "15888888888", "", "", "信息中", "处长"],  # taken phone, unknown unit and post
]


@pytest.fixture
def lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], mariadb_server: MariaDbServer,
        postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> RuoYiLab:
    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    return RuoYiLab(tmp_path / "ws", ssh_hosts[0], mariadb_server, postgres_server)


@contextlib.contextmanager
def session(lab: RuoYiLab, env: str, mapping_text: str = MAPPING) -> Iterator[tuple[Store, TargetSession]]:
    mapping = load_mapping(write_mapping(lab.root, mapping_text))
    with Store.open(lab.workspace.store_path) as store, HostConnections(lab.workspace, env) as connections, \
            target_session(lab.workspace, env, mapping.database, connections.transport_for,
                           lambda action, target, detail: _audit(store, action, target, detail)) as target:
        yield store, target


def _audit(store: Store, action: str, target: str, detail: dict[str, object]) -> None:
    store.audit("tester", action, target, detail)


def plan(lab: RuoYiLab, env: str, rows: Sequence[Sequence[object]] | None = None) -> Planned:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": rows or SHEET})
    with session(lab, env) as (_, target):
        return plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)


@pytest.mark.parametrize("env", ["test", "prod"])
def test_the_plan_is_computed_from_the_live_target(lab: RuoYiLab, env: str) -> None:
    planned = plan(lab, env)
    users = {u.key: u for u in planned.plan.users}
    assert [(u.key, u.action) for u in planned.plan.users] == [
        ("zhangsan", "insert"), ("lisi", "update"), ("other", "unchanged"), ("wangwu", "rejected")]
    assert users["zhangsan"].values["dept_id"] == "101"
    assert users["zhangsan"].roles_added == ["common", "leader"] and users["zhangsan"].posts_added == ["kz"]
    assert users["lisi"].changes == {"email": ("", "ls@example.cn"), "sex": ("0", "1"), "dept_id": ("101", "102")}
    assert users["lisi"].posts_added == ["ky"] and users["lisi"].roles_added == []
    assert [str(p.reason) for p in users["wangwu"].problems] == [
        "no unit '信息中' in the target; closest: 某某局/信息中心, 某某局/信息中心/综合科",
        "already belongs to user admin in the target",
        "no post '处长' in the target; closest: 科长",
    ]
    assert planned.plan.counts_by_unit() == {
        "-": {"insert": 0, "update": 0, "unchanged": 0, "rejected": 1},
        "某某局/信息中心": {"insert": 0, "update": 1, "unchanged": 0, "rejected": 0},
        "某某局/办公室": {"insert": 1, "update": 0, "unchanged": 1, "rejected": 0},
    }


def test_a_role_the_target_lacks_stops_before_any_row(lab: RuoYiLab) -> None:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": SHEET})
    with session(lab, "test", MAPPING.replace("roles: [leader]", "roles: [chief]")) as (_, target), \
            pytest.raises(UsageError, match="role key.s. chief of the mapping are not in sys_role of test") as refused:
        plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, "test")
    chinese = refused.value.render("zh")  # what a `language: zh` site prints
    assert "映射中的角色标识 chief 不在 test 的 sys_role 中（现有：" in chinese, chinese
    assert "→ 请改正映射中的 roles:，或先在目标系统中创建这些角色" in chinese


FAST_HASH = MAPPING + "passwords: {cost: 4, length: 10}\n"
GOOD_SHEET = SHEET[:4]


def apply(lab: RuoYiLab, env: str, rows: Sequence[Sequence[object]], mapping: str = FAST_HASH,
          allow_rejected: bool = False) -> ApplyOutcome:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": rows})
    with session(lab, env, mapping) as (store, target):
        planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)
        to = ImportTarget(store, target, lab.root, env, "app", "tester")
        return apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml",
                          allow_rejected=allow_rejected)


def rollback(lab: RuoYiLab, env: str, import_id: int) -> RollbackOutcome:
    with session(lab, env, FAST_HASH) as (store, target):
        return rollback_import(ImportTarget(store, target, lab.root, env, "app", "tester"),
                               import_id)


def users_table(lab: RuoYiLab, env: str) -> list[list[str]]:
    return lab.sql(env, "SELECT user_name, nick_name, COALESCE(email, ''), phonenumber, sex, dept_id, create_by "
                        "FROM sys_user ORDER BY user_id")


def links(lab: RuoYiLab, env: str) -> list[list[str]]:
    return lab.sql(env, "SELECT u.user_name, r.role_key FROM sys_user_role ur JOIN sys_user u ON u.user_id = "
                        "ur.user_id JOIN sys_role r ON r.role_id = ur.role_id ORDER BY u.user_name, r.role_key") + \
        lab.sql(env, "SELECT u.user_name, p.post_code FROM sys_user_post up JOIN sys_user u ON u.user_id = "
                     "up.user_id JOIN sys_post p ON p.post_id = up.post_id ORDER BY u.user_name, p.post_code")


@pytest.mark.parametrize("env", ["test", "prod"])
def test_apply_does_what_the_plan_said_twice_changes_nothing_and_rollback_undoes_it(lab: RuoYiLab, env: str) -> None:
    before, links_before = users_table(lab, env), links(lab, env)
    first = apply(lab, env, GOOD_SHEET)
    assert first.counts == {"insert": 1, "update": 1, "unchanged": 1, "rejected": 0}
    after = users_table(lab, env)
    assert after[-1] == ["zhangsan", "张三", "zs@example.cn", "13800138000", "0", "101", f"import:{first.import_id}"]
    assert after[1] == ["lisi", "李四", "ls@example.cn", "13900139000", "1", "102", "admin"]
    assert after[2] == before[2]  # other: unchanged
    assert links(lab, env) == sorted(links_before[:3] + [["zhangsan", "common"], ["zhangsan", "leader"]]) + \
        [["lisi", "ky"], ["zhangsan", "kz"]]

    second = apply(lab, env, GOOD_SHEET)
    assert second.counts == {"insert": 0, "update": 0, "unchanged": 3, "rejected": 0}
    assert users_table(lab, env) == after and second.handouts == []

    undone = rollback(lab, env, first.import_id)
    assert (undone.deleted, undone.restored, undone.left_alone) == (1, 1, [])
    assert [row[:6] for row in users_table(lab, env)] == [row[:6] for row in before]
    assert links(lab, env) == links_before


def test_zero_width_characters_pasted_into_a_sheet_never_reach_the_target(lab: RuoYiLab) -> None:
    # From a web page or WeChat: the account a person reads and types is zhangsan, and "other"
    # is the user already there, not a second one.
    pasted = [HEADER, ["zhang\u200bsan", "张\u200c三", GOOD[0][2], "138\u200b00138000\u2060", "zs@example.cn\ufeff",
                       "男", "办公室", "科长\u200d"],
              GOOD[1], ["other\u200b", "别人", "", "13700137000", "", "", "办公室", ""]]
    first = apply(lab, "test", pasted)
    assert first.counts == {"insert": 1, "update": 1, "unchanged": 1, "rejected": 0}
    assert users_table(lab, "test")[-1] == ["zhangsan", "张三", "zs@example.cn", "13800138000", "0", "101",
                                            f"import:{first.import_id}"]
    assert ["zhangsan", "kz"] in links(lab, "test")
    assert apply(lab, "test", GOOD_SHEET).counts == {"insert": 0, "update": 0, "unchanged": 3, "rejected": 0}


def test_rollback_leaves_a_row_someone_changed_after_the_import(lab: RuoYiLab) -> None:
    first = apply(lab, "test", GOOD_SHEET)
    lab.maria.root_sql("UPDATE sys_user SET email = 'new@example.cn', update_by = 'admin' WHERE user_name = 'lisi'",
                       lab.name)
    undone = rollback(lab, "test", first.import_id)
    assert undone.left_alone == ["lisi"]
    lisi = lab.sql("test", "SELECT email, dept_id FROM sys_user WHERE user_name = 'lisi'")
    assert lisi == [["new@example.cn", "102"]]
    assert lab.sql("test", "SELECT COUNT(*) FROM sys_user WHERE user_name = 'zhangsan'") == [["0"]]


def test_a_plain_password_is_found_nowhere_but_the_handout(lab: RuoYiLab) -> None:
    import bcrypt
    from openpyxl import load_workbook

    outcome = apply(lab, "test", GOOD_SHEET)
    assert [p.name for p in outcome.handouts] == ["某某局_办公室.xlsx"]
    handout = outcome.handouts[0]
    assert stat.S_IMODE(os.stat(handout).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(handout.parent).st_mode) == 0o700
    rows = list(load_workbook(handout).active.iter_rows(values_only=True))
    assert rows[1] == ("单位", "账号", "姓名", "初始密码")
    unit, login, name, password = rows[2]
    assert (unit, login, name, len(password)) == ("某某局/办公室", "zhangsan", "张三", 10)
    [[hashed, changed]] = lab.sql("test", "SELECT password, COALESCE(pwd_update_date, 'never') FROM sys_user "
                                          "WHERE user_name = 'zhangsan'")
    assert hashed.startswith("$2a$04$") and changed == "never"
    assert bcrypt.checkpw(password.encode(), ("$2b$" + hashed[4:]).encode())
    for path in lab.root.rglob("*"):
        if path.is_file() and path != handout:
            assert password.encode() not in path.read_bytes(), path
    with Store.open(lab.workspace.store_path) as store:
        entries = [e for e in store.db.query("SELECT action, detail FROM audit")]
    assert "user_handout_written" in [e["action"] for e in entries]
    assert all(password not in (e["detail"] or "") and hashed not in (e["detail"] or "") for e in entries)


def test_rejected_rows_stop_the_import_unless_skipped(lab: RuoYiLab) -> None:
    with pytest.raises(ImportRefused, match="1 row.s. of 名单.xlsx are rejected; nothing was written") as refused:
        apply(lab, "test", SHEET)
    said = refused.value.render("zh")
    # the hint names the check of that very file on that environment, as the command line's does
    assert "名单.xlsx 中有 1 行被拒绝；什么都没有写入\n  → 请改正这些行（`launchpad users check " in said, said
    named = f"{lab.root / '名单.xlsx'} --env test` 会列出它们并写出给客户的标注副本），或加上 --skip-rejected"
    assert named in said, said
    assert lab.sql("test", "SELECT COUNT(*) FROM sys_user") == [["3"]]
    outcome = apply(lab, "test", SHEET, allow_rejected=True)
    assert outcome.counts["rejected"] == 1 and outcome.counts["insert"] == 1


def launchpad(lab: RuoYiLab, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(lab.root), *args],
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def test_the_command_line_plans_imports_lists_rolls_back_and_hands_out(lab: RuoYiLab) -> None:
    write_mapping(lab.root, FAST_HASH)
    messy = write_xlsx(lab.root / "错的.xlsx", {"名单": SHEET})
    checked = launchpad(lab, "users", "check", str(messy), "--env", "test", "--lang", "zh")
    assert checked.returncode == 1
    assert "名单!H5 岗位 '处长': 目标系统中没有岗位“处长”；最接近的：科长" in checked.stdout
    assert "名单!D5 手机号码 '15888888888': 目标系统中已属于用户 admin" in checked.stdout
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})
    planned = launchpad(lab, "users", "plan", str(sheet), "--env", "test")
    assert planned.returncode == 0, planned.stderr
    assert "  + zhangsan (名单!2) into 某某局/办公室; roles common, leader" in planned.stdout
    # an update's changes as the sheet says them: its headers, the code's word, the units' paths
    assert "  ~ lisi (名单!3): 邮箱: (empty) → ls@example.cn; 性别: 男 → 女; unit: 某某局/办公室 → 某某局/信息中心; " \
           "posts +ky" in planned.stdout
    assert "plan: 1 insert, 1 update, 1 unchanged, 0 rejected" in planned.stderr
    assert "plan 1 recorded" in planned.stderr
    lab.maria.root_sql("UPDATE sys_user SET email = 'ls@example.cn' WHERE user_name = 'lisi'", lab.name)

    unconfirmed = launchpad(lab, "users", "import", str(sheet), "--env", "test")
    assert unconfirmed.returncode == 2 and "import refused: the import was not confirmed" in unconfirmed.stderr
    assert lab.sql("test", "SELECT COUNT(*) FROM sys_user") == [["3"]]

    imported = launchpad(lab, "users", "import", str(sheet), "--env", "test", "--yes")
    assert imported.returncode == 0, imported.stderr
    assert "1 new user(s): hashing at bcrypt cost 4 takes under a second on" in imported.stderr
    assert "the target changed since plan 1" in imported.stderr and "1 row(s) now differ:" in imported.stderr
    assert ("    lisi: update with other values (邮箱 'ls@example.cn'; 性别 '女'; unit '某某局/信息中心'; posts +ky → "
            "性别 '女'; unit '某某局/信息中心'; posts +ky)") in imported.stderr
    assert "✓ import 1 applied: 1 inserted, 1 updated, 1 unchanged, 0 rejected" in imported.stdout
    again = launchpad(lab, "users", "import", str(sheet), "--env", "test", "--yes")
    assert again.returncode == 0 and "Nothing to write" in again.stdout

    listed = launchpad(lab, "users", "imports")
    assert "test     applied      名单.xlsx" in listed.stdout and "+1 ~1 =1 ✗0  by tester" in listed.stdout
    handout = launchpad(lab, "users", "handout", "1")
    assert "某某局_办公室.xlsx" in handout.stdout
    removed = launchpad(lab, "users", "handout", "1", "--remove")
    assert removed.stdout.strip() == "1 hand-out file(s) removed."
    assert not (lab.root / "handouts" / "import-1").exists()

    unconfirmed_rollback = launchpad(lab, "users", "rollback", "1")  # no terminal, no --yes: bad usage
    assert unconfirmed_rollback.returncode == 2 and "rollback refused" in unconfirmed_rollback.stderr
    rolled = launchpad(lab, "users", "rollback", "1", "--yes")
    assert rolled.returncode == 0, rolled.stderr
    assert "✓ import 1 rolled back: 1 user(s) deleted, 1 restored" in rolled.stdout
    assert lab.sql("test", "SELECT COUNT(*) FROM sys_user") == [["3"]]
    twice = launchpad(lab, "users", "rollback", "1", "--yes")
    assert twice.returncode == 4 and "already rolled back" in twice.stderr  # its state refuses, not a mistake
    with Store.open(lab.workspace.store_path) as store:
        actions = [row["action"] for row in store.db.query("SELECT action FROM audit ORDER BY id")]
    for expected in ("user_import_plan_changed", "user_import_declined",
                     "user_import_confirmed", "user_import_started", "user_import_applied",
                     "user_handout_written", "user_handout_removed", "user_import_rolled_back", "remote_command"):
        assert expected in actions


def import_staff(lab: RuoYiLab) -> None:
    """The staged import's staff (three new users in 办公室 among them) imported into test as import 1."""
    from tests.integration.test_users_import_staged import SHEET as STAFF

    write_mapping(lab.root, FAST_HASH)
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": STAFF})
    imported = launchpad(lab, "users", "import", str(sheet), "--env", "test", "--yes")
    assert imported.returncode == 0, imported.stderr


def test_production_needs_a_fresh_backup_and_its_name(lab: RuoYiLab) -> None:
    write_mapping(lab.root, FAST_HASH)
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})
    # the backup gate first, before anybody is asked to type the name
    no_backup = launchpad(lab, "users", "import", str(sheet), "--env", "prod", "--confirm", "prod")
    assert no_backup.returncode == 4  # a refused gate, not a failure
    assert ("import refused: prod is production and app has no verified backup younger than 2 hours;"
            in no_backup.stderr)
    assert lab.sql("prod", "SELECT COUNT(*) FROM sys_user") == [["3"]]
    backed_up = launchpad(lab, "backup", "--env", "prod", "app")
    assert backed_up.returncode == 0, backed_up.stderr
    yes_only = launchpad(lab, "users", "import", str(sheet), "--env", "prod", "--yes")
    assert yes_only.returncode == 2 and "prod is production: its name was not typed" in yes_only.stderr
    assert "backup 1 is verified and fresh enough" in yes_only.stderr  # said before the question
    assert lab.sql("prod", "SELECT COUNT(*) FROM sys_user") == [["3"]]
    imported = launchpad(lab, "users", "import", str(sheet), "--env", "prod", "--confirm", "prod")
    assert imported.returncode == 0, imported.stderr
    assert lab.sql("prod", "SELECT COUNT(*) FROM sys_user") == [["4"]]
    # new initial passwords change production too: its name typed, as for the import
    handed = "SELECT password FROM sys_user WHERE user_name = 'zhangsan'"
    before = lab.sql("prod", handed)
    reset_yes = launchpad(lab, "users", "handout", "1", "--reset", "zhangsan", "--yes")
    assert reset_yes.returncode == 2 and "prod is production: its name was not typed; no password was changed" \
        in reset_yes.stderr
    assert lab.sql("prod", handed) == before
    folder = lab.root / "handouts" / "import-1"
    original = handout_of(folder, "zhangsan")
    old_password = handout_password(original, "zhangsan")
    reset = launchpad(lab, "users", "handout", "1", "--reset", "zhangsan", "--confirm", "prod")
    assert reset.returncode == 0, reset.stderr
    assert lab.sql("prod", handed) != before
    [first_reset] = [p for p in list_handouts(folder) if p.parent.name.startswith("reset-")]
    # the import's own hand-out no longer gives zhangsan the password that stopped working: it names the new one
    assert f"earlier hand-out {original} rewritten: for the 1 user(s) whose password was just reset" in reset.stderr
    assert handout_password(original, "zhangsan").endswith(str(first_reset.relative_to(folder)))
    first_password = handout_password(first_reset, "zhangsan")
    # a second reset: the first reset's hand-out is rewritten too, and the import's names the newest
    again = launchpad(lab, "users", "handout", "1", "--reset", "zhangsan", "--confirm", "prod")
    assert again.returncode == 0, again.stderr
    [newest] = [p for p in list_handouts(folder) if p.parent.name.startswith("reset-") and p != first_reset]
    for earlier in (original, first_reset):
        assert f"earlier hand-out {earlier} rewritten" in again.stderr
        assert handout_password(earlier, "zhangsan").endswith(str(newest.relative_to(folder)))
    assert again.stderr.count("earlier hand-out") == 2 and "no longer work" not in again.stderr
    verify_handout(lab, "prod", newest, "zhangsan")
    with Store.open(lab.workspace.store_path) as store:
        entries = list(iter_audit(store))
    actions = [entry.action for entry in entries]
    assert actions.count("user_password_reset_declined") == 1 and actions.count("user_password_reset") == 2
    assert "user_handout_outdated" not in actions
    rewritten = [entry.detail for entry in entries if entry.action == "user_handout_rewritten"]
    assert rewritten == [{"import": 1, "new": [str(first_reset.relative_to(folder))],
                          "files": {str(original.relative_to(folder)): 1}, "users": 1},
                         {"import": 1, "new": [str(newest.relative_to(folder))],
                          "files": {str(original.relative_to(folder)): 1, str(first_reset.relative_to(folder)): 1},
                          "users": 2}]
    said = reset.stdout + reset.stderr + again.stdout + again.stderr + repr([e.detail for e in entries])
    assert old_password not in said and first_password not in said
    assert [p for p in lab.root.rglob("*") if p.is_file() and (holds(p, old_password) or holds(p, first_password))] \
        == []


def test_a_reset_rewrites_the_earlier_handout_and_remove_can_keep_the_new_one(lab: RuoYiLab) -> None:
    """The import's hand-out of 办公室 lists three new users; one of them is reset. After the
    reset no file in the workspace holds its old password (every workbook read cell by cell):
    the earlier hand-out's cell for it names the new hand-out, the other two rows still give
    the passwords their hashes were made from, the file is still 0600, and the rewrite is
    audited with file names and counts. `--remove --keep-resets` then removes the import's
    hand-outs but the reset's new one (audited, what it kept named); `--remove` the rest."""
    from tests.integration.test_users_import_staged import SHEET as STAFF

    import_staff(lab)
    folder = lab.root / "handouts" / "import-1"
    office = handout_of(folder, "zhaoliu")
    others = [str(row[0]) for row in STAFF[1:] if row[6] == "办公室" and row[0] != "zhaoliu"]
    assert len(others) == 2 and all(handout_of(folder, login) == office for login in others)
    before = {login: handout_password(office, login) for login in ["zhaoliu", *others]}
    cells = [list(rows) for rows in _sheet_rows(office)]

    reset = launchpad(lab, "users", "handout", "1", "--reset", "zhaoliu", "--yes")

    assert reset.returncode == 0, reset.stderr
    [new] = [p for p in list_handouts(folder) if p.parent.name.startswith("reset-")]
    verify_handout(lab, "test", new, "zhaoliu")
    assert [p for p in lab.root.rglob("*") if p.is_file() and holds(p, before["zhaoliu"])] == []
    after = [list(rows) for rows in _sheet_rows(office)]
    changed = [(r, c) for r, row in enumerate(after) for c, value in enumerate(row) if value != cells[r][c]]
    assert len(after) == len(cells) and [len(row) for row in after] == [len(row) for row in cells]
    [(at_row, at_column)] = changed  # one cell: zhaoliu's password
    assert after[at_row][1] == "zhaoliu" and at_column == 3
    assert after[at_row][3] == f"密码已重置，新密码见 {new.relative_to(folder).as_posix()}"
    for login in others:
        assert handout_password(office, login) == before[login]
        verify_handout(lab, "test", office, login)
    assert stat.S_IMODE(os.stat(office).st_mode) == 0o600
    assert f"earlier hand-out {office} rewritten: for the 1 user(s)" in reset.stderr
    with Store.open(lab.workspace.store_path) as store:
        entries = list(iter_audit(store))
    [rewritten] = [e.detail for e in entries if e.action == "user_handout_rewritten"]
    assert rewritten == {"import": 1, "new": [str(new.relative_to(folder))],
                         "files": {str(office.relative_to(folder)): 1}, "users": 1}
    assert not any(value in repr([e.detail for e in entries]) for value in before.values())

    alone = launchpad(lab, "users", "handout", "1", "--keep-resets")
    assert alone.returncode == 2 and "--keep-resets only goes with --remove" in alone.stderr
    kept = launchpad(lab, "users", "handout", "1", "--remove", "--keep-resets")
    assert kept.returncode == 0, kept.stderr
    assert list_handouts(folder) == [new] and f"kept, a reset's hand-out still giving working passwords: {new}" \
        in kept.stdout
    assert kept.stdout.startswith("2 hand-out file(s) removed.")
    removed = launchpad(lab, "users", "handout", "1", "--remove")
    assert removed.stdout.strip() == "1 hand-out file(s) removed." and not folder.exists()
    with Store.open(lab.workspace.store_path) as store:
        removals = [e.detail for e in iter_audit(store) if e.action == "user_handout_removed"]
    assert removals[0]["kept"] == [str(new.relative_to(folder))] and len(removals[0]["files"]) == 2
    assert removals[1] == {"files": [str(new.relative_to(folder))]}


def test_two_resets_in_the_same_second_each_keep_their_handout(lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two resets of users of the same unit stamped with the same second (the clock held still):
    the second's hand-out goes to a folder of its own instead of over the first's, so the
    first reset's new password is still handed out, and each file gives the password its
    user's hash was made from."""
    from launchpad.users import reset as resetting

    import_staff(lab)
    monkeypatch.setattr(resetting, "utc_now", lambda: "2026-12-07T10:00:00Z")
    with session(lab, "test", FAST_HASH) as (store, target):
        to = ImportTarget(store, target, lab.root, "test", "app", "tester")
        policy = load_mapping(lab.root / "imports" / "ruoyi.yaml").passwords
        [first] = resetting.reset_passwords(to, 1, ["zhaoliu"], policy).files
        [second] = resetting.reset_passwords(to, 1, ["zhouba"], policy).files
    assert first != second and first.name == second.name  # the same unit, two folders
    verify_handout(lab, "test", first, "zhaoliu")
    verify_handout(lab, "test", second, "zhouba")


def test_a_reset_whose_handout_cannot_be_written_changes_no_password(lab: RuoYiLab) -> None:
    """The hand-out folder is on a full disk: the reset says so (what, where, what to do) and
    exits 2; the user's password hash is as it was, the earlier hand-out untouched, no new
    hand-out (final or not) is left, and the failure is audited. Once the disk has room the
    same reset works, and its hand-out gives the password the hash was made from."""

    import_staff(lab)
    folder = lab.root / "handouts" / "import-1"
    hashed = lab.sql("test", "SELECT password FROM sys_user WHERE user_name = 'zhaoliu'")

    with full_disk(folder, "2m") as filler:
        office = handout_of(folder, "zhaoliu")
        files = {path: path.read_bytes() for path in folder.rglob("*") if path != filler}

        refused = launchpad(lab, "users", "handout", "1", "--reset", "zhaoliu", "--yes")

        assert lab.sql("test", "SELECT password FROM sys_user WHERE user_name = 'zhaoliu'") == hashed
        assert {path: path.read_bytes() for path in folder.rglob("*") if path != filler} == files
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert f"the new hand-out of import 1's password reset cannot be written in {folder}" in refused.stderr
        assert "no password was reset and the earlier hand-outs are as they were" in refused.stderr
        assert "→ make room on the disk or make the folder writable, then run the same reset again" in refused.stderr
        assert "Traceback" not in refused.stderr
        verify_handout(lab, "test", office, "zhaoliu")  # the earlier hand-out still gives the working password
        with Store.open(lab.workspace.store_path) as store:
            entries = list(iter_audit(store))
        [failed] = [e.detail for e in entries if e.action == "user_password_reset_failed"]
        assert failed["users"] == ["zhaoliu"] and failed["step"] == "handout"
        assert not [e for e in entries if e.action == "user_password_reset"]

        filler.unlink()
        reset = launchpad(lab, "users", "handout", "1", "--reset", "zhaoliu", "--yes")

        assert reset.returncode == 0, reset.stderr
        [new] = [p for p in list_handouts(folder) if p.parent.name.startswith("reset-")]
        verify_handout(lab, "test", new, "zhaoliu")
        assert handout_password(office, "zhaoliu") == f"密码已重置，新密码见 {new.relative_to(folder).as_posix()}"
        assert stat.S_IMODE(os.stat(new).st_mode) == 0o600
        assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def test_a_reset_the_database_refuses_leaves_no_new_handout(lab: RuoYiLab) -> None:
    """The target refuses the update (a trigger the test adds): no password changes, the new
    hand-out written before it is removed (no file names one that does not exist), the
    earlier one is untouched, and the failure is audited. Without the trigger the reset works."""

    import_staff(lab)
    folder = lab.root / "handouts" / "import-1"
    office = handout_of(folder, "zhaoliu")
    files = {path: path.read_bytes() for path in folder.rglob("*")}
    hashed = lab.sql("test", "SELECT password FROM sys_user WHERE user_name = 'zhaoliu'")
    lab.maria.root_sql("CREATE TRIGGER refuse_reset BEFORE UPDATE ON sys_user FOR EACH ROW "
                       "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'", lab.name)

    refused = launchpad(lab, "users", "handout", "1", "--reset", "zhaoliu", "--yes")

    assert refused.returncode != 0 and "refused by the test" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert lab.sql("test", "SELECT password FROM sys_user WHERE user_name = 'zhaoliu'") == hashed
    assert {path: path.read_bytes() for path in folder.rglob("*")} == files
    with Store.open(lab.workspace.store_path) as store:
        entries = list(iter_audit(store))
    [failed] = [e.detail for e in entries if e.action == "user_password_reset_failed"]
    assert failed["step"] == "database" and failed["handout_removed"].startswith(".reset-")
    assert not [e for e in entries if e.action == "user_password_reset"]

    lab.maria.root_sql("DROP TRIGGER refuse_reset", lab.name)
    reset = launchpad(lab, "users", "handout", "1", "--reset", "zhaoliu", "--yes")
    assert reset.returncode == 0, reset.stderr
    [new] = [p for p in list_handouts(folder) if p.parent.name.startswith("reset-")]
    verify_handout(lab, "test", new, "zhaoliu")
    assert handout_password(office, "zhaoliu") == f"密码已重置，新密码见 {new.relative_to(folder).as_posix()}"


def _sheet_rows(path: Path) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    return list(load_workbook(path).worksheets[0].iter_rows(values_only=True))


def holds(path: Path, secret: str) -> bool:
    """Whether a file holds `secret`: a workbook read cell by cell, every sheet (its bytes are
    compressed), any other file as it is."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        return any(secret in str(value) for ws in load_workbook(path).worksheets
                   for row in ws.iter_rows(values_only=True) for value in row if value is not None)
    return secret in path.read_bytes().decode("latin-1")


def test_kill_9_mid_apply_then_resume_finishes_without_a_double_insert(lab: RuoYiLab) -> None:
    """Batch 1 (zhangsan) commits; batch 2 (lisi) waits on a row lock the test holds; the
    importing process is killed with SIGKILL there, before batch 3 (wangwu) is sent. The psql
    on the host already holds batch 2 whole, so it commits once the lock is gone: a batch sent
    is recorded before it is sent for exactly this reason. The next import of the same file
    continues import 1: zhangsan is not inserted again, wangwu is, both are handed out, and
    rollback undoes all."""
    write_mapping(lab.root, FAST_HASH)
    wangwu = ["wangwu", "王五", "", "13600136000", "", "男", "信息中心", ""]
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": [*GOOD_SHEET, wangwu]})
    env = {**os.environ, "PGPASSWORD": PASSWORD}
    holder = subprocess.Popen([lab.pg.psql, "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(lab.pg.port), "-U", "lp",
                               "-d", lab.name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        holder.stdin.write("BEGIN;\nSELECT user_name FROM sys_user WHERE user_name = 'lisi' FOR UPDATE;\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "lisi"  # the lock is held
        victim = subprocess.Popen([sys.executable, "-m", "launchpad", "--workspace", str(lab.root), "users", "import",
                                   str(sheet), "--env", "test-pg", "--yes", "--batch", "1"],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: lab.sql("test-pg", "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = "
                                                  "'Lock' AND query LIKE 'UPDATE sys_user%'") == [["1"]])
            assert lab.sql("test-pg", "SELECT COUNT(*) FROM sys_user WHERE user_name = 'zhangsan'") == [["1"]]
        finally:
            victim.kill()  # SIGKILL: no handler, no cleanup
            victim.wait()
        holder.stdin.write("ROLLBACK;\n")
        holder.stdin.flush()
        wait_until(lambda: lab.sql("test-pg", "SELECT dept_id FROM sys_user WHERE user_name = 'lisi'") == [["102"]])
    finally:
        holder.stdin.close()
        holder.wait(30)
    with Store.open(lab.workspace.store_path) as store:
        assert [r["status"] for r in records.list_imports(store)] == ["applying"]

    resumed = launchpad(lab, "users", "import", str(sheet), "--env", "test-pg", "--yes")
    assert resumed.returncode == 0, resumed.stderr
    assert "✓ import 1 finished (resumed): 1 inserted, 0 updated, 3 unchanged" in resumed.stdout
    # zhangsan's password was kept with its hash before any batch was sent: handed out now, no reset needed
    assert "no handed-out password" not in resumed.stderr
    folder = lab.root / "handouts" / "import-1"
    assert not (folder / "hashing-in-progress.jsonl").exists()
    for login in ("zhangsan", "wangwu"):
        verify_handout(lab, "test-pg", handout_of(folder, login), login)
    assert lab.sql("test-pg", "SELECT user_name, COUNT(*) FROM sys_user WHERE create_by = 'import:1' "
                              "GROUP BY user_name ORDER BY user_name") == [["wangwu", "1"], ["zhangsan", "1"]]
    with Store.open(lab.workspace.store_path) as store:
        assert [r["status"] for r in records.list_imports(store)] == ["applied"]
    unconfirmed = launchpad(lab, "users", "handout", "1", "--reset", "zhangsan")
    assert unconfirmed.returncode == 2 and "the password reset was not confirmed" in unconfirmed.stderr
    reset = launchpad(lab, "users", "handout", "1", "--reset", "zhangsan", "--yes")
    assert reset.returncode == 0, reset.stderr
    [handout] = [Path(line.split(": ", 1)[1]) for line in reset.stdout.splitlines() if "hand-out" in line]
    assert handout.parent.name.startswith("reset-") and stat.S_IMODE(os.stat(handout).st_mode) == 0o600
    verify_handout(lab, "test-pg", handout, "zhangsan")
    lab.pg.sql("UPDATE sys_user SET pwd_update_date = now() WHERE user_name = 'wangwu'", lab.name)
    refused = launchpad(lab, "users", "handout", "1", "--reset", "wangwu", "--yes")
    assert refused.returncode == 1 and "left alone (the password was already changed" in refused.stderr
    unknown = launchpad(lab, "users", "handout", "1", "--reset", "lisi", "--yes")
    assert unknown.returncode == 2 and "import 1 did not insert lisi" in unknown.stderr
    rolled = launchpad(lab, "users", "rollback", "1", "--yes")
    assert "2 user(s) deleted, 1 restored" in rolled.stdout, rolled.stderr
    assert lab.sql("test-pg", "SELECT user_name, dept_id FROM sys_user ORDER BY user_id") == [
        ["admin", "100"], ["lisi", "101"], ["other", "101"]]


def test_kill_9_while_hashing_then_resume_hashes_only_the_users_not_kept(lab: RuoYiLab) -> None:
    """Hours of bcrypt are not thrown away by a kill: the import is killed with SIGKILL once the
    passwords it hashed so far are on disk (bcrypt cost 10, 100 users: ≈ 5 s of hashing on two
    cores, written every 2 s); nothing was written to the target. The next import of the same
    file continues it, hashes only the users not kept, writes each user once, and the hand-out
    gives kept and fresh users alike the password their hash was made from."""
    import json

    write_mapping(lab.root, MAPPING + "passwords: {cost: 10, length: 10}\n")
    many = [HEADER, *([f"slow{i:03d}", f"慢{i}", "", f"13{i:09d}", "", "男", "办公室", ""] for i in range(100))]
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": many})
    kept = lab.root / "handouts" / "import-1" / "hashing-in-progress.jsonl"
    victim = subprocess.Popen([sys.executable, "-m", "launchpad", "--workspace", str(lab.root), "users", "import",
                               str(sheet), "--env", "test", "--yes"],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # the header and at least one user
        wait_until(lambda: kept.exists() and kept.read_text(encoding="utf-8").count("\n") >= 2)
    finally:
        victim.kill()  # SIGKILL: no handler, no cleanup
        victim.wait()
    lines = kept.read_text(encoding="utf-8").split("\n")[1:]
    kept_logins = [json.loads(line)["key"] for line in lines if line.endswith("}")]
    assert 1 <= len(kept_logins) < 100
    assert lab.sql("test", "SELECT COUNT(*) FROM sys_user WHERE user_name LIKE 'slow%'") == [["0"]]

    resumed = launchpad(lab, "users", "import", str(sheet), "--env", "test", "--yes")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(kept_logins)} password(s) hashed before the interruption are kept" in resumed.stderr
    assert "✓ import 1 finished (resumed): 100 inserted" in resumed.stdout
    assert lab.sql("test", "SELECT COUNT(*), COUNT(DISTINCT user_name) FROM sys_user WHERE create_by = 'import:1'") \
        == [["100", "100"]]
    with Store.open(lab.workspace.store_path) as store:
        [detail] = [json.loads(row["detail"]) for row in store.db.query(
            "SELECT detail FROM audit WHERE action = 'user_import_hashing_resumed'")]
    assert (detail["kept"], detail["to_hash"]) == (len(kept_logins), 100 - len(kept_logins))
    assert not kept.exists()
    folder = kept.parent
    fresh = next(login for login in (f"slow{i:03d}" for i in range(100)) if login not in kept_logins)
    for login in (kept_logins[0], fresh):
        verify_handout(lab, "test", handout_of(folder, login), login)


def verify_handout(lab: RuoYiLab, env: str, handout: Path, login: str) -> None:
    """The hand-out's password for `login` is the one the target's hash was made from."""
    import bcrypt
    from openpyxl import load_workbook

    rows = {row[1]: row[3] for row in load_workbook(handout).active.iter_rows(min_row=3, values_only=True)}
    [[hashed]] = lab.sql(env, f"SELECT password FROM sys_user WHERE user_name = '{login}'")
    assert bcrypt.checkpw(rows[login].encode(), ("$2b$" + hashed[4:]).encode())


def handout_password(handout: Path, login: str) -> str:
    """The password the hand-out gives `login`."""
    from openpyxl import load_workbook

    rows = {row[1]: row[3] for row in load_workbook(handout).active.iter_rows(min_row=3, values_only=True)}
    return str(rows[login])


def handout_of(folder: Path, login: str) -> Path:
    """The one hand-out file in `folder` that lists `login`."""
    from openpyxl import load_workbook

    [found] = [path for path in list_handouts(folder)
               if login in {row[1] for row in load_workbook(path).active.iter_rows(min_row=3, values_only=True)}]
    return found


def wait_until(condition: Callable[[], bool], deadline: float = 60.0) -> None:
    """Poll an observable state of the servers (not a fixed sleep), as the fixtures' readiness loops do."""
    import time

    ends = time.monotonic() + deadline
    while not condition():
        assert time.monotonic() < ends, "the state was not reached"
        time.sleep(0.1)  # polling interval


def test_compare_lists_users_only_in_one_environment_or_different(lab: RuoYiLab) -> None:
    same = launchpad(lab, "users", "compare", "--env", "test", "--env", "prod")
    assert same.returncode == 0, same.stderr
    assert "3 user(s) in test, 3 in prod; 0 differ." in same.stderr
    lab.maria.root_sql("UPDATE sys_user SET dept_id = 102, email = 'x@example.cn' WHERE user_name = 'lisi';"
                       "INSERT INTO sys_user (dept_id, user_name, nick_name) VALUES (101, 'onlytest', '测');"
                       "INSERT INTO sys_user_role (user_id, role_id) SELECT user_id, 3 FROM sys_user "
                       "WHERE user_name = 'other'", lab.name)
    differs = launchpad(lab, "users", "compare", "--env", "test", "--env", "prod")
    assert differs.returncode == 1
    assert differs.stdout.splitlines() == [
        # no mapping in the workspace: its columns as the target spells them (the demo's has headers)
        "  lisi: email: 'x@example.cn' (test) ≠ '' (prod); unit: '某某局/信息中心' (test) ≠ '某某局/办公室' (prod)",
        "  onlytest: only in test",
        "  other: roles: 'common,leader' (test) ≠ 'common' (prod)",
    ]
    one = launchpad(lab, "users", "compare", "--env", "test")
    assert one.returncode == 2 and "compare needs two different environments" in one.stderr


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_users_added_after_the_plan_stop_their_batch_before_it_writes(lab: RuoYiLab, env: str) -> None:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})
    with session(lab, env, FAST_HASH) as (store, target):
        planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)
        lab_insert = "INSERT INTO sys_user (dept_id, user_name, nick_name) VALUES (101, 'zhangsan', '张三')"
        if env == "test":
            lab.maria.root_sql(lab_insert, lab.name)
        else:
            lab.pg.sql(lab_insert, lab.name)
        to = ImportTarget(store, target, lab.root, env, "app", "tester")
        with pytest.raises(ImportRefused, match="batch 1 of import 1: some of its users were added to"):
            apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml")
    assert lab.sql(env, "SELECT COUNT(*) FROM sys_user WHERE user_name = 'zhangsan'") == [["1"]]
    assert lab.sql(env, "SELECT dept_id FROM sys_user WHERE user_name = 'lisi'") == [["101"]]  # same batch: undone
    with session(lab, env, FAST_HASH) as (store, target):
        planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)
        to = ImportTarget(store, target, lab.root, env, "app", "tester")
        resumed = apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml")
    assert resumed.resumed and resumed.import_id == 1
    assert resumed.counts == {"insert": 0, "update": 2, "unchanged": 1, "rejected": 0}


def test_no_user_is_inserted_when_the_handout_folder_cannot_be_written(lab: RuoYiLab) -> None:
    (lab.root / "handouts").write_text("a file where the folder should be")
    with pytest.raises(CannotWrite, match="cannot be written: .*; nothing was imported") as refused:
        apply(lab, "test", GOOD_SHEET)
    chinese = refused.value.render("zh")
    assert f"无法写入发放单文件夹 {lab.root / 'handouts'}" in chinese and "；什么都没有导入" in chinese, chinese
    assert "→ 请让工作区可写，然后再次运行导入" in chinese
    assert lab.sql("test", "SELECT COUNT(*) FROM sys_user") == [["3"]]
    with Store.open(lab.workspace.store_path) as store:
        assert records.list_imports(store) == []
