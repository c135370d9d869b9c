"""Fixtures of the UI tests: small workspaces with fixed content, the demo with its web app,
a feedback log with fixed issues, and a fixed clock, so pilot tests and snapshots see the same
screen on every machine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.store.db import Store
from tests.workspaces import write_workspace

# A Monday, 17:00 at the site: the after-hours window is closed and opens at 18:30.
FIXED_NOW = datetime(2024, 1, 1, 17, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

UI_SITE = """\
site:
  name: 某市政务服务平台
  client: 某市大数据管理局
  language: zh
  timezone: Asia/Shanghai
contacts:
  - {id: zhang, name: 张伟, phone: "13800138001"}
  - {id: li, name: 李娜, phone: "13800138002"}
duty:
  - {weekdays: mon-fri, primary: zhang, backup: li}
  - {weekdays: "sat,sun", primary: li, backup: zhang}
windows:
  after_hours: {days: mon-fri, start: "18:30", end: "23:30", description: 工作日下班后}
  always: {days: daily, start: "00:00", end: "23:59", description: 全天}
environments:
  test:
    description: 测试环境
    transport: local
    hosts:
      - {name: app1, address: 127.0.0.1, groups: [app]}
      - {name: app2, address: 127.0.0.1, groups: [app]}
  prod:
    description: 生产环境
    production: true
    transport: local
    hosts:
      - {name: prod1, address: 127.0.0.1, groups: [app]}
"""

RELEASE_CHECK = """\
name: release-check
title: 发布前检查
description: 发布前确认主机、窗口与业务负责人。
vars:
  version: {prompt: 版本号, default: "1.2.0", pattern: '\\d+\\.\\d+\\.\\d+'}
phases:
  - id: check
    name: 检查
    steps:
      - {id: check.echo, name: 主机可执行命令, kind: shell, hosts: app1, run: echo 检查通过}
      - {id: check.window, name: 变更窗口, kind: gate, window: always}
      - id: check.owner
        name: 与业务负责人确认
        kind: manual
        instructions: 电话联系业务负责人，确认发布内容与时间。
    rollback:
      - {id: check.undo, name: 恢复配置, kind: shell, hosts: app, run: echo 恢复}
"""

SIGN_OFF = """\
name: sign-off
title: 签字
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.manual, name: 点验主流程, kind: manual, critical: true, instructions: 登录后点击主流程}
"""

SKIP = """\
name: skip
title: 跳过
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.broken, name: 会失败的检查, kind: shell, hosts: app1, run: 'echo 坏了 >&2; exit 3'}
      - {id: p.after, name: 之后的检查, kind: shell, hosts: app1, run: echo 好}
"""

DANGER = """\
name: danger
title: 重启服务
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.restart, name: 重启服务, kind: shell, confirm: true, hosts: app, run: touch restarted}
"""

STEPS = """\
name: steps
title: 逐步
phases:
  - id: p
    name: 阶段
    steps:
      - {id: one, name: 第一步, kind: shell, hosts: app1, run: echo 1 >> steps.log}
      - {id: two, name: 第二步, kind: shell, hosts: app1, run: echo 2 >> steps.log}
      - {id: three, name: 第三步, kind: shell, hosts: app1, run: echo 3 >> steps.log}
"""

GATE = """\
name: gate
title: 窗口
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.window, name: 下班后才能发布, kind: gate, window: after_hours}
      - {id: p.release, name: 发布, kind: shell, hosts: app1, run: touch released}
"""

APPROVAL = """\
name: approval
title: 审批
phases:
  - id: p
    name: 阶段
    steps:
      - id: p.form
        name: 数据变更审批
        kind: gate
        approval: {form: 数据变更单, description: 填写数据变更单编号与审批人}
"""

ROLLBACK = """\
name: rollback
title: 回滚
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.change, name: 改配置, kind: shell, hosts: app1, run: touch changed}
      - {id: p.verify, name: 验证, kind: shell, hosts: app1, run: 'exit 1'}
    rollback:
      - {id: p.undo, name: 恢复配置, kind: shell, hosts: app1, run: rm changed}
"""

RESUMABLE = """\
name: resumable
title: 可恢复
phases:
  - id: p
    name: 阶段
    steps:
      - {id: first, name: first, kind: shell, hosts: app1, run: echo 1 >> log}
      - {id: second, name: second, kind: shell, hosts: app1, run: echo 2 >> log}
