"""Sending through the outbox: queue a message (split to the robot's size; a mail is one
part, with its files), then flush — the one path for the daily report, notices and the
`announce` step, in the CLI and the TUI, to robots and to mail channels alike.

A flush sends each channel's messages in order and stops a channel at its first failure, so
a later part never arrives before an earlier one; other channels go on. What could not go
stays queued, with its reason, for the next flush. Two endings do not stop the channel for
ever: a message the robot refused for its content is failed (the rest go on), and one whose
request went out unanswered is unknown (a person checks the group). What became of every
message, to a robot or by mail (a mail with its Message-ID and the recipients the server
refused), goes to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from launchpad.errors import LaunchpadError, SecretUnavailable
from launchpad.notify.deliver import ChannelConfigError, ContentRefused, DeliveryUncertain, Robot, channel_of, kind_said
from launchpad.notify.mail import FORMATS as MAIL_FORMATS
from launchpad.notify.mail import Mailer
from launchpad.notify.outbox import Attachment, Outbox, OutboxMessage
from launchpad.notify.robots import LIMITS, PREFERRED_FORMAT
from launchpad.notify.split import split_message
from launchpad.phrases import Phrase, Said, phrase, render
from launchpad.store.db import Store
from launchpad.workspace.site import MailChannel, Site


class ChannelPoster(Protocol):
    """What a flush needs of a channel: `Robot` posts over HTTP, `Mailer` sends by SMTP."""

    def prepare(self) -> None: ...

    def deliver(self, message: OutboxMessage, attachments: Sequence[Attachment]) -> Said:
        """Send one claimed message; returns a note to keep beside it, or ""."""
        ...

    def close(self) -> None: ...


RobotFactory = Callable[[str, Site], ChannelPoster]


def default_robot(name: str, site: Site) -> ChannelPoster:
    channel = channel_of(site, name)
    if isinstance(channel, MailChannel):
        return Mailer(name, channel, site)
    return Robot(name, channel)


@dataclass
class FlushReport:
    sent: list[OutboxMessage] = field(default_factory=list)
    failed: list[tuple[OutboxMessage, LaunchpadError]] = field(default_factory=list)  # queued, or failed
    unknown: list[tuple[OutboxMessage, LaunchpadError]] = field(default_factory=list)  # asked, unanswered
    abandoned: list[int] = field(default_factory=list)  # found mid-send from a dead process


@dataclass(frozen=True)
class Delivery:
    """What became of one message: all parts sent, or the first error (the rest queued)."""

    channel: str
    batch: str
    parts: int
    sent: int
    error: LaunchpadError | None
    # A copy under the same dedupe key had gone out in full already (when, UTC): nothing was
    # posted this time.
    sent_before: str | None = None

    @property
    def delivered(self) -> bool:
        return self.sent == self.parts


# A mail reads best as the text a person would paste; its HTML part is made from that text.
MAIL_FORMAT = "text"


def format_for(site: Site, channel: str, requested: str | None = None) -> str:
    kind = channel_of(site, channel).kind
    return requested or (MAIL_FORMAT if kind == "email" else PREFERRED_FORMAT[kind])


def queue_message(store: Store, site: Site, channel: str, body: str, fmt: str, title: str = "",
                  lang: str = "zh", dedupe_key: str | None = None, supersedes: str | None = None,
                  attachments: Sequence[Attachment] = ()) -> str:
    """Split and queue a message for `channel`; returns its batch. Refuses an unknown channel
    or format before queueing: a message that can never go must not wait for ever. A mail is
    one part and carries `attachments`; a robot takes the text alone."""
    spec = channel_of(site, channel)
    if isinstance(spec, MailChannel):
        if fmt not in MAIL_FORMATS:
            raise ChannelConfigError(phrase("send.mail_format", format=fmt))
        return Outbox(store).enqueue(channel, spec.kind, fmt, title, [body], dedupe_key, supersedes,
                                     attachments=attachments, mail_domain=spec.domain)
    kind = spec.kind
    if fmt not in LIMITS[kind]:
        raise ChannelConfigError(phrase("send.robot_format", kind=kind_said(kind), format=fmt))
    parts = split_message(body, LIMITS[kind][fmt],
                          marker=lambda part, total: render(phrase("notify.part", part=part, parts=total), lang))
    return Outbox(store).enqueue(channel, kind, fmt, title, parts, dedupe_key, supersedes)


def flush(store: Store, site: Site, *, channel: str | None = None, batch: str | None = None,
          robot_for: RobotFactory = default_robot) -> FlushReport:
    """Send what is queued (one channel or batch, or everything)."""
    outbox = Outbox(store)
    report = FlushReport(abandoned=outbox.recover_abandoned())
    stopped: set[str] = set()
    robots: dict[str, ChannelPoster] = {}
    try:
        while True:
            message = _next(outbox, channel, batch, stopped)
            if message is None:
                return report
            try:
                robot = robots.get(message.channel) or robot_for(message.channel, site)
                robots[message.channel] = robot
                robot.prepare()
            except LaunchpadError as exc:
                # Nothing was claimed or sent: the message stays queued with the reason.
                error = ChannelConfigError(exc.message, hint=exc.hint) if isinstance(exc, SecretUnavailable) else exc
                outbox.note(message.id, error.said)
                report.failed.append((message, error))
                _audit_send(outbox, message, "not_sent", error.message)
                stopped.add(message.channel)
                continue
            if outbox.claim(message.id):
                _post(outbox, robot, message, report, stopped)
    finally:
        for robot in robots.values():
            robot.close()


def _post(outbox: Outbox, robot: ChannelPoster, message: OutboxMessage, report: FlushReport, stopped: set[str]) -> None:
    """Send one claimed message and record how it ended."""
    attachments = outbox.attachments(message.batch) if message.kind == "email" else []
    try:
        note = robot.deliver(message, attachments)
    except ContentRefused as exc:
        outbox.fail(message.id, exc.said)
        report.failed.append((message, exc))
        _audit_send(outbox, message, "refused", exc.message)
    except DeliveryUncertain as exc:
        outbox.abandon(message.id, exc.said)
        report.unknown.append((message, exc))
        stopped.add(message.channel)
        _audit_send(outbox, message, "unknown", exc.message)
    except LaunchpadError as exc:
        outbox.release(message.id, exc.said)
        report.failed.append((message, exc))
        stopped.add(message.channel)
        _audit_send(outbox, message, "not_sent", exc.message)
    except BaseException:
        # Ctrl-C or a bug mid-request: the robot may have the message already.
        outbox.abandon(message.id, phrase("outbox.interrupted_mid_send"))
        raise
    else:
        outbox.mark_sent(message.id, note)
        report.sent.append(message)
        _audit_send(outbox, message, "sent", str(note))


def _audit_send(outbox: Outbox, message: OutboxMessage, result: str, said: str) -> None:
    """Every attempt to send, for the record: what (title, part, first line), to which channel,
    and how it ended (`robot_sent`, `mail_refused`, `robot_unknown`, `mail_not_sent`…). This is
    the one place every sender passes — the daily report, release notices, the `announce` step,
    `outbox flush`, the CLI and the TUI — so none can send unaudited. A mail keeps its Message-ID."""
    from launchpad.session import actor_name

    detail = {"channel": message.channel, "kind": message.kind, "title": message.title, "batch": message.batch,
              "part": message.part, "parts": message.parts, "text": _first_line(message.body),
              "result": result, "said": said}
    if message.kind == "email":
        detail["message_id"] = message.message_id
    prefix = "mail" if message.kind == "email" else "robot"
    outbox.store.audit(actor_name(), f"{prefix}_{result}", f"outbox {message.id} → {message.channel}", detail)


def _first_line(body: str) -> str:
    from launchpad.safetext import one_line

    return one_line(next((line for line in body.splitlines() if line.strip()), ""))[:80]


def _next(outbox: Outbox, channel: str | None, batch: str | None, stopped: set[str]) -> OutboxMessage | None:
    # A stopped channel's messages stay queued; the other channels' messages still go.
    names = [channel] if channel is not None else outbox.queued_channels()
    for name in names:
        if name not in stopped and (message := outbox.next_sendable(channel=name, batch=batch)) is not None:
            return message
    return None


def send_message(store: Store, site: Site, channel: str, body: str, fmt: str | None = None, title: str = "",
                 lang: str = "zh", dedupe_key: str | None = None, supersedes: str | None = None,
                 robot_for: RobotFactory = default_robot, attachments: Sequence[Attachment] = ()) -> Delivery:
    """Queue and send one message now; what does not go stays queued (see `Delivery`)."""
    chosen = format_for(site, channel, fmt)
    sent_before = Outbox(store).sent_before(dedupe_key) if dedupe_key is not None else None
    batch = queue_message(store, site, channel, body, chosen, title, lang, dedupe_key, supersedes, attachments)
    result = flush(store, site, batch=batch, robot_for=robot_for)
    parts = Outbox(store).messages(batch=batch)
    errors = [error for _message, error in result.failed + result.unknown]
    error = errors[0] if errors else None
    if error is None and any(p.status != "sent" for p in parts):
        waiting = next(p for p in parts if p.status != "sent")
        error = LaunchpadError(phrase("send.part_waiting_error" if waiting.last_error else "send.part_waiting",
                                      part=waiting.part, parts=waiting.parts,
                                      status=Phrase("cli.outbox.state_" + waiting.status), error=waiting.reason),
                               hint=phrase("send.see_outbox"))
    return Delivery(channel, batch, len(parts), sum(1 for p in parts if p.status == "sent"), error, sent_before)
