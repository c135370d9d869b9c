"""The bundled after-hours-release playbook on the demo's test environment (local transport,
the demo's web app and robot running), run for a release record: a good release end to end,
the record moved to released, its notices taken from the record and the daily report showing
the result; a broken build whose health check fails mid-rollout, aborted and rolled back to the
old version with the backup restored and the record rolled back; the window gate refused
outside the window, overridden only with a reason, and the approval gate (the record's
reviewer) never overridable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from launchpad.demo import build_demo, start_demo_webapp, stop_demo_webapp
from launchpad.demo.robot import received
from launchpad.hosts.connect import HostConnections
from launchpad.phrases import render
from launchpad.release.operations import approve_release, new_release, write_report
from launchpad.release.record import Release, get_release, history
from launchpad.report.daily import collect_daily
from launchpad.report.render import render_daily
from launchpad.report.run import collect_run, render_run
from launchpad.run.engine import Engine, RunResult
from launchpad.run.playbook import load_playbook
from launchpad.run.prompter import ConfirmRequest, FailureChoice
from launchpad.session import open_session
from launchpad.store.audit import iter_audit
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.scripted import ScriptedPrompter

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday: 19:00 is inside the demo's after_hours window (mon-fri 18:30–23:30), 15:00 is not.
# In the past, so the backups the run takes are "fresh" for the fresh_backup gate.
EVENING = datetime(2026, 12, 2, 19, 0, tzinfo=SHANGHAI)
AFTERNOON = datetime(2026, 12, 2, 15, 0, tzinfo=SHANGHAI)

def recorded(root: Path, version: str, *, approve: bool = True, start: str = "2026-12-02 19:00") -> int:
    """A release record of `version` in the demo's window tonight, its test report attached (a
    finished run of the release itself is enough for the report) and, unless told otherwise,
    approved by the client's reviewer."""
    session = open_session(root, now=lambda: EVENING, actor="李工")
    try:
        record = new_release(session, version=version, changes=f"门户 {version}：登录页改版",
                             impact="登录中断约 10 分钟", start=start, end="21:00",
                             rollback_plan="切回 1.0.0", owner="张伟")
        if approve:
            store = session.store()
            run_id = store.create_run(playbook="onsite-acceptance", playbook_path="p.yaml", playbook_hash="x",
                                      playbook_snapshot={}, environment="test", production=False, variables={},
                                      operator="李工")
            store.set_run_status(run_id, "passed", finished=True)
            write_report(session, record.id, run_id, "markdown", "zh")
            approve_release(session, record.id, "王强")
        return record.id
    finally:
        session.close()


def record_of(root: Path, release_id: int) -> tuple[Release, list[str]]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        return get_release(store, release_id), [row["to_status"] for row in history(store, release_id)]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Path]:
    root = build_demo(tmp_path / "demo")
    try:
        start_demo_webapp(root)
        yield root
    finally:
        stop_demo_webapp(root)


def release(root: Path, prompter: ScriptedPrompter, now: datetime, **given: str) -> RunResult:
    ws = load_workspace(root)
    with Store.open(ws.store_path) as store, HostConnections(ws, "test") as connections:
        engine = Engine(ws, store, prompter, connections.transport_for, now=lambda: now)
        return engine.start(load_playbook(root / "playbooks" / "after-hours-release.yaml"), "test", given)


def login_page(root: Path) -> str:
    url = load_workspace(root).site.environments["test"].urls["login"]
    return httpx.get(url, trust_env=False, timeout=5).text


def steps(root: Path, run_id: int) -> dict[str, dict[str, object]]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        return {s["step_id"]: s for s in store.step_rows(run_id)}


def decisions(root: Path) -> list[tuple[str, str]]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        return [(e.action, str(e.detail.get("reason", ""))) for e in iter_audit(store)
                if e.action.startswith("decision:")]


