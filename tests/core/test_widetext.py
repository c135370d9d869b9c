"""Chinese help fits the terminal: lines measured in columns (a Chinese character takes two),
broken between characters or at spaces, never before a closing mark, never inside a word."""

from __future__ import annotations

import pytest

from launchpad.cli.widetext import columns, fit, lines
from launchpad.linebreak import NO_LINE_START, spans
from launchpad.phrases import CATALOG

TEXT = ("执行 ENV 最新的一次预览；规则会在目标系统上重新计算，结果必须与预览的用户和角色完全一致"
        "（否则说明此后的变化，且不写入任何内容）。用 roles/rules.yaml 和 --backup-age 控制。")


@pytest.mark.parametrize("width", [20, 33, 50, 78])
def test_every_line_fits_and_no_line_starts_with_a_closing_mark(width: int) -> None:
    found = lines(TEXT, width)
    assert len(found) > 1
    for line in found:
        assert columns(line) <= width, (line, columns(line))
        assert line[0] not in "，。；）、", line
    assert "".join(found).replace(" ", "") == TEXT.replace(" ", "")


def test_closing_marks_at_the_edge_take_their_character_along() -> None:
    assert lines("不询问直接确认（生产环境仍须输入其名称）。", 42) == ["不询问直接确认（生产环境仍须输入其名称）。"]
    assert lines("不询问直接确认（生产环境仍须输入其名称）。", 41) == ["不询问直接确认（生产环境仍须输入其名", "称）。"]


def test_a_word_a_path_or_an_option_is_never_cut() -> None:
    found = lines(TEXT, 20)
    for word in ("roles/rules.yaml", "--backup-age", "ENV"):
        assert any(word in line for line in found), found


def test_a_chinese_character_counts_two_columns() -> None:
    assert columns("预览") == 4 and columns("ENV") == 3 and columns("（") == 2


def test_text_without_chinese_is_left_to_click() -> None:
    english = "Write the newest preview of ENV:\nthe rules are evaluated again."
    assert fit(english, 20) == english


def test_paragraphs_stay_paragraphs_and_click_keeps_the_lines_as_they_are() -> None:
    fitted = fit("第一段，很短。\n\n第二段。", 20)
    assert fitted.split("\n\n") == ["\b\n第一段，很短。", "\b\n第二段。"]
    assert "  " in fit("要修改的环境。  [必填]", 40)  # the gap click puts before its brackets


def test_a_closing_mark_after_a_word_takes_the_word_along() -> None:
    assert lines("默认：site.yaml 中的 language，否则为 zh", 30) == ["默认：site.yaml 中的", "language，否则为 zh"]


def test_a_closing_mark_after_a_lone_word_stays_on_its_line() -> None:
    assert lines("language，否则", 8) == ["language，", "否则"]


CLOSING = NO_LINE_START - {"!", "?"}  # after a space, ASCII ! and ? open a word (`!due`)


@pytest.mark.parametrize("width", [11, 24, 40, 52, 66, 80])
def test_every_help_text_fits_in_both_languages(width: int) -> None:
    """All the help the command line can show, at widths from a split pane to a full terminal:
    nothing lost, no line opening with a closing mark, and a line wider than the terminal only
    where one word (or one character) and its marks are wider on their own."""
    for key, (english, chinese) in CATALOG.items():
        if not key.startswith("cli.help."):
            continue
        for text in (english, chinese):
            fitted = fit(text, width)
            if fitted == text:
                continue  # no wide characters: click wraps it
            found = fitted.replace("\b\n", "")
            assert found.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", ""), key
            for line in found.split("\n"):
                first = next(spans(line), (0, 0))
                assert not line or not all(c in CLOSING for c in line[slice(*first)]), (key, width, line)
                if columns(line) > width:  # one part never broken inside: a word, a character, with their marks
                    assert len(list(spans(line))) == 1, (key, width, line)
