"""The demo's messy sheet, `imports/新员工名单.xlsx`, as the client's HR office sends one: a
title above a two-row header (单位 merged over 实际单位 | 挂职单位), full-width characters,
trailing blanks, mixed date spellings, blank rows at the end — and the mistakes launchpad
must find, listed in `PLANTED` with where they are and how the client would fix them.

Most rows are new staff (inserts into test); a few are people test already holds, two of
them moved to another unit (updates). Everything is the same on every build.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchpad.demo.clientdb import people_of
from launchpad.demo.people import Namer, Person
from launchpad.users.idnumber import check_digit
from launchpad.workspace.durable import workbook_bytes, write_complete

SHEET_FILE = "imports/新员工名单.xlsx"
MAPPING_FILE = "imports/新员工名单.yaml"
SHEET_NAME = "新进人员"
TITLE = "某市大数据管理局 2025 年新进及借调人员名单"
HEADER_TOP = ["序号", "姓名", "登录账号", "性别", "身份证号", "手机号码", "电子邮箱", "单位", "", "职务", "报到日期",
              "备注"]
HEADER_LOW = ["", "", "", "", "", "", "", "实际单位", "挂职单位", "", "", ""]
FIRST_ROW = 5  # the sheet's row number of the first person (title, note, two header rows above)
NEW_STAFF = 66
SEED = 20250301
# Where new staff go: a unit as the sheet names it, and the post.
PLACES = (("办公室/综合科", "科员"), ("文秘科", "科员"), ("政策法规处", "科员"), ("数据归集科", "科员"),
          ("数据共享科", "科员"), ("项目管理科", "科员"), ("网络安全科", "科员"), ("审批协调科", "科员"),
          ("效能督查科", "科员"), ("人事处", "科员"), ("某市政务服务中心/窗口管理科", "科员"),
          ("某市政务服务中心/投诉受理科", "科员"), ("某市信息中心/运维科", "科员"), ("某市信息中心/应用开发科", "科员"),
          ("网络运维科", "科员"), ("项目管理科", "副科长"))
AREA = "370102"


@dataclass(frozen=True)
class Planted:
    """One mistake in the sheet: the row, the column's header, what the sheet says, what a
    corrected sheet says, and what launchpad is expected to call it."""

    row: int
    header: str
    value: Any
    fixed: Any
    what: str


def id_number(rng: random.Random, born: datetime.date, sex: str) -> str:
    order = rng.randrange(0, 500) * 2 + (1 if sex == "0" else 0)  # the 17th digit is odd for men
    first17 = f"{AREA}{born:%Y%m%d}{order:03d}"
    return first17 + check_digit(first17)


def _born(rng: random.Random) -> datetime.date:
    return datetime.date(1975, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 26))


def _report_day(rng: random.Random, n: int) -> Any:
    day = datetime.date(2025, 3, 3) + datetime.timedelta(days=rng.choice((0, 0, 0, 7, 14)))
    # Typed by several people: date cells, 2025.3.3 and 2025年3月3日 in one column.
    return [datetime.datetime.combine(day, datetime.time()), f"{day.year}.{day.month}.{day.day}",
            f"{day.year}年{day.month}月{day.day}日"][n % 3]


def build_rows() -> tuple[list[list[Any]], list[Planted]]:
    """The people rows (without title and header) and the mistakes planted in them."""
    rng = random.Random(SEED)
    namer = Namer(rng)
    known = {p.user_name: p for prod in (False, True) for p, _ in people_of(prod)}
    namer.taken_logins |= set(known)
    namer.taken_phones |= {p.phone for p in known.values()}
    sex_word = {"0": "男", "1": "女"}
    rows: list[list[Any]] = []
    for n in range(NEW_STAFF):
        unit, post = PLACES[n % len(PLACES)]
        person = namer.person((unit,), post, [])
        rows.append(["", person.nick_name, person.user_name, sex_word[person.sex],
                     id_number(rng, _born(rng), person.sex), person.phone, "", unit, "", post, _report_day(rng, n), ""])
    test_people = [p for p, _ in people_of(False) if p.post in ("ky", "kz")]
    for person in test_people[10:13]:  # already in test exactly so: unchanged
        rows.append(_existing(rng, person, "/".join(person.unit), sex_word))
    moved = test_people[20], test_people[40]  # 转岗: the sheet puts them in another unit
    rows.append(_existing(rng, moved[0], "政策法规处", sex_word, note="转岗"))
    rows.append(_existing(rng, moved[1], "人事处", sex_word, note="转岗"))
    planted = _plant(rows, rng)
    for number, row in enumerate(rows, 1):
        row[0] = number
    return rows, planted


def _existing(rng: random.Random, person: Person, unit: str, sex_word: dict[str, str], note: str = "") -> list[Any]:
    post = {"ky": "科员", "kz": "科长"}[person.post]
    return ["", person.nick_name, person.user_name, sex_word[person.sex], id_number(rng, _born(rng), person.sex),
            person.phone, person.email, unit, "", post, "", note]


def _at(index: int) -> int:
    return FIRST_ROW + index


def _plant(rows: list[list[Any]], rng: random.Random) -> list[Planted]:
    planted = []
    # A wrong check digit: one digit mistyped.
    good = str(rows[7][4])
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    rows[7][4] = bad
    planted.append(Planted(_at(7), "身份证号", bad, good, "check digit"))
    # A 15-digit number issued before 1999: converted, not a problem.
    born = datetime.date(1968, 5, 12)
    first17 = f"{AREA}{born:%Y%m%d}{135:03d}"
    rows[12][4] = first17[:6] + first17[8:17]
    # Two people given one phone number (copied from the row above).
    rows[21][5] = rows[20][5]
    fixed_phone = "1" + str(rows[21][5])[1:3] + f"{rng.randrange(10 ** 8):08d}"
    planted.append(Planted(_at(21), "手机号码", rows[21][5], fixed_phone, "duplicate"))
    # A unit that does not exist, close to one that does.
    rows[30][7] = "数据资源科"
    planted.append(Planted(_at(30), "实际单位", "数据资源科", "数据资源处", "unknown unit"))
    # A name two units share: 综合科 is in 办公室 and in the service centre.
    rows[40][7] = "综合科"
    planted.append(Planted(_at(40), "实际单位", "综合科", "办公室/综合科", "ambiguous unit"))
    # An 18-digit number typed into a number cell: Excel keeps 15 digits.
    at = next(n for n in range(50, len(rows)) if not str(rows[n][4]).endswith("X"))
    planted.append(Planted(_at(at), "身份证号", int(rows[at][4]), str(rows[at][4]), "stored as a number"))
    rows[at][4] = int(rows[at][4])
    # A seconded person (借调): works in the information centre, attached to 数据共享科.
    rows[15][7:10] = ["信息中心/运维科", "数据资源处/数据共享科", "科员"]
    rows[15][11] = "借调"
    # Full-width letters and digits, blanks around names and units, as typed in a Chinese IME.
    rows[3][2] = str(rows[3][2]).translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    phone = str(rows[4][5])
    rows[4][5] = f"{phone[:3]} {phone[3:7]} {phone[7:]}".translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})
    rows[5][1] = f"{rows[5][1][0]}\u3000{rows[5][1][1:]}"
    rows[6][1] = f"{rows[6][1]}  "
    rows[8][7] = f" {rows[8][7]} "
    return planted


def write_sheet(path: Path) -> None:
    """The messy sheet, written whole then renamed."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    rows, _ = build_rows()
    book = Workbook()
    ws = book.active
    ws.title = SHEET_NAME
    ws.append([TITLE])
    ws.append(["填报单位：人事处　　填报日期：2025年2月28日　　（请勿修改表头）"])
    ws.append(HEADER_TOP)
    ws.append(HEADER_LOW)
    for row in rows:
        ws.append(row)
        if isinstance(row[4], int):
            ws.cell(ws.max_row, 5).number_format = "0"
    for _ in range(3):  # rows someone cleared with the space bar
        ws.append(["", " ", "", "", "", "", "", "", "", "", "", " "])
    ws.merge_cells("A1:L1")
    ws.merge_cells("A2:L2")
    ws.merge_cells("H3:I3")
    for column, header in enumerate(HEADER_TOP, 1):
        if header and header != "单位":
            ws.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for cell in (*ws[3], *ws[4]):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for letter, width in zip("ABCDEFGHIJKL", (6, 10, 14, 6, 22, 16, 26, 24, 24, 10, 14, 10), strict=True):
        ws.column_dimensions[letter].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    write_complete(path, workbook_bytes(book), mode=0o644)


