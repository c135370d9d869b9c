"""PostgreSQL's new users by `COPY` straight into sys_user and the link tables, under ids the
import reserved from the id column's sequence (launchpad/users/direct.py), against a real
PostgreSQL through a real sshd — and the targets where the import stages its rows instead: a
sequence the import's user does not own or counting in steps of two, a unique index on the
login, a stale link row at an id the import would take, a session holding the sequence, a
trigger. Each way, the same users and links as MariaDB's import."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator

import pytest

from launchpad.users.direct import direct_batch, prepare_script, reserved_from
from launchpad.users.operations import plan_file
from launchpad.users.plan import PlannedUser
from launchpad.users.staged import Staged
from launchpad.users.stream import BatchStream
from launchpad.users.target import TargetFailed, TargetSession
from launchpad.users.writes import ALREADY_THERE
from launchpad.workspace.folder import load_workspace
from tests.core.users_sheets import write_xlsx
from tests.integration.databases import PASSWORD, USER
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, lab, rollback, session
from tests.integration.test_users_import_links import new_links
from tests.integration.test_users_import_pg_ids import PG, expected_links, imported_ids
from tests.integration.test_users_import_staged import SHEET, apply, audited
from tests.integration.test_users_import_stream import HASH, MARK, marked

__all__ = ["lab"]

pytestmark = pytest.mark.integration

SEQUENCE = "sys_user_user_id_seq"


def loaded(lab: RuoYiLab) -> tuple[list[str], list[str]]:
    """The batches' statements sent straight to sys_user, and those sent through a stage."""
    sent = [str(c["statements"]) for c in audited(lab, "remote_sql") if c["batch"] != 0]
    return [s for s in sent if "COPY sys_user (" in s], [s for s in sent if "COPY launchpad_stage" in s]


def last_value(lab: RuoYiLab, sequence: str = SEQUENCE) -> int:
    [[value]] = lab.sql(PG, f"SELECT last_value FROM {sequence}")
    return int(value)


def test_new_users_are_copied_under_ids_reserved_from_the_sequence(lab: RuoYiLab) -> None:
    expected = expected_links(lab)
    before = last_value(lab)
    outcome = apply(lab, PG, SHEET, batch_size=2)
    direct, staged = loaded(lab)
    assert len(direct) == 3 and staged == []  # 5 users in batches of 2
    [asked] = [str(c["statements"]) for c in audited(lab, "remote_sql") if c["batch"] == 0]
    assert "ALTER SEQUENCE" in asked and "nextval" in asked
    ids = imported_ids(lab)
    # the ids reserved, all of them used, one after the other, and the sequence past them
    assert ids == list(range(before + 1, before + 6)) and last_value(lab) == before + 5
    assert new_links(lab, PG) == expected
    # one creation time for the import, the server's own
    stamps = lab.sql(PG, f"SELECT DISTINCT create_time IS NOT NULL, create_time <= now(), "
                         f"create_time > now() - interval '1 hour' FROM sys_user "
                         f"WHERE create_by = 'import:{outcome.import_id}'")
    assert stamps == [["t", "t", "t"]]
    # the application's next user takes the next id, not one of the import's
    [[made]] = lab.sql(PG, "INSERT INTO sys_user (user_name, nick_name) VALUES ('app_made', '应用') RETURNING user_id")
    assert int(made) == before + 6
    # the same file again changes nothing, and the import rolls back whole
    assert apply(lab, PG, SHEET).counts["unchanged"] == 5
    assert rollback(lab, PG, outcome.import_id).deleted == 5
    assert imported_ids(lab) == [] and new_links(lab, PG) == []


