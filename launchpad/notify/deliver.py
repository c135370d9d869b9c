"""Posting one message to one robot over HTTP, with the retries a rate limit calls for.

The webhook URL carries the robot's key, so it is resolved from its secret reference here, at
the moment of sending, and never appears in an error, a log line or the store: errors name
the channel and the robot's host only. httpx is imported on first use.

Sending is two steps so the outbox can claim a message only when its request goes out:
`prepare()` does everything that cannot reach the robot (import httpx, resolve and check the
webhook, open the client) and raises ChannelConfigError; `post()` sends. How a failed post
ends tells the outbox what the robot may have: DeliveryFailed — it has nothing (the
connection never opened, a rate limit, server trouble), send again later; ContentRefused — it
read the message and refused it for what it says, sending the same text again cannot help;
DeliveryUncertain — the request went out and no answer came back (a read timeout, a dropped
connection), so the robot may have it and only a person looking at the group can tell.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from launchpad.errors import LaunchpadError
from launchpad.httperrors import http_reason
from launchpad.notify.robots import build_request, classify
from launchpad.phrases import Phrase, phrase
from launchpad.workspace.secrets import resolve_secret
from launchpad.workspace.site import AnyChannel, Channel, Site

if TYPE_CHECKING:
    from launchpad.notify.outbox import Attachment, OutboxMessage

RATE_LIMIT_ATTEMPTS = 4
MAX_WAIT = 65.0  # WeCom and DingTalk count 20 messages a minute: one window, then give up
TIMEOUT = 15.0


class ChannelConfigError(LaunchpadError):
    """The channel cannot work as configured (unknown name, bad key, bad signature): retrying
    will not help until a person fixes site.yaml or the robot's settings."""

    title = "channel configuration"


class DeliveryFailed(LaunchpadError):
    """The message did not get through this time (no network, server trouble, rate limit that
    did not clear, content refused). It stays in the outbox."""

    title = "not sent"
    exit_code = 1


class ContentRefused(DeliveryFailed):
    """The robot read the message and refused it for its content (too long, a banned word):
    the same text will be refused again, so it is failed, not queued."""

    title = "refused by the robot"


class DeliveryUncertain(DeliveryFailed):
    """The request went out but no answer came: the robot may have posted the message."""

    title = "delivery unknown"


# Exceptions of httpx raised before a byte of the request left this computer: a message they
# stopped is certainly not in the group. Any other transport error came after the request
# started going out, so the robot may have the message.
_NEVER_SENT = ("ConnectError", "ConnectTimeout", "PoolTimeout")


def kind_said(kind: str) -> Phrase:
    """A channel's kind in words (企业微信, 钉钉, 飞书, 邮件), never its site.yaml code."""
    return phrase(f"kind.{kind}")


def channel_of(site: Site, name: str) -> AnyChannel:
    channel = site.channels.get(name)
    if channel is None:
        known = list(site.channels) or phrase("error.no_envs")
        raise ChannelConfigError(phrase("error.no_channel", name=name),
                                 hint=phrase("error.no_channel_hint", known=known))
    return channel


