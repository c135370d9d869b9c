"""Knowing, within a bound, that an SSH connection has died.

paramiko's own keepalive asks for no reply, so it cannot tell a quiet server from a cut
network, and a wait on a cut connection lasts as long as TCP retries: a quarter of an hour.
A `Heartbeat` asks the server for a reply every `interval` seconds; when nothing has been
heard for `dead_after` seconds it closes the transport, which wakes every wait on that
connection (including paramiko's own waits that take no timeout, such as an exec request's
reply), so each fails with `ConnectionLost` instead of hanging.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import paramiko

# How often the watchdog looks at the silence, at most: a bound of 20 s is kept to ~1 s.
_WATCH_PERIOD = 1.0


class Heartbeat:
    """Two daemon threads per connection: one asks, one watches the silence."""

    def __init__(
        self, transport: paramiko.Transport, *, interval: float, dead_after: float, name: str
    ) -> None:
        self._transport = transport
        self._interval = interval
        # An answer can only come after a question: a bound shorter than two intervals would
        # declare healthy connections dead between heartbeats.
        self.dead_after = max(dead_after, 2 * interval)
        self.declared_dead = False
        self._last_answer = time.monotonic()
        self._stopped = threading.Event()
        for role, target in (("asks", self._ask), ("watches", self._watch)):
            threading.Thread(target=target, name=f"heartbeat {role} {name}", daemon=True).start()

    def saw_traffic(self) -> None:
        """Data arrived: as good as an answer (a reply may wait behind a busy stream)."""
        self._last_answer = time.monotonic()

    def silent_for(self) -> float:
        return time.monotonic() - self._last_answer

    def silent_too_long(self) -> bool:
        return self.declared_dead or self.silent_for() > self.dead_after

    def stop(self) -> None:
        self._stopped.set()

    def _ask(self) -> None:
        while not self._stopped.wait(self._interval):
            if not self._transport.is_active():
                return
            try:
                # OpenSSH answers an unknown request with a failure: any answer proves it
                # alive. On a dead network this blocks until the watchdog closes the transport.
                self._transport.global_request("keepalive@openssh.com", wait=True)
            except Exception:  # the connection is dying; whoever uses it will say so
                if self._transport.is_active():
                    continue  # a slow key exchange ("Key-exchange timed out"): ask again
                return
            if self._transport.is_active():
                self._last_answer = time.monotonic()

    def _watch(self) -> None:
        while not self._stopped.wait(min(_WATCH_PERIOD, self._interval)):
            if not self._transport.is_active():
                return
            if self.silent_for() > self.dead_after:
                self.declared_dead = True
                with contextlib.suppress(Exception):  # closing a dead connection may complain
                    self._transport.close()
                return
