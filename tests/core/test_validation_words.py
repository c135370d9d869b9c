"""What the checker says at file:line:col speaks the site's language: pydantic's messages by
their error type, launchpad's own validators' sentences, a playbook variable's pattern as the
detail of a sentence — and the location stays exactly where it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from launchpad.errors import InvalidInput
from launchpad.phrases import render
from tests.core.test_cli_language import launchpad_process
from tests.workspaces import LOCAL_SITE, write_workspace

BAD_PLAYBOOK = """\
name: bad
title: 坏
colour: red
phases:
  - id: main
    name: 主阶段
    steps:
      - {id: a, name: 甲, kind: shel, run: "true"}
      - {id: b, name: 乙, kind: shell, hosts: app, run: "true", timeout: soon}
      - {id: c, name: 丙, kind: http, url: "http://127.0.0.1/", expect_status: [200]}
"""


def _located(stderr: str) -> list[tuple[str, str]]:
    """(file:line:col, what is said there) for each problem line."""
    return [(m[0], m[1]) for m in re.findall(r"^(\S+\.yaml:\d+:\d+): (.*)$", stderr, flags=re.M)]


def _both(root: Path, *args: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    chinese = launchpad_process(root, *args)
    english = launchpad_process(root, *args, env={"LAUNCHPAD_LANG": "en"})
    assert chinese.returncode == english.returncode == 2, (chinese.stderr, english.stderr)
    assert "Traceback" not in chinese.stderr + english.stderr
    said_zh, said_en = _located(chinese.stderr), _located(english.stderr)
    assert [where for where, _ in said_zh] == [where for where, _ in said_en]  # the same places
    return said_zh, said_en


def test_a_bad_playbook_is_located_the_same_and_said_in_the_sites_language(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"bad": BAD_PLAYBOOK})
    chinese, english = _both(root, "check", "bad")
    assert ("playbooks/bad.yaml:3:1", "未知的键“colour”") in chinese, chinese
    assert ("playbooks/bad.yaml:3:1", "unknown key 'colour'") in english, english
    kind_zh = dict(chinese)["playbooks/bad.yaml:8:9"]
    assert kind_zh.startswith("kind“shel”不是 launchpad 认识的类别；可用的有：") and "'shell'、" in kind_zh
    assert dict(english)["playbooks/bad.yaml:8:9"].startswith("kind 'shel' is not one of the kinds launchpad knows: ")
    timeout = next(where for where, said in english if said.startswith("timeout: "))
    assert dict(chinese)[timeout] == "timeout：应为数字，所填的文本不是数字"
    assert dict(english)[timeout] == "timeout: input should be a valid number, unable to parse string as a number"


def test_a_bad_site_file_is_located_the_same_and_said_in_the_sites_language(tmp_path: Path) -> None:
    site = (LOCAL_SITE.replace("    production: true\n", "    production: maybe\n")
            .replace("  timezone: Asia/Shanghai\n", "  timezone: Asia/Shanghai\n  colour: red\n"))
    root = write_workspace(tmp_path / "ws", site=site)
    chinese, english = _both(root, "check")
    assert ("site.yaml:6:3", "未知的键“colour”") in chinese, chinese
    assert ("site.yaml:6:3", "unknown key 'colour'") in english, english
    production = next(where for where, said in english if said.startswith("production: "))
    assert dict(chinese)[production] == "production：应为布尔值（true 或 false），无法识别所填的值"
    assert dict(english)[production] == "production: input should be a valid boolean, unable to interpret input"


@pytest.mark.parametrize(("old", "new", "chinese", "english"), [
    ("target: ruoyi\n", "target: ruoyi\nextra: 1\n", "未知的键“extra”", "unknown key 'extra'"),
    ("key: user_name\n", "", "缺少必填的键“key”", "missing required key 'key'"),
])
def test_a_bad_mapping_file_says_pydantics_words_in_both_languages(
        tmp_path: Path, old: str, new: str, chinese: str, english: str) -> None:
    from launchpad.users.mapping import load_mapping
    from tests.core.users_sheets import MAPPING, write_mapping

    path = write_mapping(tmp_path, MAPPING.replace(old, new))
    with pytest.raises(InvalidInput) as caught:
        load_mapping(path, "imports/ruoyi.yaml")
    zh, en = caught.value.render("zh"), caught.value.render("en")
    assert zh.split(": ", 1)[0] == en.split(": ", 1)[0] and zh.startswith("imports/ruoyi.yaml:")
    assert zh.split(": ", 1)[1] == chinese and en.split(": ", 1)[1] == english


@pytest.mark.parametrize(("text", "chinese", "english"), [
    ("must_be: [a, b]", "应为 'a' 或 'b'", "input should be 'a' or 'b'"),
    ("count: 0", "应大于或等于 1", "input should be greater than or equal to 1"),
    ("name: ''", "至少应有 1 个字符", "string should have at least 1 character(s)"),
    ("items: []", "至少应有 1 项，实有 0 项", "should have at least 1 item(s), not 0"),
    ("code: 'a b'", "格式不对，应符合规则 ^\\w+$", "string should match pattern '^\\w+$'"),
    ("url: 'not a url'", "应为有效的网址（relative URL without a base）",
     "input should be a valid URL, relative URL without a base"),
    ("sub: 3", "应为映射（键: 值）", "input should be a mapping (key: value)"),
])
def test_each_error_type_in_the_book_reads_in_both_languages(text: str, chinese: str, english: str) -> None:
    from typing import Literal

    from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

    from launchpad.workspace.yamlsource import load_yaml, validate

    class Sub(BaseModel):
        x: int = 0

    class Sample(BaseModel):
        model_config = ConfigDict(extra="forbid")
        must_be: Literal["a", "b"] = "a"
        count: int = Field(1, ge=1)
        name: str = Field("x", min_length=1)
        items: list[int] = Field([1], min_length=1)
        code: str = Field("a", pattern=r"^\w+$")
        url: AnyHttpUrl | None = None
        sub: Sub | None = None

    with pytest.raises(InvalidInput) as caught:
        validate(Sample, load_yaml(text + "\n", "sample.yaml"))
    field = text.split(":")[0]
    assert caught.value.render("zh") == f"sample.yaml:1:{len(field) + 3}: {field}：{chinese}"
    assert caught.value.render("en") == f"sample.yaml:1:{len(field) + 3}: {field}: {english}"


def test_a_type_the_book_does_not_know_keeps_pydantics_english(tmp_path: Path) -> None:
    from decimal import Decimal

    from pydantic import BaseModel

    from launchpad.workspace.yamlsource import load_yaml, validate

    class Sample(BaseModel):
        day: Decimal

    with pytest.raises(InvalidInput) as caught:
        validate(Sample, load_yaml("day: someday\n", "sample.yaml"))
    assert caught.value.render("en") == "sample.yaml:1:6: day: input should be a valid decimal"
    assert caught.value.render("zh") == "sample.yaml:1:6: day：input should be a valid decimal"


def test_a_variables_pattern_is_the_detail_of_a_sentence() -> None:
    from launchpad.run.playbook import Variable

    variable = Variable(pattern=r"^\d+\.\d+\.\d+$")
    problem = variable.problem_with("v2")
    assert problem is not None
    assert render(problem, "en") == r"does not have the form this playbook asks for (pattern ^\d+\.\d+\.\d+$)"
    assert render(problem, "zh") == r"不符合操作手册要求的格式（规则 ^\d+\.\d+\.\d+$）"
    assert variable.problem_with("2.3.1") is None
    blank = variable.problem_with("")
    assert blank is not None and render(blank, "zh") == "为必填项，不能留空", "a blank value is required, not a pattern"
    chosen = Variable(choices=["test", "prod"]).problem_with("uat")
    assert chosen is not None and render(chosen, "zh") == "须为以下之一：test、prod"


def test_a_bad_variable_on_the_command_line_is_refused_in_the_sites_language(tmp_path: Path) -> None:
    playbook = ("name: v\ntitle: 版本\nvars:\n  version: {pattern: '^\\d+\\.\\d+$'}\nphases:\n  - id: main\n"
                "    name: 主\n    steps:\n      - {id: a, name: 甲, kind: shell, hosts: app, run: 'true'}\n")
    root = write_workspace(tmp_path / "ws", playbooks={"v": playbook})
    args = ("run", "v", "--env", "test", "--yes", "--var", "version=二")
    chinese = launchpad_process(root, *args)
    assert chinese.returncode == 2
    assert "变量 version=“二”不符合操作手册要求的格式（规则 ^\\d+\\.\\d+$）" in chinese.stderr, chinese.stderr
    english = launchpad_process(root, *args, env={"LAUNCHPAD_LANG": "en"})
    assert "variable version='二' does not have the form this playbook asks for (pattern ^\\d+\\.\\d+$)" \
        in english.stderr, english.stderr


def test_the_site_files_own_rules_speak_the_sites_language(tmp_path: Path) -> None:
    site = (LOCAL_SITE.replace("timezone: Asia/Shanghai", "timezone: Mars/Base")
            .replace('end: "23:59"', 'end: "25:00"'))
    root = write_workspace(tmp_path / "ws", site=site)
    chinese, english = _both(root, "check")
    said_zh, said_en = {said for _, said in chinese}, {said for _, said in english}
    assert "未知的时区“Mars/Base”：请使用 IANA 名称，例如 Asia/Shanghai" in said_zh, said_zh
    assert "unknown time zone 'Mars/Base': use an IANA name such as Asia/Shanghai" in said_en, said_en
    duty = write_workspace(tmp_path / "duty", site=LOCAL_SITE.replace("primary: zhang", "primary: wang"))
    chinese, english = _both(duty, "check")
    assert [said for _, said in chinese] == ["值班表中的“wang”不在 contacts 中"]
    assert [said for _, said in english] == ["duty roster names 'wang', who is not in contacts"]
    assert any("“25:00”不是一天中的时刻：请写成 HH:MM，例如 18:30" in said for said in said_zh), said_zh
    assert any("'25:00' is not a time of day: write HH:MM, e.g. 18:30" in said for said in said_en), said_en


@pytest.mark.parametrize(("step", "chinese", "english"), [
    ("{id: g, name: 关, kind: gate, backup_targets: [app]}",
     "关卡须且只能有 window、phase_passed、approval、fresh_backup、file 之一",
     "a gate needs exactly one of window, phase_passed, approval, fresh_backup, file"),
    ("{id: w, name: 等, kind: wait, url: 'http://127.0.0.1/', hosts: app}", "hosts 须与 run 一起使用",
     "hosts goes with run"),
    ("{id: s, name: 查, kind: shell, hosts: app, run: 'true', expect: {exit: [0, 3], not_checked_exit: 3}}",
     "not_checked_exit 3 同时也是接受的退出码", "not_checked_exit 3 is also an accepted exit code"),
])
def test_a_steps_own_rules_speak_both_languages_at_the_step(
        tmp_path: Path, step: str, chinese: str, english: str) -> None:
    from launchpad.run.playbook import load_playbook

    path = tmp_path / "p.yaml"
    path.write_text("name: p\ntitle: 甲\nphases:\n  - id: main\n    name: 主\n    steps:\n      - " + step + "\n",
                    encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_playbook(path, "p.yaml")
    where = caught.value.problems[0]
    assert (where.file, where.line) == ("p.yaml", 7)
    assert caught.value.render("zh") == f"p.yaml:7:{where.col}: {chinese}"
    assert caught.value.render("en") == f"p.yaml:7:{where.col}: {english}"


def test_a_playbook_against_the_site_is_refused_in_the_sites_language(tmp_path: Path) -> None:
    playbook = ("name: p\ntitle: 甲\nphases:\n  - id: main\n    name: 主\n    steps:\n"
                "      - {id: a, name: 甲, kind: shell, hosts: web, run: 'true'}\n"
                "      - {id: a, name: 乙, kind: gate, window: night}\n")
    root = write_workspace(tmp_path / "ws", playbooks={"p": playbook})
    chinese, english = _both(root, "check", "p")
    assert {said for _, said in chinese} >= {"步骤编号“a”重复使用"}, chinese
    assert {said for _, said in english} >= {"step id 'a' is used twice"}, english
    duplicate_free = playbook.replace("{id: a, name: 乙", "{id: b, name: 乙")
    root = write_workspace(tmp_path / "ws2", playbooks={"p": duplicate_free})
    chinese, english = _both(root, "check", "p")
    assert {said for _, said in chinese} == {
        "site.yaml 的任何环境中都没有定义主机组“web”",
        "site.yaml 中没有定义窗口“night”（已有窗口：always、never_today）"}, chinese
    assert {said for _, said in english} == {
        "host group 'web' is not defined in any environment of site.yaml",
        "window 'night' is not defined in site.yaml (windows: always, never_today)"}, english


@pytest.mark.parametrize(("text", "chinese", "english"), [
    ('level: "三"', "1:8: level：应为整数 或 整数列表",
     "1:8: level: input should be a whole number or a list of whole numbers"),
    ("level: [2, x]", "1:12: level 的第 2 项：应为整数，所填的文本不是整数",
     "1:12: item 2 of level: input should be a valid integer, unable to parse string as an integer"),
    ("names: 5", "1:8: names：应为文本 或 文本列表", "1:8: names: input should be text or a list of texts"),
    ("subs: [3]", "1:8: subs 的第 1 项：应为映射（键: 值）",
     "1:8: item 1 of subs: input should be a mapping (key: value)"),
    ("- a", "1:1: 文件顶层应为映射（键: 值），请对照文档中的示例",
     "1:1: the file should hold a mapping (key: value) at its top, as the example in the documentation does"),
])
def test_a_wrong_shape_names_the_field_and_says_the_shapes_in_words(text: str, chinese: str, english: str) -> None:
    """No Python or pydantic type names (`int`, `list[int]`, a model's class) reach the reader."""
    from pydantic import BaseModel, ConfigDict

    from launchpad.workspace.yamlsource import load_yaml, validate

    class Sub(BaseModel):
        x: int = 0

    class Spec(BaseModel):
        model_config = ConfigDict(extra="forbid")
        level: int | list[int] | None = None
        names: str | list[str] = ""
        subs: list[Sub] = []

    with pytest.raises(InvalidInput) as caught:
        validate(Spec, load_yaml(text + "\n", "spec.yaml"))
    assert caught.value.render("zh") == f"spec.yaml:{chinese}"
    assert caught.value.render("en") == f"spec.yaml:{english}"
