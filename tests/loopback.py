"""A real HTTP server on loopback for a test, on a free port, stopped when the test ends; one
that answers too late for any timeout; and a port nothing listens on."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def answering_late() -> Iterator[str]:
    """The URL of a server that reads each request and answers only when the test is over:
    a client's read times out, whatever its timeout, with no sleep in the test."""
    over = threading.Event()

    class Late(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            over.wait(60)  # released when the test ends; 60 s only so a stuck test cannot hang the run
            with contextlib.suppress(OSError):  # the client gave up long ago
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        do_POST = do_GET

        def log_message(self, *_args: object) -> None:
            pass

    with serving(Late) as server:
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            over.set()


def closed_port() -> int:
    """A port on 127.0.0.1 that was just free: bound, then released without listening."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
