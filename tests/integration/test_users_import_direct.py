"""PostgreSQL's direct load (launchpad/users/direct.py) against a real server through a real
sshd: the new users and their links go straight into sys_user, sys_user_role and sys_user_post
by `COPY`, with ids taken from the id column's sequence before the first batch, their creation
time the server's clock; what the merge's statements ensured on the host each batch checks —
a link row appearing at the batch's ids, or a role taken away since the ids were read, stops
it with nothing written."""

from __future__ import annotations

from datetime import datetime

import pytest

from launchpad.users.stream import BatchStream
from launchpad.users.target import TargetFailed
from launchpad.users.writes import ALREADY_THERE
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, lab, session
from tests.integration.test_users_import_staged import SHEET, apply, audited
from tests.integration.test_users_import_stream import batches, marked

__all__ = ["lab"]

pytestmark = pytest.mark.integration

ENV = "test-pg"


def server_clock(lab: RuoYiLab) -> datetime:
    [[now]] = lab.sql(ENV, "SELECT to_char(LOCALTIMESTAMP, 'YYYY-MM-DD HH24:MI:SS.US')")
    return datetime.strptime(now, "%Y-%m-%d %H:%M:%S.%f")


def test_new_users_go_straight_into_the_users_table_with_ids_from_its_sequence_and_the_servers_time(
        lab: RuoYiLab) -> None:
    [[before]] = lab.sql(ENV, "SELECT last_value FROM sys_user_user_id_seq")
    read_before = server_clock(lab)
    done = apply(lab, ENV, SHEET, batch_size=2)
    read_after = server_clock(lab)
    assert done.counts["insert"] == 5
    loads = [str(c["statements"]) for c in audited(lab, "remote_sql")]
    assert loads and all("COPY sys_user (user_id, " in s and "launchpad_stage" not in s for s in loads)
    assert all("COPY sys_user_role (user_id, role_id) FROM STDIN;" in s for s in loads)
    rows = lab.sql(ENV, "SELECT user_id, to_char(create_time, 'YYYY-MM-DD HH24:MI:SS.US') FROM sys_user "
                        f"WHERE create_by = 'import:{done.import_id}' ORDER BY user_id")
    ids = [int(n) for n, _ in rows]
    assert ids == list(range(int(before) + 1, int(before) + 6))  # the sequence's next five, in the sheet's order
    assert all(read_before <= datetime.strptime(at, "%Y-%m-%d %H:%M:%S.%f") <= read_after for _, at in rows)


def test_a_link_row_appearing_at_the_batchs_ids_stops_it_with_nothing_written(lab: RuoYiLab) -> None:
    with session(lab, ENV, FAST_HASH) as (_, target):
        [(_batch, staged)] = batches(lab, target, ENV, 10)
        [[lowest]] = lab.sql(ENV, "SELECT last_value - 4 FROM sys_user_user_id_seq")  # the five ids taken
        lab.sql(ENV, f"INSERT INTO sys_user_role (user_id, role_id) VALUES ({lowest}, 2)")
        stream = BatchStream(target, 1).open()
        try:
            with pytest.raises(TargetFailed, match=ALREADY_THERE):
                stream.run(1, staged)
        finally:
            stream.close()
    assert marked(lab, ENV) == []
    assert lab.sql(ENV, f"SELECT COUNT(*) FROM sys_user_role WHERE user_id >= {lowest}") == [["1"]]


def test_a_role_taken_away_after_its_id_was_read_stops_the_batch(lab: RuoYiLab) -> None:
    with session(lab, ENV, FAST_HASH) as (_, target):
        [(_batch, staged)] = batches(lab, target, ENV, 10)
        lab.sql(ENV, "UPDATE sys_role SET del_flag = '2' WHERE role_key = 'leader'")
        stream = BatchStream(target, 1).open()
        try:
            with pytest.raises(TargetFailed, match=ALREADY_THERE):
                stream.run(1, staged)
        finally:
            stream.close()
            lab.sql(ENV, "UPDATE sys_role SET del_flag = '0' WHERE role_key = 'leader'")
    assert marked(lab, ENV) == []