@pytest.fixture
def other_owner(lab: RuoYiLab) -> Iterator[str]:
    """test-pg reached as a user who may write every table but owns none of them."""
    role = f"lp_app_{secrets.token_hex(3)}"
    quoted = PASSWORD.replace("'", "''")
    lab.pg.sql(f"CREATE ROLE {role} LOGIN PASSWORD '{quoted}';", lab.name)
    lab.pg.sql(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}; "
               f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role};", lab.name)
    site = lab.root / "site.yaml"
    text = site.read_text(encoding="utf-8")
    start = text.index("test-pg:")
    end = text.index("prod:")
    site.write_text(text[:start] + text[start:end].replace("user: lp,", f"user: {role},") + text[end:],
                    encoding="utf-8")
    lab.workspace = load_workspace(lab.root)
    yield role
    lab.pg.sql(f"DROP OWNED BY {role}; DROP ROLE {role};", lab.name)


def test_a_sequence_the_import_user_does_not_own_is_staged(lab: RuoYiLab, other_owner: str) -> None:
    expected = expected_links(lab)
    before = last_value(lab)
    apply(lab, PG, SHEET, batch_size=2)
    direct, staged = loaded(lab)
    assert direct == [] and len(staged) == 3
    ids = imported_ids(lab)
    assert len(ids) == 5 and min(ids) > before
    assert new_links(lab, PG) == expected


@pytest.mark.parametrize("change", [
    "ALTER TABLE sys_user ALTER COLUMN user_id SET INCREMENT BY 2",  # ids in steps: not one range
    # the stage's guard names a login taken since the plan before anything is written; COPY
    # would meet the index first
    "CREATE UNIQUE INDEX lp_login ON sys_user (user_name)",
])
def test_a_target_the_direct_load_would_write_otherwise_is_staged(lab: RuoYiLab, change: str) -> None:
    expected = expected_links(lab)
    lab.sql(PG, change)
    apply(lab, PG, SHEET)
    direct, staged = loaded(lab)
    assert direct == [] and len(staged) == 1
    assert new_links(lab, PG) == expected


def test_a_stale_link_at_an_id_the_import_would_take_is_staged_and_not_written_twice(lab: RuoYiLab) -> None:
    expected = expected_links(lab)
    stale = last_value(lab) + 1  # the first id the import's first user would take
    lab.sql(PG, f"INSERT INTO sys_user_role (user_id, role_id) VALUES ({stale}, 2)")
    apply(lab, PG, SHEET)
    direct, staged = loaded(lab)
    assert direct == [] and len(staged) == 1
    assert new_links(lab, PG) == expected
    assert lab.sql(PG, f"SELECT COUNT(*) FROM sys_user_role WHERE user_id = {stale} AND role_id = 2") == [["1"]]


def test_a_transaction_holding_the_sequence_makes_the_import_stage_after_a_second_not_wait(lab: RuoYiLab) -> None:
    # A session that took an id in a transaction still open holds the sequence: ALTER SEQUENCE
    # would wait for it, and the application's new users behind it. The reservation gives up
    # after its lock timeout, and the import stages its rows instead.
    expected = expected_links(lab)
    holder = subprocess.Popen(
        [lab.pg.psql, "-X", "-q", "-At", "-h", "127.0.0.1", "-p", str(lab.pg.port), "-U", USER, "-d", lab.name],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "PGPASSWORD": PASSWORD}, text=True)
    try:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.write(f"BEGIN; SELECT nextval('{SEQUENCE}'); SELECT 'held';\n")
        holder.stdin.flush()
        for line in holder.stdout:  # until the id is taken and the transaction open
            if line.strip() == "held":
                break
        else:
            pytest.fail("the session holding the sequence ended")
        apply(lab, PG, SHEET)
        direct, staged = loaded(lab)
        assert direct == [] and len(staged) == 1
        assert new_links(lab, PG) == expected
    finally:
        holder.kill()
        holder.wait()


# Every column a new user gets, but its id, its creation time, the import's own number and its
# password's hash (each import hands out new ones): its scheme and length.
COLUMNS = ("user_name, nick_name, dept_id, user_type, email, phonenumber, sex, avatar, left(password, 7), "
           "length(password), salt, status, del_flag, login_ip, remark, pwd_update_date IS NULL, "
           "create_time IS NOT NULL, update_by")


def written(lab: RuoYiLab) -> list[list[str]]:
    return lab.sql(PG, f"SELECT {COLUMNS} FROM sys_user WHERE create_by LIKE 'import:%' ORDER BY user_name")


