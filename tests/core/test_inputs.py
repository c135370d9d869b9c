"""Bad input: every mistake a person can make in site.yaml or a playbook is reported as
file:line:col with exit code 2, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.workspaces import LOCAL_SITE, write_workspace

# These tests read the command line's English words.
pytestmark = pytest.mark.usefixtures("english_cli")

GOOD_PLAYBOOK = """\
name: hello
title: 你好
phases:
  - id: one
    name: 第一阶段
    steps:
      - {name: say hello, kind: shell, hosts: app, run: echo hello}
"""


def launchpad(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def line_of(text: str, needle: str) -> int:
    """The 1-based line of `needle` in a file's text, so tests name lines without counting."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def assert_problem(result: subprocess.CompletedProcess[str], location: str, words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if location in line]
    assert lines, f"no problem at {location} in:\n{result.stderr}"
    assert any(words in line for line in lines), result.stderr


def test_valid_workspace_checks_clean(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"hello": GOOD_PLAYBOOK})
    result = launchpad(root, "check", "hello")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_broken_yaml_is_located(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"hello": GOOD_PLAYBOOK + "  - id: [unclosed\n"})
    assert_problem(launchpad(root, "check"), "hello.yaml:9:", "YAML syntax")


def test_unknown_key_is_located_at_the_key(tmp_path: Path) -> None:
    site = LOCAL_SITE.replace("    production: true\n", "    prodution: true\n")
    root = write_workspace(tmp_path / "ws", site=site)
    at = line_of(site, "prodution")
    assert_problem(launchpad(root, "check"), f"site.yaml:{at}:5", "unknown key 'prodution'")


def test_wrong_type_is_located_at_the_value(tmp_path: Path) -> None:
    playbook = GOOD_PLAYBOOK.replace("run: echo hello}", "run: echo hello, timeout: soon}")
    root = write_workspace(tmp_path / "ws", playbooks={"hello": playbook})
    assert_problem(launchpad(root, "check"), "hello.yaml:7:", "timeout")


def test_literal_password_is_refused(tmp_path: Path) -> None:
    site = LOCAL_SITE + (
        "    databases:\n      main: {engine: postgresql, host: db, name: app, user: app, password: hunter2}\n"
    )
    root = write_workspace(tmp_path / "ws", site=site)
    result = launchpad(root, "check")
    assert_problem(result, f"site.yaml:{line_of(site, 'hunter2')}:", "env:NAME")
    assert "hunter2" not in result.stderr


def test_undefined_host_group(tmp_path: Path) -> None:
    playbook = GOOD_PLAYBOOK.replace("hosts: app", "hosts: dbservers")
    root = write_workspace(tmp_path / "ws", playbooks={"hello": playbook})
    assert_problem(launchpad(root, "check"), "hello.yaml:7:", "host group 'dbservers'")


def test_unknown_step_kind(tmp_path: Path) -> None:
    playbook = GOOD_PLAYBOOK.replace("kind: shell", "kind: shel")
    root = write_workspace(tmp_path / "ws", playbooks={"hello": playbook})
    assert_problem(launchpad(root, "check"), "hello.yaml:7:", "shel")


def test_an_invalid_regular_expression_is_located_wherever_it_is(tmp_path: Path) -> None:
    playbook = GOOD_PLAYBOOK.replace(
        "    steps:\n",
        "    steps:\n      - {name: version, kind: shell, hosts: app, run: cat VERSION, expect: {output: 'v(1'}}\n",
    ).replace("phases:", "vars:\n  tag: {prompt: 标签, pattern: '[a-'}\nphases:")
    site = LOCAL_SITE + (
        "    backups:\n"
        "      blob: {host: app1, command: {dump: cat x, restore: cat > x, extension: bin, complete: '(END'}}\n"
    )
    root = write_workspace(tmp_path / "ws", site=site, playbooks={"hello": playbook})
    result = launchpad(root, "check")
    assert_problem(result, f"site.yaml:{line_of(site, '(END')}:", "invalid regular expression")
    assert_problem(result, f"hello.yaml:{line_of(playbook, '[a-')}:", "invalid regular expression")
    assert_problem(result, f"hello.yaml:{line_of(playbook, 'v(1')}:", "invalid regular expression")


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    playbook = GOOD_PLAYBOOK.replace("title: 你好\n", "title: 你好\ntitle: again\n")
    root = write_workspace(tmp_path / "ws", playbooks={"hello": playbook})
    assert_problem(launchpad(root, "check"), "hello.yaml:3:1", "duplicate key 'title'")


NAMED_THINGS = """\
name: names
title: 引用
phases:
  - id: one
    name: 第一阶段
    steps:
      - {name: backup, kind: backup, targets: [usres]}
      - {name: fresh, kind: gate, fresh_backup: 2h, backup_targets: [users, fiels]}
      - {name: query, kind: sql, database: mian, query: select 1}
      - {name: tell, kind: announce, channel: wecom-gruop, template: release-start}
    rollback:
      - {name: restore, kind: restore, target: usres}
"""


def test_backup_targets_databases_and_channels_are_checked_against_the_site(tmp_path: Path) -> None:
    site = LOCAL_SITE.replace("      - {name: prod1, address: 127.0.0.1, groups: [app]}\n", (
        "      - {name: prod1, address: 127.0.0.1, groups: [app]}\n"
        "    databases:\n      main: {engine: sqlite, name: data/app.db}\n"
        "    backups:\n      users: {database: main}\n"))
    root = write_workspace(tmp_path / "ws", site=site, playbooks={"names": NAMED_THINGS})
    result = launchpad(root, "check", "names")
    assert_problem(result, f"names.yaml:{line_of(NAMED_THINGS, 'usres]')}:", "backup target 'usres' is not declared")
    assert_problem(result, f"names.yaml:{line_of(NAMED_THINGS, 'fiels')}:", "backup target 'fiels'")
    assert_problem(result, f"names.yaml:{line_of(NAMED_THINGS, 'mian')}:", "database 'mian' is not declared "
                   "in site.yaml (databases: main)")
    assert_problem(result, f"names.yaml:{line_of(NAMED_THINGS, 'gruop')}:", "channel 'wecom-gruop'")
    assert_problem(result, f"names.yaml:{line_of(NAMED_THINGS, 'target: usres')}:", "backup target 'usres'")
    assert "'users'" not in result.stderr, "a declared target is not a problem"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    site = LOCAL_SITE.replace("language: zh", "language: fr").replace("Asia/Shanghai", "Mars/Olympus")
    root = write_workspace(tmp_path / "ws", site=site)
    result = launchpad(root, "check")
    assert result.returncode == 2
    assert "site.yaml:4:" in result.stderr and "site.yaml:5:" in result.stderr


def test_no_workspace_says_what_to_do(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "launchpad", "check"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 2
    assert "launchpad init" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("what", ["site", "playbook", "answers"])
def test_schema_is_json(tmp_path: Path, what: str) -> None:
    import json

    result = subprocess.run(
        [sys.executable, "-m", "launchpad", "schema", what], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["type"] == "object" and schema["properties"]
    if what == "playbook":
        text = result.stdout
        assert all(f'"{kind}"' in text for kind in ("manual", "shell", "http", "gate"))
