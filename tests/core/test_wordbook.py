"""The word-book: one catalog for every word a person reads, both languages in every entry with
the same placeholders, no entry nobody reads, and no module outside it choosing words by
language on its own."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from launchpad import phrases
from launchpad.phrases import CATALOG, LANGUAGES, section, status_text, word

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*sorted((ROOT / "launchpad").rglob("*.py")), *sorted((ROOT / "screens").rglob("*.py"))]
TEMPLATES = [*sorted((ROOT / "launchpad").rglob("*.j2"))]

# Entries that read the same in both languages on purpose: placeholders and punctuation only,
# names of things (launchpad, 中文/English), or a programme's own syntax.
LANGUAGE_NEUTRAL = {
    "parts", "lines", "listed", "gate.backup_ref", "app.title", "key.language", "key.report_language", "report.lang_zh",
    "report.lang_en", "move.title", "move.to", "bk.starting", "bk.progress", "describe.announce", "roles.set",
}

# Keys built while the program runs (f"status.{status}", "kind." + kind) are found by their
# prefix in the source; a section's entries are read by their short names (t.<name> in a
# template, words["<name>"] in Python), and the statuses by `section()` and `status_word()`.
SECTIONS = ("daily.", "runreport.", "cli.report.")
BUILT_ELSEWHERE = {
    "status.": "phrases.status_word and section(): every status a run or step can have",
    "cli.help.": "cli/helptext.py, by command path: test_every_command_option_and_argument_has_its_help…",
    "listed": "phrases.listed(): names read as one list outside a sentence",
}


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_entry_has_both_languages_with_the_same_placeholders(key: str) -> None:
    english, chinese = CATALOG[key]
    assert english.strip() and chinese.strip(), f"{key}: an empty text"
    assert placeholders(english) == placeholders(chinese), key
    assert (english == chinese) == (key in LANGUAGE_NEUTRAL), f"{key}: a text without its other language"


def _source_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in [*SOURCES, *TEMPLATES]
                     if path.parent.name != "words" and path.name != "phrases.py")


def _short_names(text: str) -> set[str]:
    """Names a template or a report module reads from a section: t.name, t["name"], fmt("name" …)."""
    found = set(re.findall(r"\bt\.(\w+)", text))
    found |= set(re.findall(r"""["'](\w+)["']""", text))
    return found


def dynamic_prefixes(text: str) -> set[str]:
    """The fixed start of every key built at run time: f"bk.op_{kind}", "kind." + name."""
    built = re.findall(r"""\bf["']([a-z_]+\.[\w.]*?)\{""", text)
    built += re.findall(r"""["']([a-z_]+\.[\w.]*)["']\s*\+""", text)
    return set(built) - set(SECTIONS)


def test_no_entry_is_unused() -> None:
    text = _source_text()
    quoted = set(re.findall(r"""["']([\w.\-]+)["']""", text))
    short = _short_names(text)
    short_prefixes = tuple(re.findall(r"""["'](\w+_)["']\s*\+""", text))  # words["rel_" + status]
    prefixes = dynamic_prefixes(text) | set(BUILT_ELSEWHERE)
    unused = []
    for key in CATALOG:
        section_of = next((p for p in SECTIONS if key.startswith(p)), None)
        if section_of is not None:
            name = key.removeprefix(section_of)
            if key not in quoted and name not in short and not name.startswith(short_prefixes):
                unused.append(key)
        elif key not in quoted and not key.startswith(tuple(prefixes)):
            unused.append(key)
    assert not unused, f"entries nobody reads (remove them, or build them where the test can see): {unused}"


def test_every_command_option_and_argument_has_its_help_and_every_help_entry_has_its_place() -> None:
    """The help entries are read by walking the command tree, so the rule for them is the tree:
    each command, option and argument has an entry, and each entry names one of them."""
    from launchpad.cli import cli
    from launchpad.cli.helptext import walk

    keys = [key for key, _, _ in walk(cli)]
    assert len(keys) == len(set(keys)), "two options of one command read the same entry"
    missing = sorted(set(keys) - CATALOG.keys())
    assert not missing, f"without their help in the word-book: {missing}"
    unused = sorted({key for key in CATALOG if key.startswith("cli.help.")} - set(keys))
    assert not unused, f"help for no command, option or argument (a renamed option?): {unused}"


def test_the_keys_built_at_run_time_are_found() -> None:
    found = dynamic_prefixes(_source_text())
    # a sample of the places that build keys, so a change in how they do it shows here
    assert {"bk.op_", "kind.", "issue.value.", "config.rule.", "nav.", "gl.state_"} <= found, found


# `lang == "zh"`, `"zh" if …`, `if zh:` and friends: a module (or a report template) choosing
# words by language itself.
INLINE_BRANCH = re.compile(
    r"""(\b(lang|language|_current|self\.lang)\s*[!=]=\s*["'](zh|en)["'])"""
    r"""|(["'](zh|en|zh-CN)["']\s+if\b)|(\bif\s+(not\s+)?zh\b)|(\bzh\s*=\s*\w+\s*==)"""
)

# Where a branch on the language is the point, with the reason.
BRANCH_ALLOWED = {
    "launchpad/phrases.py": "the catalog itself: which column of an entry is the language's",
}


def test_no_module_branches_on_the_language_outside_the_catalog() -> None:
    found = []
    for path in [*SOURCES, *TEMPLATES]:
        where = path.relative_to(ROOT).as_posix()
        if where in BRANCH_ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_BRANCH.search(line):
                found.append(f"{where}:{number}: {line.strip()}")
    assert not found, "words chosen by language outside the word-book:\n" + "\n".join(found)


def test_the_branch_finder_finds_the_branches_it_forbids() -> None:
    for line in ('x = "天" if lang == "zh" else "d"', 'return "、" if zh else ", "', "if language != 'en':",
                 'self.lang = "en" if self.lang == "zh" else "zh"', 'zh = lang == "zh"',
                 '{% set zh = lang == "zh" %}', """<html lang="{{ 'zh-CN' if t.title == '执行报告' else 'en' }}">"""):
        assert INLINE_BRANCH.search(line), line
    assert not INLINE_BRANCH.search('word("status.passed", lang)')


def test_two_areas_saying_one_key_is_refused() -> None:
    with pytest.raises(KeyError, match="two places"):
        phrases._merge({"status.passed": ("ok", "好")})


def test_an_unknown_key_fails_at_once() -> None:
    with pytest.raises(KeyError):
        word("status.pased", "zh")


def test_a_language_the_catalog_does_not_speak_reads_chinese() -> None:
    assert word("status.running", "fr") == word("status.running", "zh") == "进行中"
    assert LANGUAGES == ("zh", "en")


def test_a_gate_is_one_word_in_every_front_end() -> None:
    """关卡, as the command line and the playbook's rules say it; never the TUI's own 闸门."""
    assert not [key for key, (_, chinese) in CATALOG.items() if "闸门" in chinese]
    assert word("run.gate_refused", "zh", reason="窗口未开") == word("cli.run.gate_refused", "zh", reason="窗口未开")
    assert word("override.title", "zh", step="发布窗口").startswith("关卡拒绝：")


STATUSES = sorted(key.removeprefix("status.") for key in CATALOG if key.startswith("status."))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("status", STATUSES)
def test_a_status_reads_the_same_in_every_lookup(status: str, lang: str) -> None:
    from screens.support import i18n

    i18n.set_language(lang)
    try:
        tui = i18n.status_word(status)
    finally:
        i18n.set_language("zh")
    cli = status_text(status, lang)
    assert tui == cli == section("runreport", lang)[status] == section("daily", lang)[status]


def test_the_chosen_chinese_words_for_statuses() -> None:
    chosen = {"running": "进行中", "interrupted": "已中断", "skipped": "已跳过", "refused": "被拒绝",
              "aborted": "已中止", "passed": "通过", "failed": "失败", "not_checked": "未检查"}
    assert {status: status_text(status, "zh") for status in chosen} == chosen


def test_a_refused_run_reads_被拒绝_in_the_cli_the_tui_the_run_report_and_the_daily_report(tmp_path: Path) -> None:
    from datetime import datetime

    from click.testing import CliRunner

    from launchpad.cli import cli
    from launchpad.report.daily import collect_daily
    from launchpad.report.render import render_daily
    from launchpad.report.run import collect_run, render_run
    from screens.support import i18n
    from tests.core.test_engine import Harness, playbook_text
    from tests.scripted import ScriptedPrompter

    h = Harness(tmp_path / "ws", playbook_text("- {id: form, name: 审批, kind: gate, approval: {form: 变更单}}"))
    result = h.run(ScriptedPrompter())
    assert result.status == "refused"
    run = h.store.get_run(result.run_id)
    assert run is not None
    listed = CliRunner().invoke(cli, ["--workspace", str(h.workspace.root), "runs"], catch_exceptions=False).output
    row = next(line for line in listed.splitlines() if line.strip().startswith(str(result.run_id)))
    assert "被拒绝" in row, listed
    assert i18n.status_word(run["status"]) == "被拒绝"
    report = render_run(collect_run(h.store, h.workspace.site, result.run_id), "text", "zh")
    assert "被拒绝" in report and "拒绝" not in report.replace("被拒绝", ""), report
    day = datetime.fromisoformat(run["started"]).astimezone(h.workspace.site.tz).date()
    daily = render_daily(collect_daily(h.store, h.workspace.site, day, plan=[]), "txt", "zh")
    assert "（test）被拒绝，0/1 步通过" in daily


def test_every_error_title_is_in_the_word_book() -> None:
    """An error class's title is what a person reads first: each one has both languages."""
    titles = set()
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"^class \w+\([\w., ]*(?:Error|Refused|Failed|Unavailable|Unknown|"
                                r"Key|Lost|Timeout|Damaged|Gone|Aborted|NotFound|Input)[\w., ]*\):\n((?:    .*\n|\n)*)",
                                text, flags=re.M):
            titles |= set(re.findall(r'^    title = "([^"{]+)"$', block, flags=re.M))
    assert len(titles) > 30, titles  # the finder still finds them
    missing = sorted(t for t in titles if "error." + t.lower().replace(" ", "_") not in CATALOG)
    assert not missing, f"error titles without their Chinese: {missing}"


