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

# Migration 15: role assignments by rule (`role_records.py`). A preview is recorded; applying it
# turns the same record into the assignment, so its id is what `roles rollback` takes.
ROLE_ASSIGNMENTS_V1 = """
CREATE TABLE role_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    environment TEXT NOT NULL,
    database TEXT NOT NULL,
    target TEXT NOT NULL,         -- the profile (ruoyi)
    rules_file TEXT NOT NULL,
    rules_sha256 TEXT NOT NULL,
    digest TEXT NOT NULL,         -- of the users' roles before and after
    counts TEXT NOT NULL,         -- JSON: users changed per rule and per unit
    status TEXT NOT NULL,         -- previewed, applying, applied, rolled_back
    backup_id INTEGER,            -- production: the fresh backup the gate found
    operator TEXT,
    previewed TEXT NOT NULL,
    applied TEXT,
    rolled_back TEXT,
    pid INTEGER,
    hostname TEXT,
    boot_id TEXT
);
CREATE INDEX role_assignments_by_env ON role_assignments(environment, id);
CREATE TABLE role_assignment_users (
    assignment_id INTEGER NOT NULL REFERENCES role_assignments(id),
    user_id TEXT NOT NULL,
    account TEXT NOT NULL,
    before TEXT NOT NULL,         -- JSON: role keys as they were
    after TEXT NOT NULL,          -- JSON: role keys as the rules make them
    rules TEXT NOT NULL,          -- JSON: the rules that changed them
    unit TEXT NOT NULL,
    batch INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (assignment_id, user_id)
);
"""


# Migration 18: an import's rows are recorded a batch at a time (`records.py`): one row per
# batch holding its rows as JSON, marked done by one statement when the batch commits. A row a
# record per user cost ~15 µs each to write and mark (bench/import), more than loading it into
# the target. `id` orders the records across a resumed import's attempts (each starts its
# batches at 1 again): a later record of a key is what that key's row now says.
USER_IMPORT_BATCHES_V1 = """
CREATE TABLE user_import_batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    import_id INTEGER NOT NULL REFERENCES user_imports(id),
    batch INTEGER NOT NULL,       -- the batch's number in its attempt, as the audit log says it
    rows TEXT NOT NULL,           -- JSON: [key, action, unit, before, after, roles_added, posts_added] per row
    done INTEGER NOT NULL DEFAULT 0   -- 1 once the batch committed in the target
);
CREATE INDEX user_import_batches_by_import ON user_import_batches(import_id, id);
CREATE TABLE user_import_handed_out (  -- users whose initial password is already in a hand-out
    import_id INTEGER NOT NULL REFERENCES user_imports(id),
    key TEXT NOT NULL,
    PRIMARY KEY (import_id, key)
);
"""
