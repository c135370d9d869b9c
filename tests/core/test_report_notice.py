"""Notices and the `announce` step without a channel: the release notice rendered from the
run's values and the duty roster, shown and offered for pasting; workspace notice templates."""

from __future__ import annotations

from pathlib import Path

from launchpad.report.notice import render_notice, site_values
from launchpad.run.events import Notice
from launchpad.run.playbook import check_against_site, load_playbook
from launchpad.workspace.folder import load_workspace
from tests.core.test_engine import Harness, playbook_text
from tests.core.test_issues import run_cli
from tests.scripted import ScriptedPrompter
from tests.workspaces import write_workspace

NOTICE_STEP = (
    "- {id: notice, name: 发布通知, kind: announce, fields: "
    "{change: '考勤模块 {{ vars.version }}', when: '今晚 19:00–20:00', impact: 期间无法登录}}"
)


def test_announce_without_channel_shows_the_notice(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text(NOTICE_STEP, "vars:\n  version: {default: v1.3}\n"))
    result = h.run(ScriptedPrompter())
    assert result.status == "passed"
    step = h.store.latest_step_states(result.run_id)["notice"]
    text = step["evidence"]["text"]
    assert text.startswith("【测试项目】发布通知\n发布内容：考勤模块 v1.3\n发布时间：今晚 19:00–20:00\n")
    assert "联系人：张三 13800000001" in text and "备用联系人：李四 13800000002" in text
    assert "no clipboard program" in step["summary"] or "copied with" in step["summary"]
    assert any(isinstance(e, Notice) and "考勤模块 v1.3" in str(e.text) for e in h.events)


def test_announce_in_english_with_a_workspace_template(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text(
        "- {id: n, name: n, kind: announce, template: downtime, lang: en, format: markdown, "
        "fields: {when: tonight}}"))
    (h.root / "templates").mkdir()
    (h.root / "templates" / "downtime.md.j2").write_text(
        "**{{ site.name }}** {{ t.notice_when }}: {{ notice.when }}, {{ env.name }}\n", encoding="utf-8")
    result = h.run(ScriptedPrompter())
    assert result.status == "passed"
    assert h.store.latest_step_states(result.run_id)["n"]["evidence"]["text"] == "**测试项目** When: tonight, test\n"


def test_an_unknown_template_fails_the_step_and_names_the_choices(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: n, name: n, kind: announce, template: nosuch}"))
    result = h.run(ScriptedPrompter())
    assert result.status == "failed"
    summary = h.store.latest_step_states(result.run_id)["n"]["summary"]
    assert "no template 'nosuch.txt.j2'" in summary


def test_check_finds_template_syntax_errors_in_fields(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"t": playbook_text(
        "- {id: n, name: n, kind: announce, fields: {when: '{{ oops'}}")})
    problems = check_against_site(load_playbook(root / "playbooks" / "t.yaml"), load_workspace(root).site)
    assert problems and "template syntax" in problems[0].message