def test_a_good_release_goes_out_verified_announced_and_recorded(demo: Path) -> None:
    assert "版本 v1.0.0" in login_page(demo)
    release_id = recorded(demo, "v1.1.0")  # a record written with the v names the same version
    prompter = ScriptedPrompter()
    result = release(demo, prompter, EVENING, release=str(release_id), version="1.1.0", previous_version="1.0.0")
    done = steps(demo, result.run_id)
    assert result.status == "passed", {k: (v["status"], v["summary"]) for k, v in done.items()}
    assert "版本 v1.1.0" in login_page(demo)
    assert done["prepare.approval"]["evidence"]["approved_by"] == "王强"  # type: ignore[index]
    assert done["verify.version"]["evidence"]["版本"] == "1.1.0"  # type: ignore[index]
    assert "sent to 1 host(s)" in str(done["deploy.upload"]["summary"])
    assert "1 host(s) switched in 1 batch(es)" in str(done["deploy.switch"]["summary"])
    assert done["verify.log"]["status"] == "passed"
    # The switch was confirmed as the command it ran, with this run's values, not its template.
    asked = next(r for r in prompter.asked if isinstance(r, ConfirmRequest) and r.step_id == "deploy.switch")
    assert "ln -sfn releases/1.1.0 current" in str(asked.detail) and "{{" not in str(asked.detail)
    assert "每批 1 台" in render(asked.detail, "zh")
    # The record moved with the run: in progress when the deploy started, released once verified.
    record, moves = record_of(demo, release_id)
    assert (record.status, moves) == ("released", ["planned", "approved", "in_progress", "released"])
    # Both notices say what the record says, not what someone typed into the run.
    texts = [m["content"] for m in received(demo / ".launchpad")]
    before = [t for t in texts if "发布通知" in t and "门户 v1.1.0：登录页改版" in t]
    assert before and "登录中断约 10 分钟" in before[0] and "2026-12-02 19:00–21:00" in before[0]
    assert any("v1.1.0" in t and "发布完成" in t for t in texts), texts
    # The daily report shows the result, nobody typed it.
    with Store.open(demo / ".launchpad" / "launchpad.db") as store:
        daily = render_daily(collect_daily(store, load_workspace(demo).site, EVENING.date()), "txt", "zh")
    assert "v1.1.0" in daily and "已发布" in daily
    # The same record cannot go out twice: released is finished, and the approval gate says so.
    again = release(demo, ScriptedPrompter(), EVENING, release=str(release_id), version="1.1.0",
                    previous_version="1.0.0")
    assert again.status == "refused"
    assert "不能再次发布" in str(steps(demo, again.run_id)["prepare.approval"]["summary"]) or \
        "cannot be released again" in str(steps(demo, again.run_id)["prepare.approval"]["summary"])


