"""The refusals of reaching and talking to hosts: the host key files, ssh_config, the SSH
connection and its commands, the local shell and the host trust. Each message and hint,
(English, 中文) with the same placeholders."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    # hosts/hostkeys.py
    "hostkeys.revoked": ("the host offers {key_type} {fingerprint}, which known_hosts marks @revoked",
                         "主机出示的密钥 {key_type} {fingerprint} 在 known_hosts 中被标记为 @revoked（已吊销）"),
    "hostkeys.revoked_hint": ("do not connect; ask the client's administrator for the host's new key",
                              "不要连接；请向客户的管理员索取这台主机的新密钥"),
    "hostkeys.no_writable": ("no writable known_hosts file is configured, so the key cannot be recorded",
                             "没有可写入的 known_hosts 文件，无法记录这个密钥"),
    "hostkeys.no_writable_hint": ("open a workspace; launchpad keeps its known_hosts under .launchpad/",
                                  "请打开一个工作区；launchpad 把自己的 known_hosts 放在 .launchpad/ 下"),
    "hostkeys.cannot_write": ("cannot write known_hosts file {path}: {reason}",
                              "无法写入 known_hosts 文件 {path}：{reason}"),
    "hostkeys.cannot_write_hint": ("check the folder and the file's permissions; nothing was recorded",
                                   "请检查文件夹和文件的权限；什么都没有记录"),
    "hostkeys.cannot_read": ("cannot read known_hosts file {path}: {reason}",
                             "无法读取 known_hosts 文件 {path}：{reason}"),
    "hostkeys.cannot_read_hint": ("check the file's permissions", "请检查文件的权限"),
    # hosts/sshconfig.py
    "sshconfig.jump_loop": ("{host}: more than {most} jump hosts; the ProxyJump settings form a loop",
                            "{host}：跳板机超过 {most} 层；ProxyJump 设置形成了循环"),
    "sshconfig.jump_loop_hint": ("check the ProxyJump lines of {path} (a `Host *` block applies to the jump host too)",
                                 "请检查 {path} 中的 ProxyJump 行（`Host *` 段对跳板机同样生效）"),
    "sshconfig.proxy_command": ("{host}: {path} reaches {address} with ProxyCommand, which launchpad does not run",
                                "{host}：{path} 通过 ProxyCommand 连接 {address}，launchpad 不执行 ProxyCommand"),
    "sshconfig.proxy_command_hint": ("use `ProxyJump bastion` instead, or give the environment a jump host "
                                     "in site.yaml",
                                     "请改用 `ProxyJump 跳板机`，或在 site.yaml 中为该环境配置跳板机"),
    "sshconfig.bad_port": ("{host}: {path} gives port {port} for {address}",
                           "{host}：{path} 为 {address} 给出的端口 {port} 无效"),
    "sshconfig.bad_port_hint": ("a port is a number between 1 and 65535", "端口须是 1 到 65535 之间的数字"),
    "sshconfig.bad_jump": ("ProxyJump {hop} in {where} is not [user@]host[:port]",
                           "{where} 中的 ProxyJump {hop} 不是 [用户@]主机[:端口] 的格式"),
    "sshconfig.bad_jump_hint": ("write e.g. `ProxyJump ops@bastion.example.com:2222`",
                                "例如写成 `ProxyJump ops@bastion.example.com:2222`"),
    "sshconfig.unbalanced_quote": ("{host}: {path} has an unbalanced quote in its known_hosts file setting {value}",
                                   "{host}：{path} 的 known_hosts 文件设置 {value} 中引号不成对"),
    "sshconfig.unbalanced_quote_hint": ('quote each path whole, e.g. UserKnownHostsFile "~/my hosts/known_hosts"',
                                        '请给每个路径整体加引号，例如 UserKnownHostsFile "~/my hosts/known_hosts"'),
    "sshconfig.unusable": ("cannot use ssh config {path}: {error}", "无法使用 ssh 配置文件 {path}：{error}"),
    "sshconfig.unusable_hint": ("fix the file, or point launchpad at another one",
                                "请修正这个文件，或让 launchpad 使用另一个配置文件"),
    # hosts/ssh_connect.py
    "ssh.passphrase": ("the key for {address} is protected by a passphrase", "连接 {address} 用的私钥有口令保护"),
    "ssh.passphrase_hint": ("load it into the agent first: ssh-add KEYFILE",
                            "请先把它加载到 ssh-agent：ssh-add 密钥文件"),
    "ssh.key_missing": ("{path} (missing)", "{path}（不存在）"),
    "ssh.agent_keys": ("the agent's and ~/.ssh/id_*", "ssh-agent 中的密钥和 ~/.ssh/id_*"),
    "ssh.keys_refused": ("{address} refused every key tried ({keys})", "{address} 拒绝了尝试过的所有密钥（{keys}）"),
    "ssh.keys_refused_hint": ("check the user and IdentityFile, and that the public key is in the host's "
                              "authorized_keys (ssh-add -l lists the agent's keys)",
                              "请检查用户名和 IdentityFile，并确认公钥已在主机的 authorized_keys 中"
                              "（ssh-add -l 可列出 ssh-agent 中的密钥）"),
    "ssh.handshake_slow": ("{address} did not complete the SSH handshake in time", "{address} 未能及时完成 SSH 握手"),
    "ssh.handshake_slow_hint": ("the host or the network is overloaded, or the port is not an SSH server",
                                "主机或网络负载过高，或者这个端口不是 SSH 服务"),
    "ssh.failed": ("SSH to {address} failed: {detail}", "SSH 连接 {address} 失败：{detail}"),
    "ssh.failed_hint": ("check that the port belongs to an SSH server and that it accepts launchpad",
                        "请确认这个端口是 SSH 服务，并且它允许 launchpad 连接"),
    "ssh.no_key_file": ("none of the key files exists: {files}", "所有密钥文件都不存在：{files}"),
    "ssh.no_key_file_hint": ("check IdentityFile in ~/.ssh/config or the host's identity_file",
                             "请检查 ~/.ssh/config 中的 IdentityFile 或主机的 identity_file"),
    # hosts/ssh_exec.py
    "ssh.input_failed": ("reading the input of `{command}` failed: {error}", "读取 `{command}` 的输入失败：{error}"),
    "ssh.check_local_file": ("check the local file", "请检查本地文件"),
    "ssh.timeout": ("`{command}` did not finish within {seconds}s; launchpad closed its channel",
                    "`{command}` 在 {seconds} 秒内没有结束；launchpad 已关闭它的通道"),
    "ssh.timeout_hint": ("the command may still be running on the host: check before running it again, or raise "
                         "the step's timeout",
                         "命令可能仍在主机上运行：再次执行前请先检查，或调大这一步的超时时间"),
    "ssh.no_session": ("the host did not open a session for `{command}` within {seconds}s",
                       "主机在 {seconds} 秒内没有为 `{command}` 打开会话"),
    "ssh.no_session_hint": ("the host may be overloaded, or the network to it failing",
                            "主机可能负载过高，或者到它的网络有故障"),
    "ssh.refused_command": ("the host refused to run `{command}`: {error}", "主机拒绝执行 `{command}`：{error}"),
    "ssh.refused_command_hint": ("the host may limit sessions per connection (MaxSessions in sshd_config) or "
                                 "force a command for this key",
                                 "主机可能限制了每个连接的会话数（sshd_config 中的 MaxSessions），"
                                 "或者为这个密钥强制指定了命令"),
    "ssh.lost": ("the connection broke while `{command}` ran ({why})", "`{command}` 运行时连接断开了（{why}）"),
    "ssh.silent": ("no answer from the host for {seconds}s", "主机已 {seconds} 秒没有应答"),
    "ssh.closed": ("the connection was closed", "连接已被关闭"),
    "ssh.lost_hint": ("the command's outcome on the host is unknown: check it there before running it again",
                      "命令在主机上的结果未知：再次执行前请先到主机上检查"),
}
