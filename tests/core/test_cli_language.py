"""The command line speaks the site's language — site.yaml's `language`, overridden by `--lang`
or LAUNCHPAD_LANG, Chinese outside a workspace — in what it prints and in its errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from launchpad.cli import cli
from tests.workspaces import LOCAL_SITE, write_workspace

HELLO = """\
name: hello
title: 你好
phases:
  - id: main
    name: 主阶段
    steps:
      - {id: hello, name: 问候, kind: shell, hosts: app, run: "true"}
"""


def launchpad(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--workspace", str(root), *args], env=env, catch_exceptions=False)


def launchpad_process(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, with its door: errors are printed by `main`, not raised."""
    return subprocess.run([sys.executable, "-m", "launchpad", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws", playbooks={"hello": HELLO})


# Each family of commands once: (arguments, what it says in Chinese, and in English).
FAMILIES = [
    (["check", "hello"], "site.yaml 和 1 个操作手册均无错误。", "site.yaml and 1 playbook(s) are valid."),
    (["run", "hello", "--env", "test", "--yes"], "2 台主机通过", "2 host(s) passed"),
    (["exec", "--env", "test", "--group", "app", "--", "true"], "2/2 台主机成功。", "2/2 host(s) succeeded."),
    (["hosts", "check", "--env", "test"], "主机                 可达", "HOST                 REACH"),
    (["backups"], "还没有备份。", "No backups yet."),
    (["issue", "list"], "没有符合条件的问题。", "No issues match."),
    (["report", "daily"], "试运行日报", "Trial operation daily report"),
]


@pytest.mark.parametrize(("args", "chinese", "english"), FAMILIES, ids=[" ".join(f[0][:2]) for f in FAMILIES])
def test_each_command_family_speaks_the_sites_chinese_and_english_with_lang_en(
        site: Path, args: list[str], chinese: str, english: str) -> None:
    said = launchpad(site, *args)
    assert chinese in said.output and english not in said.output, said.output
    said = launchpad(site, "--lang", "en", *args)
    assert english in said.output and chinese not in said.output, said.output


def test_runs_lists_statuses_in_the_sites_language(site: Path) -> None:
    assert launchpad(site, "run", "hello", "--env", "test", "--yes").exit_code == 0
    chinese = launchpad(site, "runs").output
    assert "编号" in chinese and "通过" in chinese and "passed" not in chinese
    english = launchpad(site, "--lang", "en", "runs").output
    assert "RUN" in english and "passed" in english and "通过" not in english


def test_the_environment_variable_speaks_and_the_option_wins_over_it(site: Path) -> None:
    assert "No backups yet." in launchpad(site, "backups", env={"LAUNCHPAD_LANG": "en"}).output
    assert "还没有备份。" in launchpad(site, "--lang", "zh", "backups", env={"LAUNCHPAD_LANG": "en"}).output


def test_an_english_site_speaks_english_without_being_told(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", LOCAL_SITE.replace("language: zh", "language: en"))
    assert "No backups yet." in launchpad(root, "backups").output
    assert "还没有备份。" in launchpad(root, "--lang", "zh", "backups").output


def test_outside_a_workspace_the_error_is_chinese_unless_asked_otherwise(tmp_path: Path) -> None:
    chinese = launchpad_process(tmp_path, "runs")
    assert chinese.returncode == 2
    assert chinese.stderr.startswith(f"没有工作区：{tmp_path} 及其上级目录中都没有 site.yaml"), chinese.stderr
    assert "→ 运行 `launchpad init 目录` 创建工作区" in chinese.stderr
    english = launchpad_process(tmp_path, "runs", env={"LAUNCHPAD_LANG": "en"})
    assert english.returncode == 2
    assert english.stderr.startswith(f"no workspace: no site.yaml in {tmp_path} or any folder above it")
    assert "→ run `launchpad init DIR` to create a workspace" in english.stderr
    assert launchpad_process(tmp_path, "--lang", "en", "runs").stderr == english.stderr


def test_an_unknown_environment_is_refused_in_both_languages(site: Path) -> None:
    chinese = launchpad_process(site, "run", "hello", "--env", "nope")
    assert chinese.returncode == 2
    assert "用法有误：" in chinese.stderr and "中没有环境“nope”" in chinese.stderr, chinese.stderr
    assert "已有环境：test、prod" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "run", "hello", "--env", "nope")
    assert english.returncode == 2
    assert "usage: no environment 'nope' in" in english.stderr and "environments: test, prod" in english.stderr


def test_bad_input_says_how_many_problems_in_both_languages(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"bad": "name: bad\ntitle: 坏\nphases: 3\n"})
    chinese = launchpad_process(root, "check", "bad")
    assert chinese.returncode == 2 and "bad.yaml:3:" in chinese.stderr
    assert "→ 共 1 处问题；改正后再运行 `launchpad check`" in chinese.stderr, chinese.stderr
    english = launchpad_process(root, "--lang", "en", "check", "bad")
    assert "→ 1 problem(s); fix them and run `launchpad check` again" in english.stderr, english.stderr


def test_a_production_prompt_refused_without_a_terminal_speaks_chinese(site: Path) -> None:
    chinese = launchpad_process(site, "exec", "--env", "prod", "--", "true")
    assert chinese.returncode == 2
    assert "prod 是生产环境：需输入其名称才能继续" in chinese.stderr and "请加上 --confirm prod" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "exec", "--env", "prod", "--", "true")
    assert "prod is production: type its name to go on" in english.stderr
