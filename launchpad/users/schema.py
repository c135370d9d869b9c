"""The store's tables for user imports (migration 11); see `records.py` for how they are used."""

USER_IMPORTS_V1 = """
CREATE TABLE user_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    environment TEXT NOT NULL,
    database TEXT NOT NULL,
    target TEXT NOT NULL,         -- the profile (ruoyi)
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    mapping TEXT NOT NULL,
    rows INTEGER NOT NULL,        -- rows read from the file
    planned TEXT NOT NULL,        -- JSON: counts per action
    plan_digest TEXT NOT NULL,
    status TEXT NOT NULL,         -- applying, applied, rolled_back
    operator TEXT,
    started TEXT NOT NULL,
    finished TEXT,
    rolled_back TEXT,
    pid INTEGER,
    hostname TEXT,
    boot_id TEXT
);
CREATE TABLE user_import_rows (
    import_id INTEGER NOT NULL REFERENCES user_imports(id),
    key TEXT NOT NULL,            -- the natural key's value (RuoYi: user_name)
    action TEXT NOT NULL,         -- insert or update
    unit TEXT,
    batch INTEGER NOT NULL,
    before TEXT,                  -- JSON: changed fields as they were
    after TEXT,                   -- JSON: fields as written
    roles_added TEXT NOT NULL,    -- JSON list of role keys
    posts_added TEXT NOT NULL,    -- JSON list of post codes
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (import_id, key)
);
"""

USER_IMPORT_PLANS_V1 = """
CREATE TABLE user_import_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    environment TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    digest TEXT NOT NULL,
    counts TEXT NOT NULL,         -- JSON: counts per action
    actions TEXT NOT NULL,        -- JSON: key → [action, {column: [old, new]}, roles added, posts added]
    planned TEXT NOT NULL,
    operator TEXT
);
CREATE INDEX user_import_plans_by_file ON user_import_plans(environment, file_sha256);
"""
