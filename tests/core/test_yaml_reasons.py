"""A YAML mistake typed by hand is said in the reader's language — what was done and what to
do — at the file, line and column, instead of the parser's English about its tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from launchpad.configdiff.formats import ConfigSyntaxError
from launchpad.configdiff.structured import parse_yaml
from launchpad.errors import InvalidInput
from launchpad.phrases import render
from launchpad.workspace.yamlsource import load_yaml
from launchpad.yamlreasons import yaml_reason
from tests.core.test_users_cli import users
from tests.core.users_sheets import GOOD, HEADER, write_mapping, write_xlsx

# the mistake, where it is, what the Chinese says, what the English says
MISTAKES = [
    ("target: ruoyi: v2\n", (1, 14), "值里含有“: ”时须加引号", "needs quotes"),
    ("target: ruoyi\nkey\nfields: {}\n", (3, 1), "却没有冒号", "has no ':'"),
    ("fields:\n\tuser_name: 账号\n", (2, 1), "制表符", "tab character"),
    ("target: @ruoyi\n", (1, 9), "值不能以“@”开头", "'@' cannot begin"),
    ("fields:\n    a: 1\n  b: 2\n", (3, 3), "缩进与上面的行对不上", "indentation does not match"),
    ("roles: [admin, common\nkey: x\n", (2, 4), "列表 [ … ] 没有闭合", "list is not closed"),
    ("fields: {a: 1\nkey: x\n", (2, 4), "映射 { … } 没有闭合", "mapping is not closed"),
    ("target: \"ruoyi\nkey: x\n", (3, 1), "引号没有闭合", "quote is not closed"),
    ("file: \"C:\\data\\users.xlsx\"\n", (1, 11), "\\d 不是有效的转义", "\\d is not an escape"),
    ("key: *name\n", (1, 6), "*name 引用的锚点 &name 在前面没有定义", "refers to no anchor"),
    ("key: user_name\n- x\n", (2, 1), "缩进与上面的行对不上", "indentation does not match"),
    ("key: x\x07\n", (1, 7), "控制字符 U+0007", "control character U+0007"),
]


@pytest.mark.parametrize(("text", "where", "zh", "en"), MISTAKES)
def test_each_mistake_is_said_in_words_at_its_place(text: str, where: tuple[int, int], zh: str, en: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        load_yaml(text, "imports/ruoyi.yaml")
    problem = raised.value.problems[0]
    assert (problem.line, problem.col) == where
    chinese, english = problem.render("zh"), problem.render("en")
    assert zh in chinese and en in english, (chinese, english)
    # none of the parser's own English is left in the Chinese
    assert not re.search(r"expected|found|allowed|token|<block|<scalar", chinese), chinese


def test_a_tag_the_reader_refuses_is_named() -> None:
    with pytest.raises(InvalidInput) as raised:
        load_yaml("key: !!python/object:os.system x\n", "imports/ruoyi.yaml")
    said = raised.value.problems[0].render("zh")
    assert "不认识的标签 tag:yaml.org,2002:python/object:os.system" in said, said


def test_a_problem_the_word_book_does_not_know_is_the_parsers_own_words_said_as_its() -> None:
    said = yaml_reason("found a brand-new kind of mistake")
    assert render(said, "zh") == "YAML 解析器报告：found a brand-new kind of mistake"
    assert render(said, "en") == "the YAML parser says: found a brand-new kind of mistake"


def test_a_hosts_config_file_says_its_yaml_mistake_in_words_too() -> None:
    with pytest.raises(ConfigSyntaxError) as raised:
        parse_yaml("server:\n  port: 8080\n  url: http://a: b\n")
    assert raised.value.line == 3
    assert "值里含有“: ”时须加引号" in render(raised.value.said_reason, "zh")


def test_the_import_command_says_a_mapping_mistake_in_chinese_with_exit_2(tmp_path: Path) -> None:
    mapping = write_mapping(tmp_path, "target: ruoyi\nkey: user_name\nfields:\n  user_name: {headers: [账号, 用户名}\n")
    sheet = write_xlsx(tmp_path / "u.xlsx", {"名单": [HEADER, *GOOD]})
    done = users("check", str(sheet), "--mapping", str(mapping))
    assert done.returncode == 2, done.stderr
    assert re.search(r"ruoyi\.yaml:4:\d+: YAML 语法错误：列表 \[ … \] 没有闭合", done.stderr), done.stderr
    assert "expected" not in done.stderr and "Traceback" not in done.stderr
