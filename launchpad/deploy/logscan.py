"""Errors in an application's log since a moment (the release's start): the lines matching a
pattern, counted, the first few kept as evidence.

The scan runs on the host with awk over the log files, so a 2 GB log never crosses the network.
A line that begins with a timestamp (`2026-12-04 23:41:07`, `2026-12-04T23:41:07`: logback,
log4j, Python logging) sets whether the lines after it, a stack trace's `at …` and `Caused by`
included, fall after the moment. A log with no timestamped line after the moment says nothing
about errors: that is "not checked", never "no errors"."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

# The last line awk prints: matches, timestamped lines after `since`, lines read.
SUMMARY_MARK = "launchpad-log-scan"
_SUMMARY = re.compile(rf"^{SUMMARY_MARK} (\d+) (\d+) (\d+) (\d+)$", re.MULTILINE)
_STAMP = "^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][ T][0-9][0-9]:[0-9][0-9]:[0-9][0-9]"

# Pattern and moment come through the environment: awk's -v would read backslashes as escapes.
_AWK = r"""
BEGIN { since = ENVIRON["LAUNCHPAD_SINCE"]; pat = ENVIRON["LAUNCHPAD_PATTERN"] }
$0 ~ stamp { t = substr($0, 1, 19); sub("T", " ", t); after = (t >= since); if (after) stamped++ }
{ lines++ }
after && $0 ~ pat { found++; if (found <= keep) print FILENAME ": " $0 }
END { print mark " " found + 0 " " stamped + 0 " " lines + 0 " " files }
"""


@dataclass(frozen=True)
class LogScan:
    files: int
    lines: int
    stamped_after: int
    matches: int
    first: list[str]


def scan_command(path: str, since: str, pattern: str, keep: int) -> str:
    """A POSIX shell command scanning the files `path` names (a shell word: globs expand, the
    rest is already quoted) for `pattern` after `since` ("YYYY-MM-DD HH:MM:SS")."""
    q = shlex.quote
    return (
        f'set --; for f in {path}; do [ -f "$f" ] && set -- "$@" "$f"; done; '
        f"if [ $# -eq 0 ]; then echo '{SUMMARY_MARK} 0 0 0 0'; exit 0; fi; "
        f"LAUNCHPAD_SINCE={q(since)} LAUNCHPAD_PATTERN={q(pattern)} "
        f"awk -v keep={keep} -v mark={SUMMARY_MARK} "
        f'-v stamp={q(_STAMP)} -v files=$# {q(_AWK)} "$@"'
    )


def read_scan(output: str) -> LogScan | None:
    """The scan's findings from the command's output, or None when the output is not a scan's."""
    summaries = list(_SUMMARY.finditer(output))
    if not summaries:
        return None
    found = summaries[-1]
    matches, stamped, lines, files = (int(n) for n in found.groups())
    first = [line for line in output[:found.start()].splitlines() if line.strip()]
    return LogScan(files, lines, stamped, matches, first)
