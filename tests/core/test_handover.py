"""`launchpad handover` on a real workspace with a fixed clock: an interrupted run, a release
tonight still waiting for its reviewer, open P0/P1 issues (and not the P2), a backup older than
a day and a target with none, a go-live item late and one waiting for its sign-off — in text,
Markdown and JSON, with people's words kept as text."""

from __future__ import annotations

import json
import os
import textwrap
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from launchpad.backup.records import insert_backup
from launchpad.handover.collect import collect_handover
from launchpad.handover.render import render_handover
from launchpad.issues.model import IssueDraft
from launchpad.release.operations import new_release
from launchpad.session import Session, open_session
from launchpad.sitetime import to_stamp
from launchpad.users import records
from launchpad.users.handout import handout_dir
from launchpad.users.hashing_progress import FILE_NAME
from tests.commandline import launch
from tests.workspaces import write_workspace

NOW = datetime(2026, 12, 7, 17, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday, before the window
SITE = """\
site: {name: 政务平台, client: 某市数据局, language: zh, timezone: Asia/Shanghai}
contacts:
  - {id: zhang, name: 张三, phone: "13800000001"}
  - {id: li, name: 李四, phone: "13800000002"}
duty:
  - {weekdays: daily, primary: zhang, backup: li}
windows:
  after_hours: {days: mon-fri, start: "18:30", end: "23:30"}
environments:
  test:
    transport: local
    hosts:
      - {name: app1, address: 127.0.0.1, groups: [app]}
    databases:
      main: {engine: sqlite, name: data/test.db}
    backups:
      users: {database: main, host: app1}
      logs: {database: main, host: app1}
"""
CHECKLIST = """\
date: 2026-12-20
version: V1.0
items:
  - {id: accept, title: "# 现场点验", owner: zhang, due: 2026-12-10, proof: {sign_off: true}}
  - {id: group, title: 建群, owner: li, due: 2026-12-01}
"""


@pytest.fixture
def session(tmp_path: Path) -> Any:
    root = write_workspace(tmp_path / "ws", SITE)
    (root / "golive.yaml").write_text(textwrap.dedent(CHECKLIST), encoding="utf-8")
    session = open_session(root, now=lambda: NOW, actor="张工")
    yield session
    session.close()


def populate(session: Session) -> None:
    store = session.store()
    log = session.issue_log()
    log.add(IssueDraft(title="登录页 <@all> [点我](http://evil)", severity="P0").checked())
    log.add(IssueDraft(title="报表导出慢", severity="P2").checked())
    log.add(IssueDraft(title="验证码不显示", severity="P1").checked())
    run_id = store.create_run(playbook="after-hours-release", playbook_path="p.yaml", playbook_hash="x",
                              playbook_snapshot={}, environment="test", production=False, variables={},
                              operator="李工")
    store.db.execute("UPDATE runs SET pid = 999999999 WHERE id = ?", [run_id])  # its process is gone
    store.db.conn.commit()
    finished = NOW - timedelta(days=2)
    (session.workspace.backups_dir).mkdir(parents=True, exist_ok=True)
    (session.workspace.backups_dir / "test-users-1.db").write_bytes(b"data")
    insert_backup(store, {"uid": "u1", "environment": "test", "target": "users", "driver": "sqlite", "host": "app1",
                          "file": "test-users-1.db", "compression": "none", "started": to_stamp(finished),
                          "finished": to_stamp(finished), "size": 4, "sha256": "0" * 64, "tool_versions": {},
                          "purpose": "manual", "actor": "tester", "verified_at": to_stamp(finished),
                          "verify_status": "ok"})
    new_release(session, version="v2.3.1", changes="修复登录", impact="登录中断", start="2026-12-07 19:00",
                end="20:00", rollback_plan="切回", owner="张工")
    new_release(session, version="v2.4", changes="下周", impact="无", start="2026-12-14 19:00",
                end="20:00", rollback_plan="切回", owner="张工")


def test_the_handover_names_what_the_next_engineer_must_know(session: Session) -> None:
    populate(session)
    handover = collect_handover(session)
    facts = handover.as_dict("zh")["sections"]
    assert [(e["run"], e["status"]) for e in facts["runs"]] == [(1, "interrupted")]
    assert [e["release"] for e in facts["releases"]] == [1]  # tonight's, not next week's
    assert [e.get("release") or e.get("item") for e in facts["pending"]] == [1, 2, "accept"]
    assert [(e["issue"], e["severity"]) for e in facts["issues"]] == [(1, "P0"), (3, "P1")]
    assert [(e["target"], e["backup"]) for e in facts["backups"]] == [("users", 1), ("logs", None)]
    assert facts["backups"][0]["hours"] == 48
    assert [e["item"] for e in facts["golive"]] == ["group"]
    text = render_handover(handover, "text", "zh")
    assert "#1 after-hours-release（test）：已中断" in text
    assert "发布 1 v2.3.1 2026-12-07 19:00–20:00：计划中，负责人 张工" in text
    assert "test/users：最新可用备份 #1 已有 2 天" in text and "test/logs：没有可用备份" in text
    # Go-live items by their titles, the id (what `golive sign` takes) after each.
    assert "建群（group）：李四，2026-12-01 到期，逾期 6 天" in text
    assert "上线事项 # 现场点验（accept）：待签字，张三，2026-12-10 到期" in text


def test_a_late_go_live_item_says_its_days_late_in_the_readers_grammar(session: Session) -> None:
    assert "建群 (group): 李四, due 2026-12-01, 6 days late" in render_handover(collect_handover(session), "text", "en")
    next_day = open_session(session.workspace.root, now=lambda: datetime(2026, 12, 2, 17, 0, tzinfo=NOW.tzinfo),
                            actor="王工")
    try:
        handover = collect_handover(next_day)
        assert "建群 (group): 李四, due 2026-12-01, 1 day late" in render_handover(handover, "text", "en")
        assert "建群（group）：李四，2026-12-01 到期，逾期 1 天" in render_handover(handover, "text", "zh")
    finally:
        next_day.close()


def test_a_release_left_in_progress_is_handed_over_whatever_its_window(session: Session) -> None:
    from launchpad.release.record import move_release

    store = session.store()
    stuck = new_release(session, version="v2.2", changes="登录页改版", impact="无", start="2026-12-08 19:00",
                        end="20:00", rollback_plan="切回", owner="李工")
    tonight = new_release(session, version="v2.3.1", changes="修复登录", impact="登录中断", start="2026-12-07 19:00",
                          end="20:00", rollback_plan="切回", owner="张工")
    for target in ("approved", "in_progress"):
        move_release(store, "张工", stuck.id, target)
    later = open_session(session.workspace.root, now=lambda: NOW + timedelta(days=3), actor="王工")
    try:
        handover = collect_handover(later)  # three days on: neither window is today
    finally:
        later.close()
    facts = handover.as_dict("zh")["sections"]["releases"]
    assert [(e["release"], e["status"]) for e in facts] == [(stuck.id, "in_progress")]
    assert tonight.id not in [e["release"] for e in facts]
    text = render_handover(handover, "text", "zh")
    assert "发布 1 v2.2 2026-12-08 19:00–20:00：发布中，负责人 李工" in text
    # Today: the one in progress first, then tonight's; on its own day, it is listed once.
    assert [e["release"] for e in collect_handover(session).as_dict("zh")["sections"]["releases"]] == [1, 2]
    its_day = open_session(session.workspace.root, now=lambda: NOW + timedelta(days=1), actor="王工")
    try:
        assert [e["release"] for e in collect_handover(its_day).as_dict("zh")["sections"]["releases"]] == [1]
    finally:
        its_day.close()


def test_an_empty_handover_says_nothing_waits(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "quiet", SITE.split("    databases:")[0])
    quiet = open_session(root, now=lambda: NOW, actor="张工")
    try:
        handover = collect_handover(quiet)
    finally:
        quiet.close()
    assert handover.clear
    text = render_handover(handover, "text", "en")
    assert "Nothing waits for the next engineer." in text and "Open P0/P1 issues (0)" in text


def test_the_command_prints_text_markdown_and_json(session: Session) -> None:
    populate(session)
    root = session.workspace.root
    code, text = launch(root, "handover")
    assert code == 0 and "未解决的 P0/P1 问题（2）" in text
    code, markdown = launch(root, "handover", "--format", "md")
    assert code == 0 and markdown.startswith("# 政务平台 交接")
    assert "## 未解决的 P0/P1 问题（2）" in markdown
    # An issue title cannot link, mention or open a section of its own.
    assert "<@all>" not in markdown and "](http://evil)" not in markdown.replace("\\](http://evil)", "")
    assert not any(line.startswith("# 现场点验") for line in markdown.splitlines())
    code, raw = launch(root, "handover", "--json")
    shown = json.loads(raw)
    assert code == 0 and set(shown["sections"]) == {"runs", "imports", "pending", "releases", "issues", "backups",
                                                    "golive", "set_aside"}
    assert shown["sections"]["issues"][0]["text"].startswith("#1 [P0] 登录页 <@all>")


def start_import(session: Session, file_name: str, status: str, *, kept: bool, pid: int | None = None) -> int:
    """An import's record as `records` writes it, left `status`; with `kept`, its hand-out folder
    holds the passwords file the import keeps until its hand-out is written."""
    store = session.store()
    import_id = records.start_import(store, environment="test", database="main", target="ruoyi",
                                     file_name=file_name, file_sha256="0" * 64, mapping="名单.yaml", rows=3,
                                     planned={"insert": 3, "update": 0, "unchanged": 0, "rejected": 0},
                                     plan_digest="d", operator="李工")
    if status != "applying":
        records.finish_import(store, import_id, status)
    store.db.execute("UPDATE user_imports SET pid = ? WHERE id = ?", [pid or 999999999, import_id])
    store.db.conn.commit()
    if kept:
        folder = handout_dir(session.workspace.root, import_id)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / FILE_NAME).write_text('{"policy": "p"}\n', encoding="utf-8")
    return import_id


