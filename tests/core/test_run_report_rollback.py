"""A run that failed and was rolled back: its report names the rollback decision (roll back
after a failure, or not) in the report's language, as it names every step by its title — never by
the engine's own id; and resuming it says it is over and how to run it again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commandline import launch
from tests.workspaces import write_workspace

FAILING = """\
name: switch
title: 切换
vars:
  note: {prompt: 备注, default: ''}
phases:
  - id: deploy
    name: 部署
    steps:
      - {id: deploy.switch, name: 切换到新版本, kind: shell, hosts: app, run: 'exit 3'}
    rollback:
      - {id: deploy.back, name: 切回旧版本, kind: shell, hosts: app, run: 'echo back'}
"""
ANSWERS = "on_failure:\n  deploy.switch: {action: abort}\n"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_rollback_decision_is_named_in_the_reports_language(tmp_path: Path, fmt: str) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"switch": FAILING})
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    code, output = launch(root, "run", "switch", "--env", "test", "--answers", str(answers), "--yes")
    assert code == 1 and "切回旧版本" in output, output

    code, chinese = launch(root, "runs", "show", "1", "--format", fmt)
    assert code == 0, chinese
    decisions = chinese.split("确认与决定")[1]
    assert "回滚" in decisions and "执行回滚" in decisions, decisions
    assert "rollback" not in decisions, decisions
    code, english = launch(root, "--lang", "en", "runs", "show", "1", "--format", fmt)
    assert code == 0 and "rollback" in english.split("Confirmations and decisions")[1], english


def test_resuming_a_run_that_ended_says_so_and_how_to_run_it_again(tmp_path: Path) -> None:
    """A failed, aborted or refused run is over: `--resume` says which state it ended in and
    gives the command that runs it again with the same values — not a storage error."""
    root = write_workspace(tmp_path / "ws", playbooks={"switch": FAILING})
    answers = tmp_path / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    code, output = launch(root, "run", "switch", "--env", "test", "--var", "note=今晚 发布", "--answers", str(answers),
                          "--yes")
    assert code == 1, output

    code, output = launch(root, "run", "switch", "--resume", "1")
    assert code == 2 and "运行 1 已经结束（已中止）：只有中断的运行可以继续" in output, output
    assert "请重新运行：`launchpad run switch --env test --var 'note=今晚 发布'`" in output, output
    assert "存储出错" not in output
    code, english = launch(root, "--lang", "en", "run", "switch", "--resume", "1")
    assert code == 2 and "run 1 has ended (aborted): only an interrupted run can be resumed" in english, english
