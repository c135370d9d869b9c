"""The demo client system's sign-in: an account and password checked against the
environment's sys_user as RuoYi checks them (a live, enabled user; bcrypt `$2a$`), so a person
who imported users can sign in with a password from the hand-out and be told it is the initial
one (RuoYi's `pwd_update_date` still NULL) and must be changed."""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

WRONG = "账号或密码错误"


@dataclass(frozen=True)
class SignIn:
    ok: bool
    message: str


def sign_in(database: Path, account: str, password: str) -> SignIn:
    import bcrypt

    if not account or not password:
        return SignIn(False, "请输入账号和密码")
    uri = "file:" + str(database.resolve()).replace("?", "%3f").replace("#", "%23") + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        found = db.execute("SELECT u.nick_name, u.password, u.status, u.pwd_update_date, COALESCE(d.dept_name, '') "
                           "FROM sys_user u LEFT JOIN sys_dept d ON d.dept_id = u.dept_id "
                           "WHERE u.user_name = ? AND u.del_flag = '0'", (account.strip(),)).fetchone()
    if found is None:
        return SignIn(False, WRONG)  # the same words for an unknown account: nobody learns who exists
    name, hashed, status, changed, unit = found
    text = str(hashed or "")
    try:
        matches = text.startswith("$2") and bcrypt.checkpw(password.encode("utf-8"), ("$2b$" + text[4:]).encode())
    except ValueError:
        matches = False
    if not matches:
        return SignIn(False, WRONG)
    if status != "0":
        return SignIn(False, "账号已停用，请联系管理员")
    first = "；这是初始密码，请立即修改" if changed is None else ""
    return SignIn(True, f"登录成功：{name}（{unit}）{first}")
