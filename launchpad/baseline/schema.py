"""The store's tables for baselines (migration 14); see `records.py` for how they are used."""

BASELINES_V1 = """
CREATE TABLE baseline_comparisons (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL,          -- the baseline file, or the reference environment
    reference_version TEXT NOT NULL,  -- the baseline's version (an environment's: env@time)
    environment TEXT NOT NULL,
    counts TEXT NOT NULL,             -- JSON: differences by severity and total
    differences TEXT NOT NULL,        -- JSON: every difference as `diff --json` shows it
    compared TEXT NOT NULL,
    operator TEXT
);
CREATE INDEX baseline_comparisons_by_env ON baseline_comparisons(environment, id);
CREATE TABLE baseline_fixes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    environment TEXT NOT NULL,
    database TEXT NOT NULL,
    reference TEXT NOT NULL,
    reference_version TEXT NOT NULL,
    backup_id INTEGER,                -- the fresh backup the gate found
    status TEXT NOT NULL,             -- applied, failed
    operator TEXT,
    applied TEXT NOT NULL,
    remaining INTEGER                 -- differences the re-diff still found
);
CREATE TABLE baseline_fix_changes (
    fix_id INTEGER NOT NULL REFERENCES baseline_fixes(id),
    difference TEXT NOT NULL,         -- the difference's id
    kind TEXT NOT NULL,
    change TEXT NOT NULL,
    severity TEXT NOT NULL,
    fields TEXT NOT NULL,             -- JSON: as in the diff
    statements TEXT NOT NULL,         -- JSON: the SQL and its parameters
    PRIMARY KEY (fix_id, difference)
);
"""

# Migration 16: changes made on site (the client asked) that HQ's baseline must take back.
ONSITE_CHANGES_V1 = """
CREATE TABLE baseline_onsite_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    environment TEXT NOT NULL,
    difference TEXT NOT NULL,         -- the difference's id in the diff (kind/key)
    kind TEXT NOT NULL,
    change TEXT NOT NULL,             -- as the diff saw the site: extra (added), missing (removed), changed
    item TEXT NOT NULL,               -- the natural key as people read it
    item_key TEXT NOT NULL,           -- JSON: the natural key's parts
    site_value TEXT,                  -- JSON: the item as the site holds it; NULL when removed there
    fields TEXT NOT NULL,             -- JSON: changed fields, baseline → site
    why TEXT NOT NULL,
    issue_id INTEGER NOT NULL REFERENCES issues(id),
    baseline TEXT NOT NULL,           -- the baseline file compared with, relative to the workspace
    baseline_version TEXT NOT NULL,
    operator TEXT NOT NULL,
    recorded TEXT NOT NULL,
    status TEXT NOT NULL,             -- pending, accepted
    accepted_by TEXT,
    accepted TEXT
);
CREATE INDEX baseline_onsite_changes_by_time ON baseline_onsite_changes(recorded);
"""
