"""Pasting the same chat twice logs nothing twice. Engineers copy the whole group chat again
each evening; a message already logged (the same sender, time and text, quoted in an issue's
description the way `draft_from_messages` quotes it) is skipped and named, in the CLI and the
TUI alike, unless the person asks to log it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from launchpad.issues.chat import ChatMessage, draft_from_messages, quoted_message
from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.phrases import Phrase, phrase


@dataclass(frozen=True)
class PasteDrafts:
    drafts: list[IssueDraft]
    skipped: dict[int, int]  # message number → the issue that already quotes it

    def skipped_lines(self) -> list[Phrase]:
        return [phrase("chat.skipped", number=number, issue=issue) for number, issue in self.skipped.items()]


def logged_as(log: IssueLog, message: ChatMessage, zone: ZoneInfo) -> int | None:
    """The oldest issue whose description quotes `message` whole, or None."""
    quote = quoted_message(message, zone)
    rows = log.store.read("SELECT id, description FROM issues WHERE instr(description, ?) > 0 ORDER BY id",
                          [quote])
    # Whole: a quote is a paragraph of its own, so `登录失败` is not found inside `登录失败了`.
    return next((row["id"] for row in rows if f"\n\n{quote}\n\n" in f"\n\n{row['description']}\n\n"), None)


def drafts_for(log: IssueLog, groups: list[list[ChatMessage]], zone: ZoneInfo, channel: str,
               *, again: bool = False) -> PasteDrafts:
    """One draft per chosen group, without the messages already logged (unless `again`): a
    group whose messages are all logged is dropped, one partly logged keeps the rest."""
    skipped: dict[int, int] = {}
    drafts = []
    for group in groups:
        kept = []
        for message in group:
            issue = None if again else logged_as(log, message, zone)
            if issue is None:
                kept.append(message)
            else:
                skipped.setdefault(message.number, issue)
        if kept:
            drafts.append(draft_from_messages(kept, zone, channel))
    return PasteDrafts(drafts, skipped)
