"""Sheets and mappings the user-import tests build for themselves (openpyxl, GBK CSV)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

MAPPING = """\
target: ruoyi
key: user_name
fields:
  user_name: {headers: [账号, 用户名, 登录名], required: true, transforms: [trim, halfwidth, lower], max_length: 30}
  nick_name: {headers: [姓名, 用户姓名, 名字], required: true, transforms: [trim, no_spaces]}
  id_number: {headers: [身份证号, 身份证号码], check: id_number, unique: true}
  phonenumber: {headers: [手机, 手机号, 手机号码], check: mobile, unique: true}
  email: {headers: [邮箱, 电子邮箱], check: email}
  sex: {headers: [性别], codes: {男: "0", 女: "1"}}
  dept: {headers: [实际单位, 单位], required: true}
  attached_dept: {headers: [挂职单位]}
  post: {headers: [岗位]}
  joined: {headers: [入职日期], check: date}
units:
  account_in: attached
  map: {信息办: 信息中心}
roles:
  default: [common]
  rules:
    - when: {post: [科长]}
      roles: [leader]
"""

HEADER = ["账号", "姓名", "身份证号", "手机号码", "邮箱", "性别", "单位", "岗位"]
GOOD = [
    ["zhangsan", "张三", "11010519491231002X", "13800138000", "zs@example.cn", "男", "办公室", "科长"],
    ["lisi", "李四", "110105199003071239", "13900139000", "ls@example.cn", "女", "信息中心", "科员"],
]


def write_mapping(folder: Path, text: str = MAPPING) -> Path:
    path = folder / "imports" / "ruoyi.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]],
               merged: dict[str, list[str]] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and (cell.value.startswith("=") or cell.data_type == "e"):
                    # typed text that looks like a formula, or an error's text pasted as a value (openpyxl
                    # makes "#N/A" an error cell), as a client's sheet may hold
                    cell.data_type = "s"
        for cells in (merged or {}).get(name, []):
            ws.merge_cells(cells)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str = "gbk", delimiter: str = ",") -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx_with_errors(path: Path, rows: Sequence[Sequence[Any]], errors: Mapping[str, tuple[str | None, str]],
                           sheet: str = "名单") -> Path:
    """An xlsx whose cells `errors` (A1 reference → formula or None, error) hold an error as
    Excel saves one: `<c r="C2" t="e"><f>VLOOKUP(…)</f><v>#N/A</v></c>`, the formula and the
    error it last gave (None: an error pasted as a value). openpyxl cannot write a formula
    with its cached result, so the sheet is written by openpyxl with a placeholder in each
    such cell and its XML then rewritten to hold the error in Excel's form."""
    import re
    import zipfile
    from xml.sax.saxutils import escape

    marked = [list(row) for row in rows]
    for ref, _ in errors.items():
        column, row = re.fullmatch(r"([A-Z])(\d+)", ref).groups()  # type: ignore[union-attr]
        at = ord(column) - ord("A")
        line = marked[int(row) - 1]
        line += [None] * (at + 1 - len(line))
        line[at] = f"@{ref}@"
    write_xlsx(path, {sheet: marked})
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    for ref, (formula, error) in errors.items():
        formula_xml = "" if formula is None else f"<f>{escape(formula)}</f>"
        cell = f'<c r="{ref}" t="e">{formula_xml}<v>{escape(error)}</v></c>'.encode()
        text, count = re.subn(rf'<c r="{ref}"[^>]*>(?:(?!</c>).)*@{ref}@(?:(?!</c>).)*</c>'.encode(),
                              cell, parts["xl/worksheets/sheet1.xml"])
        assert count == 1, ref
        parts["xl/worksheets/sheet1.xml"] = text
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path
