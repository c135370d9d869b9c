"""Why the system refused (an OSError's reason), said in the reader's language.

`exc.strerror` is the C library's English ("Permission denied"), and inside a Chinese sentence
it reads "无法写入 /x：Permission denied". `os_reason(exc)` gives a phrase of the word-book for
the errors a field engineer meets (a missing file, no permission, a full disk, a refused
connection, a name DNS does not know …), to pass as the `reason` of the sentence that names
the file or the address: a phrase inside a phrase renders in that sentence's language. Any
other error keeps the system's own words, which are still the best detail there is.
"""

from __future__ import annotations

import errno
import socket

from launchpad.phrases import Said, phrase

# errno → the word-book's key for it
REASONS: dict[int, str] = {
    errno.ENOENT: "os.no_such_file",
    errno.EACCES: "os.no_permission",
    errno.EPERM: "os.no_permission",
    errno.ENOSPC: "os.disk_full",
    errno.EDQUOT: "os.quota",
    errno.EISDIR: "os.is_folder",
    errno.ENOTDIR: "os.not_folder",
    errno.EROFS: "os.read_only",
    errno.EEXIST: "os.exists",
    errno.ENAMETOOLONG: "os.name_too_long",
    errno.EMFILE: "os.too_many_open",
    errno.ENFILE: "os.too_many_open",
    errno.ELOOP: "os.link_loop",
    errno.EIO: "os.io_error",
    errno.ETIMEDOUT: "os.timed_out",
    errno.ECONNREFUSED: "os.refused",
    errno.EHOSTUNREACH: "os.host_unreachable",
    errno.ENETUNREACH: "os.network_unreachable",
}

# A name lookup's failures (socket.gaierror) have numbers of their own, apart from errno's.
UNKNOWN_NAME = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}

# Python raises some of these without a number (`socket.timeout` is TimeoutError("timed out")):
# the class says which it is.
BY_CLASS: dict[type[OSError], int] = {
    FileNotFoundError: errno.ENOENT,
    PermissionError: errno.EACCES,
    IsADirectoryError: errno.EISDIR,
    NotADirectoryError: errno.ENOTDIR,
    FileExistsError: errno.EEXIST,
    TimeoutError: errno.ETIMEDOUT,
    ConnectionRefusedError: errno.ECONNREFUSED,
}


def os_reason(exc: OSError) -> Said:
    """Why `exc` happened, as the reason inside a sentence that says what could not be done."""
    if isinstance(exc, socket.gaierror):
        if exc.errno in UNKNOWN_NAME:
            return phrase("os.unknown_name")
        return phrase("os.dns_no_answer" if exc.errno == socket.EAI_AGAIN else "os.name_unresolved")
    number = exc.errno if exc.errno is not None else next(
        (code for kind, code in BY_CLASS.items() if isinstance(exc, kind)), None)
    key = REASONS.get(number) if number is not None else None
    if key is not None:
        return phrase(key)
    # The system's own words; a bare class name rather than nothing when it gave none.
    return exc.strerror or str(exc) or type(exc).__name__
