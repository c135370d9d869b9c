"""Reading robot replies and building their requests, without a network: HTTP 200 with an
error code is a refusal, a captive portal's page is not the robot, rate limits carry their
wait, and each robot gets the payload and signature it documents."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from launchpad.notify.robots import build_request, classify


@pytest.mark.parametrize("kind, status, reply, verdict", [
    ("wecom", 200, {"errcode": 0, "errmsg": "ok"}, "sent"),
    ("wecom", 200, {"errcode": 45009, "errmsg": "api freq out of limit"}, "rate_limited"),
    ("wecom", 200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "config"),
    ("wecom", 200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}, "rejected"),
    ("dingtalk", 200, {"errcode": 130101, "errmsg": "send too fast"}, "rate_limited"),
    ("dingtalk", 200, {"errcode": 310000, "errmsg": "keywords not in content"}, "config"),
    ("feishu", 200, {"code": 0, "msg": "success", "data": {}}, "sent"),
    ("feishu", 200, {"StatusCode": 0, "StatusMessage": "success"}, "sent"),
    ("feishu", 200, {"code": 19021, "msg": "sign match fail"}, "config"),
    ("feishu", 200, {"code": 11232, "msg": "frequency limited"}, "rate_limited"),
    ("wecom", 200, None, "transient"),  # an HTML page from a captive portal or proxy
    ("wecom", 502, None, "transient"),
    ("dingtalk", 429, None, "rate_limited"),
    ("feishu", 200, {"code": 9499, "msg": "too many request"}, "rate_limited"),
    ("wecom", 404, None, "transient"),
    ("wecom", 404, {"errmsg": "not found"}, "config"),
])
def test_replies_are_read_by_their_code_not_their_status(kind: str, status: int, reply: object, verdict: str) -> None:
    assert classify(kind, status, reply, None).verdict == verdict


@pytest.mark.parametrize("kind, status, reply, chinese, english", [
    ("wecom", 200, {"errcode": 93000, "errmsg": "invalid webhook url"},
     "webhook 的 key 有误，或机器人已被移除（93000：invalid webhook url）",
     "the webhook key is wrong or the robot was removed (93000: invalid webhook url)"),
    ("feishu", 200, {"code": 19021, "msg": "sign match fail"},
     "签名被拒绝（密钥有误，或本机时钟不准）（19021：sign match fail）",
     "the signature was refused (secret wrong, or this computer's clock is off) (19021: sign match fail)"),
    ("wecom", 404, {"errmsg": "not found"}, "HTTP 404：webhook 地址有误（not found）",
     "HTTP 404: the webhook address is wrong (not found)"),
    ("wecom", 502, None, "机器人服务器返回 HTTP 502", "the robot's server answered HTTP 502"),
    ("wecom", 200, None, "HTTP 200，应答不是机器人的", "HTTP 200 with an answer that is not the robot's"),
    ("dingtalk", 429, None, "HTTP 429：请求过于频繁", "HTTP 429 too many requests"),
])
def test_what_a_reply_means_is_said_in_the_readers_language_beside_the_robots_own_words(
        kind: str, status: int, reply: object, chinese: str, english: str) -> None:
    from launchpad.phrases import render

    said = classify(kind, status, reply, None).message
    assert chinese in render(said, "zh") and english == render(said, "en") == str(said)


def test_retry_after_is_honoured() -> None:
    assert classify("wecom", 429, None, "7").retry_after == 7.0
    assert classify("wecom", 429, None, "soon").retry_after is None


def test_payloads_and_signatures() -> None:
    url, payload = build_request("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", None,
                                 "markdown", "t", "正文", now=1_700_000_000.5)
    assert payload == {"msgtype": "markdown", "markdown": {"content": "正文"}} and url.endswith("key=K")
    url, payload = build_request("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T", "SEC1",
                                 "markdown", "日报", "正文", now=1_700_000_000.5)
    query = parse_qs(urlsplit(url).query)
    assert query["timestamp"] == ["1700000000500"] and query["access_token"] == ["T"]
    assert query["sign"] == ["gr4PvsdR5VWsd/SeS6HzgM4+8vxCvVNXpWN3iKyplmI="]
    assert payload == {"msgtype": "markdown", "markdown": {"title": "日报", "text": "正文"}}
    _url, payload = build_request("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/T", "s3",
                                  "text", "", "正文", now=1_700_000_000.5)
    assert payload["timestamp"] == "1700000000" and payload["content"] == {"text": "正文"}
    assert payload["sign"] == "eadg3K8D5pJHina1SanWPdQUcpqxvN+0kGvFxsngPzI="
