"""Drafts: a mail written to the workspace as an .eml file for the engineer's own mail client,
when there is no mail server to send through — no mail channel in site.yaml, or a server out of
reach that the person chose not to wait for.

A draft is the same mail a server would have received (the same composer, Message-ID and
files), marked `X-Unsent` so Outlook opens it ready to send. It lands in `outbox/drafts/`, readable
by its owner alone (a notice to the client is the client's business), written whole or not at all,
and its outbox row becomes `drafted`, naming the file: the message will not also go out from here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from launchpad.errors import LaunchpadError
from launchpad.notify.mail import addresses, as_bytes, compose, subject_of
from launchpad.notify.outbox import UNADDRESSED, Attachment, Outbox, OutboxMessage, mail_message_id
from launchpad.oserrors import os_reason
from launchpad.phrases import phrase
from launchpad.store.db import Store
from launchpad.workspace.durable import write_complete
from launchpad.workspace.site import MailChannel, Site

DRAFTS = Path("outbox") / "drafts"
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*\s]+')


def draft_file_name(message: OutboxMessage) -> str:
    """`00012-【系统】发布通知.eml`: the outbox id first, so drafts sort as they were made."""
    subject = _UNSAFE.sub("-", subject_of(message.body, message.format, message.title)).strip("-.")[:40]
    return f"{message.id:05d}-{subject or 'mail'}.eml"


def write_draft(store: Store, site: Site, root: Path, message_id: int) -> Path:
    """Write outbox message `message_id` (queued, unknown or failed) as an .eml draft; its row
    becomes `drafted`. Returns the file's path."""
    outbox = Outbox(store)
    message = outbox.get(message_id)
    channel = site.channels.get(message.channel)
    mail_channel = channel if isinstance(channel, MailChannel) else None
    sender, to, cc = addresses(site, mail_channel) if mail_channel else (None, [], [])
    domain = mail_channel.domain if mail_channel else "launchpad.invalid"
    mail = compose(body=message.body, fmt=message.format, title=message.title, lang=site.site.language,
                   message_id=message.message_id or mail_message_id(message.batch, message.part, domain),
                   when=site.now(), sender=sender, to=to, cc=cc,
                   attachments=outbox.attachments(message.batch), draft=True)
    relative = DRAFTS / draft_file_name(message)
    with store.transaction():  # the row and the file together: a file that cannot be written leaves it as it was
        outbox.mark_drafted(message.id, relative.as_posix())
        _write_private(root / relative, as_bytes(mail))
    store.audit(_actor(), "mail_drafted", f"outbox {message.id} → {message.channel}",
                {"message_id": mail["Message-ID"], "file": relative.as_posix()})
    return root / relative


def draft_message(store: Store, site: Site, root: Path, body: str, fmt: str, *, title: str,
                  channel: str | None = None, attachments: Sequence[Attachment] = ()) -> Path:
    """A new message written straight to a draft: to a mail channel's recipients, or with no
    channel, for the engineer to address in the mail client."""
    spec = site.channels.get(channel) if channel else None
    domain = spec.domain if isinstance(spec, MailChannel) else "launchpad.invalid"
    outbox = Outbox(store)
    with store.transaction():  # never a queued row left behind for a flush to pick up
        batch = outbox.enqueue(channel or UNADDRESSED, "email", fmt, title, [body], attachments=attachments,
                               mail_domain=domain)
        message, = outbox.messages(batch=batch)
        return write_draft(store, site, root, message.id)


class DraftNotWritten(LaunchpadError):
    title = "draft not written"


def _write_private(path: Path, data: bytes) -> None:
    """Owner-only (0600, in a 0700 folder), complete or absent."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_complete(path, data)
    except OSError as exc:
        raise DraftNotWritten(phrase("mail.draft_not_written", path=str(path), reason=os_reason(exc)),
                              hint=phrase("mail.draft_not_written_hint")) from None


def _actor() -> str:
    from launchpad.session import actor_name

    return actor_name()
