"""User-import benchmark, the part that needs no database: reading, checking and planning a
ROWS × 12 xlsx against the time python-calamine takes merely to read it, in the same run;
writing the annotated copy; bcrypt hashing reported apart.

    .venv/bin/python bench/import/run.py [--rows 100000] [--cost 10] [--hashes 16]

1. Writes the sheet with openpyxl (write-only) into a temporary folder: unique accounts, valid
   GB 11643 ID numbers and mobiles, three units, dates, code lists — every row clean, so the
   figures are the checks' own cost and not the cost of reporting problems.
2. Times, each in the same process: calamine's `to_python()` of the sheet (the floor), then
   launchpad's `read_workbook` (calamine plus turning cells into text), `check_workbook`
   against an in-memory target of 500 departments and ROWS/10 existing users, and `build_plan`.
   Prints the seconds and the ratio (read + check + plan) / calamine; the issue's target is 2×.
3. Writes the annotated copy of a sheet where one row in ten has a bad phone number.
4. Hashes `--hashes` passwords at `--cost` on one thread, then on a thread per core, and
   extrapolates ROWS new users.

Not measured here: the apply's rate into MariaDB and PostgreSQL over SSH against
`LOAD DATA LOCAL INFILE` / `\\copy`, which needs the servers (see tests/integration/ruoyi.py).
Nothing asserts on time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from launchpad.users.annotate import write_annotated
from launchpad.users.checks import check_workbook
from launchpad.users.idnumber import check_digit
from launchpad.users.mapping import ImportMapping
from launchpad.users.passwords import PasswordPolicy, bcrypt_2a, generate
from launchpad.users.plan import build_plan
from launchpad.users.sources import read_workbook
from launchpad.users.state import ExistingUser, TargetState
from launchpad.users.units import Department

HEADER = ["账号", "姓名", "身份证号", "手机号码", "邮箱", "性别", "单位", "岗位", "入职日期", "职级", "备注", "工号"]
UNITS = ["办公室", "信息中心", "办公室/综合科"]
MAPPING = {
    "target": "ruoyi", "key": "user_name",
    "fields": {
        "user_name": {"headers": ["账号"], "required": True, "transforms": ["trim", "lower"]},
        "nick_name": {"headers": ["姓名"], "required": True},
        "id_number": {"headers": ["身份证号"], "check": "id_number", "unique": True},
        "phonenumber": {"headers": ["手机号码"], "check": "mobile", "unique": True},
        "email": {"headers": ["邮箱"], "check": "email"},
        "sex": {"headers": ["性别"], "codes": {"男": "0", "女": "1"}},
        "dept": {"headers": ["单位"], "required": True},
        "joined": {"headers": ["入职日期"], "check": "date"},
        "level": {"headers": ["职级"]},
        "remark": {"headers": ["备注"]},
        "staff_no": {"headers": ["工号"]},
    },
    "roles": {"default": ["common"]},
}


def write_sheet(path: Path, rows: int, bad_every: int = 0) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet("名单")
    ws.append(HEADER)
    for i in range(rows):
        first17 = f"{110105 + i // 1000}{1960 + i % 40}{1 + i % 12:02d}{1 + i % 28:02d}{i % 1000:03d}"
        phone = "1380" if bad_every and i % bad_every == 0 else f"13{i:09d}"
        ws.append([f"user{i}", f"用户{i}", first17 + check_digit(first17), phone, f"u{i}@example.cn",
                   "男" if i % 2 else "女", UNITS[i % 3], "科员", "2020-01-02", "一级", "", str(i)])
    book.save(path)


def state(rows: int) -> TargetState:
    departments = [Department(100, "某某局", ("某某局",)), Department(101, "办公室", ("某某局", "办公室")),
                   Department(102, "信息中心", ("某某局", "信息中心")),
                   Department(103, "综合科", ("某某局", "办公室", "综合科"))]
    departments += [Department(1000 + i, f"科室{i}", ("某某局", f"科室{i}")) for i in range(496)]
    users = {f"user{i}": ExistingUser(str(i), {"user_name": f"user{i}", "nick_name": f"旧名{i}", "email": "",
                                          "phonenumber": f"13{i:09d}", "sex": "0", "remark": "", "dept_id": "101"},
                                      {"common"}) for i in range(0, rows, 10)}
    return TargetState(departments, users, {"common": "2"}, {})


def timed(label: str, work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    print(f"  {label:<34} {seconds:8.2f} s")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cost", type=int, default=10)
    parser.add_argument("--hashes", type=int, default=16)
    args = parser.parse_args()
    from python_calamine import CalamineWorkbook

    mapping = ImportMapping.model_validate(MAPPING)
    with tempfile.TemporaryDirectory() as folder:
        sheet = Path(folder) / "users.xlsx"
        _, written = timed(f"write {args.rows}×12 xlsx (openpyxl)", lambda: write_sheet(sheet, args.rows))
        print(f"reading, checking, planning {args.rows} rows:")
        _, floor = timed("calamine to_python (the floor)",
                         lambda: CalamineWorkbook.from_path(str(sheet)).get_sheet_by_name("名单").to_python())
        workbook, read = timed("read_workbook", lambda: read_workbook(sheet))
        target = state(args.rows)
        from launchpad.users.plan import check_target

        result, checked = timed("check_workbook (with target)",
                                lambda: check_workbook(workbook, mapping, check_target(target, mapping)))
        plan, planned = timed("build_plan", lambda: build_plan(result, mapping, target))
        total = read + checked + planned
        print(f"  read + check + plan / calamine      {total / floor:8.2f} ×   (target ≤ 2×)")
        print(f"  plan: {plan.counts()}, problems: {len(result.problems)}")
        bad = Path(folder) / "bad.xlsx"
        write_sheet(bad, args.rows, bad_every=10)
        bad_book = read_workbook(bad)
        bad_result = check_workbook(bad_book, mapping)
        timed(f"annotated copy ({len(bad_result.problems)} problems)",
              lambda: write_annotated(bad_book, bad_result, Path(folder) / "bad.checked.xlsx"))
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    policy = PasswordPolicy(cost=args.cost)
    passwords = [generate(policy) for _ in range(args.hashes)]
    print(f"hashing (bcrypt $2a$, cost {args.cost}), apart from the above:")
    _, one = timed(f"{args.hashes} hashes, one thread", lambda: [bcrypt_2a(p, args.cost) for p in passwords])
    cores = os.cpu_count() or 1
    with ThreadPoolExecutor(cores) as pool:
        _, many = timed(f"{args.hashes} hashes, {cores} threads",
                        lambda: list(pool.map(lambda p: bcrypt_2a(p, args.cost), passwords)))
    print(f"  {one / args.hashes * 1000:.0f} ms per hash; {args.rows} new users ≈ "
          f"{many / args.hashes * args.rows / 60:.1f} min on {cores} core(s)")
    del written


if __name__ == "__main__":
    main()
