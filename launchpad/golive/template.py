"""The bundled checklist `launchpad init` writes (and the demo starts from): the seed's list of
what a government go-live needs — two environments, user data, roles/permissions/dictionaries,
databases prepared, on-site testing by the PM, the contact on the login page, the trial-run
feedback group, backups. Dates are set from the day it is written, so the file loads and means
something at once; the site edits them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Owners:
    """Which contact of site.yaml does which kind of work."""

    pm: str
    engineer: str
    ops: str
    client: str


_HEADER = """\
# 上线清单 · go-live checklist (`launchpad golive`; schema: `launchpad schema golive`)
#
# 每一项：负责人（site.yaml 联系人 id）、截止日期、状态。能被证明的事项写 proof，
# 由运行记录、已校验备份或签字自动完成，不能手工勾选：
#   proof: {{playbook: environment-readiness, env: prod}}    最近一次运行通过 / newest run passed
#   proof: {{backup: prod, max_age: 1d}}                     1 天内的已校验备份 / verified backup
#   proof: {{sign_off: true}}                                `launchpad golive sign ID --by 姓名 --note 说明`
# 没有 proof 的事项写 status: todo | in_progress | done | blocked | not_applicable
# （blocked、not_applicable 须写 reason）。critical: true 的事项未完成则不具备上线条件。
# Items with a proof complete themselves and reopen when the proof fails or goes stale.

date: {golive}            # 上线日期 / go-live date
version: V1.0             # 上线版本 / the version going live
items:
"""

_ITEMS = """\
  - id: test-env
    title: 测试环境就绪
    owner: {o.engineer}
    due: {d10}
    proof: {{playbook: environment-readiness, env: test}}
  - id: prod-env
    title: 生产环境就绪（与测试环境分开，绝不共用数据库）
    owner: {o.ops}
    due: {d14}
    critical: true
    depends_on: [test-env]
    proof: {{playbook: environment-readiness, env: prod, max_age: 7d}}
  - id: user-data
    title: 用户数据（账号、组织机构）已导入生产
    owner: {o.client}
    due: {d18}
    critical: true
    depends_on: [prod-env]
    proof: {{sign_off: true}}
  - id: roles
    title: 角色、权限、数据字典配置完成
    owner: {o.engineer}
    due: {d18}
    depends_on: [prod-env]
    proof: {{sign_off: true}}
  - id: databases
    title: 生产数据库准备就绪（建库、初始化数据、账号权限）
    owner: {o.ops}
    due: {d14}
    critical: true
    proof: {{sign_off: true}}
  - id: onsite-test
    title: 现场测试：项目经理亲自走通主流程
    owner: {o.pm}
    due: {d21}
    critical: true
    depends_on: [user-data, roles]
    proof: {{playbook: onsite-acceptance, env: prod}}
  - id: login-contact
    title: 登录页显示现场联系人及电话
    owner: {o.engineer}
    due: {d21}
    proof: {{sign_off: true}}
  - id: feedback-group
    title: 试运行反馈群已建立，甲方各科室联系人已入群
    owner: {o.pm}
    due: {d21}
    status: todo
  - id: backups
    title: 上线前生产数据已备份并校验
    owner: {o.ops}
    due: {golive}
    critical: true
    proof: {{backup: prod, max_age: 1d}}
"""


def checklist_template(today: date, owners: Owners) -> str:
    """The bundled checklist for a go-live four weeks from `today`."""
    golive = today + timedelta(days=28)
    days = {f"d{n}": (today + timedelta(days=n)).isoformat() for n in (10, 14, 18, 21)}
    return _HEADER.format(golive=golive.isoformat()) + _ITEMS.format(o=owners, golive=golive.isoformat(), **days)
