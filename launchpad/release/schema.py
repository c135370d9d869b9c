"""The store's tables for releases (migration 12); see `record.py` for how they are used."""

RELEASES_V1 = """
CREATE TABLE releases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version TEXT NOT NULL,
    changes TEXT NOT NULL,
    impact TEXT NOT NULL,
    window_name TEXT NOT NULL,     -- the named window of site.yaml the plan fits in
    window_start TEXT NOT NULL,    -- UTC stamps of the planned start and end
    window_end TEXT NOT NULL,
    fixes TEXT NOT NULL,           -- JSON list of feedback issue ids
    rollback_plan TEXT NOT NULL,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,          -- planned, approved, in_progress, released, rolled_back, cancelled
    created TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated TEXT NOT NULL,
    approved_by TEXT,              -- the client's reviewer
    approved_at TEXT
);
CREATE INDEX releases_by_window ON releases(window_start);

CREATE TABLE release_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    release_id INTEGER NOT NULL REFERENCES releases(id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX release_changes_by_release ON release_changes(release_id, id);

CREATE TABLE release_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    release_id INTEGER NOT NULL REFERENCES releases(id),
    run_id INTEGER NOT NULL,
    format TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
"""