def test_a_broken_build_fails_its_health_check_is_rolled_back_and_so_is_its_record(demo: Path) -> None:
    playbook = demo / "playbooks" / "after-hours-release.yaml"
    # The health check is given a second instead of a minute: the broken build never gets well.
    text = playbook.read_text(encoding="utf-8")
    text = text.replace("every: 2\n            within: 60", "every: 0.2\n            within: 1")
    playbook.write_text(text, encoding="utf-8")
    release_id = recorded(demo, "1.2.0")
    prompter = ScriptedPrompter(failures=[FailureChoice("abort", "健康检查未通过")])
    result = release(demo, prompter, EVENING, release=str(release_id), version="1.2.0", previous_version="1.0.0")
    assert result.status == "aborted"
    done = steps(demo, result.run_id)
    assert done["deploy.switch"]["status"] == "failed"
    assert "health check failed" in str(done["deploy.switch"]["summary"])
    assert "the last batch (1 of 1) failed" in str(done["deploy.switch"]["summary"])  # no host left untouched
    assert "verify.version" not in done  # nothing after the failed switch ran
    with Store.open(demo / ".launchpad" / "launchpad.db") as store:
        (host,) = store.host_rows(result.run_id, "deploy.switch")
    # The unhealthy host's row shows no exit code (the switch's 0 would read as fine), and the
    # time it took includes the wait for its health.
    assert (host["status"], host["exit_code"]) == ("failed", None) and host["duration"] >= 1
    for step_id in ("deploy.switch-back", "deploy.back-ready", "deploy.rolled-back", "deploy.rollback-notice",
                    "deploy.restore"):
        assert done[step_id]["status"] == "passed", (step_id, done[step_id]["summary"])
    assert "done.released" not in done
    assert "版本 v1.0.0" in login_page(demo)
    assert ("decision:confirmed", "rollback") in decisions(demo)
    record, moves = record_of(demo, release_id)
    assert (record.status, moves) == ("rolled_back", ["planned", "approved", "in_progress", "rolled_back"])
    assert any("1.2.0" in m["content"] and "发布回退通知" in m["content"] for m in received(demo / ".launchpad"))
    with Store.open(demo / ".launchpad" / "launchpad.db") as store:
        report = render_run(collect_run(store, load_workspace(demo).site, result.run_id), "md", "zh")
        daily = render_daily(collect_daily(store, load_workspace(demo).site, EVENING.date()), "txt", "zh")
    assert "部署 / 切回旧版本并重启" in report and "部署 / 恢复发布前的备份（仅当本次发布修改了数据）" in report
    assert "1.2.0" in daily and "已回退" in daily


def test_the_window_gate_refuses_outside_the_window_and_is_overridden_only_with_a_reason(demo: Path) -> None:
    release_id = str(recorded(demo, "1.1.0", approve=False))
    refused = release(demo, ScriptedPrompter(), AFTERNOON, release=release_id, version="1.1.0",
                      previous_version="1.0.0")
    assert refused.status == "refused"
    assert set(steps(demo, refused.run_id)) == {"prepare.window"}
    assert ("decision:refused", "override declined") in decisions(demo)
    assert "版本 v1.0.0" in login_page(demo)

    # With a reason, the window is overridden, and the reason is in the audit log; the approval
    # gate after it (no reviewer on the record) is never overridable, whatever reason is given.
    prompter = ScriptedPrompter(override_reason="甲方要求今天下午紧急修复")
    overridden = release(demo, prompter, AFTERNOON, release=release_id, version="1.1.0", previous_version="1.0.0")
    assert overridden.status == "refused"
    done = steps(demo, overridden.run_id)
    assert done["prepare.window"]["status"] == "passed"
    assert done["prepare.approval"]["status"] == "refused"
    assert ("decision:overrode", "甲方要求今天下午紧急修复") in decisions(demo)
    assert ("decision:refused", "gate refused; it cannot be overridden") in decisions(demo)
    assert "版本 v1.0.0" in login_page(demo)
    assert record_of(demo, int(release_id))[0].status == "planned"


def test_a_second_run_for_the_same_release_does_not_tell_the_group_twice(demo: Path) -> None:
    release_id = recorded(demo, "1.1.0")
    # The first run stops at the switch's confirmation, after the notice went out.
    stopped = release(demo, ScriptedPrompter(confirm_answer=False), EVENING, release=str(release_id),
                      version="1.1.0", previous_version="1.0.0")
    assert stopped.status == "aborted" and record_of(demo, release_id)[0].status == "in_progress"
    sent = [m["content"] for m in received(demo / ".launchpad") if "发布通知" in m["content"]]
    assert len(sent) == 1
    # The second run releases the record still in progress; the group hears the notice once.
    again = release(demo, ScriptedPrompter(), EVENING, release=str(release_id), version="1.1.0",
                    previous_version="1.0.0")
    assert again.status == "passed" and record_of(demo, release_id)[0].status == "released"
    assert [m["content"] for m in received(demo / ".launchpad") if "发布通知" in m["content"]] == sent
    # … and the second run's step says so: the group had it, from when; not "sent" again.
    said = steps(demo, again.run_id)["notice.start"]["summary"]
    first = steps(demo, stopped.run_id)["notice.start"]["summary"]
    assert "notice sent to group" in str(first)
    assert "group already had this notice, sent " in str(said) and "not sent again" in str(said), said


