"""Every pasted line is accounted for: it is in exactly one message, among the lines set aside
that the person is shown, or blank. Counted over the chat samples in tests/fixtures/chat/, over
every place a copy could start or end, and over pastes mixed from their lines at random."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launchpad.issues.chat import ChatPaste, parse_chat

CHAT = Path(__file__).resolve().parent.parent / "fixtures" / "chat"
SAMPLES = sorted(path.name for path in CHAT.glob("*.txt"))
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 21, 18, 0, tzinfo=SHANGHAI)  # after every sample's dates
SAMPLE_LINES = sorted({line for name in SAMPLES for line in (CHAT / name).read_text("utf-8").splitlines()})


def assert_every_line_accounted_for(text: str, paste: ChatPaste) -> None:
    pasted = text.lstrip("\ufeff").splitlines()
    in_messages = [number for message in paste.messages for number in message.lines]
    set_aside = [line.number for line in paste.set_aside]
    accounted = in_messages + set_aside + list(paste.blank_lines)
    assert paste.line_count == len(pasted)
    assert sorted(accounted) == list(range(1, len(pasted) + 1)), "a line lost, or in two places"
    assert all(not pasted[n - 1].strip() for n in paste.blank_lines)
    assert all(pasted[line.number - 1].strip() == line.text for line in paste.set_aside)
    for message in paste.messages:
        mine = [pasted[n - 1].strip() for n in message.lines]
        assert message.lines == tuple(sorted(message.lines))
        # A message's words come from its own lines, and its lines (but a header) are in it whole.
        for said in filter(None, (line.strip() for line in message.text.splitlines())):
            assert any(said in line for line in mine), f"{said!r} is not from message {message.number}'s lines"
        body = mine[1:] if message.sender else mine
        assert all(line in message.text for line in body)
        assert not message.sender or message.sender in mine[0]  # the header is the first line
        assert message.sent_at is None or message.sent_at <= NOW


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_sample_counts_its_lines_in_and_accounted_for(sample: str) -> None:
    text = (CHAT / sample).read_text("utf-8")
    paste = parse_chat(text, SHANGHAI, NOW)
    lines_in = len(text.splitlines())
    lines_accounted = (sum(len(m.lines) for m in paste.messages) + len(paste.set_aside) + len(paste.blank_lines))
    assert lines_accounted == lines_in
    assert_every_line_accounted_for(text, paste)


EXPECTED_COUNTS = {  # sample: (messages, lines set aside)
    "clock_first_fullwidth.txt": (6, 4), "dingtalk_desktop.txt": (4, 2), "feishu_dated.txt": (4, 1),
    "same_line_bracketed.txt": (5, 3), "single_message.txt": (1, 0), "wechat_inline.txt": (3, 0),
    "wechat_mobile_dividers.txt": (3, 3), "wechat_mobile_relative.txt": (4, 3), "wechat_pc.txt": (3, 0),
    "wecom_desktop.txt": (5, 0),
}


def test_every_sample_is_counted() -> None:
    assert set(EXPECTED_COUNTS) == set(SAMPLES)
    for sample, (messages, set_aside) in EXPECTED_COUNTS.items():
        paste = parse_chat((CHAT / sample).read_text("utf-8"), SHANGHAI, NOW)
        assert (len(paste.messages), len(paste.set_aside)) == (messages, set_aside), sample


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_copy_may_start_and_end_on_any_line(sample: str) -> None:
    lines = (CHAT / sample).read_text("utf-8").splitlines()
    whole = parse_chat("\n".join(lines), SHANGHAI, NOW).messages
    for start in range(len(lines)):
        for end in range(start + 1, len(lines) + 1):
            text = "\n".join(lines[start:end])
            cut = parse_chat(text, SHANGHAI, NOW)
            assert_every_line_accounted_for(text, cut)
            # Each message the cut holds from its header to its end reads as in the whole paste
            # (a paste needs two headers to show its style).
            held = [m for m in whole if m.sender and start < min(m.lines) and max(m.lines) <= end]
            if len(held) >= 2:
                read = {(m.sender, m.sent_at, m.text) for m in cut.messages}
                assert all((m.sender, m.sent_at, m.text) in read for m in held), (start, end)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SAMPLE_LINES) | st.text(max_size=40), max_size=40),
       st.sampled_from(["\n", "\r\n"]),
       st.integers(min_value=0, max_value=3 * 24 * 60))
def test_any_mix_of_chat_lines_is_accounted_for(lines: list[str], newline: str, minutes_before: int) -> None:
    # Random text may hold line breaks of its own (\x1c, \u2028): the paste's lines are what splitlines gives.
    text = newline.join(lines)
    now = NOW - timedelta(minutes=minutes_before)
    paste = parse_chat(text, SHANGHAI, now)
    assert_every_line_accounted_for(text, paste)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59),
       st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),
       st.sampled_from(["{t} 张三：收到", "[{t}] 张三: 收到", "张三 {t}\n收到", "{t}\n\n张三 {t}\n收到"]))
def test_a_time_only_stamp_never_lands_in_the_future(hour: int, minute: int, now: datetime, shape: str) -> None:
    pasted_at = now.replace(tzinfo=SHANGHAI)
    (message,) = parse_chat(shape.format(t=f"{hour:02d}:{minute:02d}"), SHANGHAI, pasted_at).messages
    assert message.sent_at is not None and message.text == "收到" and message.sender == "张三"
    assert pasted_at - timedelta(days=1) < message.sent_at <= pasted_at
    assert message.sent_at.astimezone(SHANGHAI).strftime("%H:%M") == f"{hour:02d}:{minute:02d}"
