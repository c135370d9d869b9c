"""Paste intake on real-looking text copied from WeChat and WeCom (tests/fixtures/chat/):
senders and times kept, multi-line messages whole, emoji and full-width punctuation intact,
message lines that end in a time left as text, several messages merged into one issue."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import UsageError
from launchpad.issues.chat import ChatMessage, draft_from_messages, parse_chat, parse_selection

CHAT = Path(__file__).resolve().parent.parent / "fixtures" / "chat"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PASTED_ON = date(2024, 11, 20)  # a Wednesday


def messages(name: str) -> list[ChatMessage]:
    return parse_chat((CHAT / name).read_text(encoding="utf-8"), SHANGHAI, PASTED_ON)


def local(message: ChatMessage) -> str:
    assert message.sent_at is not None
    return message.sent_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def test_wecom_desktop_copy() -> None:
    found = messages("wecom_desktop.txt")
    assert [m.sender for m in found] == ["王芳@市人社局", "刘建国@市人社局", "张三", "王芳@市人社局", "陈晓明@市人社局"]
    assert [local(m) for m in found][:2] == ["2024-11-20 09:15:32", "2024-11-20 09:16:05"]
    assert found[0].text == "登录页面点“提交”后一直转圈，然后就白屏了😭\n我用的是 Chrome，清过缓存也不行。"
    assert found[3].text.startswith("[图片]\n报表导出的 Excel")
    assert found[4].text.endswith("实际单位和挂职单位分别怎么填？")


def test_wechat_pc_copy_without_blank_lines_keeps_a_line_ending_in_a_time_as_text() -> None:
    found = messages("wechat_pc.txt")
    assert [m.sender for m in found] == ["王芳", "刘科长", "张三（实施）"]
    assert found[1].text == "@王芳 我这边也是[流泪]\n下午的培训改到 14:30"
    assert local(found[0]) == "2024-11-20 09:15:00"
    assert found[2].text == "收到👌，马上看"


def test_wechat_mobile_relative_days_weekdays_and_twelve_hour_clock() -> None:
    found = messages("wechat_mobile_relative.txt")
    assert [(m.sender, local(m)) for m in found] == [
        ("赵丽", "2024-11-18 16:42:00"),  # 星期一 seen on Wednesday
        ("孙伟", "2024-11-19 18:30:00"),  # 昨天
        ("孙伟", "2024-11-19 18:31:00"),  # 昨天 下午6:31
        ("赵丽", "2024-11-20 09:05:00"),  # a bare clock under a bare-clock separator: today
    ]
    assert found[1].text == "系统通知短信收不到，手机号已经确认过是对的。\n今天下午要用，急！"
    assert found[3].text == "👍 外勤那列已经有了，谢谢"


def test_forwarded_record_with_colons_and_continuation_lines() -> None:
    found = messages("wechat_inline.txt")
    assert [(m.sender, m.sent_at) for m in found] == [("王芳", None), ("刘科长", None), ("张三", None)]
    assert found[1].text == "我这边也是，上午一直登不上，急急急！\n刷新了好几次都没用"


def test_a_single_message_without_headers_is_one_candidate() -> None:
    found = messages("single_message.txt")
    assert len(found) == 1 and found[0].sender == "" and "末位大写Ｘ" in found[0].text


def test_empty_paste_has_no_messages() -> None:
    assert parse_chat("\n  \n", SHANGHAI, PASTED_ON) == []


def test_merging_messages_into_one_issue() -> None:
    found = messages("wecom_desktop.txt")
    draft = draft_from_messages([found[0], found[1]], SHANGHAI)
    assert draft.title == "登录页面点“提交”后一直转圈，然后就白屏了😭"
    assert draft.reporter == "王芳@市人社局"
    assert draft.reported_at == found[0].sent_at
    assert draft.channel == "group"
    assert "王芳@市人社局 11-20 09:15:\n登录页面点" in draft.description
    assert "刘建国@市人社局 11-20 09:16:\n@王芳 我这边也是" in draft.description


def test_titles_skip_placeholders_and_mentions_and_stay_short() -> None:
    image_first = ChatMessage(1, "王芳", datetime(2024, 11, 20, 2, 2, tzinfo=SHANGHAI), "[图片]\n@张三 报表导出乱码")
    assert draft_from_messages([image_first], SHANGHAI).title == "报表导出乱码"
    long = ChatMessage(1, "王芳", None, "很" * 80)
    assert len(draft_from_messages([long], SHANGHAI).title) == 40


def test_selection_syntax() -> None:
    assert parse_selection("1, 3，5+6 8-10", 10) == [[1], [3], [5, 6], [8], [9], [10]]
    with pytest.raises(UsageError, match="no message 7"):
        parse_selection("1,7", 5)
    with pytest.raises(UsageError, match="cannot read"):
        parse_selection("一", 5)
