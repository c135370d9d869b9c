"""What the import's batch stream says when a batch goes unanswered on the host, or its new users
cannot be found to link (any other failed batch says `users.bulk_load_failed`, in sweep.py)."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "users.stream.silent": ("{host}: batch {batch} got no answer from the database's client within {seconds} s",
                            "{host}：第 {batch} 批在 {seconds} 秒内未得到数据库客户端的应答"),
    "users.stream.silent_hint": ("look at the database on {host} (a lock held by someone else?); run the same "
                                 "import again to continue it: rows already written are recognised",
                                 "请检查 {host} 上的数据库（是否有他人持有的锁？）；再次运行同一导入即可继续："
                                 "已写入的行会被识别"),
    "users.stream.ended": ("the import stopped sending", "导入已停止发送"),
    "users.stream.ids_unfound": ("batch {batch} of import {id}: the new users could not be found again by their "
                                 "login names once written in {env}, so their roles and posts could "
                                 "not be linked; nothing of this batch was written",
                                 "导入 {id} 的第 {batch} 批：新用户写入 {env} 后无法按登录名找回，"
                                 "因而无法关联其角色和岗位；这一批什么都没有写入"),
    "users.stream.no_id_default": ("batch {batch} of import {id}: {table}.{column} in {env} has no default to "
                                   "number new users by (no identity, no sequence); nothing of this batch was written",
                                   "导入 {id} 的第 {batch} 批：{env} 的 {table}.{column} 没有为新用户编号的默认值"
                                   "（既非自增标识列，也无序列）；这一批什么都没有写入"),
    "users.stream.no_id_default_hint": ("name the sequence the site numbers users by in the target profile "
                                        "(id: {{generate: sequence, sequence: NAME}}), then run the same import again",
                                        "请在目标配置中写明给用户编号的序列"
                                        "（id: {{generate: sequence, sequence: 序列名}}），再次运行同一导入"),
    "users.stream.ids_unfound_hint": ("does a trigger or a default on the users table change the login name? "
                                      "Add one user by hand in {env} and compare its login name with the sheet's",
                                      "用户表上是否有触发器或默认值改写登录名？请在 {env} 中手工新增一个用户，"
                                      "核对其登录名与表格中的是否一致"),
}
