"""`--help` and click's usage errors speak the command line's language: Chinese on a Chinese
site and outside any workspace, English with `--lang en`, LAUNCHPAD_LANG=en or an English
site — settled before click parses, and never failed by a site.yaml that cannot be read."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from launchpad.cli import cli, door, usage_errors
from launchpad.cli.helptext import _spoken_extras, walk
from tests.workspaces import LOCAL_SITE, write_workspace

ROOT = Path(__file__).resolve().parents[2]


def launchpad(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={"LAUNCHPAD_LANG": None, "LAUNCHPAD_WORKSPACE": None, **(env or {})},
                              catch_exceptions=False, prog_name="launchpad")


def launchpad_process(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {name: value for name, value in os.environ.items() if name not in ("LAUNCHPAD_LANG", "LAUNCHPAD_WORKSPACE")}
    return subprocess.run([sys.executable, "-m", "launchpad", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={**clean, **(env or {})})


@pytest.fixture
def outside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with no site.yaml in it or above it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def english_site(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "en", LOCAL_SITE.replace("language: zh", "language: en"))


CHINESE_IMPORT_HELP = ["用法：launchpad users import [OPTIONS] [FILE]", "先按 ENV 预演 FILE", "参数：", "选项：",
                       "导入到哪个环境。  [必填]", "[默认：2h]", "显示本帮助并退出。"]
ENGLISH_IMPORT_HELP = ["Usage: launchpad users import [OPTIONS] [FILE]", "Plan FILE (or the mapping's source)",
                       "Positional arguments:", "Options:", "The environment to import into.  [required]",
                       "[default: 2h]", "Show this message and exit."]


def _says(output: str, expected: list[str], not_expected: list[str]) -> None:
    """Each text of `expected` in `output`, none of `not_expected`, wherever the lines break."""
    flat = re.sub(r"\s+", "", output)
    for text in expected:
        assert re.sub(r"\s+", "", text) in flat, f"{text!r} not in:\n{output}"
    for text in not_expected:
        assert re.sub(r"\s+", "", text) not in flat, f"{text!r} in:\n{output}"


def test_outside_a_workspace_the_help_is_chinese(outside: Path) -> None:
    said = launchpad("users", "import", "--help")
    assert said.exit_code == 0
    _says(said.output, CHINESE_IMPORT_HELP, ENGLISH_IMPORT_HELP)


def test_the_root_help_lists_the_commands_by_their_first_chinese_sentence(outside: Path) -> None:
    said = launchpad("--help").output
    _says(said, ["用法：launchpad [OPTIONS] [COMMAND] [ARGS]...", "命令：", "现场上线运维",
                 "工作区目录（默认：当前目录起向上最近一个含 site.yaml 的目录）。", "显示版本号并退出。"],
          ["Usage:", "Commands:", "Options:", "Show the version"])
    listed = dict(re.findall(r"^  (\w+)\s{2,}(.+)$", said.split("命令：")[1], flags=re.M))
    assert listed["check"] == "校验 site.yaml 和操作手册", listed  # up to the first "；"
    assert listed["users"] == "从客户的表格导入用户：检查、预演、导入、回滚、分发初始密码", listed


def test_chinese_help_fits_the_terminal(outside: Path) -> None:
    from launchpad.cli.widetext import columns

    said = CliRunner().invoke(cli, ["roles", "apply", "--help"], env={"LAUNCHPAD_LANG": None}, terminal_width=60,
                              prog_name="launchpad")
    assert "每批一个事务" in said.output
    too_wide = [line for line in said.output.splitlines() if columns(line) > 60]
    assert not too_wide, said.output


@pytest.mark.parametrize("how", ["--lang en", "LAUNCHPAD_LANG"])
def test_english_when_asked_for(outside: Path, how: str) -> None:
    if how == "--lang en":
        said = launchpad("--lang", "en", "users", "import", "--help")
    else:
        said = launchpad("users", "import", "--help", env={"LAUNCHPAD_LANG": "en"})
    assert said.exit_code == 0
    _says(said.output, ENGLISH_IMPORT_HELP, CHINESE_IMPORT_HELP)


def test_a_commands_own_lang_option_is_heard_too(outside: Path) -> None:
    said = launchpad("users", "check", "--help", "--lang=en")
    assert said.exit_code == 0
    _says(said.output, ["Usage: launchpad users check", "Language of the reasons"], ["用法", "原因说明的语言"])


def test_the_option_wins_over_the_environment_variable(outside: Path) -> None:
    said = launchpad("--lang", "zh", "users", "import", "--help", env={"LAUNCHPAD_LANG": "en"})
    _says(said.output, CHINESE_IMPORT_HELP, ENGLISH_IMPORT_HELP)


def test_a_chinese_site_speaks_chinese_and_an_english_one_english(tmp_path: Path, english_site: Path) -> None:
    chinese_site = write_workspace(tmp_path / "zh")
    _says(launchpad("-w", str(chinese_site), "users", "import", "--help").output, CHINESE_IMPORT_HELP,
          ENGLISH_IMPORT_HELP)
    ways: list[tuple[list[str], dict[str, str | None]]] = [
        (["-w", str(english_site)], {}), ([f"--workspace={english_site}"], {}), ([f"-w{english_site}"], {}),
        ([], {"LAUNCHPAD_WORKSPACE": str(english_site)})]
    for args, env in ways:
        said = launchpad(*args, "users", "import", "--help", env=env)
        _says(said.output, ENGLISH_IMPORT_HELP, CHINESE_IMPORT_HELP)
    # and the option still wins over the site
    said = launchpad("-w", str(english_site), "--lang", "zh", "users", "import", "--help")
    _says(said.output, CHINESE_IMPORT_HELP, ENGLISH_IMPORT_HELP)


def test_the_workspace_above_the_current_folder_chooses(english_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    below = english_site / "reports"
    below.mkdir()
    monkeypatch.chdir(below)
    _says(launchpad("users", "import", "--help").output, ENGLISH_IMPORT_HELP, CHINESE_IMPORT_HELP)


@pytest.mark.parametrize("broken", ["site: [unclosed\n", "site:\n  language: [en, zh]\n", "\xff", "- a list\n"])
def test_a_site_yaml_that_cannot_be_read_still_gives_the_help_in_chinese(tmp_path: Path, broken: str) -> None:
    root = write_workspace(tmp_path / "ws")
    (root / "site.yaml").write_bytes(broken.encode("latin-1") if broken == "\xff" else broken.encode())
    said = launchpad("-w", str(root), "users", "import", "--help")
    assert said.exit_code == 0, said.output
    _says(said.output, CHINESE_IMPORT_HELP, ENGLISH_IMPORT_HELP)


def test_the_real_command_speaks_chinese_outside_a_workspace_and_english_when_asked(tmp_path: Path) -> None:
    chinese = launchpad_process(tmp_path, "users", "import", "-h")
    assert chinese.returncode == 0 and chinese.stderr == ""
    _says(chinese.stdout, CHINESE_IMPORT_HELP, ENGLISH_IMPORT_HELP)
    english = launchpad_process(tmp_path, "users", "import", "-h", env={"LAUNCHPAD_LANG": "en"})
    assert english.returncode == 0
    _says(english.stdout, ENGLISH_IMPORT_HELP, CHINESE_IMPORT_HELP)


def test_a_usage_error_speaks_the_language_exits_2_and_shows_no_traceback(tmp_path: Path) -> None:
    chinese = launchpad_process(tmp_path, "users", "import", "--bogus")
    assert chinese.returncode == 2 and chinese.stdout == ""
    assert chinese.stderr == ("用法：launchpad users import [OPTIONS] [FILE]\n"
                              "查看帮助：launchpad users import --help\n\n"
                              "错误：没有这个选项：--bogus。\n"), chinese.stderr
    english = launchpad_process(tmp_path, "--lang", "en", "users", "import", "--bogus")
    assert english.returncode == 2
    assert english.stderr == ("Usage: launchpad users import [OPTIONS] [FILE]\n"
                              "Try 'launchpad users import --help' for help.\n\n"
                              "Error: No such option '--bogus'.\n"), english.stderr
    site = write_workspace(tmp_path / "ws", LOCAL_SITE.replace("language: zh", "language: en"))
    on_english_site = launchpad_process(site, "run", "--env")
    assert on_english_site.returncode == 2 and "Traceback" not in on_english_site.stderr
    assert on_english_site.stderr.endswith("Error: Option '--env' requires an argument.\n"), on_english_site.stderr


def _refusal(*args: str) -> click.ClickException:
    """The exception click raises for `launchpad ARGS`, before any command runs."""
    with pytest.raises(click.ClickException) as caught:
        cli.main(args=list(args), prog_name="launchpad", standalone_mode=False)
    return caught.value


# (arguments, the message in Chinese, and in English)
USAGE_ERRORS = [
    (["users", "import", "--env-name", "x"], "没有这个选项：--env-name。是不是要用 --env？",
     "No such option '--env-name'. Did you mean --env?"),
    (["users", "imprt"], "没有这个命令：imprt。是不是要用 import、imports？",
     "No such command 'imprt'. Did you mean import, imports?"),
    (["run"], "缺少参数 PLAYBOOK。", "Missing argument 'PLAYBOOK'."),
    (["users", "plan"], "缺少选项 --env。", "Missing option '--env'."),
    (["release", "notice", "1"], "缺少选项 --kind。可选值：before、done、rolled-back。",
     "Missing option '--kind'. Choose from: before, done, rolled-back."),
    (["runs", "show", "1", "--format", "pdf"], "--format 的值无效：“pdf”不是可选值之一：text、markdown、html、json。",
     "Invalid value for '--format': 'pdf' is not one of text, markdown, html, json."),
    (["runs", "--limit", "x"], "--limit 的值无效：“x”不是有效的整数。",
     "Invalid value for '--limit': 'x' is not a valid integer."),
    (["runs", "--limit", "-1"], "--limit 的值无效：-1 不在范围 0<=x<=9223372036854775807 内。",
     "Invalid value for '--limit': -1 is not in the range 0<=x<=9223372036854775807."),
    (["users", "import", "--env", "test", "--batch", "0"], "--batch 的值无效：0 不在范围 x>=1 内。",
     "Invalid value for '--batch': 0 is not in the range x>=1."),
    (["run", "x", "--env"], "选项 --env 后面需要一个值。", "Option '--env' requires an argument."),
    (["runs", "--json=yes"], "选项 --json 不接受值。", "Option '--json' does not take a value."),
    (["init", "a", "b"], "多余的参数：b", "Got unexpected extra argument(s) (b)"),
    (["baseline", "changes", "--since", "2026-13-01"], "--since 的值无效：“2026-13-01”不是 YYYY-MM-DD 格式的日期。",
     "Invalid value for '--since': '2026-13-01' is not a date written YYYY-MM-DD."),
]


@pytest.mark.parametrize(("args", "chinese", "english"), USAGE_ERRORS, ids=[" ".join(e[0]) for e in USAGE_ERRORS])
def test_clicks_usage_errors_in_both_languages(outside: Path, args: list[str], chinese: str, english: str) -> None:
    exc = _refusal("--lang", "zh", *args)
    assert usage_errors.message(exc) == chinese
    exc = _refusal("--lang", "en", *args)
    assert usage_errors.message(exc) == english


def test_words_click_did_not_write_stay_as_they_are() -> None:
    door.speak("zh")
    try:
        assert usage_errors.sentence("--batch 至少为 1") == "--batch 至少为 1"
        assert usage_errors.sentence("'x' is not one of 'a', 'b'.") == "“x”不是可选值之一：a、b。"
    finally:
        door.speak(None)


def test_no_decorator_carries_help_prose() -> None:
    """One catalog, not two: the help is in the word-book, not in the command modules."""
    prose = [f"{path.relative_to(ROOT)}:{number}" for path in sorted((ROOT / "launchpad" / "cli").glob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"\bhelp\s*=\s*['\"]", line)]
    assert not prose, prose
    documented = [key for key, command, param in walk(cli) if param is None and inspect.getdoc(command.callback)]
    assert not documented, f"commands whose function still has a docstring (the help is the word-book's): {documented}"


def test_an_argument_that_is_not_text_is_refused_in_the_sites_language(english_site: Path) -> None:
    """The refusal comes before click parses, so it speaks the language settled from the raw
    arguments and site.yaml, like `--help`."""
    clean = {name: value for name, value in os.environb.items()
             if name not in (b"LAUNCHPAD_LANG", b"LAUNCHPAD_WORKSPACE")}
    result = subprocess.run([sys.executable.encode(), b"-m", b"launchpad", b"-w", str(english_site).encode(),
                             b"issue", b"add", "登录".encode("gbk")], capture_output=True, timeout=60, env=clean)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2 and "argument 5 is not UTF-8 text" in stderr, stderr


def test_clicks_bracket_of_several_items_is_joined_with_the_chinese_separator(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(door, "_language", "zh")
    assert _spoken_extras("How long.  [default: 2h; required]") == "How long.  [默认：2h；必填]"
    monkeypatch.setattr(door, "_language", "en")
    assert _spoken_extras("How long.  [default: 2h; required]") == "How long.  [default: 2h; required]"
