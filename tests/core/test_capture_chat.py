"""Paste intake on real-looking text copied from WeChat, WeCom, DingTalk and Feishu
(tests/fixtures/chat/): senders and times kept, multi-line messages whole, emoji and full-width
punctuation intact, message lines that end in a time left as text, several messages merged into
one issue; sender and time on the message's own line, with half- or full-width colons; system
lines set aside, never glued onto a message; and every pasted line accounted for."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import UsageError
from launchpad.issues.chat import ChatMessage, draft_from_messages, parse_chat, parse_selection

CHAT = Path(__file__).resolve().parent.parent / "fixtures" / "chat"
SHANGHAI = ZoneInfo("Asia/Shanghai")
PASTED_AT = datetime(2024, 11, 20, 12, 0, tzinfo=SHANGHAI)  # a Wednesday noon


def messages(name: str, now: datetime = PASTED_AT) -> list[ChatMessage]:
    return parse_chat((CHAT / name).read_text(encoding="utf-8"), SHANGHAI, now).messages


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
    empty = parse_chat("\n  \n", SHANGHAI, PASTED_AT)
    assert (empty.messages, empty.set_aside, empty.blank_lines) == ([], [], (1, 2))


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


SATURDAY_EVENING = datetime(2026, 11, 21, 18, 0, tzinfo=SHANGHAI)


def test_sender_and_time_on_the_message_line_in_brackets_with_either_colon() -> None:
    found = messages("same_line_bracketed.txt", SATURDAY_EVENING)
    assert [(m.sender, local(m)[5:16] if m.sent_at else None) for m in found] == [
        ("", None),  # the copy began inside a message: kept, its sender not copied
        ("吴工", "11-21 16:01"), ("王芳", "11-21 16:02"), ("李科长", "11-21 16:03"), ("张三（实施）", "11-21 16:05")]
    assert found[0].text == "另外登录页的验证码也刷不出来，\n麻烦一起看看。"
    assert found[1].text == "服务器又卡了，打开首页要 20 秒"
    assert found[2].text == "我这边也是，\n而且导出报表一直转圈……"  # the full-width colon, and … kept as pasted
    assert found[3].text == "下午的培训改到 14:30"
    assert found[4].text == "收到，马上排查👌"


def test_clock_first_headers_with_full_width_colons_and_system_lines_set_aside() -> None:
    paste = parse_chat((CHAT / "clock_first_fullwidth.txt").read_text("utf-8"), SHANGHAI,
                       datetime(2026, 11, 21, 10, 30, tzinfo=SHANGHAI))
    assert [(m.sender, local(m)[5:16]) for m in paste.messages] == [
        ("李四", "11-20 23:50"), ("张三", "11-20 23:52"),  # last night's: 23:50 is not yet today at 10:30
        ("王芳", "11-21 09:58"), ("张三", "11-21 10:01"), ("王芳", "11-21 10:02"), ("刘科长", "11-21 10:15")]
    assert paste.messages[4].text == "360 浏览器，极速模式\n也试了 Chrome，一样"
    assert paste.messages[5].text == "另外考勤报表导出的日期都是 1970 年"  # the file and the recall are not its
    assert [(line.number, line.kind) for line in paste.set_aside] == [
        (3, "notice"), (8, "notice"), (10, "attachment"), (11, "notice")]
    assert str(paste.set_aside[2].why) == "image or file with no sender"


@pytest.mark.parametrize(("sample", "notices"), [
    ("same_line_bracketed.txt", ["—— 以下是新消息 ——", "王芳撤回了一条消息"]),
    ("dingtalk_desktop.txt", ["以上是历史消息", '"张三" 拍了拍 "陈晓明"']),
    ("feishu_dated.txt", ["吴工撤回了一条消息"]),
    ("wechat_mobile_dividers.txt", ["—— 以下是新消息 ——"]),
])
def test_system_lines_are_recognised_and_glued_onto_no_message(sample: str, notices: list[str]) -> None:
    paste = parse_chat((CHAT / sample).read_text("utf-8"), SHANGHAI, SATURDAY_EVENING)
    assert [line.text for line in paste.set_aside if line.kind == "notice"] == notices
    for message in paste.messages:
        assert not any(notice in message.text or notice in message.sender for notice in notices)
        assert "消息" not in message.sender and "—" not in message.text


def test_dated_headers_from_feishu_and_dingtalk_and_a_message_of_only_an_image() -> None:
    feishu = messages("feishu_dated.txt", SATURDAY_EVENING)
    assert [(m.sender, local(m)[:16] if m.sent_at else None) for m in feishu] == [
        ("", None), ("吴工", "2026-11-21 15:40"), ("张三", "2026-11-21 15:42"), ("王芳", "2026-11-21 15:45")]
    assert feishu[0].text == "重启之后还是一样，日志里全是超时"
    assert feishu[3].text.endswith("第 3 项的时间改到 16:30")
    dingtalk = messages("dingtalk_desktop.txt", SATURDAY_EVENING)
    assert [(m.sender, local(m)[5:16]) for m in dingtalk] == [
        ("陈晓明", "11-21 09:12"), ("张三", "11-21 09:15"), ("陈晓明", "11-21 09:16"), ("陈晓明", "11-21 09:20")]
    # An image alone is listed (its lines are accounted for) but is no issue titled "(chat)".
    for image_only in (feishu[2], dingtalk[2]):
        assert image_only.title == ""
        with pytest.raises(UsageError, match="no words") as refused:
            draft_from_messages([image_only], SHANGHAI)
        assert refused.value.hint and "+" in refused.value.hint
    merged = draft_from_messages([dingtalk[2], dingtalk[3]], SHANGHAI)
    assert merged.title == "人员查询 → 高级查询 那个页面" and merged.reporter == "陈晓明"
    assert "[图片]" in merged.description


def test_an_empty_message_is_no_issue() -> None:
    paste = parse_chat("张三 2026-11-21 09:00\n\n李四 2026-11-21 09:01\n好的", SHANGHAI, SATURDAY_EVENING)
    assert [(m.sender, m.text) for m in paste.messages] == [("张三", ""), ("李四", "好的")]
    with pytest.raises(UsageError, match="no words"):
        draft_from_messages([paste.messages[0]], SHANGHAI)


@pytest.mark.parametrize(("now", "expected"), [
    ("2026-11-21 10:30", "2026-11-20 23:50"),  # not yet 23:50 today: last night
    ("2026-11-21 23:55", "2026-11-21 23:50"),  # already past: today
    ("2026-11-21 23:50", "2026-11-21 23:50"),  # this very minute
    ("2026-01-01 00:10", "2025-12-31 23:50"),  # over the year's end
])
def test_a_bare_clock_belongs_to_the_most_recent_past_day(now: str, expected: str) -> None:
    pasted_at = datetime.fromisoformat(now).replace(tzinfo=SHANGHAI)
    (message,) = parse_chat("23:50 李四：备份跑完了吗？", SHANGHAI, pasted_at).messages
    assert local(message)[:16] == expected
    assert message.sent_at is not None and message.sent_at <= pasted_at


def test_a_chat_past_midnight_after_a_date_divider_moves_to_the_next_day() -> None:
    found = messages("wechat_mobile_dividers.txt", SATURDAY_EVENING)
    assert [(m.sender, local(m)[:16]) for m in found] == [
        ("王芳", "2026-11-20 23:58"), ("张三", "2026-11-21 00:05"), ("王芳", "2026-11-21 00:07")]
    bare = parse_chat("—— 2026-11-20 ——\n23:50 李四：跑完了吗\n00:10 张三：跑完了", SHANGHAI, SATURDAY_EVENING)
    assert [local(m)[:16] for m in bare.messages] == ["2026-11-20 23:50", "2026-11-21 00:10"]


@pytest.mark.parametrize("now", ["2026-11-21 10:30", "2026-11-22 04:50"])  # that morning; the next small hours
def test_bare_clocks_are_read_back_from_the_latest_so_the_chat_keeps_its_order(now: str) -> None:
    text = "23:50 李四：备份跑完了吗\n—— 以下是新消息 ——\n09:58 王芳：首页空白\n10:01 张三：收到"
    pasted_at = datetime.fromisoformat(now).replace(tzinfo=SHANGHAI)
    found = parse_chat(text, SHANGHAI, pasted_at).messages
    assert [local(m)[:16] for m in found] == ["2026-11-20 23:50", "2026-11-21 09:58", "2026-11-21 10:01"]


def test_a_copy_that_begins_inside_a_message_keeps_the_first_header() -> None:
    wecom = (CHAT / "wecom_desktop.txt").read_text("utf-8").splitlines()
    text = "\n".join([wecom[2], *wecom[4:]])  # the last line of message 1, then message 2's header directly
    found = parse_chat(text, SHANGHAI, PASTED_AT).messages
    assert [(m.sender, m.text.splitlines()[0]) for m in found][:2] == [
        ("", "我用的是 Chrome，清过缓存也不行。"), ("刘建国@市人社局", "@王芳 我这边也是，上午一直登不上！！")]
    assert len(found) == 5


@pytest.mark.parametrize("text", [
    "吴工 16:01：服务器又卡了\n打开首页要 20 秒\n王芳 16:02: 我这边也是",  # sender first, on the line
    "吴工 (16:01): 服务器又卡了\n打开首页要 20 秒\n王芳 (16:02)：我这边也是",
    "【16:01】吴工：服务器又卡了\n打开首页要 20 秒\n【16:02】王芳：我这边也是",
    # stamp first, the message below
    "2026-11-21 16:01:05 吴工\n服务器又卡了\n打开首页要 20 秒\n2026-11-21 16:02:10 王芳\n我这边也是",
])
def test_header_shapes_with_the_message_on_the_line_or_below(text: str) -> None:
    paste = parse_chat(text, SHANGHAI, SATURDAY_EVENING)
    assert [(m.sender, local(m)[5:16], m.text) for m in paste.messages] == [
        ("吴工", "11-21 16:01", "服务器又卡了\n打开首页要 20 秒"), ("王芳", "11-21 16:02", "我这边也是")]
    assert paste.set_aside == []


def test_a_lone_weekday_is_an_answer_and_a_lone_date_a_divider() -> None:
    text = ("王芳 2026-11-20 09:00\n什么时候上线？\n\n张三 2026-11-20 09:01\n周五\n\n"
            "—— 2026年11月21日 星期六 ——\n\n14:00\n")
    paste = parse_chat(text, SHANGHAI, SATURDAY_EVENING)
    assert [(m.sender, m.text) for m in paste.messages] == [("王芳", "什么时候上线？"), ("张三", "周五")]
    assert [(line.number, line.kind) for line in paste.set_aside] == [(7, "divider"), (9, "divider")]