def test_the_direct_load_writes_every_column_as_the_stage_does(lab: RuoYiLab) -> None:
    first = apply(lab, PG, SHEET)
    direct = written(lab)
    links = new_links(lab, PG)
    assert rollback(lab, PG, first.import_id).deleted == 5 and written(lab) == []
    # a trigger of the site's own, which changes nothing, makes the import stage its rows
    lab.sql(PG, "CREATE FUNCTION lp_same() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql")
    lab.sql(PG, "CREATE TRIGGER lp_same BEFORE INSERT ON sys_user FOR EACH ROW EXECUTE FUNCTION lp_same()")
    apply(lab, PG, SHEET)
    assert len(loaded(lab)[1]) == 1  # staged, this time
    assert direct and written(lab) == direct and new_links(lab, PG) == links


def test_a_default_taking_nextval_of_a_sequence_apart_is_copied_directly(lab: RuoYiLab) -> None:
    # as RuoYi's PostgreSQL editions make it: the sequence on its own, named by the default
    expected = expected_links(lab)
    lab.sql(PG, "ALTER TABLE sys_user ALTER COLUMN user_id DROP IDENTITY")
    lab.sql(PG, "CREATE SEQUENCE seq_sys_user START 70001")
    lab.sql(PG, "ALTER TABLE sys_user ALTER COLUMN user_id SET DEFAULT nextval('seq_sys_user')")
    apply(lab, PG, SHEET)
    direct, staged = loaded(lab)
    assert len(direct) == 1 and staged == []
    assert imported_ids(lab) == list(range(70001, 70006)) and last_value(lab, "seq_sys_user") == 70005
    assert new_links(lab, PG) == expected


def direct_batches(lab: RuoYiLab, target: TargetSession, stream: BatchStream,
                   size: int) -> list[tuple[list[PlannedUser], Staged]]:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": SHEET})
    planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, PG)
    writes = planned.plan.writes()
    profile = planned.mapping.profile
    stream.ask(prepare_script(target.sql, profile, len(writes), sorted({r for u in writes for r in u.roles_added}),
                              sorted({p for u in writes for p in u.posts_added})))
    reserved = reserved_from(stream.answer(), len(writes))
    assert reserved is not None
    return [(writes[at:at + size], direct_batch(target.sql, writes[at:at + size], {u.key: HASH for u in writes},
                                                 MARK, profile, reserved))
            for at in range(0, len(writes), size)]


def test_a_user_added_between_two_direct_batches_stops_the_batch_with_nothing_of_it_written(lab: RuoYiLab) -> None:
    with session(lab, PG, FAST_HASH) as (_, target):
        stream = BatchStream(target, 3).open()
        try:
            made = direct_batches(lab, target, stream, 2)
            stream.run(1, made[0][1])
            lab.sql(PG, f"INSERT INTO sys_user (user_name, nick_name, create_by) VALUES ('{made[1][0][1].key}', "
                        "'先到', 'admin')")
            with pytest.raises(TargetFailed, match=ALREADY_THERE):
                stream.run(2, made[1][1])
        finally:
            stream.close()
    assert marked(lab, PG) == sorted([u.key] for u in made[0][0])


def test_a_stream_cut_in_a_later_copy_of_a_direct_batch_commits_nothing_of_it(lab: RuoYiLab) -> None:
    with session(lab, PG, FAST_HASH) as (_, target):
        stream = BatchStream(target, 2).open()
        try:
            [(_, whole)] = direct_batches(lab, target, stream, 10)
            assert whole.more  # the users, then their links
            framed = stream.framed(1, whole)
            links = whole.more[-1][1]
            stream.send(framed[:framed.index(links) + len(links) // 2])  # then the stream ends
        finally:
            stream.close()
        with pytest.raises(TargetFailed):
            stream.wait(1)
    assert marked(lab, PG) == []
    assert lab.sql(PG, "SELECT COUNT(*) FROM sys_user_role WHERE user_id > 1000") == [["0"]]
