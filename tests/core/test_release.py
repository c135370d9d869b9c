"""The release record, end to end on a real workspace through the command line: a window
checked against site.yaml, issues checked to exist, prompts at a terminal and refusals without
one, the way through approved → in progress → released with its refusals audited, the test
report written from a real run and attached with its checksum, the release_approved gate, the
daily report's releases in Markdown and xlsx, and the notices sent to a loopback robot once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from launchpad.cli import main
from launchpad.report.daily import collect_daily
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.site import Site
from tests.loopback import serving
from tests.workspaces import write_workspace

# 2026-12-07 is a Monday; the client allows changes on weekdays after 18:30.
SITE = """\
site:
  name: 政务平台
  client: 某市数据局
  language: zh
  timezone: Asia/Shanghai
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
  prod:
    production: true
    transport: local
    hosts:
      - {name: prod1, address: 127.0.0.1, groups: [app]}
"""
ACCEPTANCE = """\
name: acceptance
title: 验收测试
phases:
  - id: check
    name: 验收
    steps:
      - {id: login, name: 登录页可访问, kind: shell, hosts: app, run: 'echo ok'}
"""
GATED = """\
name: gated-release
title: 发布
vars:
  release: {prompt: 发布编号, default: ''}
phases:
  - id: release
    name: 发布
    steps:
      - {id: approved, name: 甲方已审核, kind: release_approved, release: "{{ vars.release }}"}
      - {id: deploy, name: 部署, kind: shell, hosts: app, run: 'touch deployed'}
"""
# Words a person could type that would forge lines, links, mentions or formulas downstream.
HOSTILE = "=HYPERLINK(\"http://x\")\n## 伪造章节 [点我](http://evil) <@all> <script>x</script>"


@dataclass
class Result:
    exit_code: int
    output: str


def launch(root: Path, *args: str, input: str | None = None) -> Result:
    """The command as a person runs it: through `main`, whose error handling gives exit codes."""
    with CliRunner().isolation(input=input) as streams:
        try:
            main(["--workspace", str(root), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        output = streams[2].getvalue().decode()
    assert "Traceback" not in output and "internal error" not in output, output
    return Result(code, output)


# The command line reads the site's clock: pinned, for the workspace below, to the morning before
# the releases these tests plan for 2026-12-07 19:00, so that plan stays in the future.
MORNING = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(Site, "now", lambda self: MORNING)
    root = write_workspace(tmp_path / "ws", SITE, {"acceptance": ACCEPTANCE, "gated-release": GATED})
    assert launch(root, "issue", "add", "P1 @张三 !2026-12-20 登录页验证码不显示").exit_code == 0
    return root


def record(root: Path, *extra: str, changes: str = "修复登录验证码", version: str = "v2.3.1") -> Result:
    return launch(root, "release", "new", "--version", version, "--changes", changes, "--impact", "登录中断 10 分钟",
                  "--start", "2026-12-07 19:00", "--end", "21:00", "--rollback", "切回 v2.3.0",
                  "--owner", "张三", *extra)


def store_of(root: Path) -> Store:
    return Store.open(root / ".launchpad" / "launchpad.db")


def audit_actions(root: Path) -> list[str]:
    with store_of(root) as store:
        return [row["action"] for row in store.read("SELECT action FROM audit ORDER BY id", [])]


def release_row(root: Path, release_id: int = 1) -> dict[str, Any]:
    result = launch(root, "release", "show", str(release_id), "--json")
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def accepted_run(root: Path, env: str = "test") -> int:
    extra = ["--confirm", "prod"] if env == "prod" else []
    result = launch(root, "run", "acceptance", "--env", env, "--yes", *extra)
    assert result.exit_code == 0, result.output
    with store_of(root) as store:
        return int(store.read("SELECT MAX(id) AS id FROM runs", [])[0]["id"])


# -- the record ----------------------------------------------------------------------------------


def test_a_release_is_recorded_listed_shown_and_audited(ws: Path) -> None:
    made = record(ws, "--fixes", "1")
    assert made.exit_code == 0, made.output
    assert "已记录发布 1：v2.3.1" in made.output and "计划中  负责人 张三" in made.output
    shown = release_row(ws)
    assert (shown["version"], shown["status"], shown["window_name"], shown["fixes"]) == (
        "v2.3.1", "planned", "after_hours", [1])
    assert shown["window"] == "2026-12-07 19:00–21:00"
    assert [(h["from_status"], h["to_status"]) for h in shown["history"]] == [(None, "planned")]
    listed = launch(ws, "release", "list", "--json")
    assert [r["id"] for r in json.loads(listed.output)] == [1]
    assert "release_recorded" in audit_actions(ws)


@pytest.mark.parametrize(("start", "end", "said"), [
    ("2026-12-07 17:00", "18:00", "不在 site.yaml 的任何窗口内"),       # before 18:30
    ("2026-12-07 22:00", "23:45", "不在 site.yaml 的任何窗口内"),       # past the window's close
    ("2026-12-05 19:00", "20:00", "（周六）不在 site.yaml 的任何窗口内"),  # a Saturday
    # an end before the start is the next day, and the refusal says so
    ("2026-12-07 21:00", "20:00", "2026-12-07 21:00–2026-12-08 20:00（周一）不在 site.yaml 的任何窗口内"),
    ("12/07 19:00", "20:00", "开始时间“12/07 19:00”不是日期和时间"),
    ("2026-02-30 19:00", "20:00", "2026-02-30 19:00"),
])
def test_a_window_outside_the_clients_window_is_refused_and_nothing_recorded(
        ws: Path, start: str, end: str, said: str) -> None:
    result = launch(ws, "release", "new", "--version", "v2", "--changes", "a", "--impact", "b", "--start", start,
                    "--end", end, "--rollback", "c", "--owner", "d")
    assert result.exit_code == 2
    assert said in result.output
    assert "release_recorded" not in audit_actions(ws)


def test_a_refusal_lists_every_window_with_the_chinese_separator(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Site, "now", lambda self: MORNING)
    two = SITE.replace('  after_hours: {days: mon-fri, start: "18:30", end: "23:30"}\n',
                       '  after_hours: {days: mon-fri, start: "18:30", end: "23:30"}\n'
                       '  weekend: {days: [sat, sun], start: "09:00", end: "12:00"}\n')
    root = write_workspace(tmp_path / "ws", two)
    result = launch(root, "release", "new", "--version", "v2", "--changes", "a", "--impact", "b",
                    "--start", "2026-12-07 17:00", "--end", "18:00", "--rollback", "c", "--owner", "d")
    assert result.exit_code == 2
    assert "after_hours (mon-fri 18:30–23:30)；weekend (sat,sun 09:00–12:00)" in result.output


def test_a_window_already_begun_is_recorded_with_a_warning(ws: Path) -> None:
    """A release written down after the fact (an emergency fix put out first) is still the
    client's record: it is kept, and the person is told that a run outside that window will be
    refused by the release's window gate unless overridden."""
    # 09:00 on Monday: Friday evening is over; tonight is still to come.
    result = launch(ws, "release", "new", "--version", "v2", "--changes", "a", "--impact", "b",
                    "--start", "2026-12-04 19:00", "--end", "20:00", "--rollback", "c", "--owner", "d")
    assert result.exit_code == 0, result.output
    assert "⚠ 开始时间 2026-12-04 19:00 已经过去（现场时间现在是 2026-12-07 09:00）" in result.output
    assert "会被发布窗口关卡拒绝" in result.output
    assert audit_actions(ws).count("release_recorded") == 1
    tonight = record(ws)
    assert tonight.exit_code == 0 and "已经过去" not in tonight.output


