"""Reading a pasted chat from a file or stdin, whatever Windows saved it as.

Chat copied on a Chinese Windows desktop is often saved by Notepad as GBK ("ANSI") or as
UTF-16 with a byte-order mark, not as UTF-8. Those are decoded; a file that is not text at all
(a screenshot, a program, a zip) is refused rather than echoed back as bytes.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from launchpad.errors import UsageError
from launchpad.oserrors import os_reason
from launchpad.phrases import Phrase, phrase

# Text a person copied holds few control characters (a vertical tab from Word, an ESC);
# a binary file decoded by GB18030, which accepts most byte pairs, holds many.
_MAX_CONTROL_SHARE = 0.02
_FEW_CONTROLS = 8
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")


def read_pasted(path: Path) -> str:
    """The chat saved in the file at `path`, decoded as `decode_pasted` does; a file that is not
    there or cannot be read is refused in words, never as the system's English."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(phrase("issues.paste_missing", path=str(path)), hint=phrase("issues.paste_where_hint")) \
            from None
    except IsADirectoryError:
        raise UsageError(phrase("issues.paste_folder", path=str(path)), hint=phrase("issues.paste_where_hint")) \
            from None
    except OSError as exc:  # a disk's own error (EIO …): why, in the reader's language
        reason = phrase("issues.paste_no_permission") if isinstance(exc, PermissionError) else os_reason(exc)
        raise UsageError(phrase("issues.paste_unreadable", path=str(path), reason=reason),
                         hint=phrase("issues.paste_unreadable_hint")) from None
    return decode_pasted(raw, str(path))


def decode_pasted(raw: bytes, name: str) -> str:
    """The text of a pasted file: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030
    (which includes GBK and GB2312)."""
    text = _decode(raw, name)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _ALLOWED_CONTROLS or ch == "\x7f")
    if controls > _FEW_CONTROLS and controls / len(text) > _MAX_CONTROL_SHARE:
        raise _not_text(name, phrase("issues.controls", count=controls, total=len(text)))
    return text


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_text(name, phrase("issues.utf16_broken")) from None
    if b"\x00" in raw:
        raise _not_text(name, phrase("issues.nul_bytes"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _not_text(name, phrase("issues.not_utf8_gbk"))


def _not_text(name: str, why: Phrase) -> UsageError:
    return UsageError(phrase("issues.not_chat_text", name=name, why=why), hint=phrase("issues.not_chat_text_hint"))
