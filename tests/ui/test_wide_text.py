"""Chinese text wrapped where a Chinese reader breaks a line: between characters, at spaces
elsewhere, a date or an id kept whole, never a closing mark at the start of a line nor an
opening one at its end."""

from __future__ import annotations

from rich.text import Text

from screens.widgets.wide_text import wrap_wide


def test_breaks_between_chinese_characters_and_keeps_narrow_runs_whole() -> None:
    wrapped = wrap_wide(Text("#1 [P1] 登录页白屏（张三，2026-12-08 到期）"), 20)
    assert wrapped.plain.split("\n") == ["#1 [P1] 登录页白屏", "（张三，2026-12-08", "到期）"]


def test_a_closing_mark_stays_with_the_character_before_it() -> None:
    wrapped = wrap_wide(Text("一二三四五，六七"), 10)
    assert wrapped.plain.split("\n") == ["一二三四", "五，六七"]


def test_styles_and_line_breaks_are_kept() -> None:
    text = Text.assemble(("#1 [P1] ", "bold"), "登录页白屏\n报告人")
    wrapped = wrap_wide(text, 12)
    assert wrapped.plain.split("\n") == ["#1 [P1] 登录", "页白屏", "报告人"]
    assert [(span.start, span.end, span.style) for span in wrapped.spans] == [(0, 8, "bold")]
