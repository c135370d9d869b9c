"""How the demo's two environments differ, in one place.

Users: prod holds people test does not (hired since test was last refreshed), test holds its
acceptance accounts and people prod has since deleted, and one person's phone number was
changed in prod only — what `launchpad users compare --env test --env prod` finds.

Roles, permissions and dictionaries: prod's administrators changed three things on site that
HQ's baseline does not know — a dictionary option the client asked for, a permission taken from
a role, a label reworded. `launchpad baseline diff` is expected to find exactly these.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- users ---------------------------------------------------------------------------------
PROD_ONLY_NEWEST = 6  # the last people of the staff list joined after test was refreshed
DELETED_IN_PROD = ("某市信息中心", 2)  # the first two 科员 of this unit left; prod soft-deletes them
PHONE_CHANGED_IN_PROD = ("zhoumin", "13700000102")
# Acceptance accounts that exist only in test: (login, name, unit path, post, roles)
TEST_ACCOUNTS = (
    ("yanshou01", "验收测试一", ("某市信息中心",), "ky", ["common", "data_admin"]),
    ("yanshou02", "验收测试二", ("某市政务服务中心", "窗口管理科"), "ky", ["common", "approver"]),
    ("yanshou03", "验收测试三", ("某市政务服务中心", "窗口管理科"), "ky", ["common", "window"]),
)


# -- roles, permissions, dictionaries (issue: baseline drift) ---------------------------------
@dataclass(frozen=True)
class DictOptionAdded:
    dict_type: str
    value: str
    label: str
    why: str


@dataclass(frozen=True)
class PermissionRemoved:
    role_key: str
    perms: str


@dataclass(frozen=True)
class LabelEdited:
    dict_type: str
    value: str
    before: str
    after: str


PROD_DRIFT = (
    DictOptionAdded("gov_channel", "hotline", "12345热线", "客户要求：12345 热线转办的办件单独统计"),
    PermissionRemoved("approver", "affair:case:approve"),
    LabelEdited("gov_review_level", "3", "基本满意", "一般"),
)