def test_notice_from_the_site_and_the_cli(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    site = load_workspace(root).site
    from datetime import date

    text = render_notice("release_notice", {"change": "修复报表"}, site_values(site, date(2025, 11, 20)),
                         "markdown", "zh")
    assert text.startswith("## 测试项目 发布通知\n- **发布内容**：修复报表\n")
    printed = run_cli(root, "report", "notice", "--set", "change=修复报表", "--set", "when=今晚", "--lang", "en")
    assert printed.returncode == 0, printed.stderr
    assert "[测试项目] Release notice" in printed.stdout and "When: 今晚" in printed.stdout
    bad = run_cli(root, "report", "notice", "--set", "nope")
    assert bad.returncode == 2 and "NAME=VALUE" in bad.stderr


def test_a_template_that_is_not_there_lists_only_the_notices_a_person_can_name(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    (root / "templates" / "downtime.txt.j2").write_text("{{ notice.when }}\n", encoding="utf-8")
    (root / "templates" / "wechat_only.md.j2").write_text("{{ notice.when }}\n", encoding="utf-8")
    (root / "templates" / "daily.txt.j2").write_text("the team's own daily report\n", encoding="utf-8")
    refused = run_cli(root, "report", "notice", "nosuch", "--set", "contact=张三")
    assert refused.returncode == 2, refused.stderr
    hint = next(line for line in refused.stderr.splitlines() if "→" in line)
    assert hint.strip() == "→ 已有模板：downtime、release_done、release_notice、release_rolled_back", refused.stderr
    markdown = run_cli(root, "report", "notice", "nosuch", "--format", "markdown", "--lang", "en")
    assert "→ templates: release_done, release_notice, release_rolled_back, wechat_only" in markdown.stderr


def test_every_bundled_template_is_a_reports_own_or_a_notice_that_renders_when_named(tmp_path: Path) -> None:
    """A template a person may name (bundled, not one of REPORT_TEMPLATES) works when named,
    so a report's new template that should not be offered cannot slip into the list."""
    from datetime import date

    from launchpad.report.render import REPORT_TEMPLATES, notice_names

    bundled = {path.name for path in (Path(__file__).parents[2] / "launchpad" / "report" / "templates").iterdir()}
    assert all(any(file.startswith(f"{name}.") for file in bundled) for name in REPORT_TEMPLATES), bundled
    site = load_workspace(write_workspace(tmp_path / "ws")).site
    fields = {"change": "修复报表", "when": "今晚", "impact": "无", "version": "v2", "rollback": "回退到 v1"}
    for fmt, suffix in (("text", "txt"), ("markdown", "md")):
        names = notice_names(None, suffix)
        assert names and not set(names) & set(REPORT_TEMPLATES)
        for name in names:
            assert render_notice(name, fields, site_values(site, date(2025, 11, 20)), fmt, "zh").strip(), name


def test_a_notice_that_includes_a_template_that_is_not_there_is_that_notices_own_error(tmp_path: Path) -> None:
    """Not "no template '_header.txt.j2'" with the notices listed: the notice is there, and
    what it includes is not. Said as the notice's error, at its line, with what to do."""
    root = write_workspace(tmp_path / "ws")
    templates = root / "templates"
    templates.mkdir()
    (templates / "downtime.txt.j2").write_text("停机通知\n{{ notice.when }}\n{% include '_header.txt.j2' %}\n",
                                               encoding="utf-8")
    (templates / "imports.txt.j2").write_text("{% from '_parts.j2' import line %}\n{{ line() }}\n", encoding="utf-8")
    (templates / "extends.txt.j2").write_text("{% extends 'base.txt.j2' %}\n", encoding="utf-8")
    refused = run_cli(root, "report", "notice", "downtime", "--set", "when=今晚")
    assert refused.returncode == 2, refused.stderr
    assert f"{templates / 'downtime.txt.j2'}:3：模板引用了 _header.txt.j2，但 {templates} 和内置模板中都没有它" \
        in refused.stderr, refused.stderr
    assert f"→ 请把 _header.txt.j2 放进 {templates}，或改正模板中引用的名称" in refused.stderr
    assert "没有模板" not in refused.stderr and "已有模板" not in refused.stderr
    english = run_cli(root, "report", "notice", "imports", "--lang", "en")
    assert f"{templates / 'imports.txt.j2'}:1: it refers to _parts.j2, which is neither in {templates} nor bundled" \
        in english.stderr, english.stderr
    assert f"→ put _parts.j2 in {templates}, or correct the name the template refers to" in english.stderr
    extends = run_cli(root, "report", "notice", "extends", "--lang", "en")
    assert f"{templates / 'extends.txt.j2'}:1: it refers to base.txt.j2" in extends.stderr, extends.stderr


def test_a_mistake_in_an_included_template_is_said_in_that_file_at_its_line(tmp_path: Path) -> None:
    """Not the including template's name with the included one's line: the file the mistake is
    in, at its own line, and which template referred to it, at the line that did."""
    root = write_workspace(tmp_path / "ws")
    templates = root / "templates"
    templates.mkdir()
    (templates / "daily.txt.j2").write_text("日报\n{{ r.site_name }}\n\n{% include '_header.txt.j2' %}\n",
                                            encoding="utf-8")
    (templates / "_header.txt.j2").write_text("项目\n\n{% if %}\n", encoding="utf-8")
    refused = run_cli(root, "report", "daily")
    assert refused.returncode == 2, refused.stderr
    assert (f"{templates / '_header.txt.j2'}:3：模板出错：Expected an expression, got 'end of statement block'"
            f"（由 {templates / 'daily.txt.j2'}:4 引用）") in refused.stderr, refused.stderr
    assert "→ 请修改该模板，或删除它以使用自带的模板" in refused.stderr
    assert "daily.txt.j2:3" not in refused.stderr
    english = run_cli(root, "report", "daily", "--lang", "en")
    assert (f"{templates / '_header.txt.j2'}:3: Expected an expression, got 'end of statement block' "
            f"(referred to by {templates / 'daily.txt.j2'}:4)") in english.stderr, english.stderr
    # A mistake found while rendering (an undefined name) is located the same way.
    (templates / "_header.txt.j2").write_text("项目\n{{ r.no_such_field }}\n", encoding="utf-8")
    undefined = run_cli(root, "report", "daily", "--lang", "en")
    assert f"{templates / '_header.txt.j2'}:2: " in undefined.stderr, undefined.stderr
    assert f"no_such_field' (referred to by {templates / 'daily.txt.j2'}:4)" in undefined.stderr
    # The bundled daily report including a workspace's own `_macros.j2` names that file.
    (templates / "daily.txt.j2").unlink()
    (templates / "_macros.j2").write_text("\n{% macro %}\n", encoding="utf-8")
    bundled = run_cli(root, "report", "daily", "--lang", "en")
    assert f"{templates / '_macros.j2'}:2: " in bundled.stderr, bundled.stderr
    assert "(referred to by bundled daily.txt.j2:" in bundled.stderr


def test_a_template_that_is_not_there_is_still_said_so_when_named(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    refused = run_cli(root, "report", "notice", "nosuch", "--lang", "en")
    assert "no template 'nosuch.txt.j2'" in refused.stderr and "→ templates: release_done" in refused.stderr
