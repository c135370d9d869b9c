"""The playbooks screen as a newcomer reads it: a long variable prompt is shown whole, and the
production guard says a playbook changes production only when one of its steps does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList

from screens.app import LaunchpadApp
from screens.dialogs.type_name import TypeNameDialog
from screens.playbooks import PlaybooksScreen
from screens.widgets.variables_form import VariablesForm
from tests.ui.conftest import FIXED_NOW, UI_SITE
from tests.ui.helpers import wait_for_screen, wait_opened, wait_until
from tests.workspaces import write_workspace

pytestmark = pytest.mark.anyio

LONG_PROMPT = ("本次发布的版本号，必须与甲方信息科在变更申请单上签字确认的版本号完全一致，"
               "否则发布后无法通过验收检查（结尾）")
LONG = f"""\
name: long
title: 长提示
vars:
  version: {{prompt: "{LONG_PROMPT}", default: "1.2.0"}}
phases:
  - id: p
    name: 阶段
    steps:
      - {{id: p.echo, name: 显示版本, kind: shell, hosts: app, run: echo ok}}
"""


async def open_playbook(pilot: Pilot[Any], name: str) -> PlaybooksScreen:
    await pilot.press("p")
    playbooks = await wait_for_screen(pilot, PlaybooksScreen)
    await wait_until(pilot, lambda: playbooks.entries, "the playbook list")
    playbooks.query_one("#pb-list", OptionList).highlighted = [e.name for e in playbooks.entries].index(name)
    return playbooks


async def test_a_long_variable_prompt_wraps_rather_than_being_cut(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", UI_SITE, {"long": LONG})
    app = LaunchpadApp(root, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        playbooks = await open_playbook(pilot, "long")
        await wait_until(pilot, lambda: playbooks.query(VariablesForm) and playbooks.query("#var-0"), "the form")
        await pilot.pause()
        form = playbooks.query_one(VariablesForm)
        label = form.query_one(Label)
        assert LONG_PROMPT in str(label.render())
        assert label.region.right <= form.region.right, "the prompt runs past the form's edge"
        assert label.region.height >= 2, "a prompt wider than the form takes more lines"


@pytest.mark.parametrize(("playbook", "says", "never"), [
    ("release-check", "none of its steps is a change", "This changes"),
    ("danger", "This changes the production environment prod", "none of its steps"),
])
async def test_the_production_guard_says_a_change_only_for_a_playbook_that_makes_one(
        ui_workspace: Path, playbook: str, says: str, never: str) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: app.environment == "prod", "prod selected")
        playbooks = await open_playbook(pilot, playbook)
        await pilot.pause()
        playbooks.action_start()
        dialog = await wait_for_screen(pilot, TypeNameDialog)
        body = str(dialog.body)
        assert says in body and never not in body


REQUIRED = """\
name: required
title: 必填变量
vars:
  release: {prompt: 发布编号（launchpad release list 中的编号）, pattern: "^[0-9]{1,9}$"}
  version: {prompt: 要发布的版本号, pattern: "^[0-9.]+$"}
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.echo, name: 显示版本, kind: shell, hosts: app, run: echo ok}
"""


@pytest.mark.parametrize(("language", "required", "type_this"), [
    ("zh", "变量 release 为必填项", "请填写：发布编号（launchpad release list 中的编号）"),
    ("en", "Variable release is required", "type: 发布编号（launchpad release list 中的编号）"),
])
async def test_an_empty_required_field_is_refused_in_words_not_with_its_pattern(
        tmp_path: Path, language: str, required: str, type_this: str) -> None:
    root = write_workspace(tmp_path / "ws", UI_SITE, {"required": REQUIRED})
    app = LaunchpadApp(root, watch_hosts=False, now=lambda: FIXED_NOW, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        playbooks = await open_playbook(pilot, "required")
        await wait_until(pilot, lambda: playbooks.query("#var-1"), "the form")
        await pilot.pause()
        playbooks.query_one("#var-1", Input).value = "v1.2"
        await wait_until(pilot, lambda: playbooks.query_one(VariablesForm).values()["version"] == "v1.2", "typed")
        playbooks.action_start()
        await pilot.pause()
        said = "\n".join(n.message for n in app._notifications)
        assert required in said and type_this in said, said
        assert "^[0-9]{1,9}$" not in said, "the empty field is explained by its pattern"
        # a value of the wrong form still names the rule, with what to type
        assert "^[0-9.]+$" in said and "要发布的版本号" in said, said
        assert isinstance(app.screen, PlaybooksScreen), "a refused form starts nothing"