def test_a_named_window_that_site_yaml_lacks_is_refused(ws: Path) -> None:
    result = record(ws, "--window", "weekend")
    assert result.exit_code == 2
    assert "没有窗口“weekend”" in result.output and "已有窗口：after_hours" in result.output


def test_a_release_fixing_an_issue_the_log_lacks_is_refused(ws: Path) -> None:
    result = record(ws, "--fixes", "1,9")
    assert result.exit_code == 2
    assert "没有问题 9" in result.output
    assert launch(ws, "release", "list", "--json").output.strip() == "[]"
    assert record(ws, "--fixes", "x1").exit_code == 2


def test_without_a_terminal_missing_options_are_named_not_asked(ws: Path) -> None:
    result = launch(ws, "release", "new", "--version", "v2")
    assert result.exit_code == 2
    assert "--changes" in result.output and "--rollback" in result.output and "--version" not in result.output.split(
        "缺少")[1].split("\n")[0]
    assert launch(ws, "release", "list", "--json").output.strip() == "[]"


def test_at_a_terminal_missing_options_are_asked(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("launchpad.cli.release.has_terminal", lambda: True)
    answers = "修复验证码\n无\n2026-12-07 19:30\n20:30\n回退到上一版\n\n"  # the owner defaults to the actor
    result = launch(ws, "release", "new", "--version", "v3", input=answers)
    assert result.exit_code == 0, result.output
    shown = release_row(ws)
    assert (shown["changes"], shown["rollback_plan"], shown["owner"]) == ("修复验证码", "回退到上一版", "tester")
    assert shown["window"] == "2026-12-07 19:30–20:30"


def test_blank_answers_are_refused(ws: Path) -> None:
    result = record(ws, changes="   ")
    assert result.exit_code == 2 and "发布记录缺少 changes" in result.output


# The shapes versions take on sites today (records, package files, playbook variables, the demo).
VERSIONS = ["v2.3.1", "V2.3.1-hotfix", "1.1.0", "V1.0", "v2", "hq-1", "2.3.1+build.7", "2026_12_07", "9" * 64]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_version_label_is_recorded(ws: Path, version: str) -> None:
    made = record(ws, version=version)
    assert made.exit_code == 0, made.output
    assert release_row(ws)["version"] == version


@pytest.mark.parametrize("version", ["1..2", "=1+1", "v2 .3", "v2.3.1 hotfix", "-1.0", ".1", "1.-2", "v2\x1b[31m",
                                     "v2\t1", "版本2", "v2.3.1<@all>", "9" * 65, "1.2.", "1.2-", "v3+", "2026_"])
def test_a_version_that_is_no_version_label_is_refused_and_nothing_recorded(ws: Path, version: str) -> None:
    result = record(ws, version=version)
    assert result.exit_code == 2, result.output
    assert f"{version!r} 不是版本号" in result.output and "这些符号不能连用，最长 64 个字符" in result.output
    assert "以字母或数字开头和结尾" in result.output
    assert "\x1b" not in result.output  # a control character is named, never sent to the terminal
    assert launch(ws, "release", "list", "--json").output.strip() == "[]"
    assert "release_recorded" not in audit_actions(ws)


def test_a_version_is_refused_at_a_terminal_before_the_rest_is_asked(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("launchpad.cli.release.has_terminal", lambda: True)
    result = launch(ws, "release", "new", input="1..2\n修复验证码\n无\n2026-12-07 19:30\n20:30\n回退\n\n")
    assert result.exit_code == 2 and "'1..2' 不是版本号" in result.output
    assert "变更内容" not in result.output.split("不是版本号")[1]
    assert launch(ws, "release", "list", "--json").output.strip() == "[]"


def test_every_front_end_gets_the_version_rule_from_the_core(ws: Path) -> None:
    from launchpad.errors import UsageError
    from launchpad.release.operations import new_release
    from launchpad.session import open_session

    session = open_session(ws, now=lambda: MORNING)
    with pytest.raises(UsageError) as refused:
        new_release(session, version="=1+1", changes="改版", impact="无", start="2026-12-07 19:00", end="20:00",
                    rollback_plan="切回", owner="张三")
    assert refused.value.exit_code == 2 and "'=1+1'" in refused.value.message
    assert launch(ws, "release", "list", "--json").output.strip() == "[]"


# -- status, report, approval ----------------------------------------------------------------------


def finished_run(root: Path, status: str, variables: dict[str, str] | None = None) -> int:
    """A test run on test that ended `status`, as the store keeps it."""
    with store_of(root) as store:
        run_id = store.create_run(playbook="acceptance", playbook_path="p.yaml", playbook_hash="x",
                                  playbook_snapshot={}, environment="test", production=False,
                                  variables=variables or {}, operator="李工")
        store.set_run_status(run_id, status, finished=True)
    return run_id


def test_approving_without_a_report_says_to_attach_one(ws: Path) -> None:
    assert record(ws).exit_code == 0
    unread = launch(ws, "release", "approve", "1", "--by", "王强")
    assert unread.exit_code == 4  # a refused gate, not a failure
    assert "`launchpad release report 1 --run 编号`" in unread.output, unread.output
    assert "release approve 1" not in unread.output  # not the command just run


@pytest.mark.parametrize(("status", "variables", "said"), [
    ("failed", {}, "基于运行 1，其结果为“失败”"),
    ("aborted", {}, "基于运行 1，其结果为“已中止”"),
    ("passed", {"version": "2.3.0"}, "测试的是版本 2.3.0，不是 v2.3.1"),
    ("passed", {"version": "v2.3.10"}, "测试的是版本 v2.3.10，不是 v2.3.1"),
])
def test_a_report_of_a_test_that_did_not_pass_or_tested_another_version_is_not_approved(
        ws: Path, status: str, variables: dict[str, str], said: str) -> None:
    assert record(ws).exit_code == 0
    run_id = finished_run(ws, status, variables)
    assert launch(ws, "release", "report", "1", "--run", str(run_id)).exit_code == 0
    refused = launch(ws, "release", "approve", "1", "--by", "王强")
    assert refused.exit_code == 4 and said in refused.output, refused.output
    assert "launchpad release report 1 --run" in refused.output
    assert release_row(ws)["status"] == "planned" and audit_actions(ws).count("release_refused") == 1
    # A report of a passing run of the release's version, attached after it, is the one approved.
    good = finished_run(ws, "passed", {"version": "2.3.1"})
    assert launch(ws, "release", "report", "1", "--run", str(good)).exit_code == 0
    assert launch(ws, "release", "approve", "1", "--by", "王强").exit_code == 0


def test_a_release_starts_only_after_its_reviewer_approved_a_report_left_as_written(ws: Path) -> None:
    assert record(ws, "--fixes", "1").exit_code == 0
    early = launch(ws, "release", "status", "1", "in-progress")
    assert early.exit_code == 4 and "发布被拒绝：" in early.output  # the site speaks Chinese
    unread = launch(ws, "release", "approve", "1", "--by", "王强")
    assert unread.exit_code == 4 and "没有审核人能看到的测试报告" in unread.output
    assert release_row(ws)["status"] == "planned"
    assert audit_actions(ws).count("release_refused") == 2

    run_id = accepted_run(ws)
    written = launch(ws, "release", "report", "1", "--run", str(run_id), "--format", "md")
    assert written.exit_code == 0, written.output
    report_path = Path(release_row(ws)["reports"][0]["path"])
    report_path.write_text(report_path.read_text(encoding="utf-8") + "\n改过\n", encoding="utf-8")
    changed = launch(ws, "release", "approve", "1", "--by", "王强")
    assert changed.exit_code == 4 and "报告文件此后被改动过" in changed.output

    assert launch(ws, "release", "report", "1", "--run", str(run_id), "--format", "html").exit_code == 0
    assert launch(ws, "release", "approve", "1", "--by", "  ").exit_code == 2
    approved = launch(ws, "release", "approve", "1", "--by", "王强", "--note", "表单 88")
    assert approved.exit_code == 0, approved.output
    assert launch(ws, "release", "status", "1", "in-progress").exit_code == 0
    released = launch(ws, "release", "status", "1", "released")
    assert released.exit_code == 0 and "问题 #1：已修复" in released.output
    assert "launchpad release notice 1 --kind done --send" in released.output

    shown = release_row(ws)
    assert (shown["status"], shown["approved_by"]) == ("released", "王强")
    assert [h["to_status"] for h in shown["history"]] == ["planned", "approved", "in_progress", "released"]
    issue = json.loads(launch(ws, "issue", "show", "1", "--json").output)
    assert (issue["status"], issue["fixed_in"]) == ("fixed", "v2.3.1")
    again = launch(ws, "release", "status", "1", "rolled-back")
    assert again.exit_code == 4 and "发布 1 当前为已发布，不能改为已回退" in again.output, again.output
    assert "该发布已结束；如需再次发布，请新建一条发布记录" in again.output
    english = launch(ws, "--lang", "en", "release", "status", "1", "rolled-back")
    assert "release 1 is released: it cannot become rolled back" in english.output, english.output
    assert "it is finished; record a new release for another attempt" in english.output


def test_the_test_report_comes_from_a_test_run_and_is_attached_with_its_checksum(ws: Path) -> None:
    import hashlib

    from openpyxl import load_workbook

    assert record(ws, "--fixes", "1", changes=HOSTILE).exit_code == 0
    prod_run = accepted_run(ws, "prod")
    refused = launch(ws, "release", "report", "1", "--run", str(prod_run))
    assert refused.exit_code == 2 and f"运行 {prod_run} 是在生产环境 prod 上执行的" in refused.output
    assert launch(ws, "release", "report", "1", "--run", "99").exit_code == 2
    assert release_row(ws)["reports"] == []

    run_id = accepted_run(ws)
    for fmt in ("markdown", "html", "xlsx"):
        assert launch(ws, "release", "report", "1", "--run", str(run_id), "--format", fmt).exit_code == 0
    reports = {row["format"]: row for row in release_row(ws)["reports"]}
    assert set(reports) == {"markdown", "html", "xlsx"}
    for row in reports.values():
        assert hashlib.sha256(Path(row["path"]).read_bytes()).hexdigest() == row["sha256"]
        assert row["run_id"] == run_id

    markdown = Path(reports["markdown"]["path"]).read_text(encoding="utf-8")
    assert "发布测试报告" in markdown and "登录页可访问" in markdown and "#1 [P1] 登录页验证码不显示" in markdown
    assert "测试通过" in markdown
    # The person's words stay text: no forged heading, link, mention or tag.
    assert not any(line.startswith("## 伪造章节") for line in markdown.splitlines())
    assert " [点我](http://evil)" not in markdown and "\\[点我\\](http://evil)" in markdown
    assert "<@all>" not in markdown and "<script>" not in markdown
    html = Path(reports["html"]["path"]).read_text(encoding="utf-8")
    assert "<script>x" not in html and "&lt;script&gt;" in html
    book = load_workbook(reports["xlsx"]["path"])
    cells = {row[0].value: row[1] for row in book.worksheets[0].iter_rows() if row[0].value}
    assert cells["发布内容"].value.startswith("=HYPERLINK") and cells["发布内容"].data_type == "s"
    assert cells["发布内容"].quotePrefix
    assert [c.value for c in book.worksheets[1][2]][:2] == ["验收 / 登录页可访问", "通过"]
    assert audit_actions(ws).count("release_report_attached") == 3


def test_show_marks_an_attached_report_whose_file_is_gone_or_changed(ws: Path) -> None:
    """Approval refuses a report that is gone or changed; show says which one, and how."""
    assert record(ws).exit_code == 0
    run_id = str(accepted_run(ws))
    for fmt in ("markdown", "html"):
        assert launch(ws, "release", "report", "1", "--run", run_id, "--format", fmt).exit_code == 0
    paths = {row["format"]: Path(row["path"]) for row in release_row(ws)["reports"]}
    paths["markdown"].unlink()
    with paths["html"].open("a", encoding="utf-8") as page:
        page.write("<p>改过</p>")
    shown = launch(ws, "release", "show", "1")
    lines = {fmt: next(line for line in shown.output.splitlines() if f"（运行 {run_id}，{fmt}）" in line)
             for fmt in ("markdown", "html")}
    assert lines["markdown"].endswith("⚠ 文件已不在"), shown.output
    assert lines["html"].endswith("⚠ 附上后文件被改动过：不是审核人看到的那一份"), shown.output
    assert {row["format"]: row["file"] for row in release_row(ws)["reports"]} == {"markdown": "missing",
                                                                                "html": "changed"}
    assert launch(ws, "release", "approve", "1", "--by", "王强").exit_code == 4


def test_a_report_to_a_missing_folder_is_refused_and_nothing_is_attached(ws: Path, tmp_path: Path) -> None:
    assert record(ws).exit_code == 0
    run_id = accepted_run(ws)
    result = launch(ws, "release", "report", "1", "--run", str(run_id), "--out", str(tmp_path / "no" / "r.md"))
    assert result.exit_code == 2 and "r.md：" in result.output and "不存在" in result.output
    assert release_row(ws)["reports"] == []


def test_a_report_is_written_in_the_format_its_file_name_says(ws: Path, tmp_path: Path) -> None:
    """`--out 报告.xlsx` is a workbook the client can open, not Markdown under an .xlsx name; a
    name for a format the command does not write, or a --format that contradicts it, is refused."""
    from openpyxl import load_workbook

    assert record(ws).exit_code == 0
    run_id = str(accepted_run(ws))
    book, page = tmp_path / "报告.xlsx", tmp_path / "报告.html"
    assert launch(ws, "release", "report", "1", "--run", run_id, "--out", str(book)).exit_code == 0
    assert load_workbook(book).worksheets[0]["A1"].value
    assert launch(ws, "release", "report", "1", "--run", run_id, "--out", str(page)).exit_code == 0
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert sorted(row["format"] for row in release_row(ws)["reports"]) == ["html", "xlsx"]

    text = launch(ws, "release", "report", "1", "--run", run_id, "--out", str(tmp_path / "报告.txt"))
    assert text.exit_code == 2 and "--out 报告.txt 是 text 文件，本命令不写这种格式" in text.output, text.output
    assert "（可写：markdown、html、xlsx）" in text.output and "请把文件名改用其中一种格式的扩展名" in text.output
    clash = launch(ws, "release", "report", "1", "--run", run_id, "--format", "html", "--out", str(tmp_path / "r.md"))
    assert clash.exit_code == 2 and "--format html 与 --out r.md 不符" in clash.output, clash.output
    assert not (tmp_path / "报告.txt").exists() and not (tmp_path / "r.md").exists()
    assert len(release_row(ws)["reports"]) == 2

    shown = tmp_path / "run.html"
    assert launch(ws, "runs", "show", run_id, "--out", str(shown)).exit_code == 0
    assert shown.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    as_json = tmp_path / "run.json"
    assert launch(ws, "runs", "show", run_id, "--out", str(as_json)).exit_code == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))["run"]["id"] == int(run_id)
    refused = launch(ws, "runs", "show", run_id, "--out", str(tmp_path / "run.xlsx"))
    assert refused.exit_code == 2 and "--out run.xlsx 是 xlsx 文件" in refused.output, refused.output
    assert not (tmp_path / "run.xlsx").exists()


