"""The lines `launchpad run` prints as it goes (cli/progress.py), from a real run's events: a
host's number reads as what it is (a command's exit code, a page's HTTP status), a refused
gate's reason is said once, on the step's line, and a step's hint goes under it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from launchpad.cli import door
from launchpad.cli.progress import ProgressPrinter
from launchpad.phrases import loads, phrase, render
from launchpad.run.events import Event, StepFinished
from launchpad.run.prompter import FailureChoice
from tests.core.test_engine import Harness, playbook_text
from tests.core.test_step_http import server  # noqa: F401  (the page the http step reads)
from tests.scripted import ScriptedPrompter

PLAYBOOK = """\
- {{id: login, name: 登录页, kind: http, url: '{url}/login'}}
- {{id: disk, name: 磁盘, kind: shell, hosts: app, run: 'true'}}
- {{id: window, name: 发布窗口, kind: gate, window: never_today}}
"""
REFUSAL = "不在 never_today 窗口内"


@pytest.fixture(params=["zh", "en"])
def spoken(request: pytest.FixtureRequest) -> Iterator[str]:
    door.speak(request.param)
    yield str(request.param)
    door.speak("zh")


def printed(h: Harness, capsys: pytest.CaptureFixture[str], env: str = "prod",
            prompter: ScriptedPrompter | None = None) -> list[str]:
    """The run's lines as a terminal shows them, colours taken off."""
    printer = ProgressPrinter()

    class Sink(list[Event]):
        def append(self, event: Event) -> None:
            super().append(event)
            printer(event)

    h.events = Sink()
    h.run(prompter or ScriptedPrompter(override_reason=""), env=env)
    return [click.unstyle(line) for line in capsys.readouterr().out.splitlines()]