def test_the_approval_gate_refuses_a_version_the_record_does_not_name(demo: Path) -> None:
    release_id = recorded(demo, "1.1.0")
    result = release(demo, ScriptedPrompter(), EVENING, release=str(release_id), version="1.2.0",
                     previous_version="1.0.0")
    assert result.status == "refused"
    summary = str(steps(demo, result.run_id)["prepare.approval"]["summary"])
    assert "1.1.0" in summary and "1.2.0" in summary
    assert record_of(demo, release_id)[0].status == "approved"
    assert "版本 v1.0.0" in login_page(demo)


def test_the_approval_gate_refuses_a_v_the_record_lacks_before_anything_is_announced(demo: Path) -> None:
    release_id = recorded(demo, "1.1.0")
    result = release(demo, ScriptedPrompter(), EVENING, release=str(release_id), version="v1.1.0",
                     previous_version="1.0.0")
    assert result.status == "refused"
    done = steps(demo, result.run_id)
    summary = str(done["prepare.approval"]["summary"])
    assert "recorded as 1.1.0" in summary and "give version=1.1.0" in summary, summary
    assert "backup.all" not in done and "notice.start" not in done
    assert not any("发布通知" in m["content"] for m in received(demo / ".launchpad"))
    assert record_of(demo, release_id)[0].status == "approved"


@pytest.mark.parametrize("version", ["1.1.0.", "1.1.0-", "1.1..0"])
def test_a_version_variable_that_is_no_version_label_stops_the_run_before_it_starts(demo: Path, version: str) -> None:
    """The version the approval gate checks comes from the `version` variable: one that is no
    version label (a mark left at the end) is refused as a release record's would be, at the
    step's file:line, exit 2, before any run is recorded."""
    from launchpad.errors import InvalidInput

    release_id = recorded(demo, "1.1.0")
    with pytest.raises(InvalidInput) as refused:
        release(demo, ScriptedPrompter(), EVENING, release=str(release_id), version=version,
                previous_version="1.0.0")
    playbook = demo / "playbooks" / "after-hours-release.yaml"
    lines = playbook.read_text(encoding="utf-8").splitlines()
    step = lines.index("      - id: prepare.approval")
    line = step + 1 + next(i for i, text in enumerate(lines[step:]) if text.strip().startswith("version:"))
    said = refused.value.render("zh")
    assert refused.value.exit_code == 2
    assert f"after-hours-release.yaml:{line}:" in said, said
    assert f"变量 version：{version!r} 不是版本号：版本号以字母或数字开头和结尾" in said
    assert "运行没有开始" in said
    with Store.open(demo / ".launchpad" / "launchpad.db") as store:
        assert list(store.db.query("SELECT id FROM runs WHERE playbook = 'after-hours-release'")) == []
    assert record_of(demo, release_id)[0].status == "approved"