# -- the gate --------------------------------------------------------------------------------------


def test_a_variable_given_twice_with_two_values_is_refused_before_anything_runs(ws: Path) -> None:
    """`--var release=1 … --var release=2` names two releases: the run does not pick one."""
    result = launch(ws, "run", "gated-release", "--env", "test", "--var", "release=1", "--var", "release=2")
    assert result.exit_code == 2 and "--var release 给了两次：“1”和“2”" in result.output, result.output
    assert "请只给一次 --var release=…" in result.output
    with store_of(ws) as store:
        assert store.read("SELECT COUNT(*) AS n FROM runs", [])[0]["n"] == 0
    same = launch(ws, "run", "gated-release", "--env", "test", "--var", "release=1", "--var", "release=1")
    assert same.exit_code == 4, same.output  # the same value twice is one value: the gate decides


def test_the_release_approved_gate_refuses_until_a_reviewer_is_recorded(ws: Path) -> None:
    assert record(ws).exit_code == 0
    refused = launch(ws, "run", "gated-release", "--env", "test", "--yes", "--var", "release=1")
    assert refused.exit_code == 4
    with store_of(ws) as store:
        run = store.read("SELECT * FROM runs ORDER BY id DESC LIMIT 1", [])[0]
        steps = {row["step_id"]: row for row in store.step_rows(run["id"])}
        assert run["status"] == "refused"
        assert steps["approved"]["status"] == "refused" and "no reviewer recorded" in steps["approved"]["summary"]
        assert "deploy" not in steps
        assert [d["kind"] for d in store.decisions(run["id"])] == ["refused"]
    unknown = launch(ws, "run", "gated-release", "--env", "test", "--yes", "--var", "release=7")
    assert unknown.exit_code == 4  # the run is refused: its status says so too
    assert "本工作区没有发布 7（请查看 `launchpad release list`）" in unknown.output, unknown.output

    run_id = accepted_run(ws)
    assert launch(ws, "release", "report", "1", "--run", str(run_id)).exit_code == 0
    assert launch(ws, "release", "approve", "1", "--by", "王强").exit_code == 0
    passed = launch(ws, "run", "gated-release", "--env", "test", "--yes", "--var", "release=1")
    assert passed.exit_code == 0, passed.output
    assert launch(ws, "release", "status", "1", "in-progress").exit_code == 0
    assert launch(ws, "release", "status", "1", "released").exit_code == 0
    again = launch(ws, "run", "gated-release", "--env", "test", "--yes", "--var", "release=1")
    assert again.exit_code == 4, again.output
    assert "不能再次发布；如需再次发布，请新建一条发布记录（launchpad release new）" in again.output


