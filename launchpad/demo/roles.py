"""The demo's `roles/rules.yaml`: roles that follow unit, level and post, as a site's
developers used to set them by hand-written SQL. Against the demo's people it changes a few
dozen users (`launchpad roles preview --env test`), and shows a rule by unit path, one by a glob
on the path, one by level and post, and one that takes roles away."""

from __future__ import annotations

from pathlib import Path

RULES_FILE = Path("roles") / "rules.yaml"
RULES = """\
# Roles that follow the organisation. Rules apply in order; a user no rule matches keeps their roles.
# `launchpad schema role-rules` prints what each field may hold.
rules:
  - name: 政务服务中心副科长兼审批
    unit: 某市大数据管理局/某市政务服务中心     # this unit and every unit under it
    level: 3                                  # depth in the tree: the bureau is 1, a 处 2, a 科 3
    post: fkz
    add: [approver]
  - name: 信息中心科员兼数据管理
    unit: 某市大数据管理局/某市信息中心
    post: [科员]                               # a post's name or its code
    add: [data_admin]
  - name: 各运维科科长兼运维
    unit: 某市大数据管理局/*/*运维科             # a glob on the whole path
    post: kz
    add: [ops]
  - name: 工勤人员不持业务角色
    post: gq
    remove: [window, approver, data_admin]
"""


def write_role_rules(root: Path) -> None:
    """In a rebuilt demo, rules someone edited are kept."""
    path = root / RULES_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(RULES, encoding="utf-8")