def test_a_release_waits_for_its_records_own_window_unless_overridden_with_a_reason(demo: Path) -> None:
    # Planned for tomorrow evening; tonight is inside the site's after_hours window all the same.
    release_id = recorded(demo, "1.1.0", start="2026-12-03 19:00")
    early = release(demo, ScriptedPrompter(), EVENING, release=str(release_id), version="1.1.0",
                    previous_version="1.0.0")
    assert early.status == "refused"
    done = steps(demo, early.run_id)
    assert done["prepare.window"]["status"] == "passed" and done["prepare.approval"]["status"] == "passed"
    summary = str(done["prepare.planned"]["summary"])
    assert "planned for 2026-12-03 19:00–21:00" in summary and "2026-12-02 19:00: too early" in summary, summary
    assert "backup.all" not in done and "notice.start" not in done
    assert not any("发布通知" in m["content"] for m in received(demo / ".launchpad"))
    assert ("decision:refused", "override declined") in decisions(demo)
    assert record_of(demo, release_id)[0].status == "approved"

    # The day after its window closed, too late; a reason gets past it, and goes to the audit log.
    late = datetime(2026, 12, 3, 21, 30, tzinfo=SHANGHAI)
    prompter = ScriptedPrompter(override_reason="甲方同意顺延半小时", confirm_answer=False)
    overridden = release(demo, prompter, late, release=str(release_id), version="1.1.0", previous_version="1.0.0")
    done = steps(demo, overridden.run_id)
    assert done["prepare.planned"]["status"] == "passed"
    assert "甲方同意顺延半小时" in str(done["prepare.planned"]["summary"])
    assert ("decision:overrode", "甲方同意顺延半小时") in decisions(demo)
    assert done["notice.start"]["status"] == "passed"  # past the gates, up to the switch it was not given


def test_a_declined_switch_reads_as_stopped_not_switched_everywhere_until_resumed(demo: Path) -> None:
    """The engineer answers no to the switch: the record stays in progress (the run can be
    resumed), but every place that shows the release says it stopped before the switch, who
    declined it and when, and how to go on or give it up — never 发布中."""
    from tests.commandline import launch

    release_id = recorded(demo, "1.1.0")
    stopped = release(demo, ScriptedPrompter(actor="李工", confirm_answer=False), EVENING, release=str(release_id),
                      version="1.1.0", previous_version="1.0.0")
    assert stopped.status == "aborted"
    assert "deploy.switch" not in steps(demo, stopped.run_id)  # nothing switched
    assert record_of(demo, release_id)[0].status == "in_progress"
    # The decision is the run's and the audit log's.
    with Store.open(demo / ".launchpad" / "launchpad.db") as store:
        declined = [e for e in iter_audit(store) if e.action == "decision:declined"]
    assert [(e.actor, e.target, e.detail["reason"]) for e in declined] == [
        ("李工", f"run {stopped.run_id} step deploy.switch", "not confirmed")]

    resume = ("launchpad run after-hours-release --env test --var package=portal --var previous_version=1.0.0 "
              f"--var release={release_id} --var version=1.1.0")
    give_up = f"launchpad release status {release_id} rolled-back"
    code, listed = launch(demo, "release", "list")
    assert code == 0 and "发布中" not in listed
    assert "已停止，未切换（切换未获确认）" in listed
    assert "「逐台切换到新版本并重启（每台切换后做健康检查）」未执行：未确认（李工，" in listed
    assert resume in listed and give_up in listed
    code, shown = launch(demo, "--lang", "en", "release", "show", str(release_id))
    assert code == 0 and "stopped, not switched (the switch was not confirmed)" in shown and resume in shown
    code, as_json = launch(demo, "release", "list", "--json")
    (row,) = json.loads(as_json)
    assert (row["status"], row["standing"]) == ("in_progress", "declined_switch")
    assert row["declined"]["run"] == stopped.run_id and row["declined"]["step"] == "deploy.switch"

    code, handover = launch(demo, "handover")
    assert code == 0
    line = next(text for text in handover.splitlines() if f"发布 {release_id} v1.1.0" in text or
                f"发布 {release_id} 1.1.0" in text)
    assert "已停止，未切换（切换未获确认）" in line and resume in line and give_up in line and "发布中" not in line
    code, facts = launch(demo, "handover", "--json")
    (entry,) = json.loads(facts)["sections"]["releases"]
    assert (entry["status"], entry["standing"]) == ("in_progress", "declined_switch")
    with Store.open(demo / ".launchpad" / "launchpad.db") as store:
        daily = render_daily(collect_daily(store, load_workspace(demo).site, EVENING.date()), "txt", "zh")
    assert "已停止，未切换（切换未获确认）" in daily and "发布中" not in daily
    # The release's test report, written now, says the same in its status row (Markdown and xlsx).
    from openpyxl import load_workbook

    from launchpad.release.testreport import words

    session = open_session(demo, now=lambda: EVENING, actor="李工")
    try:
        markdown = write_report(session, release_id, stopped.run_id, "markdown", "zh").path.read_text(encoding="utf-8")
        book = write_report(session, release_id, stopped.run_id, "xlsx", "en").path
    finally:
        session.close()
    assert f"| {words('zh')['status']} | 已停止，未切换（切换未获确认） |" in markdown
    sheet = load_workbook(book).worksheets[0]
    rows = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert rows[words("en")["status"]] == "stopped, not switched (the switch was not confirmed)"
    # A notice that does not fit names it the same way.
    code, refused = launch(demo, "release", "notice", str(release_id), "--kind", "done")
    assert code == 2 and "当前为已停止，未切换（切换未获确认），不能发“done”通知" in refused
    # On production without a terminal nor --confirm, nobody typed its name: the list says so, not
    # that a person refused (the run's recorded reason, as the engine records it then).
    from launchpad.phrases import dumps, phrase

    not_typed = phrase("engine.reason.name_not_typed")
    with Store.open(demo / ".launchpad" / "launchpad.db") as store, store.transaction():
        store.db.execute("UPDATE decisions SET reason = ?, reason_phrase = ? WHERE run_id = ? AND kind = 'declined'",
                         [str(not_typed), dumps(not_typed), stopped.run_id])
    code, listed = launch(demo, "release", "list")
    assert code == 0 and "「逐台切换到新版本并重启（每台切换后做健康检查）」未执行：未输入环境名称（李工，" in listed
    assert "拒绝" not in listed

    # Run again as it says, and switched this time, it is released.
    again = release(demo, ScriptedPrompter(), EVENING, release=str(release_id), package="portal", version="1.1.0",
                    previous_version="1.0.0")
    assert again.status == "passed"
    code, listed = launch(demo, "release", "list")
    assert "已发布" in listed and "已停止" not in listed


