"""What the demo workspace contains: its site.yaml, its README and the sample chat (the
client's RuoYi-shaped databases are written by `clientdb.py`, the messy sheet by `sheet.py`).

Kept apart from the builder so the text a newcomer reads first can be edited without touching
the code that writes it. Names, units and phone numbers are invented.
"""

from __future__ import annotations

from string import Template

# `$test_port` and `$prod_port` are filled in with ports found free at build time.
SITE_TEMPLATE = Template("""\
# launchpad 演示工作区（由 `launchpad demo` 生成，可随意修改；重新运行会重写本文件）。
# A launchpad demo workspace. Every host is this machine (transport: local); the "client
# system" is a small local web app and two SQLite databases under data/.

site:
  name: 某市政务服务平台
  client: 某市大数据管理局
  language: zh
  timezone: Asia/Shanghai

# 联系人：值班表、通知和报告都引用这里的 id。
contacts:
  - id: zhangwei
    name: 张伟
    role: 项目经理
    org: 实施方
    phone: "13800138001"
  - id: lina
    name: 李娜
    role: 实施工程师
    org: 实施方
    phone: "13800138002"
  - id: liuyang
    name: 刘洋
    role: 运维工程师
    org: 实施方
    phone: "13800138003"
  - id: wangqiang
    name: 王强
    role: 信息科科长
    org: 某市大数据管理局
    phone: "13900139004"

# 值班表：每天都有主岗和备岗，登录页显示当天的主岗联系人。
duty:
  - weekdays: mon-fri
    primary: zhangwei
    backup: lina
  - weekdays: sat,sun
    primary: liuyang
    backup: zhangwei

# 变更窗口：甲方要求工作日 18:30 之后才能更新系统。
windows:
  after_hours:
    days: mon-fri
    start: "18:30"
    end: "23:30"
    description: 工作日下班后
  weekend:
    days: sat,sun
    start: "09:00"
    end: "22:00"
    description: 周末白天

# 两个环境保持一致，但绝不共用数据库。
environments:
  test:
    description: 测试环境
    transport: local
    hosts:
      - name: app1
        address: 127.0.0.1
        groups: [app, db]
    databases:
      main:
        engine: sqlite
        name: data/test-users.db
    backups:
      users:
        database: main
        host: app1
        retention: {keep: 10, keep_days: 14}
        description: 用户库（SQLite 在线备份）
    urls:
      login: http://127.0.0.1:$test_port/login
      health: http://127.0.0.1:$test_port/health
      group_interface: http://127.0.0.1:$test_port/app/group-interface
    # 发布用：应用在主机上的目录、主机上看到的健康检查地址（after-hours-release 剧本读取）。
    vars:
      app_root: deploy/test/app1
      health_url: http://127.0.0.1:$test_port/app/health
  prod:
    description: 生产环境
    production: true
    transport: local
    hosts:
      - name: app1
        address: 127.0.0.1
        groups: [app]
      - name: db1
        address: 127.0.0.1
        groups: [db]
    databases:
      main:
        engine: sqlite
        name: data/prod-users.db
    backups:
      users:
        database: main
        host: db1
        retention: {keep: 10, keep_days: 30}
        description: 生产用户库
    urls:
      login: http://127.0.0.1:$prod_port/login
      health: http://127.0.0.1:$prod_port/health
      group_interface: http://127.0.0.1:$prod_port/app/group-interface
    # 发布用：应用在主机上的目录、主机上看到的健康检查地址（after-hours-release 剧本读取）。
    vars:
      app_root: deploy/prod/app1
      health_url: http://127.0.0.1:$prod_port/app/health

# 通知渠道：真实群机器人的 webhook 含密钥，只能写引用（env:NAME / keyring:… / prompt）。
# group 是演示自带的本机替身机器人（不含任何密钥），收到的消息在 $robot_page 查看。
channels:
  group:
    kind: wecom
    webhook: $robot_webhook
    description: 演示群（本机替身机器人）
  # feedback:
  #   kind: wecom
  #   webhook: env:FEEDBACK_WEBHOOK
  #   description: 试运行反馈群
""")

# A chat as copied from WeChat on a PC, dated the day the demo is built, for `issue paste`.
CHAT_TEMPLATE = Template("""\
王芳 $day 9:15
登录页面点提交后一直转圈，然后白屏了
有没有人看一下？
刘科长 $day 9:17
@王芳 我这边也是，用的是 IE 兼容模式
张伟 $day 9:20
收到，马上看
周敏 $day 10:02
导出的报表里“实际单位”一列是空的
""")

README = Template("""\
# launchpad 演示工作区

这是 `launchpad demo` 在本机生成的完整工作区，不需要任何服务器：

- `site.yaml`：项目、联系人、值班表、变更窗口、测试与生产两个环境（都在本机）；
- `playbooks/`：内置剧本的副本（环境就绪检查、现场验收等），可以直接修改；
- `data/`：两个 SQLite 数据库，代表客户系统（若依）的测试库与生产库：部门、用户、角色、菜单权限、
  字典和参数；生产库里有几处现场改动（见 launchpad/demo/drift.py）；
- `baselines/baseline.yaml`：总部下发的角色、权限、字典基线；生产库在现场加了一个字典选项、
  少了一项角色权限、改了一个标签，`launchpad baseline diff --env prod` 能找出这三处；
- `imports/新员工名单.xlsx`：人事处发来的新员工名单，带着常见的错误；`imports/新员工名单.yaml`
  说明它怎样导入若依；
- `backups/`：备份存放处；
- `conf/`、`config-expect.yaml`：客户系统两个环境的配置文件，以及哪些差异是预期的；
- 本机小网站：代表客户系统，每个环境一个端口，登录页显示当天的现场值班联系人；
- `chat.txt`：从微信群复制下来的一段聊天，`launchpad issue paste chat.txt` 把它变成问题；
- 演示群机器人 `group`：本机替身，`launchpad report daily --send group` 发到这里，
  收到的消息在 $robot_page 查看。

可以试试：

    launchpad check
    launchpad run environment-readiness --env test
    launchpad run onsite-acceptance --env prod
    launchpad hosts check --env prod
    launchpad config diff --env test --env prod
    launchpad issue paste chat.txt --take 1+2,4
    launchpad report daily --send group
    launchpad users check imports/新员工名单.xlsx --env test
    launchpad users import imports/新员工名单.xlsx --env test --skip-rejected
    launchpad users compare --env test --env prod
    launchpad baseline diff --env prod
    launchpad baseline changes

用完后停止本机小网站和替身机器人：`launchpad demo --stop --dir .`
""")
