"""The outbox: every message waits here until a robot has taken it.

Delivery state moves queued → sending → sent, each move one conditional UPDATE in one write
transaction (`WHERE status = 'queued'`, `WHERE status = 'sending' AND claimed by us`), so of
two launchpads flushing at once only one can claim a message, and a message is never marked
sent by anyone but its sender. The parts of a message go out in order: a part is not claimed
while an earlier part of its batch is unsent.

One window cannot be closed by any local bookkeeping: the process dies after the robot took
the message but before it wrote `sent`. Sending again could post it twice; not sending could
lose it. launchpad chooses neither silently: such a message becomes `unknown`, is listed, and
goes again only when a person who looked at the group says so (`--requeue ID`).

Order holds even with several senders: a message is claimed only when no earlier message to
the same channel is being sent, and a part only after the earlier parts of its message.

A message is claimed only when its request is about to go out (`next_sendable`, then the
robot prepares, then `claim`): a sender killed while still getting ready leaves it `queued`,
not a never-sent message marked `unknown`. A message the robot refused for its content is
`failed`, with the robot's reason: it would be refused again, so it no longer holds up the
messages behind it. A newer copy of the same report (`supersedes`) drops a copy still queued,
so a stale one never arrives after the fresh one.

E-mail rows are the same, with three additions: the Message-ID fixed when queued, the files
the mail carries (`outbox_files`, kept in the store as they were when queued), and `drafted`:
written as an .eml draft for the engineer's mail client instead (the row names the file).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import Phrase, Said, dumps, loads, phrase
from launchpad.sitetime import utc_now
from launchpad.store.db import Store
from launchpad.store.owner import owner_of, this_process

STATUSES = ("queued", "sending", "sent", "unknown", "failed", "dropped", "drafted")
# What a person may still have to act on; `report outbox` lists these by default.
WAITING = ("queued", "sending", "unknown", "failed")
# Claimable, in order: not before an earlier part of its message has gone, and not while an
# earlier message to the same group is on its way (another sender may hold it).
_IN_ORDER = (" AND NOT EXISTS (SELECT 1 FROM outbox AS e WHERE e.batch = o.batch AND e.part < o.part"
             " AND e.status IN ('queued', 'sending', 'unknown'))"
             " AND NOT EXISTS (SELECT 1 FROM outbox AS e WHERE e.channel = o.channel AND e.id < o.id"
             " AND e.status = 'sending')")


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    batch: str
    part: int
    parts: int
    channel: str
    kind: str
    format: str
    title: str
    body: str
    status: str
    attempts: int
    last_error: str
    created_at: str
    sent_at: str | None
    message_id: str | None = None  # e-mail: the Message-ID header
    draft: str | None = None  # e-mail written as a draft: its path in the workspace
    last_error_phrase: str | None = None  # `last_error` as a phrase, for the reader's language

    @property
    def reason(self) -> Said:
        """Why it did not go (or what the server noted), to render in the reader's language."""
        return loads(self.last_error, self.last_error_phrase)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> OutboxMessage:
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Attachment:
    """A file a message carries (e-mail only: a robot takes text)."""

    name: str
    content_type: str
    data: bytes


# The channel of a mail written straight to a draft with no mail channel: not a name site.yaml
# could give one, and nothing a flush could send to.
UNADDRESSED = "(draft)"


def mail_message_id(batch: str, part: int, domain: str) -> str:
    """The Message-ID of a queued mail: made from its batch, so every attempt and every draft of
    it carries the same one."""
    return f"<{batch}.{part}.launchpad@{domain}>"


