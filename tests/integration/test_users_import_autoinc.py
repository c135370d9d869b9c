"""The MariaDB merge on a server with `innodb_autoinc_lock_mode = 2` — interleaved ids, what a
Galera cluster requires — through a real sshd. In modes 0 and 1 an INSERT … SELECT holds the
table's AUTO-INC lock to its end, so its ids are consecutive and the merge takes each new
user's id from its rank without reading anything; in mode 2 another writer's inserts may take
ids in between, so the merge reads the range and, when it does not hold only the import's
rows, finds the new users' ids by key (staged._mysql_merge). Either way every new user gets
exactly the roles and posts the plan gave it, and nobody else gets one."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from launchpad.users.apply import ImportTarget, apply_plan
from launchpad.users.operations import file_sha256, plan_file
from tests.core.users_sheets import HEADER, write_xlsx
from tests.integration.databases import MariaDbServer, _start, server_directory
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, lab, links, rollback, session

__all__ = ["lab"]  # the fixture, shared with the other import tests

pytestmark = pytest.mark.integration

COUNT = 240
BATCH = 40  # six batches: the span of one batch's ids joins the next's, or is read again


@pytest.fixture(scope="module", name="mariadb_server")
def interleaved_server() -> Iterator[MariaDbServer]:
    """This module's MariaDB: a server of its own, started in lock mode 2 (a server option, not a
    variable). The `lab` fixture shared with the other import tests takes it in place of the
    session's server."""
    server = MariaDbServer(server_directory("lp-mariadb-mode2-"), options=("--innodb-autoinc-lock-mode=2",))
    for started in _start(server):
        assert isinstance(started, MariaDbServer)
        yield started


def sheet_rows() -> list[list[str]]:
    posts = ("科长", "科员", "")
    return [HEADER, *([f"mode{i}", f"用户{i}", "", f"135{i:08d}", "", "男" if i % 2 else "女",
                       ("办公室", "信息中心")[i % 2], posts[i % 3]] for i in range(COUNT))]


def expected_links() -> list[list[str]]:
    roles = [[f"mode{i}", role] for i in range(COUNT) for role in (("common", "leader") if i % 3 == 0 else ("common",))]
    posts = [[f"mode{i}", ("kz", "ky")[i % 3]] for i in range(COUNT) if i % 3 != 2]
    return sorted(roles) + sorted(posts)


def import_sheet(lab: RuoYiLab) -> int:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": sheet_rows()})
    with session(lab, "test", FAST_HASH) as (store, target):
        planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, "test")
        to = ImportTarget(store, target, lab.root, "test", "app", "tester")
        done = apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml",
                          batch_size=BATCH)
    assert done.counts["insert"] == COUNT
    return done.import_id


def test_the_server_interleaves_ids(lab: RuoYiLab) -> None:
    # what every other test here stands on: the option took
    assert lab.sql("test", "SELECT @@innodb_autoinc_lock_mode") == [["2"]]


def test_each_new_user_gets_its_own_roles_and_posts_in_lock_mode_2(lab: RuoYiLab) -> None:
    before = links(lab, "test")
    import_id = import_sheet(lab)
    assert sorted(row for row in links(lab, "test") if row not in before) == sorted(expected_links())
    rollback(lab, "test", import_id)
    assert links(lab, "test") == before


def test_another_writers_users_between_the_imports_ids_get_no_links(lab: RuoYiLab) -> None:
    """A writer inserting users all through the import: in lock mode 2 its ids fall between the
    import's, and the merge must still link only the import's users, each to its own roles."""
    # Each imported row takes 5 ms to insert (a trigger), so the writer's rows land among them.
    lab.maria.root_sql("CREATE TRIGGER slow_import BEFORE INSERT ON sys_user FOR EACH ROW SET NEW.remark = "
                       "IF(NEW.create_by LIKE 'import:%' AND SLEEP(0.005) = 0, NEW.remark, NEW.remark)", lab.name)
    stop = threading.Event()
    written = []

    def other_writer() -> None:
        n = 0
        while not stop.is_set():
            lab.maria.root_sql(f"INSERT INTO sys_user (dept_id, user_name, nick_name) VALUES "
                               f"(101, 'writer{n}', '别人'), (101, 'writer{n + 1}', '别人')", lab.name)
            written.append(n)
            n += 2

    writer = threading.Thread(target=other_writer, daemon=True)
    writer.start()
    try:
        import_sheet(lab)
    finally:
        stop.set()
        writer.join(60)
    [[low, high]] = lab.sql("test", "SELECT MIN(user_id), MAX(user_id) FROM sys_user WHERE create_by LIKE 'import:%'")
    [[between]] = lab.sql("test", f"SELECT COUNT(*) FROM sys_user WHERE user_name LIKE 'writer%' "
                                  f"AND user_id BETWEEN {low} AND {high}")
    assert int(between) > 0, "the writer's ids did not fall between the import's: nothing was interleaved"
    now = links(lab, "test")
    assert not [row for row in now if row[0].startswith("writer")]  # nobody else got a link
    assert sorted(row for row in now if row[0].startswith("mode")) == sorted(expected_links())
    [[mine]] = lab.sql("test", "SELECT COUNT(*) FROM sys_user WHERE create_by LIKE 'import:%'")
    assert int(mine) == COUNT
