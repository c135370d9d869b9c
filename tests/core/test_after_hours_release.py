"""The bundled after-hours-release playbook on the demo's test environment (local transport,
the demo's web app and robot running): a good release end to end; a broken build whose health
check fails mid-rollout, aborted and rolled back to the old version with the backup restored;
the window gate refused outside the window, overridden only with a reason, and the approval
gate never overridable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from launchpad.demo import build_demo, start_demo_webapp, stop_demo_webapp
from launchpad.demo.robot import received
from launchpad.hosts.connect import HostConnections
from launchpad.report.run import collect_run, render_run
from launchpad.run.engine import Engine, RunResult
from launchpad.run.playbook import load_playbook
from launchpad.run.prompter import Approval, FailureChoice
from launchpad.store.audit import iter_audit
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.scripted import ScriptedPrompter

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday: 19:00 is inside the demo's after_hours window (mon-fri 18:30–23:30), 15:00 is not.
# In the past, so the backups the run takes are "fresh" for the fresh_backup gate.
EVENING = datetime(2026, 12, 2, 19, 0, tzinfo=SHANGHAI)
AFTERNOON = datetime(2026, 12, 2, 15, 0, tzinfo=SHANGHAI)
APPROVED = Approval("FB-2026-118", "王强")


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


def test_a_good_release_goes_out_verified_and_announced(demo: Path) -> None:
    assert "版本 v1.0.0" in login_page(demo)
    result = release(demo, ScriptedPrompter(approval=APPROVED), EVENING, version="1.1.0", previous_version="1.0.0")
    done = steps(demo, result.run_id)
    assert result.status == "passed", {k: (v["status"], v["summary"]) for k, v in done.items()}
    assert "版本 v1.1.0" in login_page(demo)
    assert done["verify.version"]["evidence"]["版本"] == "1.1.0"  # type: ignore[index]
    assert "sent to 1 host(s)" in str(done["deploy.upload"]["summary"])
    assert "1 host(s) switched in 1 batch(es)" in str(done["deploy.switch"]["summary"])
    assert done["verify.log"]["status"] == "passed"
    texts = [m["content"] for m in received(demo / ".launchpad")]
    assert any("portal 1.1.0：功能优化与问题修复" in t for t in texts)
    assert any("portal 1.1.0 已发布完成，验证通过" in t for t in texts)
    # Released again: the artifact is already on the host, and nothing changes.
    again = release(demo, ScriptedPrompter(approval=APPROVED), EVENING, version="1.1.0", previous_version="1.0.0")
    assert again.status == "passed"
    assert "already there on 1" in str(steps(demo, again.run_id)["deploy.upload"]["summary"])


def test_a_broken_build_fails_its_health_check_and_is_rolled_back(demo: Path) -> None:
    playbook = demo / "playbooks" / "after-hours-release.yaml"
    # The health check is given a second instead of a minute: the broken build never gets well.
    text = playbook.read_text(encoding="utf-8")
    text = text.replace("every: 2\n            within: 60", "every: 0.2\n            within: 1")
    playbook.write_text(text, encoding="utf-8")
    prompter = ScriptedPrompter(approval=APPROVED, failures=[FailureChoice("abort", "健康检查未通过")])
    result = release(demo, prompter, EVENING, version="1.2.0", previous_version="1.0.0")
    assert result.status == "aborted"
    done = steps(demo, result.run_id)
    assert done["deploy.switch"]["status"] == "failed"
    assert "health check failed" in str(done["deploy.switch"]["summary"])
    assert "the last batch (1 of 1) failed" in str(done["deploy.switch"]["summary"])  # no host left untouched
    assert "verify.version" not in done  # nothing after the failed switch ran
    for step_id in ("deploy.switch-back", "deploy.back-ready", "deploy.rollback-notice", "deploy.restore"):
        assert done[step_id]["status"] == "passed", (step_id, done[step_id]["summary"])
    assert "版本 v1.0.0" in login_page(demo)
    assert ("decision:confirmed", "rollback") in decisions(demo)
    assert any("已回滚到 1.0.0" in m["content"] for m in received(demo / ".launchpad"))
    with Store.open(demo / ".launchpad" / "launchpad.db") as store:
        report = render_run(collect_run(store, load_workspace(demo).site, result.run_id), "md", "zh")
    assert "部署 / 切回旧版本并重启" in report and "部署 / 恢复发布前的备份（仅当本次发布修改了数据）" in report


def test_the_window_gate_refuses_outside_the_window_and_is_overridden_only_with_a_reason(demo: Path) -> None:
    refused = release(demo, ScriptedPrompter(approval=APPROVED), AFTERNOON, version="1.1.0", previous_version="1.0.0")
    assert refused.status == "refused"
    assert set(steps(demo, refused.run_id)) == {"prepare.window"}
    assert ("decision:refused", "override declined") in decisions(demo)
    assert "版本 v1.0.0" in login_page(demo)

    # With a reason, the window is overridden, and the reason is in the audit log; the approval
    # gate after it is never overridable, whatever reason is given.
    prompter = ScriptedPrompter(approval=None, override_reason="甲方要求今天下午紧急修复")
    overridden = release(demo, prompter, AFTERNOON, version="1.1.0", previous_version="1.0.0")
    assert overridden.status == "refused"
    done = steps(demo, overridden.run_id)
    assert done["prepare.window"]["status"] == "passed"
    assert done["prepare.approval"]["status"] == "refused"
    assert ("decision:overrode", "甲方要求今天下午紧急修复") in decisions(demo)
    assert ("decision:refused", "gate refused; it cannot be overridden") in decisions(demo)
    assert "版本 v1.0.0" in login_page(demo)
