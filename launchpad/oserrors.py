"""Why the system refused (an OSError's reason), said in the reader's language.

`exc.strerror` is the C library's English ("Permission denied"), and inside a Chinese sentence
it reads "无法写入 /x：Permission denied". `os_reason(exc)` gives a phrase of the word-book for
the errors a field engineer meets (a missing file, no permission, a full disk, a refused
connection, a name DNS does not know …), to pass as the `reason` of the sentence that names
the file or the address: a phrase inside a phrase renders in that sentence's language. Any
other error keeps the system's own words, which are still the best detail there is.

TLS errors are OSErrors too, but their numbers are OpenSSL's, not errno's (a certificate that
fails verification has number 1, which errno calls "permission denied"): they are said by what
went wrong with the certificate or the handshake instead.
"""

from __future__ import annotations

import errno
import re
import socket
import sys

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


# OpenSSL's verification codes (X509_V_ERR_…) → the word-book's key for them
CERTIFICATE_REASONS: dict[int, str] = {
    9: "os.tls_not_yet_valid",  # CERT_NOT_YET_VALID
    10: "os.tls_expired",  # CERT_HAS_EXPIRED
    18: "os.tls_self_signed",  # DEPTH_ZERO_SELF_SIGNED_CERT
    2: "os.tls_untrusted",  # UNABLE_TO_GET_ISSUER_CERT
    19: "os.tls_untrusted",  # SELF_SIGNED_CERT_IN_CHAIN: an intranet CA this computer was not given
    20: "os.tls_untrusted",  # UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    21: "os.tls_untrusted",  # UNABLE_TO_VERIFY_LEAF_SIGNATURE
    62: "os.tls_wrong_name",  # HOSTNAME_MISMATCH
    64: "os.tls_wrong_name",  # IP_ADDRESS_MISMATCH
}
# OpenSSL's reasons for a failed handshake or certificate file → the word-book's key for them
TLS_REASONS: dict[str, str] = {
    "WRONG_VERSION_NUMBER": "os.tls_not_tls",  # https:// to a port that speaks plain HTTP
    "HTTP_REQUEST": "os.tls_not_tls",
    "UNEXPECTED_EOF_WHILE_READING": "os.tls_closed",
    "NO_CERTIFICATE_OR_CRL_FOUND": "os.tls_no_certificate",  # a ca_file that is not PEM
    "NO_START_LINE": "os.tls_no_certificate",
}


def os_reason(exc: OSError) -> Said:
    """Why `exc` happened, as the reason inside a sentence that says what could not be done."""
    said = _tls_reason(exc)
    if said is not None:
        return said
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


def _tls_reason(exc: OSError) -> Said | None:
    """What went wrong with TLS, when `exc` is an ssl error; None for any other error."""
    if not _is_ssl_error(exc):
        return None
    known = tls_known_reason(exc)
    return known if known is not None else phrase("os.tls_failed", detail=openssl_detail(exc) or type(exc).__name__)


def tls_known_reason(exc: OSError) -> Said | None:
    """The word-book's words for why TLS failed (a certificate problem, not TLS on that port,
    the connection closed …), without saying again that TLS failed: for a sentence that already
    does. None when `exc` is no ssl error, or OpenSSL gave a reason the word-book does not know
    (`openssl_detail` gives OpenSSL's own words then)."""
    if not _is_ssl_error(exc):
        return None
    ssl = sys.modules["ssl"]  # there: `exc` is one of its errors

    # OpenSSL fills these attributes; an SSLError raised by Python code may lack them.
    reason, library = getattr(exc, "reason", None), getattr(exc, "library", None)
    if isinstance(exc, ssl.SSLCertVerificationError):
        key = CERTIFICATE_REASONS.get(getattr(exc, "verify_code", None) or 0)
        detail = getattr(exc, "verify_message", None) or reason or openssl_detail(exc)
        return phrase(key) if key is not None else phrase("os.tls_certificate", detail=detail)
    if isinstance(exc, ssl.SSLEOFError | ssl.SSLZeroReturnError):
        return phrase("os.tls_closed")
    key = TLS_REASONS.get(reason or "")
    if key is None and library in ("PEM", "X509"):
        key = "os.tls_no_certificate"  # loading a certificate file: what is in it is not one
    return phrase(key) if key is not None else None


def openssl_detail(exc: OSError) -> str:
    """OpenSSL's own name for what went wrong (`SSLV3_ALERT_HANDSHAKE_FAILURE`), or else its
    message without the `(_ssl.c:1006)` of Python's source; "" when it said nothing."""
    reason = getattr(exc, "reason", None)
    if reason:
        return str(reason)
    said = exc.strerror or (str(exc.args[0]) if len(exc.args) == 1 else "")
    return re.sub(r"\s*\(_ssl\.c:\d+\)$", "", said).strip()


def _is_ssl_error(exc: OSError) -> bool:
    """ssl is looked up, not imported: no ssl error can exist before something imported it."""
    ssl = sys.modules.get("ssl")
    return ssl is not None and isinstance(exc, ssl.SSLError)
