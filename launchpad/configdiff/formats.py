"""Configuration file formats read into flat maps of dotted keys to text.

Values are compared as the file writes them (`8080` and `"8080"` are the same text), because
that is what the application reads. The line-oriented formats (Java/Spring `.properties` and
`.env`) are parsed here; YAML, JSON and INI in `structured.py`. A malformed file raises
`ConfigSyntaxError` with the line, so the person can open the file at the right place.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Literal

from launchpad.errors import LaunchpadError
from launchpad.phrases import Said, phrase

Format = Literal["properties", "yaml", "json", "ini", "env"]
FORMATS: tuple[Format, ...] = ("properties", "yaml", "json", "ini", "env")
Flat = dict[str, str]

_BY_SUFFIX: dict[str, Format] = {
    ".properties": "properties",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".ini": "ini",
    ".cfg": "ini",
    ".env": "env",
}


class ConfigSyntaxError(LaunchpadError):
    """A configuration file that cannot be read as its format; `line` is 1-based."""

    title = "malformed configuration file"

    def __init__(self, line: int, reason: Said) -> None:
        # `reason` is the English text; `said_reason` reads in the reader's language (YAML's
        # mistakes in the word-book's words, yamlreasons.py; JSON's parser's own words as they came)
        self.line, self.reason, self.said_reason = line, str(reason), reason
        super().__init__(phrase("config.at_line", line=line, reason=reason))


def format_for(path: str) -> Format | None:
    """The format a file's name says: its suffix, or `.env` / `.env.production` style names."""
    name = PurePosixPath(path).name.lower()
    suffix = PurePosixPath(name).suffix
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if name == ".env" or name.startswith(".env."):
        return "env"
    return None


def parse_config(text: str, fmt: Format) -> Flat:
    if fmt == "properties":
        return parse_properties(text)
    if fmt == "env":
        return parse_env(text)
    from launchpad.configdiff import structured

    return structured.PARSERS[fmt](text)


def decode(data: bytes) -> str:
    """Config files at client sites are UTF-8, or GBK from Windows editors; both sides of a
    comparison decode the same way, so equal bytes stay equal text."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _lines(text: str) -> list[str]:
    """The file's lines as Java and shells split them: at \\n, \\r\\n or \\r only. `str.splitlines`
    also splits at a form feed and at NEL, which a Windows-1252 ellipsis (0x85) decodes to."""
    return re.split(r"\r\n|\r|\n", text.removesuffix("\n").removesuffix("\r"))


# -- .properties (java.util.Properties, as Spring Boot reads it) --------------------------

_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) of each logical line: a line ending in an odd number of
    backslashes continues on the next, whose leading blanks are dropped."""
    result: list[tuple[int, str]] = []
    pending: str | None = None
    start = 0
    for number, raw in enumerate(_lines(text), start=1):
        line = raw.lstrip(" \t\f") if pending is not None else raw
        if pending is None:
            stripped = line.lstrip(" \t\f")
            if not stripped or stripped[0] in "#!":
                continue
            start, line = number, stripped
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2 == 1:
            pending = (pending or "") + line[:-1]
            continue
        result.append((start, (pending or "") + line))
        pending = None
    if pending is not None:
        result.append((start, pending))
    return result


def _unescape(text: str, line: int) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char != "\\" or i + 1 == len(text):
            out.append(char)
            i += 1
            continue
        code = text[i + 1]
        if code == "u":
            digits = text[i + 2 : i + 6]
            if not re.fullmatch(r"[0-9A-Fa-f]{4}", digits):
                raise ConfigSyntaxError(line, phrase("config.bad_escape", digits=digits))
            out.append(chr(int(digits, 16)))
            i += 6
            continue
        out.append(_ESCAPES.get(code, code))
        i += 2
    # Java keeps surrogate pairs written as two \u escapes as one character.
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _split_key(logical: str) -> tuple[str, str]:
    """Key and value: the key ends at the first unescaped `=`, `:` or blank; then blanks, at
    most one `=` or `:`, and blanks again separate it from the value."""
    i = 0
    while i < len(logical):
        char = logical[i]
        if char == "\\":
            i += 2
            continue
        if char in "=: \t\f":
            break
        i += 1
    key, rest = logical[:i], logical[i:]
    rest = rest.lstrip(" \t\f")
    if rest[:1] in ("=", ":"):
        rest = rest[1:].lstrip(" \t\f")
    return key, rest


def parse_properties(text: str) -> Flat:
    result: Flat = {}
    for line, logical in _logical_lines(text):
        key, value = _split_key(logical)
        # As java.util.Properties does, a key repeated later wins.
        result[_unescape(key, line)] = _unescape(value, line)
    return result


# -- .env (docker compose / dotenv) --------------------------------------------------------

_ENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_DOUBLE_QUOTED_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


def parse_env(text: str) -> Flat:
    result: Flat = {}
    lines = _lines(text)
    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i].strip()
        i += 1
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep:
            raise ConfigSyntaxError(number, phrase("config.not_assignment", line=line[:60]))
        if not _ENV_KEY.fullmatch(key):
            raise ConfigSyntaxError(number, phrase("config.not_variable", name=key[:60]))
        value = value.lstrip()
        if value[:1] in ("'", '"'):
            value, i = _quoted(value, lines, i, number)
        else:
            value = re.split(r"\s#", value, maxsplit=1)[0].rstrip()
        result[key] = value
    return result


def _quoted(value: str, lines: list[str], i: int, number: int) -> tuple[str, int]:
    """A quoted value, which may run over several lines; returns it and the next line index."""
    quote, body = value[0], value[1:]
    while True:
        end = _closing_quote(body, quote)
        if end >= 0:
            tail = body[end + 1:].strip()
            if tail and not tail.startswith("#"):
                raise ConfigSyntaxError(number, phrase("config.after_quote", text=tail[:40]))
            inner = body[:end]
            return (inner if quote == "'" else _unescape_double(inner)), i
        if i >= len(lines):
            raise ConfigSyntaxError(number, phrase("config.quote_open", quote=quote))
        body += "\n" + lines[i]
        i += 1


def _closing_quote(body: str, quote: str) -> int:
    j = 0
    while j < len(body):
        if body[j] == "\\" and quote == '"':
            j += 2
            continue
        if body[j] == quote:
            return j
        j += 1
    return -1


def _unescape_double(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _DOUBLE_QUOTED_ESCAPES.get(m[1], "\\" + m[1]), text)
