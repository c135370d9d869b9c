"""The demo's stand-in for the chat group's robot: it answers like a WeCom robot, keeps what
it received in `.launchpad/demo-robot.jsonl` and shows it on a page, so a newcomer's
`launchpad report daily --send group` really goes somewhere they can look at.

Served by the demo web app (`POST /robot/send`, `GET /robot`); the demo's `group` channel in
site.yaml points at it.
"""

from __future__ import annotations

import html
import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

RECEIVED_FILE = "demo-robot.jsonl"
MAX_BODY = 1024 * 1024
_writing = threading.Lock()


def robot_page_url(test_port: int) -> str:
    return f"http://127.0.0.1:{test_port}/robot"


def robot_webhook(test_port: int) -> str:
    return f"http://127.0.0.1:{test_port}/robot/send?key=demo"


def receive(state_dir: Path, body: bytes) -> dict[str, Any]:
    """Record one posted message; the answer a WeCom robot would give."""
    try:
        payload = json.loads(body)
        kind = payload["msgtype"]
        content = str(payload[kind]["content"])
    except (ValueError, KeyError, TypeError):
        return {"errcode": 40008, "errmsg": "invalid message type"}
    entry = {"at": datetime.now().astimezone().isoformat(timespec="seconds"), "msgtype": kind, "content": content}
    with _writing, (state_dir / RECEIVED_FILE).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return {"errcode": 0, "errmsg": "ok"}


def received(state_dir: Path) -> list[dict[str, Any]]:
    try:
        lines = (state_dir / RECEIVED_FILE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [json.loads(line) for line in lines if line.strip()]


def robot_page(state_dir: Path) -> str:
    messages = received(state_dir)
    items = "".join(
        f"<li><p>{html.escape(m['at'])} · {html.escape(m['msgtype'])}</p><pre>{html.escape(m['content'])}</pre></li>"
        for m in reversed(messages)
    ) or "<li>还没有收到消息。试试 <code>launchpad report daily --send group</code></li>"
    return ("<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>演示群机器人</title>"
            "<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto}pre{white-space:pre-wrap;"
            "background:#f4f4f4;padding:.8rem}</style></head><body><h1>演示群机器人收到的消息</h1>"
            f"<p>共 {len(messages)} 条，最新的在前（本机替身，代替企业微信群机器人）。</p>"
            f"<ol>{items}</ol></body></html>")
