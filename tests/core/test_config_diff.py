"""Comparison rules of `config_diff`, the expectations file's errors, and the step and the
command on local-transport workspaces (the SSH end to end is in tests/integration)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from launchpad.configdiff.compare import Reading, compare
from launchpad.configdiff.expectations import ConfigFile, KeyRule, Plan, load_plan
from launchpad.errors import InvalidInput, UsageError
from launchpad.phrases import render
from launchpad.steps import step_kinds
from launchpad.workspace.site import Site
from tests.workspaces import LOCAL_SITE, write_workspace

# These tests read the command line's English words.
pytestmark = pytest.mark.usefixtures("english_cli")

ENVS = ("test", "prod")


def plan(*rules: dict[str, Any], files: int = 1) -> Plan:
    return Plan(
        files=[ConfigFile(hosts="app", path=f"/opt/app/f{i}.properties") for i in range(files)],
        rules=[KeyRule.model_validate(r) for r in rules],
    )


def read(env: str, host: str, index: int = 0, **keys: str) -> Reading:
    return Reading(env, host, index, keys={k.replace("__", "."): v for k, v in keys.items()})


def kinds(found: list[Any]) -> list[tuple[str, str]]:
    return [(f.key, f.kind) for f in found]


def test_equal_files_pass_and_count_what_was_compared() -> None:
    diff = compare(plan(), ENVS, [read("test", "t1", a="1", b="2"), read("prod", "p1", a="1", b="2")])
    assert diff.passed and diff.files == 1 and diff.keys == 2 and not diff.findings
    assert str(diff.summary()) == ("test and prod: 1 file(s), 2 key(s) compared; no undeclared difference "
                                   "(0 declared)")


def test_undeclared_difference_and_missing_key_fail_either_way_round() -> None:
    diff = compare(plan(), ENVS, [read("test", "t1", a="1", only_test="x"), read("prod", "p1", a="2", only_prod="y")])
    assert not diff.passed
    assert kinds(diff.undeclared) == [("a", "differs"), ("only_prod", "missing"), ("only_test", "missing")]
    text = str(diff.undeclared[1].said())
    assert text == "f0.properties: only_prod is missing in one environment: test: (missing), prod: y"


def test_may_differ_allows_a_different_value_but_not_a_missing_key() -> None:
    rules = {"key": "spring.datasource.*", "may": "differ", "why": "各用各的库"}
    diff = compare(plan(rules), ENVS, [
        read("test", "t1", spring__datasource__url="jdbc:mysql://t/app", spring__datasource__pool="5"),
        read("prod", "p1", spring__datasource__url="jdbc:mysql://p/app"),
    ])
    assert kinds(diff.declared) == [("spring.datasource.url", "differs")]
    assert kinds(diff.undeclared) == [("spring.datasource.pool", "missing")]
    assert render(diff.declared[0].said(), "zh").endswith("（已声明：允许不同，各用各的库）")


def test_may_be_missing_allows_either() -> None:
    diff = compare(plan({"key": "debug.*", "may": "be_missing"}), ENVS, [
        read("test", "t1", debug__sql="true", debug__level="1"), read("prod", "p1", debug__level="2"),
    ])
    assert diff.passed and kinds(diff.declared) == [("debug.level", "differs"), ("debug.sql", "missing")]


def test_must_differ_fails_when_prod_holds_tests_value() -> None:
    rule = {"key": "group.gateway.*", "must": "differ", "why": "生产不得调用集团测试接口"}
    same = compare(plan(rule), ENVS, [
        read("test", "t1", group__gateway__url="http://gw-test/api"),
        read("prod", "p1", group__gateway__url="http://gw-test/api"),
    ])
    assert kinds(same.undeclared) == [("group.gateway.url", "equal")]
    assert "生产不得调用集团测试接口" in str(same.undeclared[0].said())
    assert "must differ" in str(same.summary())
    different = compare(plan(rule), ENVS, [
        read("test", "t1", group__gateway__url="http://gw-test/api"),
        read("prod", "p1", group__gateway__url="http://gw.group.cn/api"),
    ])
    assert different.passed and kinds(different.declared) == [("group.gateway.url", "differs")]


def test_a_must_differ_rule_that_matches_nothing_is_not_a_pass() -> None:
    diff = compare(plan({"key": "group.gatway.*", "must": "differ"}), ENVS, [
        read("test", "t1", group__gateway__url="a"), read("prod", "p1", group__gateway__url="b"),
    ])
    assert ("group.gatway.*", "rule_unused") in kinds(diff.undeclared)
    assert "matched no key, so nothing was checked" in str(diff.summary())
    # A file that could not be read is its own finding, not a rule that matched nothing.
    unread = compare(plan({"key": "group.gateway.*", "must": "differ"}), ENVS, [
        read("test", "t1", group__gateway__url="a"), Reading("prod", "p1", 0, error="cannot read"),
    ])
    assert kinds(unread.undeclared) == [("", "unreadable")]


def test_first_matching_rule_decides_and_file_globs_narrow() -> None:
    rules = (
        {"key": "url", "file": "f1.*", "must": "differ"},
        {"key": "*", "may": "differ"},
    )
    diff = compare(plan(*rules, files=2), ENVS, [
        read("test", "t1", 0, url="same"), read("prod", "p1", 0, url="same"),
        read("test", "t1", 1, url="same"), read("prod", "p1", 1, url="same"),
    ])
    assert [(f.file, f.kind) for f in diff.undeclared] == [("f1.properties", "equal")]


def test_list_items_are_named_as_written_in_rules() -> None:
    rule = KeyRule.model_validate({"key": "servers[*].host", "may": "differ"})
    assert rule.matches("a.yml", "servers[0].host") and rule.matches("a.yml", "servers[12].host")
    assert not rule.matches("a.yml", "servers0.host")
    exact = KeyRule.model_validate({"key": "servers[1].port", "must": "differ"})
    assert exact.matches("a.yml", "servers[1].port") and not exact.matches("a.yml", "servers[0].port")


def test_hosts_of_one_environment_that_disagree_are_reported() -> None:
    readings = [
        read("test", "t1", a="1", node="n1"),
        read("prod", "p1", a="1", node="n1"),
        read("prod", "p2", a="2", node="n2"),
    ]
    diff = compare(plan(), ENVS, readings)
    assert kinds(diff.undeclared) == [("a", "hosts_disagree"), ("node", "hosts_disagree")]
    assert dict(diff.undeclared[0].values) == {"prod/p1": "1", "prod/p2": "2"}
    allowed = compare(plan({"key": "node", "may": "differ_between_hosts"}), ENVS, readings)
    assert kinds(allowed.undeclared) == [("a", "hosts_disagree")]
    assert kinds(allowed.declared) == [("node", "hosts_disagree")]


def test_unreadable_files_and_empty_groups_fail() -> None:
    diff = compare(plan(), ENVS, [Reading("test", "t1", 0, error="cannot read /x: No such file")])
    assert kinds(diff.undeclared) == [("", "unreadable"), ("", "no_hosts")]
    assert "test/t1: cannot read /x" in str(diff.undeclared[0].said())


def test_secrets_are_shown_as_tags_only() -> None:
    diff = compare(plan(), ENVS, [
        read("test", "t1", db__password="CANARY-test-pw", db__url="jdbc:mysql://u:CANARY-url@t/db"),
        read("prod", "p1", db__password="CANARY-prod-pw", db__url="jdbc:mysql://u:CANARY-url@p/db"),
    ])
    shown = repr(diff.as_dict()) + render(diff.summary(), "zh")
    assert "CANARY" not in shown
    assert all(f.secret for f in diff.undeclared)


def test_values_cannot_steer_the_terminal() -> None:
    diff = compare(plan(), ENVS, [read("test", "t1", banner="ok"),
                                  read("prod", "p1", banner="\x1b[2J\x1b[31m全部通过\nline\u202e")])
    text = str(diff.summary())
    assert "\x1b" not in text and "\n" not in text and "\u202e" not in text
    assert "prod: \\x1b[2J\\x1b[31m全部通过\\nline\\u202e" in text


# -- the expectations file ----------------------------------------------------------------

EXPECT = """\
app:
  files:
    - hosts: app
      path: {test: conf/test/application.properties, prod: conf/prod/application.properties}
    - {hosts: app, path: conf/app.env}
  expect:
    - {key: spring.datasource.url, may: differ, why: 各环境各用自己的数据库}
    - {key: "group.gateway.*", must: differ, why: 生产不得调用集团测试接口}
