"""Writing the demo client's RuoYi-shaped database (one SQLite file per environment): the
organisation, posts, roles, menus and grants, dictionaries and settings of `clientorg.py`, the
people of `people.py`, and the differences of `drift.py`.

Everything is deterministic: the same build gives the same rows, ids included. Passwords are
bcrypt `$2a$` (as RuoYi's Spring Security stores them) at a low cost with a salt derived from
the login name, so the few hundred hashes take a fraction of a second and never change.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

from launchpad.demo import drift
from launchpad.demo.clientorg import BUTTONS, CONFIGS, DICTIONARIES, MENUS, ORG, POSTS, ROLES, ROOT_DEPT_ID
from launchpad.demo.people import Person, staff
from launchpad.demo.ruoyi_schema import DDL

CREATED = "2025-03-01 09:00:00"
SEEDED_PASSWORD = "Init@2025"  # sys.user.initPassword; the demo's own staff never changed it
DEMO_COST = 4
# RuoYi's own seed: admin / admin123 at cost 10.
ADMIN_HASH = "$2a$10$7JB720yubVSZvUI0rEqK/.VqGOZTH.ulu33dHOiBE8ByOhJIrdAu2"
_BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def create_client_database(path: Path, env_name: str, label: str, today: date) -> None:
    """The client system's database for `env_name` (test or prod), its scheduled pushes logged
    on `today` (site time). An existing file is kept: it is the person's data."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with contextlib.closing(sqlite3.connect(partial)) as connection, connection:
        # A new file renamed into place when whole: no need to wait for the disk at every statement.
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(DDL)
        _fill(connection, env_name == "prod")
        _job_log(connection, env_name == "prod", today)
        connection.execute("INSERT INTO about VALUES ('environment', ?)", (label,))
    partial.replace(path)  # a build cut short leaves no half-made database behind


def _fill(db: sqlite3.Connection, prod: bool) -> None:
    departments = _departments(db)
    posts = _rows(db, "sys_post", ["post_code", "post_name", "post_sort", "status", "create_by", "create_time"],
                  [(code, name, n, "0", "admin", CREATED) for n, (code, name) in enumerate(POSTS, 1)])
    roles = _rows(db, "sys_role", ["role_key", "role_name", "role_sort", "data_scope", "status", "create_by",
                                   "create_time", "remark"],
                  [(r.key, r.name, n, r.data_scope, "0", "admin", CREATED, r.name) for n, r in enumerate(ROLES, 1)])
    menus = _menus(db)
    removed = {(d.role_key, d.perms) for d in drift.PROD_DRIFT if isinstance(d, drift.PermissionRemoved)} if prod \
        else set()
    grants = []
    for role in ROLES:
        held = {p for p in menus if any(fnmatchcase(p, g) for g in role.grants) and (role.key, p) not in removed}
        ids = {menus[p] for p in held} | {a for p in held for a in _ancestors(db, menus[p])}
        grants += [(roles[role.key], menu_id) for menu_id in sorted(ids)]
    db.executemany("INSERT INTO sys_role_menu (role_id, menu_id) VALUES (?, ?)", grants)
    _dictionaries(db, prod)
    db.executemany("INSERT INTO sys_config (config_name, config_key, config_value, config_type, create_by, "
                   "create_time, remark) VALUES (?, ?, ?, 'Y', 'admin', ?, ?)",
                   [(name, key, value, CREATED, remark) for name, key, value, remark in CONFIGS])
    _users(db, prod, departments, posts, roles)