MAPPING = """\
# 新员工名单.xlsx 怎样导入客户系统（若依）。launchpad users check / plan / import 默认读这个文件。
# How the client's sheet becomes users of the RuoYi system: see `launchpad schema import-mapping`.
target: ruoyi
key: user_name                  # 同一账号再次导入是更新，不会重复新增
fields:
  user_name: {headers: [登录账号, 账号, 用户名], required: true, transforms: [trim, halfwidth, lower]}
  nick_name: {headers: [姓名, 用户姓名], required: true, transforms: [trim, no_spaces]}
  sex: {headers: [性别], codes: {男: "0", 女: "1"}}
  id_number: {headers: [身份证号, 公民身份号码], check: id_number, unique: true}
  phonenumber: {headers: [手机号码, 手机, 联系电话], check: mobile, unique: true}
  email: {headers: [电子邮箱, 邮箱], check: email, transforms: [trim, halfwidth, lower]}
  dept: {headers: [实际单位, 单位], required: true, transforms: [trim, halfwidth]}
  attached_dept: {headers: [挂职单位, 借调单位], transforms: [trim, halfwidth]}
  post: {headers: [职务, 岗位]}
  joined: {headers: [报到日期, 入职日期], check: date}
  remark: {headers: [备注]}
units:
  account_in: attached          # 借调人员的账号建在挂职单位
  map:                          # 表里的写法 → 系统里的部门
    信息中心/运维科: 某市信息中心/运维科
roles:
  default: [common]
  rules:
    - when: {post: [科长, 副科长]}
      roles: [section_head]
    - when: {post: [处长, 副处长, 主任, 副主任]}
      roles: [dept_head]
passwords:
  scheme: bcrypt                # 若依（Spring Security）的 $2a$
  cost: 10
  length: 12
"""


def write_import_files(root: Path) -> None:
    """The sheet and its mapping; in a rebuilt demo, a sheet someone corrected and a mapping
    someone edited are kept."""
    if not (root / SHEET_FILE).exists():
        write_sheet(root / SHEET_FILE)
    mapping = root / MAPPING_FILE
    if not mapping.exists():
        mapping.write_text(MAPPING, encoding="utf-8")