# -- the daily report ----------------------------------------------------------------------------


def test_the_daily_report_lists_the_days_releases_with_their_result(ws: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert record(ws, "--fixes", "1").exit_code == 0
    assert launch(ws, "release", "new", "--version", "v9", "--changes", "次日", "--impact", "无",
                  "--start", "2026-12-08 19:00", "--end", "20:00", "--rollback", "无", "--owner", "李四").exit_code == 0
    with store_of(ws) as store, store.transaction():  # written before versions were checked: still text
        store.db.execute("UPDATE releases SET version = 'v9<@all>' WHERE id = 2")
    assert launch(ws, "release", "status", "1", "cancelled", "--note", "甲方推迟").exit_code == 0
    markdown = launch(ws, "report", "daily", "--date", "2026-12-07", "--format", "md")
    assert markdown.exit_code == 0, markdown.output
    assert "**今日及今晚发布**（1）" in markdown.output
    assert "v2.3.1 2026-12-07 19:00–21:00 已取消｜负责人 张三｜修复问题 #1 登录页验证码不显示" in markdown.output
    assert "v9" not in markdown.output
    tomorrow = launch(ws, "report", "daily", "--date", "2026-12-08", "--format", "md", "--lang", "en")
    assert "v9\\\\" not in tomorrow.output and "<@all>" not in tomorrow.output and "v9＜@all＞" in tomorrow.output
    assert "planned" in tomorrow.output

    text = launch(ws, "report", "daily", "--date", "2026-12-08", "--format", "text")
    assert "· 今日及今晚发布（1）" in text.output and "1) v9<@all> 2026-12-08 19:00–20:00 计划中" in text.output
    html = launch(ws, "report", "daily", "--date", "2026-12-08", "--format", "html")
    assert '<li class="release-planned">v9&lt;@all&gt; 2026-12-08 19:00–20:00 计划中' in html.output

    out = tmp_path / "日报.xlsx"
    assert launch(ws, "report", "daily", "--date", "2026-12-07", "--format", "xlsx", "--out", str(out)).exit_code == 0
    summary = {row[0].value: row[1].value for row in load_workbook(out).worksheets[0].iter_rows()}
    assert summary["今日及今晚发布 #1"].startswith("v2.3.1 2026-12-07 19:00–21:00 已取消")


def test_a_window_past_midnight_counts_on_both_days(ws: Path) -> None:
    site = SITE.replace('end: "23:30"', 'end: "02:00"')
    (ws / "site.yaml").write_text(site, encoding="utf-8")
    assert launch(ws, "release", "new", "--version", "v5", "--changes", "a", "--impact", "b", "--start",
                  "2026-12-07 23:00", "--end", "01:00", "--rollback", "c", "--owner", "d").exit_code == 0
    workspace = load_workspace(ws)
    with store_of(ws) as store:
        for day, listed in ((date(2026, 12, 7), 1), (date(2026, 12, 8), 1), (date(2026, 12, 9), 0)):
            report = collect_daily(store, workspace.site, day, plan=[], workspace_root=ws)
            assert len(report.releases) == listed, day


# -- notices ---------------------------------------------------------------------------------------


class Robot:
    """A loopback WeCom robot that keeps what it received."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                robot.received.append(json.loads(self.rfile.read(length)))
                body = b'{"errcode": 0, "errmsg": "ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.handler = Handler
        self.port = 0


@pytest.fixture
def robot() -> Iterator[Robot]:
    robot = Robot()
    with serving(robot.handler) as server:
        robot.port = server.server_address[1]
        yield robot


def test_notices_take_their_content_from_the_record_and_go_out_once(ws: Path, robot: Robot) -> None:
    site = SITE + f"channels:\n  group: {{kind: wecom, webhook: 'http://127.0.0.1:{robot.port}/send'}}\n"
    (ws / "site.yaml").write_text(site, encoding="utf-8")
    assert record(ws).exit_code == 0
    preview = launch(ws, "release", "notice", "1", "--kind", "before")
    assert preview.exit_code == 0
    for expected in ("发布通知", "v2.3.1", "修复登录验证码", "2026-12-07 19:00–21:00", "登录中断 10 分钟",
                     "张三 13800000001", "李四 13800000002"):
        assert expected in preview.output
    assert robot.received == []  # a preview sends nothing

    for _ in range(2):
        sent = launch(ws, "release", "notice", "1", "--kind", "before", "--send")
        assert sent.exit_code == 0, sent.output
    assert len(robot.received) == 1
    text = robot.received[0]["markdown"]["content"]
    assert "发布通知" in text and "修复登录验证码" in text and "张三 13800000001" in text
    assert audit_actions(ws).count("release_notice") == 2

    assert launch(ws, "release", "notice", "1", "--kind", "before", "--send", "--channel", "nope").exit_code == 2


def test_a_notice_sent_earlier_says_when_and_that_it_was_not_sent_again(ws: Path, robot: Robot) -> None:
    """A second `--send` of the same notice finds the copy the group already has and posts
    nothing: it said 已发送 (sent) as if it had just gone out again."""
    from launchpad.sitetime import local_text

    site = SITE + f"channels:\n  group: {{kind: wecom, webhook: 'http://127.0.0.1:{robot.port}/send'}}\n"
    (ws / "site.yaml").write_text(site, encoding="utf-8")
    assert record(ws).exit_code == 0
    first = launch(ws, "release", "notice", "1", "--kind", "before", "--send")
    assert first.exit_code == 0 and "已发送到 group（1 段）" in first.output, first.output
    again = launch(ws, "release", "notice", "1", "--kind", "before", "--send")
    english = launch(ws, "--lang", "en", "release", "notice", "1", "--kind", "before", "--send")
    assert len(robot.received) == 1
    with store_of(ws) as store:
        sent_at = store.read("SELECT sent_at FROM outbox", [])[0]["sent_at"]
        audited = [row["detail"] for row in store.read(
            "SELECT detail FROM audit WHERE action = 'release_notice' ORDER BY id", [])]
    when = local_text(sent_at, ZoneInfo("Asia/Shanghai"), with_seconds=True)
    assert again.exit_code == 0 and "已发送到" not in again.output, again.output
    assert f"group 已于 {when} 收到这份通知，未重复发送" in again.output, again.output
    assert english.exit_code == 0
    assert f"group already had this notice, sent {when}; not sent again" in english.output, english.output
    said = [json.loads(detail) for detail in audited]
    assert [(d["result"], d.get("sent_before")) for d in said] == [
        ("sent", None), ("already_sent", sent_at), ("already_sent", sent_at)]


def test_a_notice_that_did_not_go_says_why_in_the_sites_language(ws: Path) -> None:
    from tests.loopback import closed_port

    site = SITE + f"channels:\n  group: {{kind: wecom, webhook: 'http://127.0.0.1:{closed_port()}/send'}}\n"
    (ws / "site.yaml").write_text(site, encoding="utf-8")
    assert record(ws).exit_code == 0
    sent = launch(ws, "release", "notice", "1", "--kind", "before", "--send")
    assert sent.exit_code == 1
    assert "未发送到 group：无法连接" in sent.output and "cannot reach" not in sent.output


def finished(root: Path, status: str) -> None:
    """Release 1, reviewed and taken to `status` (released or rolled-back) from the command line."""
    assert launch(root, "release", "report", "1", "--run", str(accepted_run(root))).exit_code == 0
    assert launch(root, "release", "approve", "1", "--by", "王强").exit_code == 0
    assert launch(root, "release", "status", "1", "in-progress").exit_code == 0
    assert launch(root, "release", "status", "1", status).exit_code == 0


@pytest.mark.parametrize(("status", "wrong", "right", "said"), [
    ("rolled-back", "done", "rolled-back", "当前为已回退，不能发“done”通知"),
    ("released", "rolled-back", "done", "当前为已发布，不能发“rolled-back”通知"),
    ("released", "before", "done", "当前为已发布，不能发“before”通知"),
])
def test_a_notice_must_fit_the_records_status(ws: Path, robot: Robot, status: str, wrong: str, right: str,
                                              said: str) -> None:
    site = SITE + f"channels:\n  group: {{kind: wecom, webhook: 'http://127.0.0.1:{robot.port}/send'}}\n"
    (ws / "site.yaml").write_text(site, encoding="utf-8")
    assert record(ws).exit_code == 0
    finished(ws, status)
    for sending in ((), ("--send",)):
        refused = launch(ws, "release", "notice", "1", "--kind", wrong, *sending)
        assert refused.exit_code == 2, refused.output
        assert said in refused.output and f"launchpad release notice 1 --kind {right}" in refused.output
    assert robot.received == [] and "release_notice" not in audit_actions(ws)
    assert launch(ws, "release", "notice", "1", "--kind", right, "--send").exit_code == 0
    assert len(robot.received) == 1


def test_a_release_not_out_yet_takes_only_the_before_notice_and_a_cancelled_one_none(ws: Path) -> None:
    assert record(ws).exit_code == 0
    assert launch(ws, "release", "report", "1", "--run", str(accepted_run(ws))).exit_code == 0
    assert launch(ws, "release", "approve", "1", "--by", "王强").exit_code == 0
    assert launch(ws, "release", "status", "1", "in-progress").exit_code == 0
    assert launch(ws, "release", "notice", "1", "--kind", "before").exit_code == 0  # not out yet
    early = launch(ws, "release", "notice", "1", "--kind", "done")
    assert early.exit_code == 2 and "当前为发布中，不能发“done”通知" in early.output, early.output
    assert "--kind before" in early.output
    assert record(ws).exit_code == 0 and launch(ws, "release", "status", "2", "cancelled").exit_code == 0
    refused = launch(ws, "release", "notice", "2", "--kind", "before")
    assert refused.exit_code == 2 and "已取消的发布没有相符的通知" in refused.output, refused.output


def test_a_notice_with_nobody_to_call_is_refused(ws: Path) -> None:
    nobody = SITE.replace("duty:\n  - {weekdays: daily, primary: zhang, backup: li}\n", "duty: []\n")
    (ws / "site.yaml").write_text(nobody, encoding="utf-8")
    assert record(ws).exit_code == 0
    result = launch(ws, "release", "notice", "1", "--kind", "before")
    assert result.exit_code == 2 and "通知被拒绝：" in result.output  # the site speaks Chinese


def test_the_readme_tour_of_releases_works_on_the_demo(tmp_path: Path) -> None:
    import shlex

    from launchpad.demo import build_demo, start_demo_webapp, stop_demo_webapp

    root = build_demo(tmp_path / "demo")
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    # The tour's lines; the release walk after it starts a fresh demo of its own (test_readme_commands).
    readme = readme[:readme.index("A release goes out for its")]
    lines = [line.split("  #")[0].strip() for line in readme.splitlines()
             if line.startswith(("launchpad issue add", "launchpad run environment-readiness --env test",
                                 "launchpad release ", "launchpad handover"))]
    assert sum(line.startswith("launchpad release ") for line in lines) >= 5
    # As `launchpad demo` leaves it, on the real clock (the readiness run compares the host's with it).
    start_demo_webapp(root)
    try:
        for line in lines:
            result = launch(root, *shlex.split(line)[1:])
            expected = 1 if line.startswith("launchpad run") else 0  # the demo's readiness run is partial
            assert result.exit_code == expected, f"{line}: {result.output}"
    finally:
        stop_demo_webapp(root)
    with store_of(root) as store:
        run = store.get_run(1)
        assert run is not None and run["status"] == "partial"  # approvable: its skips are in the report
    shown = release_row(root)
    assert (shown["status"], shown["approved_by"], shown["fixes"]) == ("approved", "王强", [1])


def test_a_workspace_template_replaces_the_bundled_test_report(ws: Path) -> None:
    assert record(ws, changes="第一行\n第二行").exit_code == 0
    (ws / "templates").mkdir()
    (ws / "templates" / "release_test_report.md.j2").write_text(
        "# 项目代号 XM-7 {{ rel.version }}\n{{ rel.changes | block }}\n{{ verdict }}\n", encoding="utf-8")
    run_id = accepted_run(ws)
    assert launch(ws, "release", "report", "1", "--run", str(run_id)).exit_code == 0
    text = Path(release_row(ws)["reports"][0]["path"]).read_text(encoding="utf-8")
    assert text.startswith("# 项目代号 XM-7 v2.3.1\n第一行\n第二行\n测试通过")


def test_the_release_commands_speak_english_when_asked(ws: Path) -> None:
    made = launch(ws, "--lang", "en", "release", "new", "--version", "v2")
    assert made.exit_code == 2 and "release new needs --changes" in made.output, made.output
    assert record(ws).exit_code == 0
    listed = launch(ws, "--lang", "en", "release", "list").output
    assert "planned  owner 张三" in listed and "计划中" not in listed, listed
    shown = launch(ws, "release", "show", "1").output
    assert "变更内容：" in shown and "状态变化：" in shown and "what changes" not in shown, shown
    shown = launch(ws, "--lang", "en", "release", "show", "1").output
    assert "what changes:" in shown and "history:" in shown and "变更内容" not in shown, shown
