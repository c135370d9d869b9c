"""Posting one message to one robot over HTTP, with the retries a rate limit calls for.

The webhook URL carries the robot's key, so it is resolved from its secret reference here, at
the moment of sending, and never appears in an error, a log line or the store: errors name
the channel and the robot's host only. httpx is imported on first use.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from launchpad.errors import LaunchpadError
from launchpad.notify.robots import build_request, classify
from launchpad.secrets import resolve_secret
from launchpad.site import Channel, Site

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


def channel_of(site: Site, name: str) -> Channel:
    channel = site.channels.get(name)
    if channel is None:
        known = ", ".join(site.channels) or "none defined"
        raise ChannelConfigError(f"no channel {name!r} in site.yaml",
                                 hint=f"channels: {known} (add one under `channels:` in site.yaml)")
    return channel


class Robot:
    """One channel's robot. `sleep` and `clock` are injectable so tests need not wait."""

    def __init__(self, name: str, channel: Channel, *, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, client: Any = None) -> None:
        self.name, self.channel = name, channel
        self.sleep, self.clock, self.client = sleep, clock, client

    def _resolved(self) -> tuple[str, str | None]:
        label = f"channel {self.name}"
        webhook = resolve_secret(self.channel.webhook, label=f"{label} webhook")
        secret = resolve_secret(self.channel.secret, label=f"{label} secret") if self.channel.secret else None
        if not webhook.startswith(("https://", "http://")):
            raise ChannelConfigError(f"the webhook of channel {self.name} is not an http(s) URL",
                                     hint=f"check what {self.channel.webhook} holds")
        return webhook, secret

    def post(self, fmt: str, title: str, body: str) -> None:
        """Deliver or raise: ChannelConfigError (fix settings) or DeliveryFailed (try later)."""
        import httpx

        webhook, secret = self._resolved()
        host = urlsplit(webhook).hostname or "?"
        loopback = host in ("127.0.0.1", "localhost", "::1")
        waited = 0.0
        client = self.client or httpx.Client(timeout=TIMEOUT, trust_env=not loopback)
        try:
            for attempt in range(1, RATE_LIMIT_ATTEMPTS + 1):
                url, payload = build_request(self.channel.kind, webhook, secret, fmt, title, body, self.clock())
                try:
                    response = client.post(url, content=json.dumps(payload, ensure_ascii=False).encode(),
                                           headers={"Content-Type": "application/json; charset=utf-8"})
                except httpx.HTTPError as exc:
                    # The exception's text may quote the URL, key included: name the host only.
                    raise DeliveryFailed(f"cannot reach the {self.channel.kind} robot at {host} "
                                         f"(channel {self.name}): {type(exc).__name__}",
                                         hint="no network? it stays in the outbox: "
                                         "`launchpad report outbox --send` when back online") from None
                answer = classify(self.channel.kind, response.status_code, _json(response),
                                  response.headers.get("Retry-After"))
                if answer.verdict == "sent":
                    return
                if answer.verdict == "config":
                    raise ChannelConfigError(f"channel {self.name} ({self.channel.kind}): {answer.message}",
                                             hint=f"check channels.{self.name} in site.yaml and the robot's settings")
                if answer.verdict != "rate_limited" or attempt == RATE_LIMIT_ATTEMPTS:
                    raise DeliveryFailed(f"channel {self.name} ({self.channel.kind}) refused the message: "
                                         f"{answer.message}",
                                         hint="it stays in the outbox: `launchpad report outbox --send` to retry")
                pause = min(answer.retry_after or 2.0 ** attempt * 2, MAX_WAIT - waited)
                if pause <= 0:
                    raise DeliveryFailed(f"channel {self.name} is rate limited ({answer.message})",
                                         hint="wait a minute, then `launchpad report outbox --send`")
                self.sleep(pause)
                waited += pause
        finally:
            if self.client is None:
                client.close()


def _json(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
