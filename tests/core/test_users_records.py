"""The import's rows in the store: each cell's JSON written by the fast path is exactly what
`json.dumps` writes, so what `import_rows` reads back is unchanged."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users.records import _text

cells = st.one_of(st.none(), st.dictionaries(st.text(), st.text()), st.lists(st.text()),
                  st.dictionaries(st.text(), st.one_of(st.text(), st.integers(), st.none())),
                  st.lists(st.one_of(st.text(), st.integers())))


@given(cells)
def test_a_cell_is_written_as_json_dumps_writes_it(value: Any) -> None:
    expected = value if value is None else json.dumps(value, ensure_ascii=False)
    assert _text(value) == expected


def _an_import(store: Store) -> int:
    return records.start_import(store, environment="test", database="app", target="ruoyi", file_name="名单.xlsx",
                                file_sha256="0" * 64, mapping="ruoyi.yaml", rows=2, planned={"insert": 1},
                                plan_digest="d", operator="tester")


ZHANGSAN: records.RecordedRow = ("zhangsan", "insert", "办公室", None, {"nick_name": "张\"三\\\n", "email": ""},
                                 ["common"], [])
LISI: records.RecordedRow = ("lisi", "update", "信息中心", {"email": ""}, {"email": "ls@example.cn"}, [], ["kz"])


def test_recorded_rows_read_back_as_they_were_and_are_marked_done_a_batch_at_a_time() -> None:
    store = Store.memory()
    import_id = _an_import(store)
    first = records.record_rows(store, import_id, 1, [ZHANGSAN])
    records.record_rows(store, import_id, 2, [LISI])
    records.rows_done(store, import_id, first)
    found = records.import_rows(store, import_id)
    assert [tuple(r[k] for k in records.ROW_FIELDS) for r in found] == [ZHANGSAN, LISI]
    assert [(r["batch"], r["done"]) for r in found] == [(1, 1), (2, 0)]


def test_a_row_recorded_again_by_a_resumed_import_reads_as_its_latest_record_in_its_first_place() -> None:
    store = Store.memory()
    import_id = _an_import(store)
    records.record_rows(store, import_id, 1, [ZHANGSAN, LISI])  # the killed attempt: never committed
    changed: records.RecordedRow = ("zhangsan", "insert", "办公室", None,
                                    {"nick_name": "张三", "email": "zs@example.cn"}, ["common"], [])
    again = records.record_rows(store, import_id, 1, [changed])  # the resume starts its batches at 1 again
    records.rows_done(store, import_id, again)
    records.handed_out(store, import_id, ["zhangsan", "nobody"])
    found = records.import_rows(store, import_id)
    assert [r["key"] for r in found] == ["zhangsan", "lisi"]
    assert found[0]["after"] == {"nick_name": "张三", "email": "zs@example.cn"}
    assert [r["done"] for r in found] == [records.HANDED_OUT, 0]


def test_rows_marked_done_for_one_import_are_not_marked_for_another() -> None:
    store = Store.memory()
    first, second = _an_import(store), _an_import(store)
    record = records.record_rows(store, first, 1, [ZHANGSAN])
    records.rows_done(store, second, record)
    assert [r["done"] for r in records.import_rows(store, first)] == [0]
