"""The apply's bulk-loader path against real MariaDB and PostgreSQL through a real sshd: a
batch's new users go through `LOAD DATA LOCAL INFILE` / `COPY … FROM STDIN` into a temporary
table and are merged from there, all the batches through one command and one client session on
the host; a server refusing LOCAL INFILE gets scripts."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Sequence

import pytest

from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users import staged as staged_module
from launchpad.users.apply import ApplyOutcome, ImportTarget, apply_plan
from launchpad.users.operations import file_sha256, plan_file
from tests.core.users_sheets import HEADER, write_xlsx
from tests.integration.databases import PASSWORD
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, lab, links, rollback, session, users_table, wait_until

__all__ = ["lab"]  # the fixture, shared with the script-path tests

pytestmark = pytest.mark.integration

# Values a loader's text format would misread unescaped: a backslash, a literal \N (NULL in
# both formats), \t, quotes and a semicolon. The mapping's no_spaces takes real tabs out.
TRICKY = "王\\N'\"五;\\t"
SHEET = [
    HEADER,
    ["zhaoliu", TRICKY, "", "13600136000", "", "男", "办公室", "科长"],
    ["sunqi", "孙七", "", "13500135000", "", "", "信息中心", ""],
    ["zhouba", "周八", "", "13400134000", "zb@example.cn", "女", "办公室", "科员"],
    ["wujiu", "吴九", "", "13300133000", "", "", "办公室", ""],
    ["zhengshi", "郑十", "", "13200132000", "", "", "信息中心", "科长"],
]
LOADER = {"test": "LOAD DATA LOCAL INFILE", "prod": "COPY sys_user ("}
# the command every batch goes through
STREAM = {"test": "launchpad-statements", "prod": "psql -X -q -v ON_ERROR_STOP=1"}


def apply(lab: RuoYiLab, env: str, rows: Sequence[Sequence[object]], batch_size: int | None = None) -> ApplyOutcome:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": rows})
    with session(lab, env, FAST_HASH) as (store, target):
        planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)
        to = ImportTarget(store, target, lab.root, env, "app", "tester")
        return apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml",
                          batch_size=batch_size)


def audited(lab: RuoYiLab, action: str) -> list[dict[str, object]]:
    with Store.open(lab.workspace.store_path) as store:
        return [json.loads(e["detail"] or "{}") for e in store.db.query("SELECT detail FROM audit WHERE action = ?",
                                                                         [action])]


def nick_name(lab: RuoYiLab, env: str, login: str) -> str:
    """As stored, byte for byte (the clients' text output would escape the backslashes)."""
    hexed = "HEX(nick_name)" if env == "test" else "encode(convert_to(nick_name, 'UTF8'), 'hex')"
    [[value]] = lab.sql(env, f"SELECT {hexed} FROM sys_user WHERE user_name = '{login}'")
    return bytes.fromhex(value).decode()


@pytest.mark.parametrize("env", ["test", "prod"])
def test_new_users_go_through_the_bulk_loader_in_one_command(lab: RuoYiLab, env: str) -> None:
    before, links_before = users_table(lab, env), links(lab, env)
    first = apply(lab, env, SHEET, batch_size=2)
    assert first.counts == {"insert": 5, "update": 0, "unchanged": 0, "rejected": 0}
    streams = [c for c in audited(lab, "remote_command") if STREAM[env] in str(c["command"])]
    assert len(streams) == 1  # every batch through one command on the host
    loads = [c for c in audited(lab, "remote_sql") if LOADER[env] in str(c["statements"])]
    assert [c["batch"] for c in loads] == [1, 2, 3]  # 5 rows in batches of 2: load + merge + links together
    sent = [str(c["command"]) for c in streams] + [str(c["statements"]) for c in loads]
    assert all(TRICKY not in text and "zhaoliu" not in text for text in sent)
    after = users_table(lab, env)
    assert nick_name(lab, env, "zhaoliu") == TRICKY
    assert [row[:6] for row in after[len(before):]][1:] == [
        ["sunqi", "孙七", "", "13500135000", "0", "102"],
        ["zhouba", "周八", "zb@example.cn", "13400134000", "1", "101"],
        ["wujiu", "吴九", "", "13300133000", "0", "101"],
        ["zhengshi", "郑十", "", "13200132000", "0", "102"],
    ]
    assert {row[6] for row in after[len(before):]} == {f"import:{first.import_id}"}
    added = [row for row in links(lab, env) if row not in links_before]
    assert sorted(added) == sorted([
        ["zhaoliu", "common"], ["zhaoliu", "leader"], ["sunqi", "common"], ["zhouba", "common"],
        ["wujiu", "common"], ["zhengshi", "common"], ["zhengshi", "leader"],
        ["zhaoliu", "kz"], ["zhouba", "ky"], ["zhengshi", "kz"]])
    assert lab.sql(env, "SELECT COUNT(*) FROM sys_user WHERE password LIKE '$2a$04$%' AND create_by = "
                        f"'import:{first.import_id}'") == [["5"]]

    second = apply(lab, env, SHEET, batch_size=2)
    assert second.counts == {"insert": 0, "update": 0, "unchanged": 5, "rejected": 0}
    assert users_table(lab, env) == after

    undone = rollback(lab, env, first.import_id)
    assert undone.deleted == 5
    assert users_table(lab, env) == before and links(lab, env) == links_before


def test_every_batch_of_an_import_goes_through_one_mariadb_session(lab: RuoYiLab) -> None:
    # A client's start, its connection and login, cost 0.04 s a batch (bench/import): the import
    # pays it once, however many batches it has.
    def connections() -> int:
        [[_, count]] = lab.sql("test", "SHOW GLOBAL STATUS LIKE 'Connections'")
        return int(count)

    before = connections()
    one = apply(lab, "test", SHEET, batch_size=5)
    with_one_batch = connections() - before
    rollback(lab, "test", one.import_id)
    before = connections()
    three = apply(lab, "test", SHEET, batch_size=2)
    assert three.counts["insert"] == 5
    assert connections() - before == with_one_batch


# Values at their columns' full width in characters MariaDB counts as one each (CJK, astral):
# the in-memory stage is exactly that wide, and a value it cut would be cut with only a warning.
WIDE = [
    HEADER,
    ["wide" + "x" * 26, "𠮷" * 15 + "王" * 14 + "🙂", "", "13100131000", "w@" + "e" * 45 + ".cn", "男", "办公室",
     "科长"],
    ["narrow", "甲", "", "13000130000", "", "", "信息中心", ""],
]


@pytest.mark.parametrize("in_memory", [True, False], ids=["stage in memory", "stage in InnoDB"])
def test_mariadb_stages_values_whole_in_memory_or_innodb(lab: RuoYiLab, in_memory: bool,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    if not in_memory:  # as a batch past the memory budget
        monkeypatch.setattr(staged_module, "MEMORY_STAGE_BYTES", 0)
    outcome = apply(lab, "test", WIDE)
    statements = [str(c["statements"]) for c in audited(lab, "remote_sql")
                  if LOADER["test"] in str(c["statements"])][-1]
    assert ("ENGINE=MEMORY" in statements) is in_memory
    assert nick_name(lab, "test", WIDE[1][0]) == WIDE[1][1] and nick_name(lab, "test", "narrow") == "甲"
    assert lab.sql("test", f"SELECT user_name, email FROM sys_user WHERE create_by = 'import:{outcome.import_id}' "
                           "ORDER BY user_id") == [[WIDE[1][0], WIDE[1][4]], ["narrow", ""]]
    assert {"narrow", WIDE[1][0]} <= {login for login, role in links(lab, "test") if role == "common"}
    rollback(lab, "test", outcome.import_id)


def test_a_stage_past_its_room_in_memory_is_said_and_the_import_goes_on_as_scripts(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-memory stage's cap is an estimate: were it short, MariaDB says the table is full,
    the batch is rolled back whole, and it and the rest go as scripts, as after a refusal.
    Forced here with the smallest cap MariaDB takes (16 KiB) for 300 rows."""
    many = [HEADER, *([f"room{i:03d}", "王" * 20, "", f"13{i:09d}", f"r{i}@example.cn", "男", "办公室", "科长"]
                      for i in range(300))]
    monkeypatch.setattr(staged_module, "MEMORY_FLOOR", 16384)
    monkeypatch.setattr(staged_module, "MEMORY_ROOM", 0)
    outcome = apply(lab, "test", many, batch_size=200)
    assert outcome.counts["insert"] == 300 and not audited(lab, "user_import_bulk_refused")
    [full] = audited(lab, "user_import_stage_full")
    assert full["import"] == outcome.import_id and full["batch"] == 1 and full["sent_not_run"] in ([], [2])
    loads = [str(c["statements"]) for c in audited(lab, "remote_sql") if LOADER["test"] in str(c["statements"])]
    assert len(loads) == 1 + len(full["sent_not_run"]) and "max_heap_table_size = 16384" in loads[0]
    assert lab.sql("test", f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{outcome.import_id}'") == [["300"]]
    assert {login for login, role in links(lab, "test") if role == "common"} >= {f"room{i:03d}" for i in range(300)}
    rollback(lab, "test", outcome.import_id)


def test_a_server_refusing_local_infile_gets_the_script_for_every_batch(lab: RuoYiLab) -> None:
    lab.maria.root_sql("SET GLOBAL local_infile = 0")
    try:
        outcome = apply(lab, "test", SHEET, batch_size=2)
    finally:
        lab.maria.root_sql("SET GLOBAL local_infile = 1")
    assert outcome.counts["insert"] == 5
    [refused] = audited(lab, "user_import_bulk_refused")
    # Batch 2 may have been sent behind batch 1 before the refusal came back; the host never ran
    # it (its command stopped at the refusal), and the refusal says so.
    assert refused["import"] == outcome.import_id and refused["batch"] == 1 and refused["sent_not_run"] in ([], [2])
    batches = [str(c["statements"]) for c in audited(lab, "remote_sql")]
    loads = sum("LOAD DATA LOCAL INFILE" in c for c in batches)
    assert loads == 1 + len(refused["sent_not_run"])  # refused once, not tried again
    assert nick_name(lab, "test", "zhaoliu") == TRICKY
    assert lab.sql("test", f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{outcome.import_id}'") == [["5"]]


def test_a_batch_of_only_updates_goes_as_a_script(lab: RuoYiLab) -> None:
    apply(lab, "prod", SHEET)
    changed = [SHEET[0], [*SHEET[2][:4], "sq@example.cn", *SHEET[2][5:]]]
    outcome = apply(lab, "prod", changed)
    assert outcome.counts == {"insert": 0, "update": 1, "unchanged": 0, "rejected": 0}
    assert sum(LOADER["prod"] in str(c["statements"]) for c in audited(lab, "remote_sql")) == 1
    assert lab.sql("prod", "SELECT email FROM sys_user WHERE user_name = 'sunqi'") == [["sq@example.cn"]]


def test_the_next_batch_is_recorded_while_the_one_before_is_on_the_host(lab: RuoYiLab) -> None:
    """Batch 1 waits on the host behind a lock the test holds on sys_user. Meanwhile batch 2 is
    built, sent behind it and recorded in the store (not done); batch 3 is not sent, nor
    recorded (into PostgreSQL a batch is recorded once it is on its way): two batches in flight
    at most."""
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": SHEET})
    env = {**os.environ, "PGPASSWORD": PASSWORD}
    outcomes: list[ApplyOutcome] = []
    with session(lab, "test-pg", FAST_HASH) as (store, target):
        planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, "test-pg")
        holder = subprocess.Popen([lab.pg.psql, "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(lab.pg.port), "-U",
                                   "lp", "-d", lab.name], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  env=env)
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.write("BEGIN;\nLOCK TABLE sys_user IN ACCESS EXCLUSIVE MODE;\nSELECT 'held';\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "held"
        to = ImportTarget(store, target, lab.root, "test-pg", "app", "tester")
        worker = threading.Thread(target=lambda: outcomes.append(apply_plan(
            to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml", batch_size=2)))
        worker.start()
        try:
            wait_until(lambda: recorded(lab) == {1: [0, 0], 2: [0, 0]} and lab.sql(
                "test-pg", f"SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '{lab.name}' "
                           "AND wait_event_type = 'Lock'") == [["1"]])
            loads = [c for c in audited(lab, "remote_sql") if LOADER["prod"] in str(c["statements"])]
            assert [c["batch"] for c in loads] == [1, 2]  # batch 3 waits here until batch 1 committed
            assert 3 not in recorded(lab)
        finally:
            holder.stdin.write("ROLLBACK;\n")
            holder.stdin.close()
            holder.wait(30)
            worker.join(120)
    [outcome] = outcomes
    assert outcome.counts["insert"] == 5
    assert recorded(lab) == {1: [1, 1], 2: [1, 1], 3: [1]}
    assert lab.sql("test-pg", f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{outcome.import_id}'") \
        == [["5"]]


def recorded(lab: RuoYiLab) -> dict[int, list[int]]:
    """Each batch's rows in the store, by their `done`."""
    found: dict[int, list[int]] = {}
    with Store.open(lab.workspace.store_path) as store:
        for import_id in [row["id"] for row in store.db.query("SELECT id FROM user_imports")]:
            for row in records.import_rows(store, import_id):
                found.setdefault(row["batch"], []).append(row["done"])
    return found
