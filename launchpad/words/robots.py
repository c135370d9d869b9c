"""What launchpad says about a chat robot's answer (notify/robots.py): the meaning of the
documented error codes that mean a setting to fix, and the answers that are not the robot's.
The robot's own message stays as it sent it, beside ours."""

from __future__ import annotations

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    "robot.answer.http_429": ("HTTP 429 too many requests", "HTTP 429：请求过于频繁"),
    "robot.answer.server_error": ("the robot's server answered HTTP {status}", "机器人服务器返回 HTTP {status}"),
    "robot.answer.not_the_robot": ("HTTP {status} with an answer that is not the robot's",
                                   "HTTP {status}，应答不是机器人的（可能是代理或认证页面）"),
    "robot.answer.setting": ("{meaning} ({code}: {message})", "{meaning}（{code}：{message}）"),
    "robot.answer.wrong_address": ("HTTP {status}: the webhook address is wrong ({message})",
                                   "HTTP {status}：webhook 地址有误（{message}）"),
    "robot.code.key_wrong_or_removed": ("the webhook key is wrong or the robot was removed",
                                        "webhook 的 key 有误，或机器人已被移除"),
    "robot.code.key_wrong": ("the webhook key is wrong", "webhook 的 key 有误"),
    "robot.code.disabled": ("the robot was disabled", "机器人已被停用"),
    "robot.code.token_wrong_or_removed": ("the access_token is wrong or the robot was removed",
                                          "access_token 有误，或机器人已被移除"),
    "robot.code.token_wrong": ("the access_token is wrong", "access_token 有误"),
    "robot.code.security_refused": ("the robot's security settings refused it", "机器人的安全设置拒绝了这条消息"),
    "robot.code.bot_token_wrong_or_removed": ("the webhook token is wrong or the bot was removed",
                                              "webhook 的 token 有误，或机器人已被移除"),
    "robot.code.signature_refused": ("the signature was refused (secret wrong, or this computer's clock is off)",
                                     "签名被拒绝（密钥有误，或本机时钟不准）"),
    "robot.code.ip_not_allowed": ("this computer's IP address is not on the bot's allow list",
                                  "本机 IP 地址不在机器人的白名单中"),
    "robot.code.keyword_missing": ("the message lacks the bot's required keyword", "消息中缺少机器人要求的关键词"),
}
