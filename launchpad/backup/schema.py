"""The released schema of backups and restores, applied by `launchpad.store.migrations`.

Like every migration, this constant is frozen once released; a change is a new constant and a
new migration number. A backup's row is written only once its file is complete, checked and
renamed into place: a row here always names a file that was whole when it was taken. Later
checks (verify, drill) and deletion by retention update the row; the audit log keeps the story.
"""

from __future__ import annotations

BACKUPS_V1 = """
CREATE TABLE backups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,          -- also in the manifest beside the file
    environment TEXT NOT NULL,
    target TEXT NOT NULL,
    driver TEXT NOT NULL,              -- mysql, postgresql, sqlite, files, command
    host TEXT NOT NULL,                -- the host that ran the dump
    file TEXT NOT NULL,                -- relative to the workspace's backups folder
    compression TEXT NOT NULL,         -- zstd, gzip, none
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    size INTEGER NOT NULL,             -- bytes of the stored (compressed) file
    sha256 TEXT NOT NULL,
    tool_versions TEXT NOT NULL,       -- JSON
    inventory TEXT,                    -- JSON: tables and row counts, or files and hashes
    purpose TEXT NOT NULL,             -- manual, playbook, safety
    actor TEXT NOT NULL,
    run_id INTEGER,
    step_id TEXT,
    verified_at TEXT,
    verify_status TEXT,                -- ok, failed
    verify_detail TEXT,
    drilled_at TEXT,
    drill_status TEXT,                 -- passed, failed
    drill_detail TEXT,                 -- JSON
    deleted_at TEXT,
    deleted_reason TEXT
);
CREATE INDEX backups_by_target ON backups(environment, target, finished);

CREATE TABLE backup_restores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    backup_id INTEGER NOT NULL REFERENCES backups(id),
    environment TEXT NOT NULL,
    target TEXT NOT NULL,
    safety_backup_id INTEGER REFERENCES backups(id),
    actor TEXT NOT NULL,
    run_id INTEGER,
    step_id TEXT,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL,              -- running, restored, failed
    detail TEXT
);
"""
