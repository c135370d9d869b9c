"""The demo's baseline: HQ's roles, permissions, dictionaries and posts as shipped — test's
state as built, before prod drifted on site (`drift.py`) — in `baselines/baseline.yaml`, so
`launchpad baseline diff --env prod` finds prod's three on-site changes out of the box."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from launchpad.backup.sqlclient import ResultSet
from launchpad.baseline.files import BASELINES_DIR, write_baseline
from launchpad.baseline.ruoyi import QUERIES, queries, state_from

BASELINE_FILE = f"{BASELINES_DIR}/baseline.yaml"
VERSION = "HQ-1.0"


def write_demo_baseline(root: Path, database: Path) -> Path:
    """Written once: a rebuilt demo keeps the baseline someone took on-site changes into."""
    path = root / BASELINE_FILE
    if path.exists():
        return path
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        sets = {name: ResultSet((), tuple(tuple(row) for row in db.execute(sql)))
                for name, sql in zip(QUERIES, queries("sqlite"), strict=True)}
    state = state_from(sets, VERSION, "test")
    return write_baseline(state.baseline, path)