"""


@pytest.fixture
def ui_workspace(tmp_path: Path) -> Path:
    playbooks = {"release-check": RELEASE_CHECK, "sign-off": SIGN_OFF, "skip": SKIP, "danger": DANGER,
                 "resumable": RESUMABLE, "steps": STEPS, "gate": GATE,
                 "approval": APPROVAL, "rollback": ROLLBACK}
    return write_workspace(tmp_path / "ws", UI_SITE, playbooks)


@pytest.fixture
def demo_workspace(tmp_path: Path) -> Iterator[Path]:
    from launchpad.demo import build_demo, start_demo_webapp, stop_demo_webapp

    root = build_demo(tmp_path / "demo")
    try:
        start_demo_webapp(root)
        yield root
    finally:  # no web app may outlive the test, whatever failed
        stop_demo_webapp(root)


# The client's WeCom group robot; its URL (with the key) comes from the environment, as on site.
CHANNELS = """\
channels:
  group: {kind: wecom, webhook: env:LP_WECOM_HOOK, description: 客户群}
"""


class StoreClock:
    """The feedback log's clock in fixtures: UTC store text, moved by hand."""

    def __init__(self, local: str) -> None:
        self.at(local)

    def at(self, local: str) -> None:
        self.now = site_time(local).isoformat(timespec="microseconds")

    def __call__(self) -> str:
        return self.now


def site_time(local: str) -> datetime:
    """A wall-clock time at the site (Asia/Shanghai) as UTC."""
    return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


def log_sample_issues(root: Path) -> None:
    """Five issues around FIXED_NOW (Monday 2024-01-01 17:00): #1 in progress and overdue,
    #2 closed last week, #3 fixed today, #4 new today, #5 a question nobody owns yet."""
    clock = StoreClock("2023-12-28 09:20")
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        log = IssueLog(store, ZoneInfo("Asia/Shanghai"), "pm", clock=clock)
        log.add(IssueDraft("登录页点提交后白屏，清缓存也不行", module="登录", severity="P1", owner="张伟",
                           due=date(2023, 12, 29), reporter="王芳", reported_at=site_time("2023-12-28 09:15")))
        log.update(1, {"status": "in_progress"})
        clock.at("2023-12-20 11:00")
        log.add(IssueDraft("考勤报表少一列", module="考勤", owner="王五", due=date(2023, 12, 25),
                           reporter="赵丽", reported_at=site_time("2023-12-20 10:40")))
        clock.at("2023-12-26 15:00")
        log.update(2, {"status": "fixed", "resolution": "补上“加班时长”列"})
        log.update(2, {"status": "closed"})
        clock.at("2024-01-01 08:55")
        log.add(IssueDraft("市级接口推送失败", module="接口", severity="P0", owner="张伟", due=date(2024, 1, 1),
                           channel="phone", reporter="刘建国", reported_at=site_time("2024-01-01 08:50")))
        clock.at("2024-01-01 10:05")
        log.add(IssueDraft("报表导出的 Excel 打开是乱码", module="报表", owner="李娜", due=date(2024, 1, 3),
                           reporter="王芳", reported_at=site_time("2024-01-01 10:02")))
        clock.at("2024-01-01 10:40")
        log.add(IssueDraft("新增用户时实际单位和挂职单位怎么填", type="question", severity="P3",
                           reporter="陈晓明", reported_at=site_time("2024-01-01 10:30")))
        clock.at("2024-01-01 11:30")
        log.update(3, {"status": "fixed", "resolution": "补齐市级接口配置", "fixed_in": "run 1"})


@pytest.fixture
def issues_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The UI site with a WeCom channel and the sample issues; no bundled playbooks."""
    (tmp_path / "no-bundled").mkdir()
    monkeypatch.setattr("launchpad.run.playbook.BUNDLED_DIR", tmp_path / "no-bundled")
    # No clipboard program, whatever this machine has: the fallback message is what is tested.
    monkeypatch.setattr("launchpad.notify.clipboard._commands", lambda: [])
    # Audit entries stamped at a fixed time, so the report's audit-chain footer is the same
    # on every run (the chain itself is unchanged: ids and hashes still link).
    monkeypatch.setattr("launchpad.store.audit.utc_now", lambda: "2024-01-01T09:00:00.000000+00:00")
    root = write_workspace(tmp_path / "ws", UI_SITE + CHANNELS)
    log_sample_issues(root)
    return root


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # Textual runs on asyncio; never on trio