class Robot:
    """One channel's robot. `sleep` and `clock` are injectable so tests need not wait."""

    def __init__(self, name: str, channel: AnyChannel, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, client: Any = None, timeout: float = TIMEOUT) -> None:
        if not isinstance(channel, Channel):
            raise ChannelConfigError(phrase("error.channel_is_mail", name=name))
        self.name, self.channel = name, channel
        self.sleep, self.clock, self.client, self.timeout = sleep, clock, client, timeout
        self._ready: tuple[str, str | None, str, Any] | None = None

    def prepare(self) -> None:
        """Everything before the request: resolve and check the webhook, open the client.
        Raises ChannelConfigError (or SecretUnavailable); nothing has been sent either way."""
        if self._ready is not None:
            return
        import httpx

        webhook = resolve_secret(self.channel.webhook, label=phrase("secret.channel_webhook", channel=self.name))
        secret = (resolve_secret(self.channel.secret, label=phrase("secret.channel_secret", channel=self.name))
                  if self.channel.secret else None)
        host = self._checked_host(webhook)
        loopback = host in ("127.0.0.1", "localhost", "::1")
        client = self.client or httpx.Client(timeout=self.timeout, trust_env=not loopback)
        self._ready = (webhook, secret, host, client)

    def _checked_host(self, webhook: str) -> str:
        """The webhook's host, or ChannelConfigError naming the channel (never the URL: it
        holds the robot's key)."""
        import httpx

        hint = phrase("error.webhook_hint", reference=self.channel.webhook, name=self.name)
        if not webhook.startswith(("https://", "http://")):
            raise ChannelConfigError(phrase("error.webhook_not_http", name=self.name), hint=hint)
        if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in webhook):
            # A trailing \r from a file edited on Windows is the usual one.
            raise ChannelConfigError(phrase("error.webhook_space", name=self.name),
                                     hint=phrase("error.webhook_space_hint", hint=hint))
        try:
            host = urlsplit(webhook).hostname
            httpx.URL(webhook)
        except (ValueError, httpx.InvalidURL):
            raise ChannelConfigError(phrase("error.webhook_invalid", name=self.name),
                                     hint=phrase("error.webhook_invalid_hint", hint=hint)) from None
        if not host:
            raise ChannelConfigError(phrase("error.webhook_no_host", name=self.name), hint=hint)
        return host

    def close(self) -> None:
        if self._ready is not None and self.client is None:
            self._ready[3].close()
        self._ready = None

    def deliver(self, message: OutboxMessage, attachments: Sequence[Attachment]) -> str:
        """The outbox's way in: a robot takes the text (files cannot go to a chat group)."""
        self.post(message.format, message.title, message.body)
        return ""

    def post(self, fmt: str, title: str, body: str) -> None:
        """Deliver or raise: ChannelConfigError (fix settings), DeliveryFailed (try later),
        ContentRefused (never again as it is) or DeliveryUncertain (ask a person)."""
        import httpx

        self.prepare()
        assert self._ready is not None
        webhook, secret, host, client = self._ready
        waited = 0.0
        for attempt in range(1, RATE_LIMIT_ATTEMPTS + 1):
            url, payload = build_request(self.channel.kind, webhook, secret, fmt, title, body, self.clock())
            try:
                response = client.post(url, content=json.dumps(payload, ensure_ascii=False).encode(),
                                       headers={"Content-Type": "application/json; charset=utf-8"})
            except httpx.HTTPError as exc:
                raise self._transport_error(exc, host) from None
            answer = classify(self.channel.kind, response.status_code, _json(response),
                              response.headers.get("Retry-After"))
            if answer.verdict == "sent":
                return
            if answer.verdict == "config":
                raise ChannelConfigError(phrase("error.robot_config", name=self.name, kind=kind_said(self.channel.kind),
                                                message=answer.message),
                                         hint=phrase("error.robot_config_hint", name=self.name))
            if answer.verdict == "rejected":
                raise ContentRefused(phrase("error.robot_refused", name=self.name, kind=kind_said(self.channel.kind),
                                            message=answer.message), hint=phrase("error.robot_refused_hint"))
            if answer.verdict != "rate_limited" or attempt == RATE_LIMIT_ATTEMPTS:
                raise DeliveryFailed(phrase("error.robot_failed", name=self.name, kind=kind_said(self.channel.kind),
                                            message=answer.message), hint=phrase("error.robot_failed_hint"))
            pause = min(answer.retry_after or 2.0 ** attempt * 2, MAX_WAIT - waited)
            if pause <= 0:
                raise DeliveryFailed(phrase("error.robot_limited", name=self.name, message=answer.message),
                                     hint=phrase("error.robot_limited_hint"))
            self.sleep(pause)
            waited += pause

    def _transport_error(self, exc: Exception, host: str) -> DeliveryFailed:
        # The exception's text may quote the URL, key included: name the host only, and say why
        # in words of the word-book, never httpx's own.
        what = phrase("robot.where", kind=kind_said(self.channel.kind), host=host, channel=self.name)
        why = http_reason(exc, quote=False)
        if type(exc).__name__ in _NEVER_SENT:
            return DeliveryFailed(phrase("robot.unreachable", where=what, error=why),
                                  hint=phrase("robot.unreachable_hint"))
        return DeliveryUncertain(phrase("robot.no_answer", where=what, error=why), hint=phrase("robot.no_answer_hint"))


def _json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