class Outbox:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.me = this_process()

    def enqueue(self, channel: str, kind: str, fmt: str, title: str, parts: list[str],
                dedupe_key: str | None = None, supersedes: str | None = None, *,
                attachments: Sequence[Attachment] = (), mail_domain: str | None = None) -> str:
        """Queue a message's parts; returns the batch id. With a `dedupe_key` already queued
        (a retried step, a repeated command), the existing batch is returned and nothing is
        added. With `supersedes` (e.g. one day's report to one channel), copies under the same
        key still queued are dropped: this newer one replaces them. A mail (`mail_domain`, the
        sender's) gets its Message-ID here; `attachments` go with the batch."""
        with self.store.transaction():
            if dedupe_key is not None:
                found = self.store.db.execute("SELECT batch FROM outbox WHERE dedupe_key = ?",
                                              [f"{dedupe_key}#1"]).fetchone()
                if found:
                    return str(found[0])
            batch = uuid.uuid4().hex[:12]
            now = utc_now()
            if supersedes is not None:
                replaced = phrase("outbox.superseded", batch=batch)
                self.store.db.execute(
                    "UPDATE outbox SET status = 'dropped', last_error = ?, last_error_phrase = ?, updated_at = ? "
                    "WHERE supersedes = ? AND status = 'queued'",
                    [str(replaced), dumps(replaced), now, supersedes])
            for number, body in enumerate(parts, 1):
                self.store.db.table("outbox").insert({
                    "batch": batch, "part": number, "parts": len(parts), "channel": channel,
                    "kind": kind, "format": fmt, "title": title, "body": body,
                    "dedupe_key": f"{dedupe_key}#{number}" if dedupe_key is not None else None,
                    "supersedes": supersedes, "status": "queued", "created_at": now, "updated_at": now,
                    "message_id": mail_message_id(batch, number, mail_domain) if mail_domain else None})
            for position, attachment in enumerate(attachments, 1):
                self.store.db.table("outbox_files").insert({
                    "batch": batch, "position": position, "name": attachment.name,
                    "content_type": attachment.content_type, "data": attachment.data})
        return batch

    def sent_before(self, dedupe_key: str) -> str | None:
        """When the copy queued under `dedupe_key` finished going out (its last part's
        `sent_at`), if every part of it has; None when there is none or some part has not."""
        rows = self.store.read("SELECT status, sent_at FROM outbox WHERE batch = "
                               "(SELECT batch FROM outbox WHERE dedupe_key = ?)", [f"{dedupe_key}#1"])
        if not rows or any(row["status"] != "sent" for row in rows):
            return None
        return max(str(row["sent_at"]) for row in rows)

    def attachments(self, batch: str) -> list[Attachment]:
        rows = self.store.read("SELECT name, content_type, data FROM outbox_files WHERE batch = ? ORDER BY position",
                               [batch])
        return [Attachment(row["name"], row["content_type"], bytes(row["data"])) for row in rows]

    def next_sendable(self, channel: str | None = None, batch: str | None = None) -> OutboxMessage | None:
        """The next message that may be sent (oldest first), not yet claimed."""
        where: list[str] = ["o.status = 'queued'"]
        params: list[Any] = []
        if channel is not None:
            where.append("o.channel = ?")
            params.append(channel)
        if batch is not None:
            where.append("o.batch = ?")
            params.append(batch)
        rows = self.store.read("SELECT o.* FROM outbox AS o WHERE " + " AND ".join(where) + _IN_ORDER
                         + " ORDER BY o.id LIMIT 1", params)
        return OutboxMessage.from_row(rows[0]) if rows else None

    def claim(self, message_id: int) -> bool:
        """Mark a message `sending` by this process, its request about to go out; False when
        another sender took it first or an earlier one is now on its way."""
        with self.store.transaction():
            claimed = self.store.db.execute(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = ?, "
                "claimed_pid = ?, claimed_host = ?, claimed_boot = ? WHERE id = ? AND status = 'queued' AND id IN "
                "(SELECT o.id FROM outbox AS o WHERE o.id = ?" + _IN_ORDER + ")",
                [utc_now(), self.me["pid"], self.me["hostname"], self.me["boot_id"], message_id, message_id])
        return claimed.rowcount == 1

    def note(self, message_id: int, error: Said) -> None:
        """Why a queued message could not even be tried (a channel setting to fix)."""
        with self.store.transaction():
            self.store.db.execute("UPDATE outbox SET last_error = ?, last_error_phrase = ?, updated_at = ? "
                                  "WHERE id = ? AND status = 'queued'",
                                  [str(error), dumps(error), utc_now(), message_id])

    def mark_sent(self, message_id: int, note: Said = "") -> None:
        """Delivered; `note` keeps what the server said beside (recipients it refused)."""
        self._move(message_id, "sending", "sent", note, mine=True)

    def mark_drafted(self, message_id: int, path: str) -> None:
        """Written as a draft for the engineer's mail client: it will not be sent from here."""
        drafted = phrase("outbox.drafted", path=path)
        with self.store.transaction():
            moved = self.store.db.execute(
                "UPDATE outbox SET status = 'drafted', draft = ?, last_error = ?, last_error_phrase = ?, "
                "updated_at = ? WHERE id = ? AND status IN ('queued', 'unknown', 'failed', 'drafted')",
                [path, str(drafted), dumps(drafted), utc_now(), message_id])
        if moved.rowcount != 1:
            raise UsageError(phrase("outbox.no_draft", id=message_id, status=_state(self.get(message_id).status)))

    def release(self, message_id: int, error: Said) -> None:
        """Back to queued after a failed attempt, with the reason for `outbox` to show."""
        self._move(message_id, "sending", "queued", error, mine=True)

    def fail(self, message_id: int, reason: Said) -> None:
        """The robot refused it for its content: it would be refused again, so it is not
        queued (and no longer holds up the messages behind it)."""
        self._move(message_id, "sending", "failed", reason, mine=True)

    def abandon(self, message_id: int, reason: Said) -> None:
        """Interrupted mid-send: whether the robot has it is unknown, so a person decides."""
        self._move(message_id, "sending", "unknown", reason, mine=True)

    def _move(self, message_id: int, source: str, target: str, error: Said, mine: bool) -> None:
        condition = "id = ? AND status = ?"
        params: list[Any] = [message_id, source]
        if mine:
            condition += " AND claimed_pid = ? AND claimed_host = ?"
            params += [self.me["pid"], self.me["hostname"]]
        now = utc_now()
        with self.store.transaction():
            moved = self.store.db.execute(
                f"UPDATE outbox SET status = ?, last_error = ?, last_error_phrase = ?, updated_at = ?, "
                f"sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE {condition}",
                [target, str(error), dumps(error), now, target, now, *params])
        if moved.rowcount != 1:
            raise UsageError(phrase("outbox.claimed_moved" if mine else "outbox.moved", id=message_id,
                                    status=_state(source)))

    def recover_abandoned(self) -> list[int]:
        """Messages left `sending` by a process that is gone become `unknown`; returns them."""
        found = []
        with self.store.transaction():
            for row in self.store.read("SELECT * FROM outbox WHERE status = 'sending'", []):
                owner = {"pid": row["claimed_pid"], "hostname": row["claimed_host"], "boot_id": row["claimed_boot"]}
                if owner_of(owner) == "dead":
                    stopped = phrase("outbox.sender_stopped")
                    self.store.db.execute("UPDATE outbox SET status = 'unknown', updated_at = ?, last_error = ?, "
                                          "last_error_phrase = ? WHERE id = ? AND status = 'sending'",
                                          [utc_now(), str(stopped), dumps(stopped), row["id"]])
                    found.append(row["id"])
        return found

    def requeue(self, message_id: int) -> None:
        """A person checked the group: send an `unknown` (or failed, or dropped) message again."""
        message = self.get(message_id)
        if message.channel == UNADDRESSED:
            raise UsageError(phrase("error.outbox_draft_only", id=message_id, draft=message.draft))
        if message.status not in ("unknown", "failed", "dropped", "drafted"):
            raise UsageError(phrase("error.outbox_no_requeue", id=message_id, status=_state(message.status)))
        self._move(message_id, message.status, "queued", "", mine=False)

    def drop(self, message_id: int) -> None:
        message = self.get(message_id)
        if message.status not in ("queued", "unknown", "failed", "drafted"):
            raise UsageError(phrase("error.outbox_no_drop", id=message_id, status=_state(message.status)))
        self._move(message_id, message.status, "dropped", "dropped by a person", mine=False)

    def queued_channels(self) -> list[str]:
        """Channels with queued messages, the one waiting longest first."""
        rows = self.store.read("SELECT channel, MIN(id) AS first FROM outbox WHERE status = 'queued' "
                         "GROUP BY channel ORDER BY first", [])
        return [row["channel"] for row in rows]

    def get(self, message_id: int) -> OutboxMessage:
        rows = self.store.read("SELECT * FROM outbox WHERE id = ?", [message_id])
        if not rows:
            raise UsageError(phrase("error.no_outbox_message", id=message_id),
                             hint=phrase("error.no_outbox_message_hint"))
        return OutboxMessage.from_row(rows[0])

    def messages(self, statuses: tuple[str, ...] = (), batch: str | None = None,
                 limit: int = 200) -> list[OutboxMessage]:
        where: list[str] = []
        params: list[Any] = []
        if statuses:
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            params.extend(statuses)
        if batch is not None:
            where.append("batch = ?")
            params.append(batch)
        sql = "SELECT * FROM outbox" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id LIMIT ?"
        return [OutboxMessage.from_row(row) for row in self.store.read(sql, [*params, limit])]


def _state(status: str) -> Phrase:
    """A message's status as the outbox listing shows it, in the reader's language."""
    return Phrase("cli.outbox.state_" + status)
