"""The released schema of the notification outbox, applied by `launchpad.store.migrations`; frozen
once released, like every migration.

Every message goes through the outbox, even when the network is fine: it is written before
the first attempt, so a message typed on a site without network (or during a crash) is never
lost, and its status moves queued → sending → sent under conditional UPDATEs, so two senders
never deliver it twice. The robot's URL and signing secret are resolved at send time and never
stored: a row names the channel as site.yaml does.
"""

from __future__ import annotations

OUTBOX_V1 = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch TEXT NOT NULL,              -- the parts of one message share a batch, sent in order
    part INTEGER NOT NULL,
    parts INTEGER NOT NULL,
    channel TEXT NOT NULL,            -- the channel's name in site.yaml
    kind TEXT NOT NULL,               -- wecom, dingtalk, feishu
    format TEXT NOT NULL,             -- text or markdown
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,           -- a retried step or command never queues a message twice
    status TEXT NOT NULL,             -- queued, sending, sent, unknown, dropped
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sent_at TEXT,
    claimed_pid INTEGER,              -- the process sending it: if it died mid-send, the
    claimed_host TEXT,                -- robot may or may not have the message
    claimed_boot TEXT
);
CREATE INDEX outbox_by_status ON outbox(status, channel, id);
CREATE INDEX outbox_by_batch ON outbox(batch, part);
"""

# A newer copy of the same report (one day's daily report to one channel) replaces a copy
# still queued: rows that are copies of one report share this key.
OUTBOX_SUPERSEDES = """
ALTER TABLE outbox ADD COLUMN supersedes TEXT;
CREATE INDEX outbox_by_supersedes ON outbox(supersedes, status);
"""

# E-mail goes through the same outbox: a mail's Message-ID is fixed when it is queued (a
# retry, a requeue and a draft carry the same one, so a mailbox can tell a copy), a draft
# written for the engineer's mail client is recorded by its path, and the files a notice
# carries (the daily report's xlsx) are kept with it, as they were when it was queued.
OUTBOX_MAIL = """
ALTER TABLE outbox ADD COLUMN message_id TEXT;
ALTER TABLE outbox ADD COLUMN draft TEXT;
CREATE TABLE outbox_files (
    batch TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (batch, position)
);
"""

# Why a message did not go, as a phrase beside its English text, so `report outbox` and the
# notice that a part is waiting say it in the reader's language; older rows keep the text alone.
OUTBOX_REASON_PHRASE = """
ALTER TABLE outbox ADD COLUMN last_error_phrase TEXT;
"""
