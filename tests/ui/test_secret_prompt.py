"""A `prompt` secret asked during a run or a backup operation: typed into a hidden field,
handed to the one operation that asked, refused when left empty."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Input

from launchpad.errors import SecretUnavailable
from launchpad.phrases import phrase
from screens.app import LaunchpadApp
from screens.dialogs.secret import SecretDialog
from screens.support.prompter import TuiPrompter
from screens.support.run_control import RunControl
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import wait_for_screen, wait_opened, wait_until

pytestmark = pytest.mark.anyio


class NoFailures:
    def ask_failure(self, request: object, answer: object) -> None:
        raise AssertionError("no step fails here")


def ask_in_a_worker_thread(app: LaunchpadApp, answers: list[object]) -> threading.Thread:
    prompter = TuiPrompter(app, "tester", RunControl([]), NoFailures())

    def ask() -> None:
        try:
            answers.append(prompter.secret(phrase("secret.database_password", name="main", env="prod")))
        except SecretUnavailable as exc:
            answers.append(exc)

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    return thread


async def test_a_typed_secret_reaches_the_operation_and_is_not_shown(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        answers: list[object] = []
        thread = ask_in_a_worker_thread(app, answers)
        dialog = await wait_for_screen(pilot, SecretDialog)
        assert dialog.dialog_title == "密码：prod 的数据库 main 的密码", "which secret, in the app's language"
        field = dialog.query_one("#secret", Input)
        assert field.password, "typed hidden"
        await pilot.press(*"s3cr3t", "enter")
        await wait_until(pilot, lambda: bool(answers), "the answer")
        thread.join(timeout=10)
        assert answers == ["s3cr3t"]


async def test_escape_refuses_instead_of_running_without_the_secret(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        answers: list[object] = []
        thread = ask_in_a_worker_thread(app, answers)
        await wait_for_screen(pilot, SecretDialog)
        await pilot.press("escape")
        await wait_until(pilot, lambda: bool(answers), "the answer")
        thread.join(timeout=10)
        assert isinstance(answers[0], SecretUnavailable) and "no value was given" in answers[0].message
        assert "prod 的数据库 main 的密码 设为运行时输入（prompt），但没有输入任何值" in answers[0].render("zh")
        assert "→ 请重新开始并输入密码" in answers[0].render("zh")