def test_imports_that_keep_plain_passwords_are_handed_over_and_the_others_are_not(session: Session) -> None:
    """An interrupted import and one whose hand-out was not written both keep plain passwords in
    the engineer's workspace: the next engineer is told which, where, and what closes them.
    One still being written by a live process says so; a finished or rolled-back import, or an
    applied one already handed out, is not listed."""
    interrupted = start_import(session, "一月名单.xlsx", "applying", kept=True)
    owed = start_import(session, "二月名单.xlsx", "applied", kept=True)
    start_import(session, "三月名单.xlsx", "applied", kept=False)
    start_import(session, "四月名单.xlsx", "rolled_back", kept=True)  # its folder left behind: not the import's
    running = start_import(session, "五月名单.xlsx", "applying", kept=False, pid=os.getppid())
    handover = collect_handover(session)
    facts = handover.as_dict("zh")["sections"]["imports"]
    assert [(e["import"], e["status"], e.get("running")) for e in facts] == [
        (interrupted, "applying", False), (owed, "applied", None), (running, "applying", True)]
    folder = str(handout_dir(session.workspace.root, interrupted))
    assert facts[0]["passwords_kept"] == folder and facts[2]["passwords_kept"] is None
    text = render_handover(handover, "text", "zh")
    assert "未完成或未发放密码的用户导入（3）" in text
    assert (f"导入 {interrupted}（一月名单.xlsx → test）未完成：请再次运行同一导入，或运行 launchpad users rollback "
            f"{interrupted}，或运行 launchpad users abandon {interrupted} 放弃；在完成、回滚或放弃之前，"
            f"0 个初始密码明文暂存于 {folder}/{FILE_NAME}") in text
    owed_folder = handout_dir(session.workspace.root, owed)
    assert f"运行 launchpad users handout {owed}，由 {owed_folder} 中暂存的密码写出" in text
    assert f"导入 {running}（五月名单.xlsx → test）正在写入（" in text
    english = render_handover(handover, "text", "en")
    assert f"import {owed} (二月名单.xlsx into test) went in but its hand-out was not written" in english
    assert not handover.clear


def test_users_imports_says_where_an_unfinished_import_keeps_its_passwords(session: Session) -> None:
    interrupted = start_import(session, "一月名单.xlsx", "applying", kept=True)
    start_import(session, "二月名单.xlsx", "applying", kept=False)  # killed before it hashed anything
    code, listed = launch(session.workspace.root, "users", "imports")
    folder = handout_dir(session.workspace.root, interrupted)
    assert code == 0
    assert listed.count("初始密码明文暂存于") == 1
    assert (f"⚠ 未完成：已生成的 0 个初始密码明文暂存于 {folder / FILE_NAME}（仅本人可读），完成或回滚后删除；"
            f"请再次运行同一导入以完成，运行 `launchpad users rollback {interrupted}` 回滚，"
            f"或运行 `launchpad users abandon {interrupted}` 放弃导入并删除这些密码") in listed
