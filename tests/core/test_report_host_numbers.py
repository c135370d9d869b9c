"""What the number on a host's row is, in the run report as in the live lines: an http step's
is the page's HTTP status, a command's its exit code (launchpad.steps.host_code, one rule for
the live lines, the report and the TUI's host grid)."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.report.run import collect_run, render_run
from launchpad.steps import host_code
from tests.core.test_engine import Harness, playbook_text
from tests.core.test_step_http import server  # noqa: F401  (the page the http step reads)
from tests.scripted import ScriptedPrompter

PLAYBOOK = """\
- {{id: login, name: 登录页, kind: http, url: '{url}/login'}}
- {{id: disk, name: 磁盘, kind: shell, hosts: app, run: 'true'}}
"""
HEADINGS = {"zh": ("HTTP 状态码", "退出码"), "en": ("HTTP status", "Exit")}


def test_a_step_kinds_hosts_report_an_exit_code_unless_the_kind_says_http() -> None:
    assert (host_code("http"), host_code("shell"), host_code("upload")) == ("http", "exit", "exit")
    assert host_code("a_kind_of_an_old_run") == host_code(None) == "exit"


@pytest.fixture
def report(tmp_path: Path, server: str) -> dict[str, object]:  # noqa: F811
    h = Harness(tmp_path / "ws", playbook_text(PLAYBOOK.format(url=server)))
    result = h.run(ScriptedPrompter())
    assert result.status == "passed"
    return collect_run(h.store, h.workspace.site, result.run_id)


def _sections(text: str, start: str) -> dict[str, str]:
    """Each step's host table, by the step's name: the text from its heading to the next."""
    parts = text.split(start)[1:]
    return {part.split("/", 1)[1].split()[0].split("<")[0]: part for part in parts}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("fmt", "start"), [("md", "### "), ("html", "<h3>")])
def test_the_host_tables_heading_says_http_status_for_an_http_step(
        report: dict[str, object], fmt: str, start: str, lang: str) -> None:
    http, exit_code = HEADINGS[lang]
    tables = _sections(render_run(report, fmt, lang), start)
    assert http in tables["登录页"] and exit_code not in tables["登录页"], tables["登录页"]
    assert exit_code in tables["磁盘"] and http not in tables["磁盘"], tables["磁盘"]


@pytest.mark.parametrize(("lang", "http", "exit_code"), [("zh", "HTTP 状态码 200", "退出码 0"),
                                                          ("en", "HTTP 200", "exit 0")])
def test_the_text_reports_host_lines_say_what_their_number_is(
        report: dict[str, object], lang: str, http: str, exit_code: str) -> None:
    lines = render_run(report, "text", lang).splitlines()
    page = next(line for line in lines if line.startswith("    127.0.0.1:"))
    command = next(line for line in lines if line.startswith("    app1"))
    assert http in page and "退出码" not in page and "exit" not in page, page
    assert exit_code in command, command
