"""Splitting long reports for robots: every part within the byte limit (marker included),
cut between sections or lines where possible, never inside a character or an emoji cluster,
nothing lost, parts marked in order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from launchpad.notify.robots import LIMITS
from launchpad.notify.split import byte_length, split_message


def marker(part: int, parts: int) -> str:
    return f"（第 {part}/{parts} 部分）"


def unmarked(parts: list[str]) -> str:
    return "".join(part.split("\n", 1)[1] if len(parts) > 1 else part for part in parts)


def test_a_short_message_is_one_part() -> None:
    assert split_message("今日新增 3 项", 4096, marker) == ["今日新增 3 项"]


def test_a_long_report_splits_at_sections_within_the_wecom_limit() -> None:
    section = "### 未解决\n" + "".join(f"{n}. [P2] 登录页面白屏｜负责人 张三｜截止 11-21\n" for n in range(40))
    report = "\n".join([section] * 4)
    limit = LIMITS["wecom"]["markdown"]
    parts = split_message(report, limit, marker)
    assert len(parts) > 1
    assert all(byte_length(part) <= limit for part in parts)
    assert [part.split("\n", 1)[0] for part in parts] == [marker(n, len(parts)) for n in range(1, len(parts) + 1)]
    assert sum(part.count("登录页面白屏") for part in parts) == 160
    assert all(part.split("\n")[1].startswith(("###", "1", "2", "3")) for part in parts)


def test_a_line_longer_than_a_part_is_cut_between_characters() -> None:
    line = "登录" * 3000  # 18,000 bytes on one line
    parts = split_message(line, 2048, marker)
    assert all(byte_length(part) <= 2048 for part in parts)
    assert unmarked(parts) == line


def test_emoji_clusters_stay_whole() -> None:
    clusters = ["👍🏻", "👨‍💻", "❤️", "🇨🇳", "é"]
    text = "".join(clusters) * 200
    for part in split_message(text, 300, marker):
        body = part.split("\n", 1)[1]
        assert not body.startswith(("\U0001f3fb", "\u200d", "\ufe0f", "\u0301"))
        assert not body.endswith("\u200d")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("登录报表考勤ab \n，。😭👍🏻\u200d")), min_size=0, max_size=3000),
       st.integers(min_value=200, max_value=4096))
def test_nothing_is_lost_and_no_part_is_too_long(text: str, limit: int) -> None:
    parts = split_message(text, limit, marker)
    assert all(byte_length(part) <= limit for part in parts)
    if len(parts) == 1:
        assert parts == [text]
    else:
        # Splitting may drop the blank lines it cut at, never a visible character.
        assert "".join(unmarked(parts).split()) == "".join(text.split())