other:
  files:
    - {hosts: app, path: conf/other.json}
"""


def site() -> Site:
    import yaml

    return Site.model_validate(yaml.safe_load(LOCAL_SITE))


def load(tmp_path: Path, text: str, sections: list[str] | None = None) -> Plan:
    path = tmp_path / "config-expect.yaml"
    path.write_text(text, encoding="utf-8")
    return load_plan(path, "config-expect.yaml", site(), ENVS, sections or [])


def test_sections_choose_files_and_rules(tmp_path: Path) -> None:
    everything = load(tmp_path, EXPECT)
    assert [f.label for f in everything.files] == ["application.properties", "app.env", "other.json"]
    app = load(tmp_path, EXPECT, ["app"])
    assert [f.label for f in app.files] == ["application.properties", "app.env"]
    assert [r.verdict for r in app.rules] == ["may_differ", "must_differ"]
    with pytest.raises(UsageError, match="no section 'nope'"):
        load(tmp_path, EXPECT, ["nope"])


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        (("may: differ, why: 各", "may: maybe, why: 各"), "7:41", "may"),
        (("must: differ", "must: differ, may: differ"), "8:7", "either may"),
        (("conf/other.json", "conf/other.txt"), "11:7", "format"),
        (("{test: conf/test", "{staging: conf/x.ini, test: conf/test"), "4:14", "environment 'staging'"),
        (("{hosts: app, path: conf/app.env}", "{hosts: db, path: conf/app.env}"), "5:15", "no host in group 'db'"),
        (("{test: conf/test/application.properties, ", "{"), "4:13", "no path for test"),
        (("  expect:\n", "  expect:\n    - {key: a, may: differ, colour: red}\n"), "7:29", "unknown key 'colour'"),
    ],
)
def test_mistakes_are_located(tmp_path: Path, change: tuple[str, str], where: str, words: str) -> None:
    assert change[0] in EXPECT
    with pytest.raises(InvalidInput) as caught:
        load(tmp_path, EXPECT.replace(change[0], change[1], 1))
    text = caught.value.render()
    assert f"config-expect.yaml:{where}:" in text and words in text, text


def test_no_expectations_file_says_what_to_create(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_plan(tmp_path / "config-expect.yaml", "config-expect.yaml", site(), ENVS, [])
    assert "nothing says which configuration files to compare" in caught.value.message


# -- the step and the command on this machine ----------------------------------------------

PLAYBOOK = """\
name: pre-release
title: 发布前检查
phases:
  - id: check
    name: 检查
    steps:
      - {id: config, name: 配置比对, kind: config_diff, against: test, section: app}
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws", playbooks={"pre-release": PLAYBOOK})
    (root / "config-expect.yaml").write_text(EXPECT.split("other:")[0], encoding="utf-8")
    for env, gateway, password in (("test", "http://gw-test/api", "CANARY-test"),
                                   ("prod", "http://gw.group.cn/api", "CANARY-prod")):
        folder = root / "conf" / env
        folder.mkdir(parents=True)
        (folder / "application.properties").write_text(textwrap.dedent(f"""\
            spring.datasource.url=jdbc:mysql://app:{password}@db-{env}/app
            spring.datasource.password={password}
            group.gateway.url={gateway}
            """), encoding="utf-8")
    (root / "conf" / "app.env").write_text("APP_NAME=portal\n", encoding="utf-8")
    return root


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_step_kind_is_registered_and_check_knows_the_other_environment(workspace: Path) -> None:
    assert "config_diff" in step_kinds()
    assert launchpad(workspace, "check", "pre-release").returncode == 0
    (workspace / "playbooks" / "pre-release.yaml").write_text(PLAYBOOK.replace("against: test", "against: tset"))
    checked = launchpad(workspace, "check", "pre-release")
    assert checked.returncode == 2
    assert "pre-release.yaml:7:" in checked.stderr and "environment 'tset' is not declared" in checked.stderr


