"""Drift benchmark: comparing a baseline with test and prod against the time the databases' own
clients take just to fetch the same tables over the same SSH link, in the same run.

    .venv/bin/python bench/drift/run.py [--roles 50] [--menus 2000] [--types 200] [--items 20] [--rounds 3]

1. Starts one OpenSSH server, one MariaDB and one PostgreSQL on 127.0.0.1 (the test suite's
   own servers: tests/integration/sshd.py, databases.py) and a workspace whose `test` is a
   RuoYi-shaped MariaDB database and whose `prod` is the same shape in PostgreSQL, both reached
   through the sshd (tests/integration/ruoyi.py).
2. Fills both: ROLES roles, MENUS menus (directories of 100, most with a permission code, some
   without), each role granted about 40% of the menus, TYPES dictionary types of ITEMS items,
   and posts; prod then drifts a little (a grant removed, an option added, a label edited).
   The baseline is test's export, written as YAML.
3. Each round, over sessions already open (the SSH connection and the private folder with the
   credentials are set up once, outside the timing, for both sides):
   - anchor: the database's own client (`mysql --batch`, `psql -A -t`) runs the same six
     SELECTs in one invocation per environment, its output read whole and thrown away;
   - launchpad: the baseline file read, test and prod read (`read_environment`), both compared
     with the baseline and each comparison recorded in a store (what `baseline diff` does).
   Prints the median of each and the ratio; the issue's target is 1.5×. Nothing asserts on time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from launchpad.backup.sqlclient import MySqlClient
from launchpad.baseline.drift import compare
from launchpad.baseline.files import load_baseline, write_baseline
from launchpad.baseline.operations import environment_session, read_environment
from launchpad.baseline.records import record_comparison
from launchpad.hosts.connect import HostConnections
from launchpad.store.db import Store
from tests.integration.databases import PASSWORD, MariaDbServer, PostgresServer, server_directory
from tests.integration.ruoyi import MARIA, PG, RuoYiLab
from tests.integration.ruoyi_baseline import DDL
from tests.integration.sshd import SshLab

TARGET = 1.5


def tables_only(ddl: str) -> str:
    """The DDL of the RuoYi baseline tables without the tests' seed rows."""
    return ddl.split("INSERT INTO")[0]


