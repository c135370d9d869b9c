"""What the import's batch stream says when a batch goes unanswered on the host (a failed batch
says `users.bulk_load_failed`, in sweep.py)."""

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
}
