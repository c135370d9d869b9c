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


def test_recorded_rows_read_back_as_they_were_and_are_marked_done() -> None:
    store = Store.memory()
    import_id = records.start_import(store, environment="test", database="app", target="ruoyi", file_name="名单.xlsx",
                                     file_sha256="0" * 64, mapping="ruoyi.yaml", rows=2, planned={"insert": 1},
                                     plan_digest="d", operator="tester")
    rows: list[dict[str, Any]] = [{"key": "zhangsan", "action": "insert", "unit": "办公室", "before": None,
             "after": {"nick_name": "张\"三\\\n", "email": ""}, "roles_added": ["common"], "posts_added": []},
            {"key": "lisi", "action": "update", "unit": "信息中心", "before": {"email": ""},
             "after": {"email": "ls@example.cn"}, "roles_added": [], "posts_added": ["kz"]}]
    records.record_rows(store, import_id, 1, rows)
    records.rows_done(store, import_id, ["lisi"])
    found = records.import_rows(store, import_id)
    assert [{k: r[k] for k in rows[0]} for r in found] == rows
    assert [(r["batch"], r["done"]) for r in found] == [(1, 0), (1, 1)]
