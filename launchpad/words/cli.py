"""What the command line says: headers, summaries, prompts, hints and the common errors, in
the site's language (or `--lang`, or LAUNCHPAD_LANG)."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    # the door
    "cli.store_waiting": ("waiting: another launchpad is writing to this workspace's store; "
                          "this write goes in as soon as it is done",
                          "等待中：另一个 launchpad 正在写入本工作区的存储；它写完后立即写入本次内容"),
    "cli.not_utf8": ("{what} is not UTF-8 text: {shown}", "{what} 不是 UTF-8 文本：{shown}"),
    "cli.argument": ("argument {position}", "第 {position} 个参数"),
    "cli.not_utf8_hint": ("set the terminal to UTF-8 (e.g. LANG=zh_CN.UTF-8) and type it again",
                          "请把终端设为 UTF-8（例如 LANG=zh_CN.UTF-8）后重新输入"),
    "cli.actor_not_utf8_hint": ("set LAUNCHPAD_ACTOR to your name in UTF-8, or unset it",
                                "请把 LAUNCHPAD_ACTOR 设为 UTF-8 的姓名，或取消该变量"),
    # issue
    "cli.issue.none": ("No issues match.", "没有符合条件的问题。"),
    "cli.issue.more": ("… {count} more (--limit)", "……另有 {count} 条，用 --limit 显示更多"),
    # report
    "cli.report.sent": ("sent to {channel} ({parts} part(s))", "已发送到 {channel}（{parts} 段）"),
    "cli.report.queued": ("not sent: {reason}\nqueued in the outbox: `launchpad report outbox --send` once online",
                          "未发送：{reason}\n已放入待发队列，恢复网络后运行 `launchpad report outbox --send`"),
    "cli.report.copied": ("copied to the clipboard ({tool}): paste it into the group",
                          "已复制到剪贴板（{tool}），可直接粘贴到群里"),
    "cli.report.wrote": ("wrote {path}", "已写入 {path}"),
    "cli.report.no_clip": ("no clipboard program; the full text follows:", "没有可用的剪贴板程序，以下为全文："),
    "cli.report.refused": ("the robot refused the message: {reason}\nit will not be sent again by itself: "
                           "paste it into the group by hand, or change it and send it again",
                           "机器人拒收了这条消息：{reason}\n不会自动重发：请手动粘贴到群里，或修改后重新发送"),
    "cli.report.unknown": ("the message went out but the robot did not answer: {reason}\ncheck the group "
                           "first, then `launchpad report outbox --requeue ID` or `--drop ID`",
                           "消息已发出但没有收到机器人的答复：{reason}\n请先查看群里是否已收到，再运行 "
                           "`launchpad report outbox --requeue ID` 或 `--drop ID`"),
    "cli.report.config_queued": ("it stays queued: `launchpad report outbox --send` once the setting is fixed",
                                 "已放入待发队列，修正配置后运行 `launchpad report outbox --send`"),
}
