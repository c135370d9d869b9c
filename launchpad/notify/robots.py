"""What each chat robot expects and answers: WeCom group robot, DingTalk custom robot and
Feishu custom bot — payloads, size limits, signing, and how to read a reply.

All three answer HTTP 200 even when they refuse, with the reason in a JSON code
(`errcode` / `code`): a 200 is not a delivery. Refusals fall in three kinds that call for
different actions: rate limited (wait and retry), configuration (bad key, bad signature,
keyword or IP rule: a person must fix site.yaml or the robot, retrying cannot help), and the
rest (rejected content, server trouble).

Signing: DingTalk signs `timestamp\\nsecret` with the secret as HMAC-SHA256 key and passes
`timestamp` (ms) and `sign` in the URL; Feishu uses `timestamp\\nsecret` itself as the key over
an empty message and passes `timestamp` (s) and `sign` in the body. Both reject a timestamp
more than an hour off, so a queued message is signed when it is sent, not when it is queued.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote_plus

from launchpad.phrases import Said, phrase

# Bytes of UTF-8 per message. WeCom's are documented; DingTalk and Feishu cap the request at
# about 20 KB, so the body keeps a margin for the JSON around it.
LIMITS: dict[str, dict[str, int]] = {
    "wecom": {"markdown": 4096, "text": 2048},
    "dingtalk": {"markdown": 18000, "text": 18000},
    "feishu": {"markdown": 18000, "text": 18000},
}
# Markdown reads best where it renders; Feishu's plain text is closer to what people paste.
PREFERRED_FORMAT = {"wecom": "markdown", "dingtalk": "markdown", "feishu": "text"}

Verdict = Literal["sent", "rate_limited", "config", "rejected", "transient"]


@dataclass(frozen=True)
class RobotAnswer:
    verdict: Verdict
    code: int | None
    message: Said  # ours in the reader's language, the robot's own words as it sent them
    retry_after: float | None = None


def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: str) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def build_request(kind: str, webhook: str, secret: str | None, fmt: str, title: str, body: str,
                  now: float) -> tuple[str, dict[str, Any]]:
    """The URL and JSON payload of one message, signed as of `now` (epoch seconds)."""
    url = webhook
    if kind == "wecom":
        payload: dict[str, Any] = {"msgtype": fmt, fmt: {"content": body}}
    elif kind == "dingtalk":
        payload = ({"msgtype": "markdown", "markdown": {"title": title or body[:20], "text": body}}
                   if fmt == "markdown" else {"msgtype": "text", "text": {"content": body}})
        if secret:
            stamp = str(int(now * 1000))
            url += ("&" if "?" in url else "?") + f"timestamp={stamp}&sign={quote_plus(dingtalk_sign(secret, stamp))}"
    elif kind == "feishu":
        payload = ({"msg_type": "interactive", "card": {
                       "header": {"title": {"tag": "plain_text", "content": title or body[:20]}},
                       "elements": [{"tag": "markdown", "content": body}]}}
                   if fmt == "markdown" else {"msg_type": "text", "content": {"text": body}})
        if secret:
            stamp = str(int(now))
            payload = {"timestamp": stamp, "sign": feishu_sign(secret, stamp), **payload}
    else:
        raise ValueError(f"unknown robot kind {kind!r}")
    return url, payload


# Codes whose meaning is a setting to fix, per robot (a sample of the documented ones).
_RATE_CODES = {"wecom": {45009}, "dingtalk": {130101, 130102}, "feishu": {11232, 9499}}
_CONFIG_CODES = {
    "wecom": {93000: "key_wrong_or_removed", 40001: "key_wrong", 93004: "disabled"},
    "dingtalk": {300001: "token_wrong_or_removed", 400101: "token_wrong", 310000: "security_refused"},
    "feishu": {19001: "bot_token_wrong_or_removed", 19021: "signature_refused", 19022: "ip_not_allowed",
               19024: "keyword_missing"},
}


def classify(kind: str, status: int, reply: Any, retry_after: str | None) -> RobotAnswer:
    """Read an HTTP answer. `reply` is the decoded JSON body, or None when it was not JSON."""
    wait = _seconds(retry_after)
    if status == 429:
        return RobotAnswer("rate_limited", None, phrase("robot.answer.http_429"), wait)
    if status >= 500:
        return RobotAnswer("transient", None, phrase("robot.answer.server_error", status=status))
    if not isinstance(reply, dict):
        # A captive portal or a proxy's error page answers too: that is not the robot.
        return RobotAnswer("transient", None, phrase("robot.answer.not_the_robot", status=status))
    code_value = reply.get("errcode", reply.get("code", reply.get("StatusCode")))
    message = str(reply.get("errmsg") or reply.get("msg") or reply.get("StatusMessage") or "")
    code = int(code_value) if isinstance(code_value, int | str) and str(code_value).lstrip("-").isdigit() else None
    if status == 200 and code == 0:
        return RobotAnswer("sent", 0, message or "ok")
    if code == -1:  # WeCom's and DingTalk's "system busy": the server's trouble, not the content
        return RobotAnswer("transient", code, f"{code}: {message}")
    if code in _RATE_CODES[kind]:
        return RobotAnswer("rate_limited", code, f"{code}: {message}", wait)
    if code in _CONFIG_CODES[kind]:
        meaning = phrase(f"robot.code.{_CONFIG_CODES[kind][code]}")
        return RobotAnswer("config", code, phrase("robot.answer.setting", meaning=meaning, code=code, message=message))
    if status in (401, 403, 404):
        return RobotAnswer("config", code, phrase("robot.answer.wrong_address", status=status, message=message))
    return RobotAnswer("rejected", code, f"{code}: {message}" if code is not None else f"HTTP {status}: {message}")


def _seconds(header: str | None) -> float | None:
    try:
        return max(0.0, float(header)) if header else None
    except ValueError:
        return None