def _job_log(db: sqlite3.Connection, prod: bool, today: date) -> None:
    """RuoYi's scheduled-job log, which the bundled daily-monitoring playbook reads: the push of
    case data to the provincial platform every two hours; in prod one push timed out, the kind
    of thing the client's group should hear about from the monitoring, not from the province."""
    rows = []
    for hour in range(0, 24, 2):
        failed = prod and hour == 10
        rows.append(("推送办件数据至省平台", "DEFAULT", "pushTask.pushCases()",
                     "推送办件数据：耗时 3 秒" if not failed else "推送办件数据：失败",
                     "1" if failed else "0",
                     "java.net.SocketTimeoutException: connect timed out (省平台接口)" if failed else "",
                     f"{today.isoformat()} {hour:02d}:15:00"))
    db.executemany("INSERT INTO sys_job_log (job_name, job_group, invoke_target, job_message, status, "
                   "exception_info, create_time) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def _rows(db: sqlite3.Connection, table: str, columns: list[str], rows: list[tuple[object, ...]]) -> dict[str, int]:
    """Insert rows; their first column's value → the id the row got."""
    ids = {}
    for row in rows:
        cursor = db.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(row))})", row)
        ids[str(row[0])] = int(cursor.lastrowid or 0)
    return ids


def _departments(db: sqlite3.Connection) -> dict[tuple[str, ...], int]:
    root_name, divisions = ORG
    ids: dict[tuple[str, ...], int] = {(): ROOT_DEPT_ID}
    rows = [(ROOT_DEPT_ID, 0, "0", root_name, 0)]
    next_id = ROOT_DEPT_ID + 1
    for order, (division, sections) in enumerate(divisions, 1):
        ids[(division,)] = next_id
        rows.append((next_id, ROOT_DEPT_ID, f"0,{ROOT_DEPT_ID}", division, order))
        next_id += 1
        for sub_order, section in enumerate(sections, 1):
            ids[(division, section)] = next_id
            rows.append((next_id, ids[(division,)], f"0,{ROOT_DEPT_ID},{ids[(division,)]}", section, sub_order))
            next_id += 1
    db.executemany("INSERT INTO sys_dept (dept_id, parent_id, ancestors, dept_name, order_num, create_by, "
                   "create_time) VALUES (?, ?, ?, ?, ?, 'admin', ?)", [(*row, CREATED) for row in rows])
    return ids


def _menus(db: sqlite3.Connection) -> dict[str, int]:
    """The menu tree (directories from 1, menus from 100, buttons from 1000, as RuoYi numbers
    them); permission code → menu id."""
    perms: dict[str, int] = {}
    rows: list[tuple[object, ...]] = []
    menu_id, button_id = 100, 1000
    for top, (name, path, icon, children) in enumerate(MENUS, 1):
        rows.append((top, name, 0, top, path, None, "M", "", icon))
        for order, (child, child_path, prefix, extra) in enumerate(children, 1):
            perms[f"{prefix}:list"] = menu_id
            rows.append((menu_id, child, top, order, child_path, f"{path}/{child_path}/index", "C", f"{prefix}:list",
                         child_path))
            for b_order, (b_name, action) in enumerate((*BUTTONS, *extra), 1):
                perms[f"{prefix}:{action}"] = button_id
                label = b_name if len(b_name) > 2 else f"{child[:2]}{b_name}"
                rows.append((button_id, label, menu_id, b_order, "", "", "F", f"{prefix}:{action}", "#"))
                button_id += 1
            menu_id += 1
    db.executemany("INSERT INTO sys_menu (menu_id, menu_name, parent_id, order_num, path, component, menu_type, "
                   "perms, icon, create_by, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'admin', ?)",
                   [(*row, CREATED) for row in rows])
    return perms


def _ancestors(db: sqlite3.Connection, menu_id: int) -> list[int]:
    found = []
    parent = db.execute("SELECT parent_id FROM sys_menu WHERE menu_id = ?", (menu_id,)).fetchone()[0]
    while parent:
        found.append(int(parent))
        parent = db.execute("SELECT parent_id FROM sys_menu WHERE menu_id = ?", (parent,)).fetchone()[0]
    return found