def test_a_placeholder_may_be_called_key() -> None:
    from launchpad.cli.door import say, speak

    assert word("cli.trust.known", "en", label="app1", key="ssh-ed25519 SHA256:x") == \
        "known    app1  ssh-ed25519 SHA256:x"
    speak("zh")
    assert say("cli.trust.known", label="app1", key="k") == "已知     app1  k"


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_a_runs_decisions_read_in_the_reports_language_and_a_persons_reason_as_typed(tmp_path: Path, fmt: str) -> None:
    """The kind of each decision and the reasons launchpad gave are the word-book's; what a
    person typed stays as typed; a row kept before reasons were phrases keeps its English."""
    from launchpad.report.run import collect_run, render_run
    from launchpad.run.prompter import FailureChoice
    from tests.core.test_engine import Harness, playbook_text
    from tests.scripted import ScriptedPrompter

    steps = ("- {id: boom, name: 出错, kind: shell, hosts: app, run: 'exit 3'}\n"
             "- {id: ask, name: 确认, kind: shell, hosts: app, run: 'true', confirm: true}")
    h = Harness(tmp_path / "ws", playbook_text(steps))
    result = h.run(ScriptedPrompter(confirm_answer=False, failures=[FailureChoice("skip", "甲方说=先跳过")]))
    h.store.record_decision(result.run_id, "old", "aborted", "tester", "an old English reason")
    report = collect_run(h.store, h.workspace.site, result.run_id)
    assert [d["kind"] for d in report["decisions"]] == ["skipped", "declined", "aborted"]
    chinese, english = render_run(report, fmt, "zh"), render_run(report, fmt, "en")
    for said in ("跳过", "甲方说=先跳过", "未同意", "未确认", "中止", "an old English reason"):
        assert said in chinese, chinese
    for said in ("skipped", "甲方说=先跳过", "declined", "not confirmed", "stopped", "an old English reason"):
        assert said in english, english
    words = re.sub(r' class="[^"]*"', "", chinese)  # html's status classes are names, not words read
    assert "not confirmed" not in words and "declined" not in words


def test_the_parts_separator_is_one_entry_read_by_every_caller() -> None:
    """Findings in one line are joined by PARTS_SEPARATOR alone: no entry keeps its own copy, a
    report template reads it as `t.semi`, and a language written otherwise gets its column's."""
    separator = (phrases.PARTS_SEPARATOR["en"], phrases.PARTS_SEPARATOR["zh"])
    copies = [key for key, pair in CATALOG.items() if pair == separator]
    assert copies == []
    assert [section(area, "zh")["semi"] for area in ("daily", "runreport")] == ["；", "；"]
    assert section("daily", "en")["semi"] == "; "
    assert phrases.render(phrases.parts(["a", "b"]), "zh-CN") == "a；b"
    assert phrases.render(["a", "b"], "zh-CN") == "a、b"
