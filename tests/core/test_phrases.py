"""Step summaries as phrases: the same result reads in English on the CLI and in Chinese in the
TUI and the client's run report, also for runs stored yesterday."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launchpad.phrases import Phrase, dumps, loads, parts, phrase, render
from launchpad.report.run import collect_run, render_run
from launchpad.store.db import Store
from tests.core.test_engine import Harness, playbook_text
from tests.scripted import ScriptedPrompter


def test_nested_phrases_render_in_one_language() -> None:
    said = phrase("shell.some_failed", failed=2, count=40,
                  details=parts([phrase("host.said", host="app1", message=phrase("shell.exit_code", code=3,
                                                                                  expected="0")),
                                 phrase("host.said", host="app2", message="Connection refused")]))
    assert str(said) == "2 of 40 host(s) failed: app1: exit code 3, expected 0; app2: Connection refused"
    assert render(said, "zh") == "40 台主机中 2 台失败：app1：退出码 3，应为 0；app2：Connection refused"


def test_lists_are_enumerated_per_language() -> None:
    said = phrase("gate.backup_stale", age="2h", targets=["users", "files"], env="prod",
                   command_targets="users files")
    assert "of: users, files;" in str(said)
    assert "users、files" in render(said, "zh")


def test_a_phrase_survives_the_store_as_json() -> None:
    said = phrase("envs.groups_differ", details=parts([phrase("envs.lacks", env="prod", groups=["db", "mq"])]))
    stored = dumps(said)
    assert stored is not None and json.loads(stored)["key"] == "envs.groups_differ"
    back = loads(str(said), stored)
    assert back == said and render(back, "zh") == "主机组不一致：prod 缺少 db、mq"


def test_rows_without_a_phrase_keep_their_text() -> None:
    assert loads("3 host(s) passed", None) == "3 host(s) passed"
    # A phrase this launchpad does not know (a newer one wrote it) falls back to the English text.
    assert loads("fine", json.dumps({"key": "from.the.future", "params": {}})) == "fine"
    assert dumps("plain words") is None


def test_an_unknown_key_fails_at_once() -> None:
    with pytest.raises(KeyError):
        Phrase("shell.all_pased", {"count": 1})


def test_a_failed_run_reads_in_chinese_in_the_report_and_english_in_the_store(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: code, name: 退出码, kind: shell, hosts: app, run: exit 3}"))
    result = h.run(ScriptedPrompter())
    assert result.status == "failed"
    row = h.store.latest_step_states(result.run_id)["code"]
    assert row["summary"].startswith("2 of 2 host(s) failed: app1: exit code 3, expected 0")
    hosts = h.store.host_rows(result.run_id, "code")
    assert {r["message"] for r in hosts} == {"exit code 3, expected 0"}

    report = collect_run(h.store, h.workspace.site, result.run_id)
    chinese = render_run(report, "text", "zh")
    english = render_run(report, "text", "en")
    assert "退出码 3，应为 0" in chinese and "exit code" not in chinese
    assert "exit code 3, expected 0" in english and "退出码 3" not in english


def test_reports_of_runs_stored_before_phrases_show_the_stored_text(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: hello, name: 问好, kind: shell, hosts: app, run: 'true'}"))
    result = h.run(ScriptedPrompter())
    h.store.db.execute("UPDATE step_results SET message_phrase = NULL, message = 'looked fine'")
    h.store.db.conn.commit()
    text = render_run(collect_run(Store.open(h.workspace.store_path), h.workspace.site, result.run_id), "text", "zh")
    assert "looked fine" in text


def test_the_run_report_names_the_playbook_by_its_title_first(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: hello, name: 问好, kind: shell, hosts: app, run: 'true'}"))
    result = h.run(ScriptedPrompter())
    report = collect_run(h.store, h.workspace.site, result.run_id)
    assert render_run(report, "text", "zh").splitlines()[0].startswith("执行报告: 测试 (t) — ")
    assert render_run(report, "md", "en").splitlines()[0].startswith("# Run report: 测试 (t) — ")
    page = render_run(report, "html", "zh")
    assert "<h1>执行报告: 测试 (t)</h1>" in page and "<title>执行报告 — 测试 (t)</title>" in page