def _dictionaries(db: sqlite3.Connection, prod: bool) -> None:
    added = [d for d in drift.PROD_DRIFT if isinstance(d, drift.DictOptionAdded)] if prod else []
    edited = {(d.dict_type, d.value): d.after for d in drift.PROD_DRIFT if isinstance(d, drift.LabelEdited)} \
        if prod else {}
    for dictionary in DICTIONARIES:
        db.execute("INSERT INTO sys_dict_type (dict_name, dict_type, status, create_by, create_time, remark) "
                   "VALUES (?, ?, '0', 'admin', ?, ?)", (dictionary.name, dictionary.type, CREATED,
                                                         f"{dictionary.name}列表"))
        items = [(value, edited.get((dictionary.type, value), label), "admin", CREATED, "")
                 for value, label in dictionary.items]
        items += [(d.value, d.label, "admin", "2025-04-18 16:20:00", d.why) for d in added
                  if d.dict_type == dictionary.type]
        db.executemany("INSERT INTO sys_dict_data (dict_sort, dict_label, dict_value, dict_type, is_default, status, "
                       "create_by, create_time, remark) VALUES (?, ?, ?, ?, ?, '0', ?, ?, ?)",
                       [(n, label, value, dictionary.type, "Y" if n == 1 else "N", by, at, why)
                        for n, (value, label, by, at, why) in enumerate(items, 1)])


def people_of(prod: bool) -> list[tuple[Person, str]]:
    """(person, del_flag) in `prod` or test, as `drift.py` says they differ."""
    everyone = staff(ORG[1])
    unit, count = drift.DELETED_IN_PROD
    left = [p.user_name for p in everyone if p.unit == (unit,) and p.post == "ky"][:count]
    if prod:
        login, phone = drift.PHONE_CHANGED_IN_PROD
        for person in everyone:
            if person.user_name == login:
                person.phone = phone
        return [(p, "2" if p.user_name in left else "0") for p in everyone]
    kept = everyone[:-drift.PROD_ONLY_NEWEST]
    testers = [Person(login, name, "0", f"137000009{n:02d}", unit_path, post, roles)
               for n, (login, name, unit_path, post, roles) in enumerate(drift.TEST_ACCOUNTS, 1)]
    return [(p, "0") for p in kept + testers]


def _users(db: sqlite3.Connection, prod: bool, departments: dict[tuple[str, ...], int], posts: dict[str, int],
           roles: dict[str, int]) -> None:
    db.execute("INSERT INTO sys_user (user_id, dept_id, user_name, nick_name, email, phonenumber, sex, password, "
               "pwd_update_date, create_by, create_time, remark) VALUES (1, ?, 'admin', '系统管理员', '', "
               "'15888888888', '0', ?, ?, 'admin', ?, '管理员')", (ROOT_DEPT_ID, ADMIN_HASH, CREATED, CREATED))
    db.execute("INSERT INTO sys_user_role VALUES (1, ?)", (roles["admin"],))
    links_role, links_post = [], []
    people = people_of(prod)
    with ThreadPoolExecutor() as pool:  # bcrypt lets go of the GIL: a core each
        list(pool.map(demo_hash, [p.user_name for p, _ in people]))
    for person, del_flag in people:
        cursor = db.execute(
            "INSERT INTO sys_user (dept_id, user_name, nick_name, email, phonenumber, sex, password, del_flag, "
            "pwd_update_date, create_by, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'admin', ?)",
            (departments[person.unit], person.user_name, person.nick_name, person.email, person.phone, person.sex,
             demo_hash(person.user_name), del_flag, CREATED, CREATED))
        user_id = int(cursor.lastrowid or 0)
        links_role += [(user_id, roles[key]) for key in person.roles]
        links_post.append((user_id, posts[person.post]))
    db.executemany("INSERT INTO sys_user_role (user_id, role_id) VALUES (?, ?)", links_role)
    db.executemany("INSERT INTO sys_user_post (user_id, post_id) VALUES (?, ?)", links_post)


@functools.cache
def demo_hash(login: str) -> str:
    """The seeded password's bcrypt hash for `login`, with a salt derived from the login, so a
    rebuilt demo holds the same hashes."""
    import bcrypt

    digest = hashlib.sha256(f"launchpad-demo:{login}".encode()).digest()
    salt = "".join(_BCRYPT_ALPHABET[b % 64] for b in digest[:21]) + _BCRYPT_ALPHABET[digest[21] % 4 * 16]
    hashed = bcrypt.hashpw(SEEDED_PASSWORD.encode(), f"$2b${DEMO_COST:02d}${salt}".encode()).decode("ascii")
    return "$2a$" + hashed[4:]


