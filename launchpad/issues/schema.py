"""The released schema of feedback issues and incidents, applied by `launchpad.store.migrations`.

Like every migration, a constant here is frozen once released: a workspace opened by last
week's launchpad already has it. A change is a new constant and a new migration number.

Search is two full-text indexes over columns that Python fills when an issue is written
(`launchpad.issues.search`): a trigram index answers substrings of three characters or more,
and a bigram index answers the one- and two-character queries (登录, 报表) that a trigram
index cannot. Both are external-content FTS5 tables kept in step by SQL triggers, so every
writer — another launchpad process or a sqlite3 shell — keeps them right. The trigram
tokenizer needs SQLite 3.34; without it the store still opens (see `create_issue_tables`).
"""

from __future__ import annotations

import sqlite3
from typing import Any

ISSUES_TABLES_V1 = """
CREATE TABLE issues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    reporter TEXT NOT NULL DEFAULT '',      -- the client's person
    channel TEXT NOT NULL DEFAULT 'group',  -- group, phone, wechat, email, onsite
    reported_at TEXT NOT NULL,              -- UTC ISO-8601, like every time column
    module TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL DEFAULT 'P2',
    type TEXT NOT NULL DEFAULT 'defect',
    owner TEXT NOT NULL DEFAULT '',
    due TEXT,                               -- a site-local date, YYYY-MM-DD
    status TEXT NOT NULL DEFAULT 'new',
    resolution TEXT NOT NULL DEFAULT '',
    fixed_in TEXT NOT NULL DEFAULT '',      -- the release or run that fixed it
    attachments TEXT NOT NULL DEFAULT '[]', -- JSON list of paths (screenshots)
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    resolved_at TEXT,                       -- when it first left the open statuses
    search_text TEXT NOT NULL DEFAULT '',   -- normalised text for the trigram index
    search_grams TEXT NOT NULL DEFAULT ''   -- bigram tokens for short queries
);
CREATE INDEX issues_by_status_due ON issues(status, due);
CREATE INDEX issues_by_status_severity ON issues(status, severity);
CREATE INDEX issues_by_reported ON issues(reported_at);
CREATE INDEX issues_by_resolved ON issues(resolved_at);
CREATE INDEX issues_by_owner ON issues(owner, status);
CREATE INDEX issues_by_module ON issues(module, status);

CREATE TABLE issue_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id INTEGER NOT NULL REFERENCES issues(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    field TEXT NOT NULL,                    -- a column name, 'created' or 'note'
    old_value TEXT,
    new_value TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX issue_history_by_issue ON issue_history(issue_id, id);

CREATE VIRTUAL TABLE issues_grams USING fts5(
    search_grams, content='issues', content_rowid='id', detail='none', prefix='1',
    columnsize=0);
CREATE TRIGGER issues_grams_insert AFTER INSERT ON issues BEGIN
    INSERT INTO issues_grams(rowid, search_grams) VALUES (new.id, new.search_grams);
END;
CREATE TRIGGER issues_grams_delete AFTER DELETE ON issues BEGIN
    INSERT INTO issues_grams(issues_grams, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
END;
CREATE TRIGGER issues_grams_update AFTER UPDATE OF search_grams ON issues BEGIN
    INSERT INTO issues_grams(issues_grams, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
    INSERT INTO issues_grams(rowid, search_grams) VALUES (new.id, new.search_grams);
END;

CREATE TABLE incidents (
    issue_id INTEGER PRIMARY KEY REFERENCES issues(id),
    kind TEXT NOT NULL,                     -- complaint or outage
    raised_at TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    root_cause TEXT NOT NULL DEFAULT '',
    short_term_fix TEXT NOT NULL DEFAULT '',
    long_term_fix TEXT NOT NULL DEFAULT '',
    prevention TEXT NOT NULL DEFAULT ''
);

CREATE TABLE incident_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_id INTEGER NOT NULL REFERENCES incidents(issue_id),
    at TEXT NOT NULL,                       -- when it happened, which may be before it was typed
    kind TEXT NOT NULL,                     -- responded, reproduced, mitigated, resolved, note
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX incident_events_by_issue ON incident_events(issue_id, at);
"""

# SQLite 3.34 and later (every Python 3.11 build from python.org, Debian 11, Ubuntu 22.04 …).
TRIGRAM_INDEX_V1 = """
CREATE VIRTUAL TABLE issues_trigram USING fts5(
    search_text, content='issues', content_rowid='id', tokenize='trigram', columnsize=0);
CREATE TRIGGER issues_trigram_insert AFTER INSERT ON issues BEGIN
    INSERT INTO issues_trigram(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER issues_trigram_delete AFTER DELETE ON issues BEGIN
    INSERT INTO issues_trigram(issues_trigram, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER issues_trigram_update AFTER UPDATE OF search_text ON issues BEGIN
    INSERT INTO issues_trigram(issues_trigram, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO issues_trigram(rowid, search_text) VALUES (new.id, new.search_text);
END;
"""


def create_issue_tables(db: Any) -> None:
    """Migration 3. The trigram index is created where SQLite has the tokenizer; an older
    SQLite (RHEL 8's 3.26) still gets a working store, and search answers longer queries
    from the bigram index plus a check of the text (`launchpad.issues.search`)."""
    db.executescript(ISSUES_TABLES_V1)
    if trigram_available(db):
        db.executescript(TRIGRAM_INDEX_V1)


def trigram_available(db: Any) -> bool:
    try:
        db.execute("CREATE VIRTUAL TABLE temp.trigram_probe USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    db.execute("DROP TABLE temp.trigram_probe")
    return True