def test_command_exit_codes(workspace: Path) -> None:
    # The secret differs, which the section does not declare: a difference, shown as tags.
    differs = launchpad(workspace, "config", "diff", "--env", "test", "--env", "prod")
    assert differs.returncode == 1, differs.stderr
    assert "spring.datasource.password differs: test: #" in differs.stdout
    assert differs.stdout.splitlines()[-1] == "1 undeclared difference(s) between test and prod."
    with (workspace / "config-expect.yaml").open("a", encoding="utf-8") as handle:
        handle.write("    - {key: '*.password', may: differ}\n")
    same = launchpad(workspace, "config", "diff", "--env", "test", "--env", "prod", "--all")
    assert same.returncode == 0, same.stdout + same.stderr
    assert "no undeclared difference (3 declared)" in same.stdout
    for bad in (["--env", "test"], ["--env", "test", "--env", "test"], ["--env", "test", "--env", "nope"],
                ["--env", "test", "--env", "prod", "--section", "nope"]):
        refused = launchpad(workspace, "config", "diff", *bad)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr, (bad, refused.stderr)
    assert "CANARY" not in differs.stdout + differs.stderr + same.stdout


def test_command_bad_expectations_file_is_located(workspace: Path) -> None:
    path = workspace / "config-expect.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("may: differ", "may: maybe"), encoding="utf-8")
    result = launchpad(workspace, "config", "diff", "--env", "test", "--env", "prod")
    assert result.returncode == 2 and "config-expect.yaml:7:" in result.stderr, result.stderr


