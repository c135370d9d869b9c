"""A local port that leads, through an SSH connection, to an address only the host can reach.

Databases of a client system usually listen on the app server's loopback or on a network that
only the app server sees. A backup or a `sql` step connects to 127.0.0.1:<local port> on this
machine; each accepted connection becomes a direct-tcpip channel (what `ssh -L` does) and two
threads copy bytes each way until both sides are done.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from typing import Protocol

_CHUNK = 64 * 1024
log = logging.getLogger(__name__)


class ByteChannel(Protocol):
    """The part of a paramiko Channel (or a socket) the pumps use."""

    def recv(self, size: int) -> bytes: ...
    def sendall(self, data: bytes) -> None: ...
    def close(self) -> None: ...


# Opens a channel to the forward's destination for a client at (address, port).
ChannelOpener = Callable[[tuple[str, int]], ByteChannel]


class PortForward:
    """Listens on 127.0.0.1:<free port> until closed; every client gets its own channel."""

    def __init__(self, open_channel: ChannelOpener, name: str) -> None:
        self._open_channel = open_channel
        self._name = name
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._open: list[ByteChannel | socket.socket] = []
        self.failures: list[str] = []
        self._accepter = threading.Thread(target=self._accept, name=f"tunnel {name}", daemon=True)
        self._accepter.start()

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._listener.getsockname()[:2]
        return str(host), int(port)

    def close(self) -> None:
        self._closed.set()
        # shutdown() wakes the thread blocked in accept(); close() alone may not.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._lock:
            endpoints, self._open = self._open, []
        for endpoint in endpoints:
            _close(endpoint)
        self._accepter.join(timeout=2)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, peer = self._listener.accept()
            except OSError:
                return  # the listener was closed
            threading.Thread(
                target=self._serve, args=(client, peer), name="tunnel client", daemon=True
            ).start()

    def _serve(self, client: socket.socket, peer: tuple[str, int]) -> None:
        try:
            channel = self._open_channel(peer)
        except Exception as exc:  # the client only sees its connection closed: say why
            log.warning("tunnel %s: %s", self._name, exc)
            self.failures.append(str(exc))
            client.close()
            return
        if not self._track(client, channel):
            return
        upstream = threading.Thread(
            target=_pump, args=(client, channel, _end_of_input(channel)), daemon=True
        )
        upstream.start()
        _pump(channel, client, lambda: _shutdown_write(client))
        upstream.join()
        _close(client)
        _close(channel)
        with self._lock:
            self._open = [e for e in self._open if e is not client and e is not channel]

    def _track(self, client: socket.socket, channel: ByteChannel) -> bool:
        with self._lock:
            if self._closed.is_set():
                client.close()
                channel.close()
                return False
            self._open += [client, channel]
            return True


def _pump(source: ByteChannel, sink: ByteChannel, on_end: Callable[[], None]) -> None:
    """Copy until `source` ends, then tell the other side (half-close, as TCP does)."""
    try:
        while chunk := source.recv(_CHUNK):
            sink.sendall(chunk)
    except Exception:  # socket or SSH errors alike: one side went away
        pass  # closing both ends is the serving thread's job
    finally:
        with contextlib.suppress(Exception):
            on_end()


def _close(endpoint: ByteChannel | socket.socket) -> None:
    if isinstance(endpoint, socket.socket):
        # Wakes a thread blocked in recv() on it; close() alone does not on Linux.
        with contextlib.suppress(OSError):
            endpoint.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(Exception):
        endpoint.close()


def _end_of_input(channel: ByteChannel) -> Callable[[], None]:
    shutdown_write = getattr(channel, "shutdown_write", None)
    return shutdown_write if shutdown_write is not None else channel.close


def _shutdown_write(sock: socket.socket) -> None:
    sock.shutdown(socket.SHUT_WR)
