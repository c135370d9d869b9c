"""`launchpad init DIR`: a new workspace with a site.yaml that explains itself.

Engineers start a client site from this file, usually on the evening before a go-live, so
every section carries a comment (Chinese first, English after) saying what it is for, and every
secret is written as a reference, never a value. The template must always load as written:
an example that fails validation teaches nothing.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from launchpad.errors import UsageError
from launchpad.golive.checklist import CHECKLIST_FILE
from launchpad.golive.template import Owners, checklist_template
from launchpad.phrases import phrase
from launchpad.run.playbook import BUNDLED_DIR
from launchpad.sitetime import site_today
from launchpad.workspace.folder import SITE_FILE

# The contacts SITE_TEMPLATE names, as the bundled checklist's owners.
INIT_OWNERS = Owners(pm="pm", engineer="engineer", ops="engineer", client="client-it")

GITIGNORE = """\
# launchpad 的本地状态（运行记录、审计日志、已信任的主机密钥）只属于这台电脑。
# launchpad's local state (runs, audit log, trusted host keys) belongs to this machine only.
.launchpad/
# 备份含客户数据，绝不进入版本库。Backups hold client data: never commit them.
backups/*
# 初始密码分发表含明文密码，绝不进入版本库。Hand-outs hold plain initial passwords: never commit them.
handouts/
# 邮件草稿是发给甲方的内容。Mail drafts are the client's business.
outbox/
"""

SITE_TEMPLATE = """\
# launchpad 工作区配置 · launchpad workspace configuration
#
# 密钥（数据库口令、群机器人 webhook）绝不写在本文件里：只能写引用——
#   env:NAME              从环境变量读取 / read from an environment variable
#   keyring:服务/名称      从系统钥匙串读取 / read from the OS keyring
#   prompt                运行时询问 / asked for when needed
# 写成明文会被拒绝：本文件会被拷贝、提交、发到群里，口令一旦写进来就等于公开。
# A literal secret is refused: this file gets copied, committed and shared, and a password
# written here is a password published.

# 项目信息：报告和通知的抬头。Project: the heading of every report and notice.
site:
  name: 某某系统                 # 上线的系统名称 / the system going live
  client: 某某单位               # 甲方 / the client organisation
  language: zh                   # 报告语言 zh | en / language of reports
  timezone: Asia/Shanghai        # 值班表、变更窗口按此时区计算 / zone of rosters and windows

# 联系人：值班表、问题负责人、通知都引用这里的 id。
# Contacts: the duty roster, issue owners and notices refer to these ids.
contacts:
  - id: pm
    name: 项目经理姓名
    role: 项目经理
    org: 实施方
    phone: ""
  - id: engineer
    name: 实施工程师姓名
    role: 实施工程师
    org: 实施方
    phone: ""
  - id: client-it
    name: 甲方信息科联系人
    role: 信息科
    org: 某某单位
    phone: ""

# 值班表：每天都要有主岗和备岗，出问题时必须找得到人。具体日期优先于星期规则。
# Duty roster: someone (and a backup) answers the phone every day; a date beats a weekday rule.
duty:
  - weekdays: daily
    primary: pm
    backup: engineer
  # - date: 2025-01-01
  #   primary: engineer
  #   backup: pm

# 变更窗口：甲方要求下班后才能更新系统；gate 步骤在窗口外拒绝执行（可留痕强制）。
# Change windows: gates refuse a release outside them (an override is logged with a reason).
windows:
  after_hours:
    days: mon-fri
    start: "18:30"
    end: "23:30"                 # 早于 start 表示跨过午夜 / before start: runs past midnight
    description: 工作日下班后
  weekend:
    days: sat,sun
    start: "09:00"
    end: "22:00"
    description: 周末

# 环境：测试与生产保持一致（主机分组相同），但绝不能共用数据库。
# Environments: keep test and production alike (same host groups), never sharing a database.
environments:
  test:
    description: 测试环境
    transport: ssh               # ssh | local（local 在本机执行 / runs on this machine）
    hosts:
      - name: app1
        address: 192.0.2.11      # IP 或 ~/.ssh/config 中的别名 / an IP or an ssh alias
        user: deploy
        groups: [app]
      - name: db1
        address: 192.0.2.12
        user: deploy
        groups: [db]
    databases:
      main:
        engine: mysql            # mysql mariadb postgresql sqlite dm kingbase other
        host: 127.0.0.1          # 从 via 主机看到的地址 / address as seen from `via`
        port: 3306
        name: app_test
        user: app
        password: env:TEST_DB_PASSWORD
        via: db1                 # 经由该主机的 SSH 连接访问数据库 / reached through db1
    urls:
      login: http://192.0.2.11:8080/login
      group_interface: http://192.0.2.11:8080/api/group/ping   # 集团接口检查 / the group interface
    vars:                        # 剧本读取的本环境取值 / values playbooks read as env.vars.NAME
      app_root: /opt/portal      # 应用目录：releases/、current、logs/ / the app's folder
      health_url: http://127.0.0.1:8080/actuator/health   # 在应用主机上访问 / as seen on the host

  prod:
    description: 生产环境
    production: true             # 生产：危险步骤须输入环境名确认 / type the name to confirm
    transport: ssh
    # 只能经堡垒机访问时 / when only a bastion is reachable:
    # jump:
    #   address: 192.0.2.1
    #   port: 22
    #   user: ops
    hosts:
      - name: app1
        address: 192.0.2.21
        user: deploy
        groups: [app]
      - name: db1
        address: 192.0.2.22
        user: deploy
        groups: [db]
    databases:
      main:
        engine: mysql
        host: 127.0.0.1
        port: 3306
        name: app
        user: app
        password: keyring:launchpad/prod-db   # 钥匙串 / OS keyring
        via: db1
    urls:
      login: https://app.example.gov.cn/login
      group_interface: https://app.example.gov.cn/api/group/ping
    vars:
      app_root: /opt/portal
      health_url: http://127.0.0.1:8080/actuator/health

# 通知渠道：群机器人的 webhook 地址本身含密钥，所以也只能写引用。
# Channels: a robot's webhook URL contains its key, so it is a reference too.
channels:
  feedback:
    kind: wecom                  # wecom | dingtalk | feishu
    webhook: env:FEEDBACK_WEBHOOK
    description: 试运行反馈群
  group:
    kind: wecom
    webhook: env:GROUP_WEBHOOK
    description: 甲方工作群（发布通知、完成通知）
  # dingtalk-ops:
  #   kind: dingtalk
  #   webhook: env:DINGTALK_WEBHOOK
  #   secret: prompt             # 加签密钥，运行时询问 / signing secret, asked for
  # 邮件：经 SMTP 服务器发送，口令同样只能写引用；连不上服务器时可写成 .eml 草稿。
  # E-mail through an SMTP server; the password is a reference too. No server: an .eml draft.
  # client-mail:
  #   kind: email
  #   host: smtp.example.gov.cn
  #   security: starttls         # starttls（587）| ssl（465）| none（仅限本机 / this machine only）
  #   user: notice@example.gov.cn
  #   password: env:SMTP_PASSWORD
  #   from: notice@example.gov.cn
  #   from_name: 某某系统上线保障组
  #   # 收件人：联系人 id 或姓名（须填 email）、role:角色、org:单位，或邮箱地址
  #   # recipients: a contact's id or name (with an email), role:ROLE, org:ORG, or an address
  #   to: [it@client.example.gov.cn]
  #   cc: []
  #   # ca_file: /etc/ssl/certs/intranet-ca.pem   # 内网 CA / an intranet CA's certificate
"""


def init_workspace(target: Path) -> list[Path]:
    """Create a workspace in `target` (made if missing); return the files and folders created.

    An existing site.yaml is never overwritten, and playbooks already in `playbooks/` are
    kept: both may hold a site's work.
    """
    root = target.expanduser().resolve()
    site_file = root / SITE_FILE
    if root.exists() and not root.is_dir():
        raise UsageError(phrase("folder.is_file", path=str(root)), hint=phrase("folder.choose_another"))
    if site_file.exists():
        raise UsageError(phrase("folder.site_exists", path=str(site_file)), hint=phrase("folder.site_exists_hint"))
    created: list[Path] = []
    try:
        for folder in (root, root / "playbooks", root / "backups", root / "data"):
            if not folder.exists():
                folder.mkdir(parents=True)
                created.append(folder)
        gitignore = root / ".gitignore"
        if not gitignore.exists():  # a site's own .gitignore is theirs to keep
            gitignore.write_text(GITIGNORE, encoding="utf-8")
            created.append(gitignore)
        checklist = root / CHECKLIST_FILE
        # Dated on the site's today: SITE_TEMPLATE's zone, whatever the laptop's clock says.
        if not checklist.exists():  # a go-live already under way keeps its own list
            checklist.write_text(checklist_template(site_today(ZoneInfo("Asia/Shanghai")), INIT_OWNERS),
                                 encoding="utf-8")
            created.append(checklist)
        created += copy_bundled_playbooks(root / "playbooks", overwrite=False)
        # Last: its presence is what makes the folder a workspace (and what a second init refuses).
        site_file.write_text(SITE_TEMPLATE, encoding="utf-8")
        created.append(site_file)
    except OSError:
        _remove(created, site_file)
        raise
    return created


def _remove(created: list[Path], site_file: Path) -> None:
    """Undo a failed init (a full disk, a folder turned read-only), newest first, so it can be
    run again: a half-written site.yaml would make it refuse. A folder in `created` did not
    exist before, so all that is in it is init's own."""
    for path in reversed([*created, site_file]):
        with contextlib.suppress(OSError):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)


def copy_bundled_playbooks(destination: Path, *, overwrite: bool) -> list[Path]:
    """Copy the bundled playbooks into a workspace; return the copies written. Without
    `overwrite`, a playbook already there is kept: the site may have adapted it."""
    destination.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sorted(BUNDLED_DIR.glob("*.y*ml")):
        target = destination / source.name
        if overwrite or not target.exists():
            shutil.copyfile(source, target)
            copied.append(target)
    return copied