def test_check_locates_mistakes_in_the_expectations_file(workspace: Path) -> None:
    path = workspace / "config-expect.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("may: differ", "may: maybe").replace("{hosts: app, path: conf/app.env}",
                                                                      "{hosts: web, path: conf/app.env}"),
                    encoding="utf-8")
    checked = launchpad(workspace, "check", "pre-release")
    assert checked.returncode == 2
    assert "config-expect.yaml:7:41: may: input should be 'differ'" in checked.stderr, checked.stderr
    path.write_text(text.replace("{hosts: app, path: conf/app.env}", "{hosts: web, path: conf/app.env}"),
                    encoding="utf-8")
    checked = launchpad(workspace, "check", "pre-release")
    assert checked.returncode == 2
    assert "config-expect.yaml:5:15: host group 'web' is not defined" in checked.stderr, checked.stderr


def test_demo_compares_its_environments_out_of_the_box(tmp_path: Path) -> None:
    from launchpad.demo import build_demo

    root = build_demo(tmp_path / "demo")
    assert launchpad(root, "check").returncode == 0
    shown = launchpad(root, "config", "diff", "--env", "test", "--env", "prod", "--all")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "no undeclared difference (4 declared)" in shown.stdout
    assert "demo-password" not in shown.stdout
    prod = root / "conf" / "prod" / "application.properties"
    prod.write_text(prod.read_text(encoding="utf-8").replace("gateway.group", "gateway-test.group"), encoding="utf-8")
    caught = launchpad(root, "config", "diff", "--env", "test", "--env", "prod")
    assert caught.returncode == 1 and "group.gateway.url is the same in both environments" in caught.stdout


INLINE_PLAYBOOK = """\
name: inline
title: 配置比对
phases:
  - id: check
    name: 检查
    steps:
      - id: config
        name: 配置比对
        kind: config_diff
        against: {against}
        files:
          - {{hosts: app, path: {{test: conf/test/app.env, prod: conf/prod/app.env}}}}
"""


def run_inline(root: Path, against: str, file: str | None = None) -> tuple[str, dict[str, Any]]:
    from launchpad.hosts.connect import HostConnections
    from launchpad.run.engine import Engine
    from launchpad.run.playbook import load_playbook
    from launchpad.store.db import Store
    from launchpad.workspace.folder import load_workspace
    from tests.scripted import ScriptedPrompter

    path = root / "playbooks" / "inline.yaml"
    text = INLINE_PLAYBOOK.format(against=against)
    if file is not None:
        text = text.replace("{hosts: app, path: {test: conf/test/app.env, prod: conf/prod/app.env}}", file)
    path.write_text(text, encoding="utf-8")
    ws = load_workspace(root)
    with Store.open(ws.store_path) as store, HostConnections(ws, "prod") as connections:
        result = Engine(ws, store, ScriptedPrompter(), connections.transport_for).start(load_playbook(path), "prod", {})
        step = next(s for s in store.step_rows(result.run_id) if s["step_id"] == "config")
    return result.status, step


def test_step_with_its_own_files_needs_no_expectations_file(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    for env, level in (("test", "debug"), ("prod", "info")):
        (root / "conf" / env).mkdir(parents=True)
        (root / "conf" / env / "app.env").write_text(f"APP=portal\nLOG_LEVEL={level}\n", encoding="utf-8")
    status, step = run_inline(root, "test")
    assert status == "failed"
    # Both test hosts read the file and agree; the one difference is undeclared.
    assert step["summary"] == ("1 undeclared difference(s) between test and prod: app.env: LOG_LEVEL differs: "
                               "test: debug, prod: info")
    (root / "conf" / "prod" / "app.env").write_text("APP=portal\nLOG_LEVEL=debug\n", encoding="utf-8")
    status, step = run_inline(root, "test")
    assert status == "passed" and "1 file(s), 2 key(s) compared" in step["summary"]
    (root / "conf" / "prod" / "app.env").unlink()
    status, step = run_inline(root, "test")
    assert status == "failed" and "app.env: not read: prod/prod1: cannot read conf/prod/app.env" in step["summary"]


@pytest.mark.parametrize(("against", "words"), [("prod", "compares prod with itself"),
                                                ("staging", "no environment 'staging'")])
def test_step_against_a_wrong_environment_fails_saying_so(tmp_path: Path, against: str, words: str) -> None:
    status, step = run_inline(write_workspace(tmp_path / "ws"), against)
    assert status == "failed" and words in step["summary"]


def test_step_files_without_a_path_for_an_environment_are_refused(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    status, step = run_inline(root, "test", "{hosts: app, path: {test: conf/app.env}}")
    assert status == "failed" and "files[0] (app.env): no path for prod" in step["summary"]
    status, step = run_inline(root, "test", "{hosts: web, path: conf/app.env}")
    assert status == "failed" and "test has no host in group 'web'" in step["summary"]

