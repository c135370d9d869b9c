"""Robots on loopback: one real HTTP server answers as the WeCom group robot, the DingTalk
custom robot and the Feishu custom bot do — success, rate limited, bad key, bad signature,
content too long — and verifies the DingTalk and Feishu signatures itself."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from launchpad.notify.deliver import ChannelConfigError, DeliveryFailed, Robot, channel_of
from launchpad.notify.send import send_message
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.site import Site
from tests.workspaces import LOCAL_SITE, write_workspace

pytestmark = pytest.mark.integration

WECOM_KEY, DING_TOKEN, DING_SECRET = "wk-0d3c", "dt-7f21", "SECa1b2c3"
FEISHU_TOKEN, FEISHU_SECRET = "fs-93aa", "fsec-55"
CHANNELS = """\
channels:
  group: {kind: wecom, webhook: env:LP_WECOM_HOOK}
  ding: {kind: dingtalk, webhook: env:LP_DING_HOOK, secret: env:LP_DING_SECRET}
  lark: {kind: feishu, webhook: env:LP_FEISHU_HOOK, secret: env:LP_FEISHU_SECRET}
"""


@dataclass
class RobotLab:
    """What the robots received, and how they should answer the next requests."""

    url: str = ""
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rate_limited: dict[str, int] = field(default_factory=dict)  # kind → refusals still to give
    delay: float = 0.0  # seconds each answer takes (concurrency tests)
    hang: threading.Event | None = None  # set: answers wait until it is cleared
    arrived: int = 0  # requests read in full, answered or not
    banned: tuple[str, ...] = ()  # WeCom refuses a message containing one of these
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts(self, kind: str | None = None) -> list[str]:
        found = []
        for got_kind, payload in self.received:
            if kind is None or got_kind == kind:
                content = payload.get("markdown") or payload.get("text") or payload.get("content") or {}
                found.append(content.get("content") or content.get("text") or "")
        return found

    def _limited(self, kind: str) -> bool:
        with self.lock:
            if self.rate_limited.get(kind, 0) > 0:
                self.rate_limited[kind] -= 1
                return True
        return False

    def answer(self, path: str, query: dict[str, list[str]], payload: dict[str, Any]) -> dict[str, Any]:
        if path == "/cgi-bin/webhook/send":
            return self._wecom(query, payload)
        if path == "/robot/send":
            return self._dingtalk(query, payload)
        if path.startswith("/open-apis/bot/v2/hook/"):
            return self._feishu(path.rsplit("/", 1)[1], payload)
        return {"errcode": 404, "errmsg": "not found"}

    def _wecom(self, query: dict[str, list[str]], payload: dict[str, Any]) -> dict[str, Any]:
        if query.get("key") != [WECOM_KEY]:
            return {"errcode": 93000, "errmsg": "invalid webhook url, hint: [1700000000_1], from ip: 127.0.0.1"}
        if self._limited("wecom"):
            return {"errcode": 45009, "errmsg": "api freq out of limit"}
        kind = payload.get("msgtype", "")
        limit = {"markdown": 4096, "text": 2048}.get(kind, 0)
        content = payload.get(kind, {}).get("content", "")
        if len(content.encode()) > limit:
            return {"errcode": 40058, "errmsg": f"{kind}.content exceed max length {limit}"}
        if any(word in content for word in self.banned):
            return {"errcode": 40058, "errmsg": "content contains sensitive words"}
        self.received.append(("wecom", payload))
        return {"errcode": 0, "errmsg": "ok"}

    def _dingtalk(self, query: dict[str, list[str]], payload: dict[str, Any]) -> dict[str, Any]:
        if query.get("access_token") != [DING_TOKEN]:
            return {"errcode": 300001, "errmsg": "token is not exist"}
        stamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
        fresh = stamp.isdigit() and abs(time.time() * 1000 - int(stamp)) < 3600_000
        if not fresh or sign != expected_dingtalk_sign(stamp):
            return {"errcode": 310000, "errmsg": "sign not match, more: [https://ding-doc.dingtalk.com/doc]"}
        if self._limited("dingtalk"):
            return {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
        self.received.append(("dingtalk", payload))
        return {"errcode": 0, "errmsg": "ok"}

    def _feishu(self, token: str, payload: dict[str, Any]) -> dict[str, Any]:
        if token != FEISHU_TOKEN:
            return {"code": 19001, "msg": "param invalid: incoming webhook access token invalid", "data": {}}
        stamp = str(payload.get("timestamp", ""))
        fresh = stamp.isdigit() and abs(time.time() - int(stamp)) < 3600
        if not fresh or payload.get("sign") != expected_feishu_sign(stamp):
            return {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time",
                    "data": {}}
        if self._limited("feishu"):
            return {"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]", "data": {}}
        self.received.append(("feishu", payload))
        return {"StatusCode": 0, "StatusMessage": "success", "code": 0, "data": {}, "msg": "success"}


def expected_dingtalk_sign(stamp: str) -> str:
    """As DingTalk's documentation computes it, written out here rather than imported, so a
    mistake in launchpad's signing cannot hide in the check."""
    digest = hmac.new(DING_SECRET.encode(), f"{stamp}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def expected_feishu_sign(stamp: str) -> str:
    """Feishu's documented signature: the key is "timestamp\nsecret", the message empty."""
    digest = hmac.new(f"{stamp}\n{FEISHU_SECRET}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def start_robots(lab: RobotLab, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lab.lock:
                lab.arrived += 1
            if lab.delay:
                time.sleep(lab.delay)
            while lab.hang is not None and lab.hang.is_set():
                time.sleep(0.05)
            parts = urlsplit(self.path)
            answer = lab.answer(parts.path, parse_qs(parts.query), json.loads(body or b"{}"))
            data = json.dumps(answer).encode()
            self.send_response(200)  # like the real robots: refusals come with HTTP 200
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # The sender may have given up waiting (killed, or its read timed out).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    lab.url = f"http://127.0.0.1:{server.server_address[1]}"
    return server


def point_channels(monkeypatch: pytest.MonkeyPatch, url: str, *, wecom_key: str = WECOM_KEY,
                   ding_secret: str = DING_SECRET, feishu_token: str = FEISHU_TOKEN) -> None:
    monkeypatch.setenv("LP_WECOM_HOOK", f"{url}/cgi-bin/webhook/send?key={wecom_key}")
    monkeypatch.setenv("LP_DING_HOOK", f"{url}/robot/send?access_token={DING_TOKEN}")
    monkeypatch.setenv("LP_DING_SECRET", ding_secret)
    monkeypatch.setenv("LP_FEISHU_HOOK", f"{url}/open-apis/bot/v2/hook/{feishu_token}")
    monkeypatch.setenv("LP_FEISHU_SECRET", FEISHU_SECRET)


@pytest.fixture
def robots(monkeypatch: pytest.MonkeyPatch) -> Iterator[RobotLab]:
    lab = RobotLab()
    server = start_robots(lab)
    point_channels(monkeypatch, lab.url)
    yield lab
    server.shutdown()
    server.server_close()


def notify_workspace(root: Path) -> tuple[Site, Store]:
    workspace = load_workspace(write_workspace(root, LOCAL_SITE + CHANNELS))
    return workspace.site, Store.open(workspace.store_path)


def audited_sends(store: Store) -> list[tuple[str, str, dict[str, Any]]]:
    rows = store.read("SELECT action, target, detail FROM audit WHERE action LIKE 'robot_%' ORDER BY id", [])
    return [(row["action"], row["target"], json.loads(row["detail"])) for row in rows]


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def robot_factory(sleeps: Sleeps) -> Any:
    return lambda name, site: Robot(name, channel_of(site, name), sleep=sleeps)


@pytest.mark.parametrize("channel, kind", [("group", "wecom"), ("ding", "dingtalk"), ("lark", "feishu")])
def test_each_robot_receives_a_signed_message(robots: RobotLab, tmp_path: Path, channel: str, kind: str) -> None:
    site, store = notify_workspace(tmp_path / "ws")
    delivery = send_message(store, site, channel, "试运行日报：今日新增 3 项", title="日报")
    assert delivery.delivered and delivery.parts == 1
    assert robots.texts(kind) == ["试运行日报：今日新增 3 项"]
    (action, target, detail), = audited_sends(store)
    assert action == "robot_sent" and target.endswith(f"→ {channel}")
    assert (detail["channel"], detail["kind"], detail["title"], detail["text"], detail["result"]) == (
        channel, kind, "日报", "试运行日报：今日新增 3 项", "sent")


def test_rate_limits_are_waited_out_and_retried(robots: RobotLab, tmp_path: Path) -> None:
    site, store = notify_workspace(tmp_path / "ws")
    robots.rate_limited = {"wecom": 2, "dingtalk": 1, "feishu": 1}
    sleeps = Sleeps()
    for channel in ("group", "ding", "lark"):
        assert send_message(store, site, channel, "限流后重试", robot_for=robot_factory(sleeps)).delivered
    assert len(robots.received) == 3 and sleeps == [4.0, 8.0, 4.0, 4.0]


def test_a_rate_limit_that_does_not_clear_leaves_the_message_queued(robots: RobotLab, tmp_path: Path) -> None:
    site, store = notify_workspace(tmp_path / "ws")
    robots.rate_limited = {"wecom": 10}
    delivery = send_message(store, site, "group", "一直限流", robot_for=robot_factory(Sleeps()))
    assert not delivery.delivered and isinstance(delivery.error, DeliveryFailed)
    assert "45009" in delivery.error.message and robots.received == []


@pytest.mark.parametrize("setting, channel, expected", [
    ({"wecom_key": "k-forged-1"}, "group", "webhook key is wrong"),
    ({"ding_secret": "k-forged-1"}, "ding", "security settings refused it (310000: sign not match"),
    ({"feishu_token": "k-forged-1"}, "lark", "webhook token is wrong"),
])
def test_configuration_errors_are_clear_and_keep_the_key_secret(
        robots: RobotLab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        setting: dict[str, str], channel: str, expected: str) -> None:
    point_channels(monkeypatch, robots.url, **setting)
    site, store = notify_workspace(tmp_path / "ws")
    delivery = send_message(store, site, channel, "配置错误")
    assert isinstance(delivery.error, ChannelConfigError) and expected in delivery.error.message
    assert f"channels.{channel}" in delivery.error.hint
    assert "k-forged-1" not in delivery.error.render() and robots.url not in delivery.error.render()
    (action, _target, detail), = audited_sends(store)
    assert action == "robot_not_sent" and expected in detail["said"] and detail["channel"] == channel
    assert "k-forged-1" not in json.dumps(detail, ensure_ascii=False)


def test_a_bad_feishu_signature_is_a_configuration_error(robots: RobotLab, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LP_FEISHU_SECRET", "not-the-secret")
    site, store = notify_workspace(tmp_path / "ws")
    delivery = send_message(store, site, "lark", "签名错误")
    assert isinstance(delivery.error, ChannelConfigError) and "signature was refused" in delivery.error.message


def test_a_missing_webhook_variable_says_which(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LP_WECOM_HOOK", raising=False)
    site, store = notify_workspace(tmp_path / "ws")
    delivery = send_message(store, site, "group", "没有配置")
    assert delivery.error is not None and "LP_WECOM_HOOK is not set" in delivery.error.message
    assert [(action, detail["said"]) for action, _target, detail in audited_sends(store)] == [
        ("robot_not_sent", delivery.error.message)]


def test_unknown_channels_are_refused_before_queueing(tmp_path: Path) -> None:
    site, store = notify_workspace(tmp_path / "ws")
    with pytest.raises(ChannelConfigError, match="no channel 'nosuch'") as caught:
        send_message(store, site, "nosuch", "x")
    assert "group, ding, lark" in caught.value.hint
    assert store.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 0


def test_a_long_report_arrives_split_in_order_within_wecom_limits(robots: RobotLab, tmp_path: Path) -> None:
    site, store = notify_workspace(tmp_path / "ws")
    report = "\n\n".join(f"### 第 {n} 节\n" + "登录页面白屏，负责人张三，截止明天。\n" * 60 for n in range(1, 6))
    delivery = send_message(store, site, "group", report, fmt="markdown")
    assert delivery.delivered and delivery.parts > 3
    texts = robots.texts("wecom")
    assert len(texts) == delivery.parts and all(len(t.encode()) <= 4096 for t in texts)
    assert [t.split("\n", 1)[0] for t in texts] == [f"（第 {n}/{len(texts)} 部分）" for n in range(1, len(texts) + 1)]
    assert "".join(t.split("\n", 1)[1] for t in texts).count("登录页面白屏") == 300
