"""Why an HTTP request failed (an httpx exception), said in the reader's language.

httpx says it in English and in its own terms ("ConnectError: [Errno 111] Connection
refused", "ReadTimeout: timed out"), and inside a Chinese sentence that reads "请求失败：
ConnectError: …". `http_reason(exc)` gives a phrase of the word-book instead, to pass as the
reason of the sentence that names the address: timed out connecting, or waiting for the answer;
too many redirects; an address that is not one; the server closing the connection; and, for a
connection the system refused (nothing listening, a name DNS does not know, a TLS certificate
this computer does not trust), the reason `os_reason` gives for the OSError underneath. Any
other failure keeps httpx's class name and words, the best detail there is.

httpx is imported here only when an exception of it is already in hand: never at start-up.
"""

from __future__ import annotations

import re

from launchpad.oserrors import os_reason
from launchpad.phrases import Said, phrase

# httpx's class name → the word-book's key for it: the failures its class says all about.
# (By name, most specific first, so a subclass httpx adds later still finds its parent's words.)
BY_CLASS: tuple[tuple[str, str], ...] = (
    ("ConnectTimeout", "httperr.connect_timeout"),
    ("ReadTimeout", "httperr.read_timeout"),
    ("WriteTimeout", "httperr.write_timeout"),
    ("PoolTimeout", "httperr.pool_timeout"),
    ("TimeoutException", "httperr.timeout"),
    ("TooManyRedirects", "httperr.too_many_redirects"),
    ("UnsupportedProtocol", "httperr.invalid_url"),
    ("InvalidURL", "httperr.invalid_url"),
    ("DecodingError", "httperr.undecodable"),
)

# httpcore's and h11's words when the server hung up before its answer was complete
_HUNG_UP = re.compile(r"disconnected|closed connection", re.IGNORECASE)


def http_reason(exc: Exception, *, quote: bool = True) -> Said:
    """Why the request failed, as the reason inside a sentence that names the address.
    `quote=False` never repeats the exception's own words, which may quote the URL (a robot's
    webhook holds its key): what no phrase covers is then said by the class name alone."""
    cause = _os_error_under(exc)
    names = {kind.__name__ for kind in type(exc).__mro__}
    for name, key in BY_CLASS:
        if name in names:
            return phrase(key)
    if "RemoteProtocolError" in names:
        if _HUNG_UP.search(str(exc)):
            return phrase("httperr.closed")
        return phrase("httperr.not_http", detail=str(exc) if quote else type(exc).__name__)
    if "NetworkError" in names and cause is not None:
        if isinstance(cause, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
            return phrase("httperr.closed")
        # refused, no route, a name DNS does not know, a certificate this computer does not trust …
        return os_reason(cause)
    text = str(exc) if quote else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _os_error_under(exc: BaseException) -> OSError | None:
    """The OSError httpx's exception was raised from (httpx ← httpcore ← the socket's), if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None
