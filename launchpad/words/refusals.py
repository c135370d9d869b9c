"""The refusals of the mail channel, the robots' sending, the users' API source and operations,
the database drivers and host shells, the config diff, the go-live file edits, the issue log, the
store and the templates: each message and hint, (English, 中文) with the same placeholders."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    # notify/mail.py
    "mail.where": ("the mail server {host}:{port} (channel {channel})", "邮件服务器 {host}:{port}（渠道 {channel}）"),
    "mail.later": ("it stays in the outbox: `launchpad report outbox --send` to retry",
                   "邮件留在发件箱中：可用 `launchpad report outbox --send` 重试"),
    "mail.no_ca_file": ("cannot read ca_file of channel {channel}: {error}",
                        "无法读取渠道 {channel} 的 ca_file：{error}"),
    "mail.no_ca_file_hint": ("a PEM file with the CA's certificate (channels.{channel}.ca_file)",
                             "请给出含 CA 证书的 PEM 文件（channels.{channel}.ca_file）"),
    "mail.no_starttls": ("{where} does not offer STARTTLS", "{where}不支持 STARTTLS"),
    "mail.no_starttls_hint": ("never sent in clear: use security: ssl if it takes TLS on port 465, or ask for STARTTLS",
                              "绝不明文发送：若服务器在 465 端口支持 TLS 请用 security: ssl，否则请对方开启 STARTTLS"),
    "mail.login_refused": ("{where} refused the login of {user}: {reply}", "{where}拒绝了 {user} 的登录：{reply}"),
    "mail.login_refused_hint": ("check the user and what {password} holds", "请检查用户名以及 {password} 中保存的密码"),
    "mail.no_auth": ("{where} does not offer login (AUTH)", "{where}不支持登录（AUTH）"),
    "mail.no_auth_hint": ("leave user and password out if it takes mail without login",
                          "若服务器无需登录即可收信，请去掉 user 和 password"),
    "mail.untrusted": ("the certificate of {where} is not trusted: {error}", "{where}的证书不受信任：{error}"),
    "mail.untrusted_hint": ("an intranet CA? name its PEM file in ca_file",
                            "是内网 CA 吗？请在 ca_file 中写明它的 PEM 文件"),
    "mail.tls_failed": ("TLS with {where} failed: {error}", "与{where}的 TLS 连接失败：{error}"),
    "mail.tls_failed_hint": ("security: ssl is for port 465, starttls for 587 (or 25)",
                             "security: ssl 用于 465 端口，starttls 用于 587（或 25）端口"),
    "mail.busy": ("{where} is busy: {reply}", "{where}正忙：{reply}"),
    "mail.connection_refused": ("{where} refused the connection: {reply}", "{where}拒绝了连接：{reply}"),
    "mail.check_channel": ("check channels.{channel} in site.yaml", "请检查 site.yaml 中的 channels.{channel}"),
    "mail.unreachable": ("cannot reach {where}: {error}", "无法连接{where}：{error}"),
    "mail.unreachable_hint": ("no network? {later}", "没有网络？{later}"),
    "mail.too_big": ("{where} takes mails of at most {limit} bytes; this one has {size}",
                     "{where}只接收不超过 {limit} 字节的邮件；这封有 {size} 字节"),
    "mail.too_big_hint": ("send the attachment another way, or ask for a higher limit",
                          "请换一种方式发送附件，或请对方调高上限"),
    "mail.recipients_later": ("{where} did not take the recipients for now: {said}",
                              "{where}暂时不接收这些收件人：{said}"),
    "mail.recipients_refused": ("{where} refused every recipient: {said}", "{where}拒收了所有收件人：{said}"),
    "mail.recipients_refused_hint": ("check the addresses of channels.{channel} and the contacts",
                                     "请检查 channels.{channel} 和联系人中的地址"),
    "mail.dropped": ("{where} dropped the connection before the mail was complete: {error}",
                     "邮件还没发完，{where}就断开了连接：{error}"),
    "mail.no_answer": ("sent to {where}, but no answer came back: {error}", "已发送到{where}，但没有收到回复：{error}"),
    "mail.no_answer_hint": ("the server may have taken it: search the recipients' mailboxes for {what}, then "
                            "`launchpad report outbox --requeue {id}` if it is not there, else --drop {id}",
                            "服务器可能已经收下：请在收件人的邮箱中查找 {what}，没有的话用 "
                            "`launchpad report outbox --requeue {id}` 重新排队，否则用 --drop {id}"),
    "mail.the_subject": ("the subject", "这个主题"),
    "mail.the_sender": ("the sender {address}", "发件人 {address}"),
    "mail.command_later": ("{where} did not take {what} for now: {reply}", "{where}暂时不接收{what}：{reply}"),
    "mail.command_refused": ("{where} refused {what}: {reply}", "{where}拒收了{what}：{reply}"),
    "mail.command_refused_hint": ("check from: in channels.{channel} (the server may allow only its own users)",
                                  "请检查 channels.{channel} 中的 from:（服务器可能只允许它自己的用户发信）"),
    "mail.later_refused": ("{where} did not take the mail for now: {reply}", "{where}暂时不接收这封邮件：{reply}"),
    "mail.refused": ("{where} refused the mail: {reply}", "{where}拒收了这封邮件：{reply}"),
    "mail.refused_hint": ("it will not be sent again as it is: change it, or send it by hand "
                          "(`launchpad report outbox --draft ID` writes it for your mail client)",
                          "原样不会再发送：请修改后再发，或手动发送（`launchpad report outbox --draft ID` "
                          "会写出可供邮件客户端使用的草稿）"),
    # notify/send.py
    "send.mail_format": ("a mail is text or markdown, not {format!r}", "邮件只能是 text 或 markdown，不能是“{format}”"),
    "send.robot_format": ("{kind} robots take text or markdown, not {format!r}",
                          "{kind} 机器人只接收 text 或 markdown，不能是“{format}”"),
    "send.part_waiting": ("part {part} of {parts} is {status}", "第 {part}/{parts} 部分{status}"),
    "send.part_waiting_error": ("part {part} of {parts} is {status}: {error}",
                                "第 {part}/{parts} 部分{status}：{error}"),
    "send.see_outbox": ("see `launchpad report outbox`", "请查看 `launchpad report outbox`"),
}
