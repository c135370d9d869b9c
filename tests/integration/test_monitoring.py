"""Daily monitoring: runs of the `daily-monitoring` playbook fill the daily report's system
checks section with when they last ran and what each check found, and the short message reaches
a real loopback group robot; a day without a run says so rather than showing yesterday's green."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from launchpad.report.monitoring import MONITORING_PLAYBOOK
from launchpad.sitetime import site_today
from launchpad.workspace.folder import load_workspace
from tests.core.test_golive import launch
from tests.integration.test_notify import CHANNELS, RobotLab, robots  # noqa: F401 (fixture)
from tests.workspaces import LOCAL_SITE, write_workspace

pytestmark = pytest.mark.integration

# The bundled playbook's shape with checks this machine can answer: one found by a command's
# output, one that counts, one that could not check.
MONITORING = textwrap.dedent("""\
    name: daily-monitoring
    title: 日常监控
    vars:
      errors: {prompt: 今日错误数, default: "0", pattern: "^[0-9]+$"}
    phases:
      - id: monitor
        name: 日常监控
        steps:
          - id: monitor.interfaces
            name: "上级接口可达 =1+1 <b>"
            kind: shell
            hosts: app
            run: echo "https://group.example.cn/api → HTTP 200"
          - id: monitor.log_errors
            name: 应用日志今日错误数
            kind: shell
            hosts: app
            run: |
              count={{ vars.errors }}
              echo "log_errors_today=$count"
              [ "$count" -eq 0 ] || { echo "今日日志中有 $count 行错误" >&2; exit 1; }
          - id: monitor.pushes
            name: 今日推送次数
            kind: shell
            hosts: app
            run: echo 未配置推送统计; exit 100
            expect: {not_checked_exit: 100}
    """)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws", LOCAL_SITE + CHANNELS, {MONITORING_PLAYBOOK: MONITORING})


def _daily(root: Path, *args: str) -> str:
    result = launch(root, "report", "daily", *args)
    assert result.exit_code == 0, result.output
    return result.output


def _section(text: str) -> str:
    return text[text.index("七、"):text.index("八、")]


def test_the_daily_report_says_when_monitoring_ran_and_what_each_check_found(root: Path) -> None:
    assert "系统与接口检查" in _daily(root) and "日常监控" not in _section(_daily(root))
    assert launch(root, "run", MONITORING_PLAYBOOK, "--env", "test", "--yes").exit_code == 1  # one not checked
    section = _section(_daily(root))
    assert "日常监控（test）最近一次运行于" in section and "今日未运行" not in section
    assert "✓ 上级接口可达" in section and "? 今日推送次数" in section
    # Its checks are listed under it, not a second time among the day's other checks.
    assert section.count("应用日志今日错误数") == 1

    assert launch(root, "run", MONITORING_PLAYBOOK, "--env", "prod", "--yes", "--var", "errors=3").exit_code == 1
    section = _section(_daily(root))
    assert section.index("日常监控（prod）") < section.index("日常监控（test）")  # production first
    prod = section[section.index("日常监控（prod）"):section.index("日常监控（test）")]
    assert "· ⚠ 日常监控（prod）" in section and "✗ 应用日志今日错误数" in prod and "今日日志中有 3 行错误" in prod
    assert "· ✓ 日常监控（test）" not in section  # a run with a check not done is not healthy

    tomorrow = (site_today(load_workspace(root).site.tz) + timedelta(days=1)).isoformat()
    assert "今日未运行" in _section(_daily(root, "--date", tomorrow))


def test_a_check_title_is_text_in_every_format(root: Path) -> None:
    assert launch(root, "run", MONITORING_PLAYBOOK, "--env", "test", "--yes").exit_code == 1
    html = _daily(root, "--format", "html")
    assert "<b>" not in html and ("&lt;b&gt;" in html or "＜b＞" in html)
    markdown = _daily(root, "--format", "markdown")
    assert "<b>" not in markdown


def test_the_monitoring_message_reaches_the_group(root: Path, robots: RobotLab) -> None:  # noqa: F811
    never = launch(root, "report", "monitoring")
    assert never.exit_code == 0 and "⚠ 日常监控（prod）从未运行\n⚠ 日常监控（test）从未运行" in never.output
    assert launch(root, "run", MONITORING_PLAYBOOK, "--env", "test", "--yes").exit_code == 1
    shown = launch(root, "report", "monitoring", "--env", "test")
    assert "系统运行监控" in shown.output and "✓ 上级接口可达" in shown.output
    assert "联系人：张三 13800000001" in shown.output

    sent = launch(root, "report", "monitoring", "--send", "group")
    assert sent.exit_code == 0, sent.output
    received = robots.texts("wecom")
    assert len(received) == 1 and "系统运行监控" in received[0] and "应用日志今日错误数" in received[0]


def test_an_unknown_environment_is_refused(root: Path) -> None:
    result = launch(root, "report", "monitoring", "--env", "uat")
    assert result.exit_code == 2 and "没有环境“uat”" in result.output and "test、prod" in result.output


def test_the_demos_monitoring_counts_todays_pushes_and_finds_the_failed_one_in_prod(tmp_path: Path) -> None:
    from launchpad.demo import build_demo

    demo = build_demo(tmp_path / "demo")
    test = launch(demo, "run", MONITORING_PLAYBOOK, "--env", "test", "--yes")
    assert test.exit_code == 1, test.output  # the interfaces and the log are not configured: not checked
    prod = launch(demo, "run", MONITORING_PLAYBOOK, "--env", "prod", "--yes", "--confirm", "prod")
    assert prod.exit_code == 1
    message = launch(demo, "report", "monitoring").output
    prod_part, test_part = message.split("日常监控（test）")
    assert "✗ 今日定时推送无失败：值为 1，应为 0" in prod_part
    assert "✓ 今日定时推送次数：1 行，第一个值 12" in test_part and "✓ 今日定时推送无失败" in test_part


def test_an_environment_never_monitored_is_listed_as_such_never_as_passed(root: Path) -> None:
    """Monitoring ran on test only: the group still reads prod, said never monitored, not left out."""
    assert launch(root, "run", MONITORING_PLAYBOOK, "--env", "test", "--yes").exit_code == 1
    for fmt in ("text", "markdown"):
        shown = launch(root, "report", "monitoring", "--format", fmt)
        assert shown.exit_code == 0, shown.output
        text = shown.output.replace("**", "")
        assert "⚠ 日常监控（prod）从未运行" in text and "✓ 日常监控（prod）" not in text, fmt
        assert text.index("日常监控（prod）") < text.index("日常监控（test）最近一次运行于")  # production first
    alone = launch(root, "report", "monitoring", "--env", "prod").output
    assert "⚠ 日常监控（prod）从未运行" in alone and "（test）" not in alone
    english = launch(root, "report", "monitoring", "--lang", "en").output
    assert "⚠ Daily monitoring (prod) has never run" in english
