"""Keeping secret values out of what a comparison shows and stores.

A key that looks secret (password, secret, token, key, credential …) never has its value
shown: it appears as a short tag. The tag is an HMAC under a key made for one comparison and
then forgotten, so equal values get equal tags within one report (the reader still sees which
hosts agree) while a tag cannot be looked up in a dictionary of common passwords, as a plain
hash of `123456` could. A password inside a URL (`jdbc:mysql://app:PW@db/x`, `?password=PW`)
is cut out of a value that is otherwise shown.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

SECRET_WORDS = ("password", "passwd", "pwd", "secret", "token", "key", "credential", "credentials",
                "private", "signature", "salt", "passphrase", "auth")
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_URL_USERINFO = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^/@:\s]*:)(?P<secret>[^/@\s]+)(?P<tail>@)")
_QUERY_SECRET = re.compile(r"(?P<head>[?&;](?P<name>[^=&;#\s]+)=)(?P<secret>[^&;#\s]*)")
HIDDEN = "***"
# Control characters and invisible direction marks a value may hold: shown as escapes, so a
# value cannot move the cursor, recolour a terminal or reorder a line (`\u202e`).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def printable(text: str) -> str:
    """`text` on one line with every control or invisible character written as an escape."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def is_secret_key(key: str) -> bool:
    """Whether a key names a secret: one of its words (split at dots, dashes, underscores and
    camelCase) is, or ends with, a secret word: `db.password`, `appSecret`, `ACCESS_KEY`,
    `apikey`. Masking a harmless key costs a look at the file; showing a password costs more."""
    words = [w.lower() for w in _WORD.findall(key)]
    return any(word.endswith(secret) or word.startswith("passw") for word in words for secret in SECRET_WORDS)


def redact_inline(value: str) -> str:
    """`value` with passwords embedded in URLs replaced by ***."""
    value = _URL_USERINFO.sub(lambda m: m["head"] + HIDDEN + m["tail"], value)
    return _QUERY_SECRET.sub(
        lambda m: m["head"] + (HIDDEN if is_secret_key(m["name"]) else m["secret"]), value
    )


class Masker:
    """Turns values into what may be shown; one per comparison (see the module's docstring)."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)

    def tag(self, value: str) -> str:
        return hmac.new(self._key, value.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()[:8]

    def shown(self, key: str, value: str) -> tuple[str, bool]:
        """(what may be shown, whether it is a secret's tag)."""
        if is_secret_key(key):
            return f"#{self.tag(value)}", True
        redacted = redact_inline(value)
        if redacted != value:
            # Two URLs differing only in their password must still look different.
            return f"{redacted} #{self.tag(value)}", True
        return value, False
