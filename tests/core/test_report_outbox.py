"""The outbox's state transitions with stand-in robots (the real ones, over HTTP, are in
tests/integration/test_notify*.py): queued → sending → sent, in order, each message once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from launchpad.errors import UsageError
from launchpad.notify.deliver import ContentRefused, DeliveryFailed, DeliveryUncertain
from launchpad.notify.outbox import Attachment, Outbox, OutboxMessage
from launchpad.notify.send import RobotFactory, flush, queue_message
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.site import Site
from tests.workspaces import LOCAL_SITE, write_workspace

CHANNELS = "channels:\n  group: {kind: wecom, webhook: env:X}\n  ding: {kind: dingtalk, webhook: env:Y}\n"


class StandInRobot:
    """Records what it was given; fails or is interrupted on the texts it is told to."""

    def __init__(self, posted: list[str], failing: set[str], interrupting: set[str],
                 refusing: tuple[str, ...] = (), unanswered: tuple[str, ...] = ()) -> None:
        self.posted, self.failing, self.interrupting = posted, failing, interrupting
        self.refusing, self.unanswered = refusing, unanswered

    def prepare(self) -> None:
        pass

    def close(self) -> None:
        pass

    def deliver(self, message: OutboxMessage, attachments: Sequence[Attachment]) -> str:
        self.post(message.format, message.title, message.body)
        return ""

    def post(self, fmt: str, title: str, body: str) -> None:
        if body in self.interrupting:
            raise KeyboardInterrupt
        if body in self.failing:
            raise DeliveryFailed("no network")
        if body in self.refusing:
            raise ContentRefused("40058: content contains sensitive words")
        if body in self.unanswered:
            raise DeliveryUncertain("no answer came back: ReadTimeout")
        self.posted.append(body)


@pytest.fixture
def site_and_store(tmp_path: Path) -> tuple[Site, Store]:
    workspace = load_workspace(write_workspace(tmp_path / "ws", LOCAL_SITE + CHANNELS))
    return workspace.site, Store.open(workspace.store_path)


def robots(posted: list[str], failing: tuple[str, ...] = (), interrupting: tuple[str, ...] = ()) -> RobotFactory:
    return lambda name, site: StandInRobot(posted, set(failing), set(interrupting))


def test_sent_once_in_order_and_failures_stop_only_their_channel(site_and_store: tuple[Site, Store]) -> None:
    site, store = site_and_store
    for text, channel in (("一", "group"), ("二", "group"), ("甲", "ding"), ("三", "group"), ("乙", "ding")):
        queue_message(store, site, channel, text, "text")
    posted: list[str] = []
    result = flush(store, site, robot_for=robots(posted, failing=("二",)))
    assert posted == ["一", "甲", "乙"]  # group stopped at 二, so 三 waits behind it
    assert [(m.body, str(e.message)) for m, e in result.failed] == [("二", "no network")]
    queued = Outbox(store).messages(("queued",))
    assert [(m.body, m.last_error) for m in queued] == [("二", "no network"), ("三", "")]
    flush(store, site, robot_for=robots(posted))
    assert posted == ["一", "甲", "乙", "二", "三"]
    assert flush(store, site, robot_for=robots(posted)).sent == []


def test_the_same_key_never_queues_twice(site_and_store: tuple[Site, Store]) -> None:
    site, store = site_and_store
    first = queue_message(store, site, "group", "发布通知", "text", dedupe_key="run 3 step notice")
    again = queue_message(store, site, "group", "发布通知（改）", "text", dedupe_key="run 3 step notice")
    assert first == again and [m.body for m in Outbox(store).messages()] == ["发布通知"]


def test_an_interrupted_send_is_unknown_until_a_person_decides(site_and_store: tuple[Site, Store]) -> None:
    site, store = site_and_store
    queue_message(store, site, "group", "日报", "text")
    posted: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        flush(store, site, robot_for=robots(posted, interrupting=("日报",)))
    outbox = Outbox(store)
    message = outbox.messages()[0]
    assert message.status == "unknown" and "check the group" in message.last_error
    assert flush(store, site, robot_for=robots(posted)).sent == []  # never re-sent by itself
    outbox.requeue(message.id)  # a person looked at the group: it never arrived
    with pytest.raises(UsageError, match="only unknown, failed, dropped or drafted"):
        outbox.requeue(message.id)
    assert [m.body for m in flush(store, site, robot_for=robots(posted)).sent] == ["日报"]
    with pytest.raises(UsageError, match="only queued, unknown, failed or drafted"):
        outbox.drop(message.id)


def test_parts_of_a_message_go_in_order(site_and_store: tuple[Site, Store]) -> None:
    site, store = site_and_store
    long_text = "\n".join(f"{n}. 登录页面白屏，负责人张三，截止明天" for n in range(200))
    batch = queue_message(store, site, "group", long_text, "markdown")
    parts = Outbox(store).messages(batch=batch)
    assert len(parts) > 1
    posted: list[str] = []
    flush(store, site, robot_for=robots(posted, failing=(parts[1].body,)))
    assert posted == [parts[0].body]
    flush(store, site, robot_for=robots(posted))
    assert posted == [part.body for part in parts]


def test_refused_content_fails_and_an_unanswered_send_is_unknown_neither_blocks_the_channel(
        site_and_store: tuple[Site, Store]) -> None:
    site, store = site_and_store
    for text in ("一", "拒收", "二"):
        queue_message(store, site, "group", text, "text")
    posted: list[str] = []
    refused = flush(store, site, robot_for=lambda name, site: StandInRobot(posted, set(), set(), refusing=("拒收",)))
    assert posted == ["一", "二"] and [m.body for m, _e in refused.failed] == ["拒收"]
    outbox = Outbox(store)
    assert [(m.body, m.status) for m in outbox.messages()] == [("一", "sent"), ("拒收", "failed"), ("二", "sent")]
    for text in ("三", "四"):
        queue_message(store, site, "group", text, "text")
    unanswered = flush(store, site, robot_for=lambda name, site: StandInRobot(posted, set(), set(), unanswered=("三",)))
    assert [m.body for m, _e in unanswered.unknown] == ["三"] and posted == ["一", "二"]  # 四 waits this flush
    assert flush(store, site, robot_for=robots(posted)).sent[0].body == "四" and posted[-1] == "四"
    assert [m.status for m in outbox.messages(("unknown", "failed"))] == ["failed", "unknown"]


def test_why_a_message_did_not_go_is_kept_and_listed_in_the_sites_language(
        site_and_store: tuple[Site, Store], tmp_path: Path) -> None:
    """The live line said why in Chinese; the outbox kept the English and `report outbox` listed it."""
    from launchpad.phrases import phrase, render
    from tests.core.test_golive import launch

    site, store = site_and_store

    class Unreachable(StandInRobot):
        def post(self, fmt: str, title: str, body: str) -> None:
            if body == "interrupted":
                raise KeyboardInterrupt
            raise DeliveryFailed(phrase("robot.unreachable", where="127.0.0.1", error="connection refused"))

    reached: RobotFactory = lambda name, site: Unreachable([], set(), set())  # noqa: E731
    queue_message(store, site, "group", "日报", "text")
    flush(store, site, robot_for=reached)
    queue_message(store, site, "ding", "interrupted", "text")
    with pytest.raises(KeyboardInterrupt):
        flush(store, site, channel="ding", robot_for=reached)
    queued, interrupted = Outbox(store).messages()
    assert "cannot reach" in queued.last_error  # the English stays for logs and older readers
    assert render(queued.reason, "zh") == "无法连接127.0.0.1：connection refused"
    assert "check the group" not in render(interrupted.reason, "zh")
    listed = launch(tmp_path / "ws", "report", "outbox").output
    assert "无法连接" in listed and "cannot reach" not in listed and "mid-send" not in listed
