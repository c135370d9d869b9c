"""Feedback issues: fields, the workflow's rules, the history and audit of every change,
overdue everywhere, two processes adding at once, and the `launchpad issue` commands."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import UsageError
from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.issues.query import IssueFilter
from launchpad.store.audit import iter_audit, verify_audit
from launchpad.store.db import Store
from tests.workspaces import write_workspace

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = "2025-11-20T02:00:00+00:00"  # 10:00 in Shanghai, a Thursday
# Registers the command modules whether or not launchpad.cli does yet, then runs the CLI.
_LAUNCHER = ("import sys\nfrom launchpad.cli import cli, main, issues, report\n"
             "[cli.add_command(c) for m in (issues, report) for c in m.COMMANDS]\nmain(sys.argv[1:])\n")


def run_cli(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _LAUNCHER, "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=120, input=stdin,
                          stdin=None if stdin is not None else subprocess.DEVNULL)


@pytest.fixture
def log() -> IssueLog:
    return IssueLog(Store.memory(), SHANGHAI, "pm", clock=lambda: NOW)


def test_an_issue_keeps_every_field(log: IssueLog) -> None:
    added = log.add(IssueDraft("登录白屏", description="点提交后白屏", reporter="王芳", channel="电话",
                               module="登录", severity="p1", type="bug", owner="张三", due=date(2025, 11, 21),
                               attachments=("shots/1.png",)))
    assert (added.channel, added.severity, added.type, added.status) == ("phone", "P1", "defect", "new")
    assert added.attachments == ("shots/1.png",) and added.reported_at == NOW and added.created_by == "pm"
    assert log.get(added.id) == added


def test_coded_fields_refuse_unknown_values(log: IssueLog) -> None:
    with pytest.raises(UsageError, match="Severity 'P5' is not known") as caught:
        log.add(IssueDraft("x", severity="P5"))
    assert "P0 critical, P1 high, P2 medium, P3 low" in caught.value.hint
    with pytest.raises(UsageError, match="needs a title"):
        log.add(IssueDraft("   "))


def test_leaving_new_needs_owner_and_due_date(log: IssueLog) -> None:
    issue = log.add(IssueDraft("报表导出乱码"))
    with pytest.raises(UsageError, match="needs an owner and a due date"):
        log.update(issue.id, {"status": "in_progress"})
    with pytest.raises(UsageError, match="needs a due date"):
        log.update(issue.id, {"status": "fixed", "owner": "张三"})
    started = log.update(issue.id, {"status": "处理中", "owner": "张三", "due": date(2025, 11, 22)})
    assert started.status == "in_progress"
    with pytest.raises(UsageError, match="cannot be removed"):
        log.update(issue.id, {"owner": ""})


def test_the_workflow_allows_only_its_steps_and_reopening(log: IssueLog) -> None:
    issue = log.add(IssueDraft("考勤少一列", owner="李四", due=date(2025, 11, 25)))
    with pytest.raises(UsageError, match="cannot become verified"):
        log.update(issue.id, {"status": "verified"})
    fixed = log.update(issue.id, {"status": "fixed", "resolution": "已加列", "fixed_in": "v1.2"})
    assert fixed.resolved_at == NOW
    verified = log.update(issue.id, {"status": "verified"})
    assert verified.resolved_at == NOW  # stays the moment it was first resolved
    reopened = log.update(issue.id, {"status": "in_progress"}, note="客户说又出现了")
    assert reopened.resolved_at is None and reopened.is_open


def test_history_and_audit_record_every_change(log: IssueLog) -> None:
    issue = log.add(IssueDraft("登录慢"))
    log.update(issue.id, {"owner": "张三", "due": date(2025, 11, 21), "severity": "P1"}, note="已电话回复")
    log.update(issue.id, {"owner": "张三"})  # no change: nothing written
    fields = [(row["field"], row["old_value"], row["new_value"], row["note"]) for row in log.history(issue.id)]
    assert fields[0][0] == "created"
    assert fields[1:] == [("owner", "", "张三", ""), ("due", None, "2025-11-21", ""),
                          ("severity", "P2", "P1", ""), ("note", None, None, "已电话回复")]
    entries = list(iter_audit(log.store))
    assert [e.action for e in entries] == ["issue_added", "issue_updated"]
    assert entries[1].detail["changes"]["owner"] == ["", "张三"] and entries[1].detail["note"] == "已电话回复"
    assert verify_audit(log.store).ok


def test_typed_values_are_checked_before_storing(log: IssueLog) -> None:
    issue = log.add(IssueDraft("登录慢"))
    with pytest.raises(UsageError, match="not a date"):
        log.update(issue.id, {"due": "明天"})  # words are the front end's job (parse_day)
    with pytest.raises(UsageError, match="no field"):
        log.update(issue.id, {"priority": "P1"})
    assert log.update(issue.id, {"due": "2025-11-21"}).due == "2025-11-21"


def test_a_failed_update_changes_nothing(log: IssueLog) -> None:
    issue = log.add(IssueDraft("登录慢"))
    with pytest.raises(UsageError):
        log.update(issue.id, {"title": "改了标题", "status": "closed"})
    assert log.get(issue.id).title == "登录慢" and len(log.history(issue.id)) == 1


def test_overdue_means_open_and_past_due(log: IssueLog) -> None:
    late = log.add(IssueDraft("逾期", owner="张三", due=date(2025, 11, 19)))
    due_today = log.add(IssueDraft("今天到期", owner="张三", due=date(2025, 11, 20)))
    done = log.add(IssueDraft("已修复", owner="张三", due=date(2025, 11, 1)))
    log.update(done.id, {"status": "fixed"})
    today = log.today()
    assert today == date(2025, 11, 20)
    assert [log.get(i.id).overdue_on(today) for i in (late, due_today, done)] == [True, False, False]
    assert [i.id for i in log.find(IssueFilter(overdue_on=today))] == [late.id]


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    Store.open(root / ".launchpad" / "launchpad.db").close()
    adder = ("import sys\nfrom pathlib import Path\nfrom zoneinfo import ZoneInfo\n"
             "from launchpad.store.db import Store\nfrom launchpad.issues.log import IssueLog\n"
             "from launchpad.issues.model import IssueDraft\n"
             "log = IssueLog(Store.open(Path(sys.argv[1])), ZoneInfo('Asia/Shanghai'), sys.argv[2])\n"
             "for n in range(40):\n    log.add(IssueDraft(f'{sys.argv[2]} 的问题 {n}'))\n")
    workers = [subprocess.Popen([sys.executable, "-c", adder, str(root / ".launchpad" / "launchpad.db"), who])
               for who in ("甲", "乙", "丙")]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0, 0]
    store = Store.open(root / ".launchpad" / "launchpad.db")
    titles = {row["title"] for row in store.db.query("SELECT title FROM issues")}
    assert titles == {f"{who} 的问题 {n}" for who in ("甲", "乙", "丙") for n in range(40)}
    assert verify_audit(store).entries == 120 and verify_audit(store).ok


def test_cli_add_list_update_show(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    added = run_cli(root, "issue", "add", "P1", "@zhang", "#登录", "!明天", "登录页点提交后白屏", "-r", "王芳")
    assert added.returncode == 0, added.stderr
    assert "#1 [P1] 登录页点提交后白屏" in added.stdout and "张三" in added.stdout
    assert run_cli(root, "issue", "add", "--raw", "P2 不是令牌", "--due", "2020-01-01", "-o", "李四").returncode == 0
    refused = run_cli(root, "issue", "update", "1", "--status", "fixed", "--owner", "")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    started = run_cli(root, "issue", "update", "2", "--status", "in_progress", "--note", "已回电")
    assert started.returncode == 0 and "逾期" in started.stdout
    listed = run_cli(root, "issue", "list", "--status", "open", "--lang", "en")
    assert "OVERDUE" in listed.stdout and "P2 不是令牌" in listed.stdout
    data = json.loads(run_cli(root, "issue", "list", "--json", "-q", "登录").stdout)
    assert [(row["id"], row["module"], row["overdue"]) for row in data] == [(1, "登录", False)]
    assert json.loads(run_cli(root, "issue", "list", "--json", "-q", "%").stdout) == []  # searched, not dropped
    shown = run_cli(root, "issue", "show", "2")
    assert "备注: 已回电" in shown.stdout and "状态: 新建 → 处理中" in shown.stdout
    missing = run_cli(root, "issue", "show", "9")
    assert missing.returncode == 2 and "本工作区没有问题 9" in missing.stderr


def test_cli_paste_takes_chosen_messages(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    chat = (Path(__file__).resolve().parent.parent / "fixtures" / "chat" / "wecom_desktop.txt").read_text("utf-8")
    listing = run_cli(root, "issue", "paste", stdin=chat)
    assert listing.returncode == 0 and "  1  11-20 09:15  王芳@市人社局: 登录页面" in listing.stdout
    taken = run_cli(root, "issue", "paste", "--take", "1+2,4", "-o", "张三", "-d", "明天", stdin=chat)
    assert taken.returncode == 0, taken.stderr
    issues = json.loads(run_cli(root, "issue", "list", "--json", "--sort", "oldest").stdout)
    assert [(i["reporter"], i["owner"]) for i in issues] == [("王芳@市人社局", "张三")] * 2
    assert "刘建国@市人社局" in issues[0]["description"] and issues[1]["title"].startswith("报表导出的 Excel")
    # The whole chat copied again: what is logged is skipped and named, the new message is logged.
    again = run_cli(root, "issue", "paste", "--take", "1+2,4,5", stdin=chat)
    assert again.returncode == 0, again.stderr
    assert "已跳过消息 1：已登记为 #1（发送人、时间和内容相同）" in again.stdout
    assert "已跳过消息 2：已登记为 #1" in again.stdout and "已跳过消息 4：已登记为 #2" in again.stdout
    assert "--again" in again.stdout and again.stdout.count("+ #") == 1 and "+ #3" in again.stdout
    nothing = run_cli(root, "issue", "paste", "--take", "5", stdin=chat)
    assert "已跳过消息 5：已登记为 #3" in nothing.stdout and "没有需要新登记的消息" in nothing.stdout
    forced = run_cli(root, "issue", "paste", "--take", "5", "--again", stdin=chat)
    assert forced.returncode == 0 and "+ #4" in forced.stdout and "已跳过" not in forced.stdout


def test_a_message_is_logged_only_when_quoted_whole(tmp_path: Path) -> None:
    from launchpad.issues.chat import parse_chat
    from launchpad.issues.chat_logged import drafts_for

    log = IssueLog(Store.memory(), SHANGHAI, "pm", clock=lambda: "2025-11-20T02:00:00+00:00")
    first = parse_chat("王芳 2025/11/20 9:15\n登录失败了\n", SHANGHAI, datetime(2025, 11, 20, 2, tzinfo=UTC))
    log.add_many(drafts_for(log, [first.messages], SHANGHAI, "group").drafts)
    shorter = parse_chat("王芳 2025/11/20 9:15\n登录失败\n", SHANGHAI, datetime(2025, 11, 20, 2, tzinfo=UTC))
    assert drafts_for(log, [shorter.messages], SHANGHAI, "group").skipped == {}
    later = parse_chat("王芳 2025/11/20 9:16\n登录失败了\n", SHANGHAI, datetime(2025, 11, 20, 2, tzinfo=UTC))
    assert drafts_for(log, [later.messages], SHANGHAI, "group").skipped == {}
    chosen = drafts_for(log, [first.messages], SHANGHAI, "group")
    assert chosen.skipped == {1: 1} and chosen.drafts == []


def test_an_owner_who_is_no_contact_is_stored_with_a_warning_and_the_close_matches(tmp_path: Path) -> None:
    from launchpad.issues.owners import owner_named
    from launchpad.phrases import render

    people = {"zhangwei": "张伟", "lina": "李娜"}
    assert owner_named(people, "lina") == owner_named(people, "李娜") == owner_named(people, " 李娜 ")
    assert owner_named(people, "lina").name == "李娜" and owner_named(people, "lina").warning is None
    typo = owner_named(people, "张为")
    assert typo.name == "张为" and typo.warning is not None
    assert render(typo.warning, "zh").endswith("是否指：张伟（zhangwei）？")
    part = owner_named(people, "zhang").warning
    assert part is not None and "张伟（zhangwei）" in render(part, "en") and "李娜" not in render(part, "en")
    stranger = owner_named(people, "不存在的人").warning
    assert stranger is not None and render(stranger, "zh").endswith("联系人：张伟（zhangwei）、李娜（lina）")

    root = write_workspace(tmp_path / "ws")
    assert run_cli(root, "issue", "add", "--raw", "登录白屏").returncode == 0
    unknown = run_cli(root, "issue", "update", "1", "--owner", "nobody_id")
    assert unknown.returncode == 0 and "负责人 nobody_id" in unknown.stdout
    assert "“nobody_id”不是 site.yaml 中的联系人" in unknown.stderr
    by_id = run_cli(root, "issue", "update", "1", "--owner", "zhang")
    assert by_id.returncode == 0 and "负责人 张三" in by_id.stdout and by_id.stderr == ""
    captured = run_cli(root, "issue", "add", "@张三丰", "报表乱码")
    assert captured.returncode == 0 and "“张三丰”不是 site.yaml 中的联系人" in captured.stderr
    assert "张三（zhang）" in captured.stderr
