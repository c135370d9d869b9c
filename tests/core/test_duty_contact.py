"""The duty contact is never blank: `check` warns about days of the coming week with nobody (or
no backup) on the roster, a notice with nobody to call is refused with the reason, and a
critical notice with no channel ends as not sent instead of passing by being printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from launchpad.phrases import render
from launchpad.report.notice import NoticeRefused, render_notice, site_values
from launchpad.run.events import Notice
from launchpad.run.playbook import check_against_site, load_playbook
from launchpad.workspace.folder import load_workspace
from tests.core.test_engine import Harness, playbook_text
from tests.core.test_inputs import GOOD_PLAYBOOK, launchpad, line_of
from tests.scripted import ScriptedPrompter
from tests.workspaces import LOCAL_SITE, write_workspace

# These tests read the command line's English words.
pytestmark = pytest.mark.usefixtures("english_cli")

DAILY = "duty:\n  - {weekdays: daily, primary: zhang, backup: li}\n"
WEEKDAYS_ONLY = ("duty:\n  - {weekdays: mon-fri, primary: zhang, backup: li}\n"
                 "  - {weekdays: sat, primary: li, backup: li}\n")
NOBODY = "duty: []\n"
NO_PHONE = LOCAL_SITE.replace('{id: zhang, name: 张三, phone: "13800000001"}', "{id: zhang, name: 张三}")
NOTICE = "- {id: notice, name: 发布通知, kind: announce, fields: {change: 考勤模块 v1.3, when: 今晚 19:00}}"


def harness(tmp_path: Path, site: str, step: str = NOTICE) -> Harness:
    h = Harness(tmp_path / "ws", playbook_text(step))
    (h.root / "site.yaml").write_text(site, encoding="utf-8")
    h.workspace = load_workspace(h.root)
    return h


def test_check_warns_about_each_day_of_the_week_without_a_primary_or_a_backup(tmp_path: Path) -> None:
    site = LOCAL_SITE.replace(DAILY, WEEKDAYS_ONLY)
    root = write_workspace(tmp_path / "ws", site=site, playbooks={"hello": GOOD_PLAYBOOK})
    result = launchpad(root, "check", "hello")
    assert result.returncode == 0, result.stderr  # warnings, not problems
    warnings = [line for line in result.stderr.splitlines() if ": warning: duty roster: " in line]
    # Whatever today is, the coming seven days hold one Saturday (the same person twice: no
    # backup) and one Sunday (nobody); every warning points at the roster in site.yaml.
    assert len(warnings) == 2, result.stderr
    saturday = next(line for line in warnings if "(Sat)" in line)
    sunday = next(line for line in warnings if "(Sun)" in line)
    assert "no backup for 李四 (li)" in saturday
    assert "no primary and no backup on duty" in sunday
    assert all(f"site.yaml:{line_of(site, 'duty:')}:1: warning" in line for line in warnings)
    assert all(re.search(r"\d{4}-\d\d-\d\d \((Sat|Sun)\)", line) for line in warnings)
    assert "2 warning(s)" in result.stdout


def test_check_is_quiet_about_a_full_roster_and_names_people_without_a_phone(tmp_path: Path) -> None:
    full = launchpad(write_workspace(tmp_path / "full", playbooks={"hello": GOOD_PLAYBOOK}), "check", "hello")
    assert full.returncode == 0 and "warning" not in full.stderr, full.stderr
    no_phone = launchpad(write_workspace(tmp_path / "phone", site=NO_PHONE, playbooks={"hello": GOOD_PLAYBOOK}),
                         "check", "hello")
    assert no_phone.returncode == 0, no_phone.stderr
    assert f"site.yaml:{line_of(NO_PHONE, '张三')}:" in no_phone.stderr
    assert "contact 'zhang' (张三) is on the duty roster but has no phone" in no_phone.stderr


def test_a_notice_with_nobody_on_duty_is_refused_with_the_reason(tmp_path: Path) -> None:
    site = load_workspace(write_workspace(tmp_path / "ws", site=LOCAL_SITE.replace(DAILY, NOBODY))).site
    values = site_values(site, site.now().date())
    try:
        render_notice("release_notice", {"change": "修复报表"}, values, "text", "zh")
    except NoticeRefused as refused:
        assert render(refused.reason, "zh") == "没有联系人：值班表今天无人值班，通知也未填写联系人"
        assert "duty roster" in refused.hint
    else:
        raise AssertionError("a notice with nobody to call was rendered")
    # A contact the person writes is used as written; a blank one is refused too.
    named = render_notice("release_notice", {"contact": "王五 13900000003"}, values, "text", "zh")
    assert "联系人：王五 13900000003" in named
    try:
        render_notice("release_notice", {"contact": "  "}, values, "text", "zh")
    except NoticeRefused as refused:
        assert "contact field is blank" in refused.message
    else:
        raise AssertionError("a blank contact was accepted")


def test_report_notice_refuses_without_a_reachable_contact_and_prints_nothing(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", site=NO_PHONE)
    result = launchpad(root, "report", "notice", "--set", "change=修复报表")
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "notice refused: no reachable contact: 张三, on duty today, has no phone in site.yaml" in result.stderr
    assert "add a phone to contact 'zhang'" in result.stderr and "Traceback" not in result.stderr


def test_an_announce_step_with_nobody_to_call_fails_with_why(tmp_path: Path) -> None:
    h = harness(tmp_path, LOCAL_SITE.replace(DAILY, NOBODY))
    result = h.run(ScriptedPrompter())
    assert result.status == "failed"
    step = h.store.latest_step_states(result.run_id)["notice"]
    assert step["status"] == "failed"
    assert step["summary"].startswith("notice not sent: no contact: nobody is on the duty roster today")
    assert not [e for e in h.events if isinstance(e, Notice)], "nothing shown as if it could be pasted"


def test_a_critical_announce_without_a_channel_is_shown_but_not_passed(tmp_path: Path) -> None:
    step = NOTICE.replace("kind: announce,", "kind: announce, critical: true,")
    h = harness(tmp_path, LOCAL_SITE, step)
    result = h.run(ScriptedPrompter())
    assert result.status == "failed" and result.exit_code != 0
    row = h.store.latest_step_states(result.run_id)["notice"]
    assert row["status"] == "failed"
    assert row["summary"].startswith("notice not sent: a critical notice needs a channel")
    assert "联系人：张三 13800000001" in row["evidence"]["text"]
    assert any(isinstance(e, Notice) and "考勤模块 v1.3" in str(e.text) for e in h.events)
    # `check` says so before any run.
    problems = check_against_site(load_playbook(h.root / "playbooks" / "t.yaml"), h.workspace.site)
    assert [p.message for p in problems] == [
        "a critical announce step needs a channel: printed is not sent, so without one it can never pass"]


def test_a_non_critical_announce_without_a_channel_still_passes_by_printing(tmp_path: Path) -> None:
    h = harness(tmp_path, LOCAL_SITE)
    result = h.run(ScriptedPrompter())
    assert result.status == "passed"
    assert "联系人：张三 13800000001" in h.store.latest_step_states(result.run_id)["notice"]["evidence"]["text"]