def test_an_http_steps_status_reads_as_http_and_a_commands_as_its_exit_code(
        tmp_path: Path, server: str, spoken: str, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    lines = printed(Harness(tmp_path / "ws", playbook_text(PLAYBOOK.format(url=server))), capsys)
    page = next(line for line in lines if "127.0.0.1:" in line and line.lstrip().startswith("✓ "))
    command = next(line for line in lines if "prod1" in line)
    http, exit_code = {"zh": ("HTTP 状态码 200", "退出码 0"), "en": ("HTTP 200", "exit 0")}[spoken]
    assert http in page and "退出码" not in page and "exit" not in page
    assert exit_code in command


def test_a_refused_gates_reason_is_printed_once_saying_it_is_a_refusal(
        tmp_path: Path, server: str, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    door.speak("zh")
    lines = printed(Harness(tmp_path / "ws", playbook_text(PLAYBOOK.format(url=server))), capsys)
    said = [line for line in lines if REFUSAL in line]
    assert len(said) == 1, lines
    assert re.match(r"\s+⛔ 关卡拒绝：不在 never_today 窗口内", said[0]), said
    assert lines.index(said[0]) > next(i for i, line in enumerate(lines) if "发布窗口 [window]" in line)


def test_a_failed_steps_hint_is_printed_under_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    door.speak("zh")
    h = Harness(tmp_path / "ws", playbook_text(
        "- {id: ship, name: 上传, kind: upload, hosts: app, artifact: missing.jar, to: /tmp/x.jar}"))
    lines = printed(h, capsys, env="test")
    failed = next(i for i, line in enumerate(lines) if line.lstrip().startswith("✗ "))
    assert lines[failed + 1].startswith("      → 建议：")


def test_a_skipped_failures_hint_is_printed_once_under_the_failure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The skip's event carries the failure's hint (the stored step and the report keep it);
    the terminal says it once, under the failure, where the person reads it before choosing."""
    door.speak("zh")
    h = Harness(tmp_path / "ws", playbook_text(
        "- {id: ship, name: 上传, kind: upload, hosts: app, artifact: missing.jar, to: /tmp/x.jar}\n"
        "- {id: after, name: 之后, kind: shell, hosts: app, run: 'true'}"))
    lines = printed(h, capsys, env="test",
                    prompter=ScriptedPrompter(failures=[FailureChoice("skip", "客户同意明天再传")]))
    hints = [i for i, line in enumerate(lines) if "→ 建议：" in line]
    failed = next(i for i, line in enumerate(lines) if line.lstrip().startswith("✗ "))
    skipped = next(i for i, line in enumerate(lines) if line.lstrip().startswith("↷ 失败后跳过：客户同意明天再传"))
    assert hints == [failed + 1], lines
    assert skipped > failed + 1
    # still kept with the skipped step, for the report
    stored = h.store.latest_step_states(h.store.read("SELECT max(id) AS id FROM runs", [])[0]["id"])["ship"]
    kept = render(loads(stored["hint"], stored["hint_phrase"]), "zh")
    assert stored["status"] == "skipped" and lines[hints[0]].strip() == f"→ 建议：{kept}"


def test_a_skip_whose_failure_this_terminal_did_not_show_keeps_its_hint(capsys: pytest.CaptureFixture[str]) -> None:
    door.speak("zh")
    hint = phrase("step.hint", hint="x")  # any phrase: what the failure said to do
    ProgressPrinter()(StepFinished(1, "ship", "skipped", phrase("engine.skipped_after_failure", reason="明天"), hint))
    lines = click.unstyle(capsys.readouterr().out).splitlines()
    assert lines[0].strip() == "↷ 失败后跳过：明天" and lines[1].strip() == f"→ 建议：{render(hint, 'zh')}"


def test_a_skipped_failures_line_says_the_skip_without_repeating_what_failed(
        tmp_path: Path, spoken: str, capsys: pytest.CaptureFixture[str]) -> None:
    """What failed is on the failure's line, its hint under it; the skip's line a few lines down
    says the skip and its reason alone. The stored step keeps all of it, for the report."""
    h = Harness(tmp_path / "ws", playbook_text(
        "- {id: ship, name: 上传, kind: upload, hosts: app, artifact: missing.jar, to: /tmp/x.jar}\n"
        "- {id: after, name: 之后, kind: shell, hosts: app, run: 'true'}"))
    lines = printed(h, capsys, env="test",
                    prompter=ScriptedPrompter(failures=[FailureChoice("skip", "客户同意明天再传")]))
    failure = next(e for e in h.events if isinstance(e, StepFinished) and e.status == "failed")
    what_failed = render(failure.summary, spoken)
    assert [line.strip() for line in lines if what_failed in line] == [f"✗ {what_failed}"], lines
    skip = {"zh": "↷ 失败后跳过：客户同意明天再传", "en": "↷ skipped after failure: 客户同意明天再传"}[spoken]
    assert [line.strip() for line in lines if line.lstrip().startswith("↷ ")] == [skip], lines
    stored = h.store.latest_step_states(h.store.read("SELECT max(id) AS id FROM runs", [])[0]["id"])["ship"]
    assert what_failed in render(loads(stored["summary"], stored["summary_phrase"]), spoken)


def test_a_skip_whose_failure_this_terminal_did_not_show_says_what_failed(capsys: pytest.CaptureFixture[str]) -> None:
    """A resumed run's terminal never printed the failure: the skip's line keeps it."""
    door.speak("zh")
    failed = phrase("upload.unreadable", path="/x.jar", reason=phrase("os.no_such_file"))
    skipped = phrase("engine.skipped_failed", skipped=phrase("engine.skipped_after_failure", reason="明天"),
                     failure=failed)
    ProgressPrinter()(StepFinished(1, "ship", "skipped", skipped))
    line, = click.unstyle(capsys.readouterr().out).splitlines()
    assert line.strip() == "↷ 失败后跳过：明天；失败情况：无法读取制品 /x.jar：文件或目录不存在"
    # Nor does another step's failure count as this one's.
    printer = ProgressPrinter()
    printer(StepFinished(1, "other", "failed", failed))
    printer(StepFinished(1, "ship", "skipped", skipped))
    assert click.unstyle(capsys.readouterr().out).splitlines()[-1].strip() == line.strip()


def test_every_decision_a_run_records_is_said_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    """A signed review printed "已记录：王五 signed_off": the store's own name for the kind."""
    from launchpad.run.events import DecisionRecorded
    from launchpad.store.migrations import DECISION_KINDS

    door.speak("zh")
    printer = ProgressPrinter()
    for kind in sorted(DECISION_KINDS - {"confirmed"}):  # a plain confirmation prints no line
        printer(DecisionRecorded(1, "s", kind, "王五", ""))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(DECISION_KINDS) - 1
    for line in lines:
        if line != "    已记录：关卡拒绝":  # a gate refused: not said as 王五's doing
            assert re.fullmatch(r"    已记录：王五 [^a-z_]+", line), line