def fill_sql(roles: int, menus: int, types: int, items: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = ["DELETE FROM sys_role_menu", "DELETE FROM sys_role", "DELETE FROM sys_post"]
    out.append("INSERT INTO sys_role (role_id, role_name, role_key, role_sort, data_scope, status) VALUES " + ", ".join(
        f"({r}, '角色{r}', 'role{r}', {r}, '{rng.choice('12345')}', '0')" for r in range(1, roles + 1)))
    rows = []
    for m in range(1, menus + 1):
        parent = 0 if m % 100 == 1 else (m // 100) * 100 + 1
        perms = "" if m % 10 == 0 else f"mod{m // 100}:thing{m}:list"
        rows.append(f"({m}, '菜单{m}', {parent}, {m % 100}, 'C', '{perms}')")
    for start in range(0, len(rows), 500):
        out.append("INSERT INTO sys_menu (menu_id, menu_name, parent_id, order_num, menu_type, perms) VALUES "
                   + ", ".join(rows[start:start + 500]))
    grants = [f"({r}, {m})" for r in range(1, roles + 1) for m in range(1, menus + 1) if rng.random() < 0.4]
    for start in range(0, len(grants), 2000):
        out.append("INSERT INTO sys_role_menu (role_id, menu_id) VALUES " + ", ".join(grants[start:start + 2000]))
    out.append("INSERT INTO sys_dict_type (dict_name, dict_type, status) VALUES " + ", ".join(
        f"('字典{t}', 'dict_{t}', '0')" for t in range(types)))
    data = [f"({i}, '选项{t}-{i}', '{i}', 'dict_{t}', '', 'default', '{'Y' if i == 0 else 'N'}', '0')"
            for t in range(types) for i in range(items)]
    for start in range(0, len(data), 1000):
        out.append("INSERT INTO sys_dict_data (dict_sort, dict_label, dict_value, dict_type, css_class, list_class, "
                   "is_default, status) VALUES " + ", ".join(data[start:start + 1000]))
    out.append("INSERT INTO sys_post (post_code, post_name, post_sort, status) VALUES "
               + ", ".join(f"('p{p}', '岗位{p}', {p}, '0')" for p in range(20)))
    return out


DRIFT = [
    "DELETE FROM sys_role_menu WHERE role_id = 1 AND menu_id IN (SELECT menu_id FROM sys_role_menu WHERE role_id = 1 "
    "ORDER BY menu_id LIMIT 1)",
    "INSERT INTO sys_dict_data (dict_sort, dict_label, dict_value, dict_type, is_default, status) "
    "VALUES (99, '现场新增', '99', 'dict_0', 'N', '0')",
    "UPDATE sys_dict_data SET dict_label = '改过的' WHERE dict_type = 'dict_1' AND dict_value = '1'",
]


# The six tables' columns, row by row, as a person would fetch them.
ANCHOR = ["SELECT role_id, role_key, role_name, status, data_scope, role_sort FROM sys_role WHERE del_flag = '0'",
          "SELECT menu_id, parent_id, menu_name, perms FROM sys_menu", "SELECT role_id, menu_id FROM sys_role_menu",
          "SELECT dict_type, dict_name, status FROM sys_dict_type",
          "SELECT dict_type, dict_value, dict_label, dict_sort, is_default, status, css_class, list_class "
          "FROM sys_dict_data", "SELECT post_code, post_name, post_sort, status FROM sys_post"]


def anchor_script(engine: str) -> str:
    return "".join(f"{sql};\n" for sql in ANCHOR)


def fetch_raw(session: object) -> int:
    """The database's own client fetching the six tables in one invocation; bytes read."""
    shell, tmp, access = session.shell, session.tmp, session.access  # type: ignore[attr-defined]
    script = anchor_script(access.engine).encode("utf-8")
    if access.engine in ("mysql", "mariadb"):
        command = MySqlClient(access).command(tmp, extra="--batch")
    else:
        from launchpad.backup.sqlclient import PostgresClient

        client = PostgresClient(access)
        command = f"{client.env(tmp)}psql -X -q -A -t -v ON_ERROR_STOP=1 {client.connection()} -f -"
    result = shell.run(command, stdin=script)
    if not result.ok:
        raise RuntimeError(result.stderr.decode(errors="replace"))
    return len(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--menus", type=int, default=2000)
    parser.add_argument("--types", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lp-bench-drift-"))
    os.environ["HOME"] = str(work / "home")
    (work / "home").mkdir()
    os.environ["LP_TEST_DB_PW"] = PASSWORD
    with contextlib.ExitStack() as stack:
        lab = SshLab(work / "sshd")
        stack.callback(lab.close)
        host = lab.start_host("app1")
        lab.write_user_ssh_config()
        maria, pg = MariaDbServer(server_directory("lp-bench-maria-")), PostgresServer(server_directory("lp-bench-pg-"))
        maria.start()
        stack.callback(maria.stop)
        pg.start()
        stack.callback(pg.stop)
        ruoyi = RuoYiLab(work / "ws", host, maria, pg)
        maria.root_sql(tables_only(DDL).format(**MARIA), ruoyi.name)
        pg.sql(tables_only(DDL).format(**PG), ruoyi.name)
        fill = fill_sql(args.roles, args.menus, args.types, args.items)
        maria.root_sql(";\n".join(fill) + ";", ruoyi.name)
        pg.sql(";\n".join(fill) + ";", ruoyi.name)
        pg.sql(";\n".join(DRIFT) + ";", ruoyi.name)
        workspace = ruoyi.workspace
        store = stack.enter_context(Store.open(workspace.store_path))

        def audit(action: str, target: str, detail: dict[str, object]) -> None:
            store.audit("bench", action, target, detail)

        sessions = {}
        for env in ("test", "prod"):
            connections = stack.enter_context(HostConnections(workspace, env, store=store, actor="bench"))
            sessions[env] = stack.enter_context(environment_session(workspace, env, connections.transport_for,
                                                                    audit))
        baseline_path = write_baseline(read_environment(sessions["test"], "test").baseline,
                                       work / "ws" / "baselines" / "baseline.yaml")
        grants = sum(len(r.permissions) for r in load_baseline(baseline_path).roles.values())
        print(f"data: {args.roles} roles, {args.menus} menus, {grants} grant keys, {args.types} × {args.items} "
              f"dictionary items; baseline {baseline_path.stat().st_size // 1024} KiB of YAML")
        if os.environ.get("LP_BENCH_PARTS"):
            for label, call in (("baseline file (parsed)", lambda: load_baseline(baseline_path)),
                                ("read test", lambda: read_environment(sessions["test"], "test")),
                                ("read prod", lambda: read_environment(sessions["prod"], "prod"))):
                started = time.perf_counter()
                call()
                print(f"  {label}: {time.perf_counter() - started:.3f} s")
        cache = workspace.root / ".launchpad" / "baselines"  # as `baseline diff` reads it
        load_baseline(baseline_path, cache=cache)
        if os.environ.get("LP_BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            baseline = load_baseline(baseline_path, cache=cache)
            for env in ("test", "prod"):
                record_comparison(store, compare(baseline, read_environment(sessions[env], env).baseline, env), "b")
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        anchors, ours, sizes = [], [], 0
        found = None
        for _ in range(args.rounds):
            started = time.perf_counter()
            sizes = sum(fetch_raw(sessions[env]) for env in ("test", "prod"))
            anchors.append(time.perf_counter() - started)
            started = time.perf_counter()
            baseline = load_baseline(baseline_path, cache=cache)
            found = []
            for env in ("test", "prod"):
                drift = compare(baseline, read_environment(sessions[env], env).baseline, env)
                record_comparison(store, drift, "bench")
                found.append(len(drift.differences))
            ours.append(time.perf_counter() - started)
        anchor, mine = statistics.median(anchors), statistics.median(ours)
        print(f"anchor (mysql + psql fetch the six tables, {sizes // 1024} KiB): {anchor:.3f} s (median of "
              f"{args.rounds})")
        print(f"launchpad (baseline read, test and prod read, compared, recorded): {mine:.3f} s; "
              f"differences test {found[0] if found else '?'}, prod {found[1] if found else '?'}")
        print(f"ratio {mine / anchor:.2f}× (target {TARGET}×): {'met' if mine / anchor <= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
