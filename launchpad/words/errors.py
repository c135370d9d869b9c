"""What failed, as an error's title reads (`error.` + the class's English title, spaces as
underscores), and the common errors' messages and hints. An error's title in a class nobody
entered here stays English; tests/core/test_wordbook.py keeps every class's title known."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "error.says": ("{title}: {message}", "{title}：{message}"),
    "error.launchpad_error": ("launchpad error", "launchpad 错误"),
    "error.invalid_input": ("invalid input", "输入有误"),
    "error.usage": ("usage", "用法有误"),
    "error.no_workspace": ("no workspace", "没有工作区"),
    "error.secret_unavailable": ("secret unavailable", "取不到密码"),
    "error.remote_error": ("remote error", "远程主机出错"),
    "error.host_unreachable": ("host unreachable", "主机不可达"),
    "error.authentication_failed": ("authentication failed", "认证失败"),
    "error.unknown_host_key": ("unknown host key", "未知的主机密钥"),
    "error.host_key_changed": ("HOST KEY CHANGED", "主机密钥已改变"),
    "error.host_key_revoked": ("host key revoked", "主机密钥已吊销"),
    "error.command_timed_out": ("command timed out", "命令超时"),
    "error.connection_lost": ("connection lost", "连接中断"),
    "error.store_error": ("store error", "存储出错"),
    "error.store_damaged": ("store damaged", "存储已损坏"),
    "error.store_gone": ("store gone", "存储文件不见了"),
    "error.run_aborted": ("run aborted", "运行已中止"),
    "error.cannot_write_the_file": ("cannot write the file", "无法写入文件"),
    "error.import_refused": ("import refused", "导入被拒绝"),
    "error.target_database_error": ("target database error", "目标数据库出错"),
    "error.cannot_read_the_sheet": ("cannot read the sheet", "无法读取表格"),
    "error.cannot_read_the_users'_api": ("cannot read the users' API", "无法读取用户接口"),
    "error.the_users'_query_failed": ("the users' query failed", "用户查询失败"),
    "error.the_sheet_does_not_fit_the_mapping": ("the sheet does not fit the mapping", "表格与映射不符"),
    "error.channel_configuration": ("channel configuration", "渠道配置有误"),
    "error.not_sent": ("not sent", "未发送"),
    "error.refused_by_the_robot": ("refused by the robot", "机器人拒收"),
    "error.delivery_unknown": ("delivery unknown", "不确定是否送达"),
    "error.notice_refused": ("notice refused", "通知被拒绝"),
    "error.backup_failed": ("backup failed", "备份失败"),
    "error.backup_folder_unusable": ("backup folder unusable", "备份目录不可用"),
    "error.backup_does_not_verify": ("backup does not verify", "备份校验未通过"),
    "error.restore_refused": ("restore refused", "恢复被拒绝"),
    "error.malformed_configuration_file": ("malformed configuration file", "配置文件格式有误"),
    "error.cannot_fix": ("cannot fix", "无法修正"),
    "error.fix_refused": ("fix refused", "修正被拒绝"),
    "error.import_stopped": ("import stopped", "导入已停止"),
    "error.invalid_baseline": ("invalid baseline", "基线有误"),
    "error.release_refused": ("release refused", "发布被拒绝"),
    # the common errors
    "error.no_site_file_here": ("no {file} in {here} or any folder above it", "{here} 及其上级目录中都没有 {file}"),
    "error.no_site_file_here_hint": (
        "run `launchpad init DIR` to create a workspace, `launchpad demo` to try one, or pass --workspace DIR",
        "运行 `launchpad init 目录` 创建工作区，或 `launchpad demo` 体验演示，或用 --workspace 目录 指定工作区"),
    "error.no_site_file": ("{root} has no {file}", "{root} 中没有 {file}"),
    "error.no_site_file_hint": ("create one with `launchpad init {root}`", "用 `launchpad init {root}` 创建一个"),
    "error.unknown_env": ("no environment {name!r} in {file}", "{file} 中没有环境“{name}”"),
    "error.unknown_env_hint": ("environments: {names}", "已有环境：{names}"),
    "error.no_envs": ("none defined", "未定义"),
    "error.problems": ("{count} problem(s); fix them and run `launchpad check` again",
                       "共 {count} 处问题；改正后再运行 `launchpad check`"),
    "error.cannot_resolve": ("cannot resolve {host}: {reason}", "无法解析 {host}：{reason}"),
    "error.cannot_resolve_hint": ("check the host's address in site.yaml or HostName in ~/.ssh/config",
                                  "请检查 site.yaml 中的主机地址或 ~/.ssh/config 中的 HostName"),
    "error.no_answer": ("no answer from {address} within {seconds:g}s", "{address} 在 {seconds:g} 秒内没有响应"),
    "error.no_answer_hint": ("check the VPN or bastion, the address and the firewall",
                             "请检查 VPN 或跳板机、地址和防火墙"),
    "error.cannot_connect": ("cannot connect to {address}: {reason}", "无法连接 {address}：{reason}"),
    "error.cannot_connect_hint": ("check that sshd runs there and the port is right",
                                  "请确认该主机上 sshd 正在运行、端口正确"),
    "error.key_changed": (
        "the host key has CHANGED: known_hosts has {known}, the host now offers {key_type} {fingerprint}. "
        "Someone may be intercepting the connection, or the server was reinstalled",
        "主机密钥已改变：known_hosts 中记录的是 {known}，主机现在提供的是 {key_type} {fingerprint}。"
        "可能有人在截获连接，或服务器已重装"),
    "error.key_changed_hint": (
        "do not continue; confirm with the client's administrator, then remove the old entry "
        "(ssh-keygen -R HOST) and trust the new key explicitly",
        "不要继续；先与客户的管理员确认，再删除旧记录（ssh-keygen -R HOST），并明确信任新密钥"),
    "error.key_unknown": ("the host key is not known ({key_type} {fingerprint}){looked_in}",
                          "主机密钥未知（{key_type} {fingerprint}）{looked_in}"),
    "error.key_unknown_searched": ("; searched {files}", "；已查找 {files}"),
    "error.key_unknown_hint": (
        "compare the fingerprint with the server's, then run `launchpad hosts trust --env ENV` to record it",
        "与服务器上的指纹核对后，运行 `launchpad hosts trust --env ENV` 记录它"),
    # what the command line says when it stops
    "error.aborted": ("aborted", "已取消"),
    "error.interrupted": ("interrupted; what was done so far is stored (resume with --resume)",
                          "已中断；已完成的部分已保存（可用 --resume 继续）"),
    "error.crash": ("internal error: {error} — this is a bug in launchpad; {where}",
                       "内部错误（internal error）：{error} —— 这是 launchpad 的缺陷；{where}"),
    "error.crash_logged": ("details in {log}", "详情见 {log}"),
    "error.crash_not_logged": ("the details could not be saved", "详情未能保存"),
}
