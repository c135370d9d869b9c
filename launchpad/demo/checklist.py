"""The demo's go-live checklist: a week before go-live, some work done, some late, some blocked,
and items that only a passing run proves. Running pre-release-backup on test and then on prod
(the README's tour) proves two of them: the backup rehearsal on test, and the verified backup
of production."""

from __future__ import annotations

from datetime import date, timedelta

DEMO_CHECKLIST = """\
# 演示上线清单：`launchpad golive` 查看进度；运行 pre-release-backup 可自动完成对应事项。
date: {golive}
version: V1.0
items:
  - id: test-env
    title: 测试环境就绪
    owner: lina
    due: {d1}
    proof: {{playbook: environment-readiness, env: test}}
  - id: prod-env
    title: 生产环境就绪（与测试环境分开，绝不共用数据库）
    owner: liuyang
    due: {d3}
    critical: true
    depends_on: [test-env]
    proof: {{playbook: environment-readiness, env: prod, max_age: 7d}}
  - id: backup-rehearsal
    title: 测试环境演练更新前备份
    owner: liuyang
    due: {d2}
    proof: {{playbook: pre-release-backup, env: test}}
  - id: databases
    title: 生产数据库已建库并初始化
    owner: liuyang
    due: {m5}
    status: done
    notes: 初始化脚本 v1.0.3
  - id: roles
    title: 角色、权限、数据字典配置完成
    owner: lina
    due: {m3}
    status: done
  - id: user-data
    title: 用户数据（账号、组织机构）已导入生产
    owner: wangqiang
    due: {m2}
    critical: true
    depends_on: [prod-env]
    proof: {{sign_off: true}}
    notes: 甲方信息科提供的组织机构表尚缺两个科室
  - id: login-contact
    title: 登录页显示现场联系人及电话
    owner: lina
    due: {m1}
    status: in_progress
  - id: feedback-group
    title: 试运行反馈群已建立，甲方各科室联系人已入群
    owner: zhangwei
    due: {d2}
    status: blocked
    reason: 等待甲方提供各科室联系人名单
  - id: onsite-test
    title: 现场测试：项目经理亲自走通主流程
    owner: zhangwei
    due: {d5}
    critical: true
    depends_on: [user-data]
    proof: {{playbook: onsite-acceptance, env: prod}}
  - id: backups
    title: 上线前生产数据已备份并校验
    owner: liuyang
    due: {golive}
    critical: true
    proof: {{backup: prod, max_age: 1d}}
  - id: sms
    title: 短信通知通道开通
    owner: wangqiang
    due: {d5}
    status: not_applicable
    reason: V1.0 不含短信功能
"""


def demo_checklist(today: date) -> str:
    def day(n: int) -> str:
        return (today + timedelta(days=n)).isoformat()

    return DEMO_CHECKLIST.format(golive=day(7), d1=day(1), d2=day(2), d3=day(3), d5=day(5),
                                 m1=day(-1), m2=day(-2), m3=day(-3), m5=day(-5))