def test_the_command_to_run_a_declined_release_again_quotes_as_every_pasted_command_does() -> None:
    """Chinese and plain words stay bare (as in every other hint), a value a shell would split
    or expand is quoted: the line pastes into a shell as the run's own values."""
    from launchpad.release.standing import _again

    run = {"playbook": "after-hours-release", "environment": "测试",
           "variables": {"version": "1.1.0", "note": "甲方 同意", "package": "门户"}}
    assert _again(run) == ("launchpad run after-hours-release --env 测试 --var version=1.1.0 "
                           "--var 'note=甲方 同意' --var package=门户")


def test_a_release_whose_package_is_not_there_stops_before_anything_is_announced(demo: Path) -> None:
    """The package for the version given is missing (not copied into artifacts/): the gate
    refuses before the backup, the group's notice and 发布中, not at the upload after them."""
    release_id = recorded(demo, "9.9.9")
    result = release(demo, ScriptedPrompter(), EVENING, release=str(release_id), version="9.9.9",
                     previous_version="1.0.0")

    assert result.status == "refused"
    done = steps(demo, result.run_id)
    assert done["prepare.approval"]["status"] == "passed" and done["prepare.package"]["status"] == "refused"
    summary = str(done["prepare.package"]["summary"])
    assert "artifacts/portal-9.9.9.tar.gz is not here: nothing was sent or announced" in summary, summary
    assert "--var version=" in str(done["prepare.package"]["hint"])
    assert "backup.all" not in done and "notice.start" not in done
    assert not any("发布通知" in m["content"] for m in received(demo / ".launchpad"))
    assert record_of(demo, release_id)[0].status == "approved"

    packaged = release(demo, ScriptedPrompter(confirm_answer=False), EVENING, release=str(recorded(demo, "1.1.0")),
                       version="1.1.0", previous_version="1.0.0")
    assert steps(demo, packaged.run_id)["prepare.package"]["status"] == "passed"
