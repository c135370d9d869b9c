"""Incidents: raised from an issue, a timeline built from its history plus recorded events,
and the postmortem exported as Markdown (library and CLI)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import UsageError
from launchpad.issues.incident import Incidents
from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.report.postmortem import render_postmortem
from launchpad.store.audit import iter_audit
from launchpad.store.db import Store
from tests.core.test_issues import run_cli
from tests.workspaces import write_workspace

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self) -> None:
        self.now = "2025-11-20T01:00:00+00:00"

    def __call__(self) -> str:
        return self.now


@pytest.fixture
def outage() -> tuple[IssueLog, Clock, int]:
    clock = Clock()
    log = IssueLog(Store.memory(), SHANGHAI, "pm", clock=clock)
    issue = log.add(IssueDraft("市级接口推送失败", description="上级系统收不到数据", reporter="刘科长", severity="P0",
                               module="接口对接", reported_at=datetime(2025, 11, 20, 0, 50, tzinfo=UTC)))
    clock.now = "2025-11-20T01:05:00+00:00"
    log.update(issue.id, {"status": "in_progress", "owner": "张三", "due": date(2025, 11, 20)})
    clock.now = "2025-11-20T01:30:00+00:00"
    incidents = Incidents(log)
    incidents.raise_incident(issue.id, "故障", root_cause="发布时漏改了接口地址配置")
    incidents.record(issue.id, "reproduced", "测试环境复现", at=datetime(2025, 11, 20, 1, 20, tzinfo=UTC))
    incidents.record(issue.id, "mitigated", "回滚配置，推送恢复", at=datetime(2025, 11, 20, 1, 40, tzinfo=UTC))
    clock.now = "2025-11-20T02:10:00+00:00"
    log.update(issue.id, {"status": "fixed", "resolution": "补齐配置并补推数据", "fixed_in": "run 7"},
               note="已通知上级单位")
    return log, clock, issue.id


def test_timeline_merges_history_and_events(outage: tuple[IssueLog, Clock, int]) -> None:
    log, _clock, issue_id = outage
    timeline = Incidents(log).timeline(issue_id)
    milestones = [(e.kind, e.at[11:16]) for e in timeline if e.kind not in ("note", "status_changed")]
    assert milestones == [("reported", "00:50"), ("responded", "01:05"), ("reproduced", "01:20"),
                          ("mitigated", "01:40"), ("resolved", "02:10")]
    assert [e.text for e in timeline if e.kind == "note"] == ["已通知上级单位"]
    actions = [e.action for e in iter_audit(log.store)]
    assert "incident_raised" in actions and "incident_mitigated" in actions


def test_an_explicit_event_wins_over_the_derived_one(outage: tuple[IssueLog, Clock, int]) -> None:
    log, _clock, issue_id = outage
    Incidents(log).record(issue_id, "responded", "电话回复刘科长", at=datetime(2025, 11, 20, 0, 52, tzinfo=UTC))
    responded = [e for e in Incidents(log).timeline(issue_id) if e.kind == "responded"]
    assert [(e.at[11:16], e.text, e.derived) for e in responded] == [("00:52", "电话回复刘科长", False)]


def test_only_incidents_have_timelines(outage: tuple[IssueLog, Clock, int]) -> None:
    log, _clock, _issue_id = outage
    plain = log.add(IssueDraft("普通问题"))
    with pytest.raises(UsageError, match="not an incident"):
        Incidents(log).record(plain.id, "note", "x")
    with pytest.raises(UsageError, match="not a timeline event"):
        Incidents(log).record(plain.id, "fixed")


def test_postmortem_markdown_in_both_languages(outage: tuple[IssueLog, Clock, int]) -> None:
    log, _clock, issue_id = outage
    chinese = render_postmortem(log, issue_id, "zh")
    assert chinese.startswith("# 事件复盘：市级接口推送失败（#1）")
    assert "| 故障 |" in chinese and "发布时漏改了接口地址配置" in chinese
    # How long after the report, in the report's language (launchpad.durations)
    assert "| 缓解 | 2025-11-20 09:40 | 50 分钟 |" in chinese
    assert "| 解决 | 2025-11-20 10:10 | 1 小时 20 分钟 |" in chinese
    assert "## 临时措施\n\n待补充" in chinese
    english = render_postmortem(log, issue_id, "en")
    assert "# Postmortem" in english and "| mitigated |" in english and "Root cause" in english
    assert "| mitigated | 2025-11-20 09:40 | 50 min |" in english
    assert "| resolved | 2025-11-20 10:10 | 1 h 20 min |" in english
    assert "| Milestone | At | After report |" in english and "## Short-term fix\n\nto be written" in english
    assert "| 节点 | 时间 | 距报告 |" in chinese and "## 时间线" in chinese and "Timeline" not in chinese


def test_cli_incident_and_postmortem(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    assert run_cli(root, "issue", "add", "P0 接口推送失败").returncode == 0
    raised = run_cli(root, "issue", "incident", "1", "--kind", "outage", "--root-cause", "配置遗漏",
                     "--event", "mitigated", "--at", "10:30", "--note", "已回滚")
    assert raised.returncode == 0, raised.stderr
    exported = run_cli(root, "issue", "postmortem", "1", "--out", str(tmp_path / "pm.md"))
    assert exported.returncode == 0
    text = (tmp_path / "pm.md").read_text(encoding="utf-8")
    assert "配置遗漏" in text and "已回滚" in text and "| 缓解 |" in text
    refused = run_cli(root, "issue", "postmortem", "9")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
