"""Migration 18: a workspace with imports recorded a row per user (before it) reads back the
same rows, in the same order and state, once its rows are kept a batch at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from launchpad.store import migrations
from launchpad.store.db import Store
from launchpad.users import records


def _a_store_before_18(path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    with monkeypatch.context() as patched:
        patched.setattr(migrations, "MIGRATIONS", tuple(m for m in migrations.MIGRATIONS if m.number < 18))
        Store.open(path).close()
    return Database(path)


def test_rows_recorded_one_per_user_read_back_the_same_after_the_migration(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "launchpad.db"
    db = _a_store_before_18(path, monkeypatch)
    assert "user_import_batches" not in db.table_names()
    db.conn.execute("INSERT INTO user_imports (environment, database, target, file_name, file_sha256, mapping, rows, "
                    "planned, plan_digest, status, started) VALUES ('test', 'ry', 'ruoyi', '名单.xlsx', 'x', "
                    "'ruoyi.yaml', 4, '{}', 'd', 'applying', 'then')")
    rows = [  # key, action, batch, done: batch 1 half done (a resumed import), one user handed out
        ("zhangsan", "insert", 1, 1, None, {"nick_name": "张三"}, ["common"], []),
        ("lisi", "update", 1, 0, {"email": ""}, {"email": "ls@example.cn"}, [], ["kz"]),
        ("wangwu", "insert", 1, 2, None, {"nick_name": "王五"}, [], []),
        ("zhaoliu", "insert", 2, 0, None, {"nick_name": "赵六"}, ["common"], []),
    ]
    for key, action, batch, done, before, after, roles, posts in rows:
        db.conn.execute("INSERT INTO user_import_rows VALUES (1, ?, ?, '办公室', ?, ?, ?, ?, ?, ?)",
                        [key, action, batch, json.dumps(before, ensure_ascii=False) if before else None,
                         json.dumps(after, ensure_ascii=False), json.dumps(roles), json.dumps(posts), done])
    db.conn.commit()
    db.close()

    with Store.open(path) as store:
        found = records.import_rows(store, 1)
        tables = set(store.db.table_names())
    assert "user_import_rows" not in tables
    assert [(r["key"], r["action"], r["batch"], r["done"], r["before"], r["after"], r["roles_added"],
             r["posts_added"]) for r in sorted(found, key=lambda r: [row[0] for row in rows].index(r["key"]))] \
        == [(k, a, b, d, before, after, roles, posts) for k, a, b, d, before, after, roles, posts in rows]
    assert {r["key"] for r in found} == {"zhangsan", "lisi", "wangwu", "zhaoliu"}
