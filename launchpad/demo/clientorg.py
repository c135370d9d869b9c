"""What the demo client's RuoYi system is configured with, the same in test and prod: the
organisation (a 市 bureau, its 处室 and 科室, and the units under it), posts, roles, the menu
tree with its permission codes, which role holds which permission, dictionaries and settings.
Where prod has since drifted from this is in `drift.py`. All names are invented."""

from __future__ import annotations

from dataclasses import dataclass

# The organisation: (name, children). 综合科 exists twice, as in real trees: a sheet must say
# which one (办公室/综合科 or 某市政务服务中心/综合科).
ORG: tuple[str, tuple[tuple[str, tuple[str, ...]], ...]] = ("某市大数据管理局", (
    ("局领导", ()),
    ("办公室", ("综合科", "文秘科")),
    ("政策法规处", ()),
    ("数据资源处", ("数据归集科", "数据共享科")),
    ("信息化建设处", ("项目管理科", "网络安全科")),
    ("政务服务管理处", ("审批协调科", "效能督查科")),
    ("人事处", ()),
    ("某市政务服务中心", ("综合科", "窗口管理科", "投诉受理科")),
    ("某市信息中心", ("运维科", "应用开发科")),
    ("某市电子政务外网管理中心", ("网络运维科",)),
))
ROOT_DEPT_ID = 100

# (post_code, post_name)
POSTS = (("jz", "局长"), ("fjz", "副局长"), ("cz", "处长"), ("fcz", "副处长"), ("zr", "主任"), ("fzr", "副主任"),
         ("kz", "科长"), ("fkz", "副科长"), ("ky", "科员"), ("gq", "工勤人员"))


@dataclass(frozen=True)
class Role:
    key: str
    name: str
    data_scope: str  # RuoYi: 1 all, 2 custom, 3 own unit, 4 own unit and below, 5 own data only
    grants: tuple[str, ...]  # permission codes, `*` for a wildcard part


ROLES = (
    Role("admin", "超级管理员", "1", ()),  # RuoYi's admin holds every permission by code, not by grant
    Role("common", "普通角色", "2", ("system:user:list", "system:user:query", "system:dept:list", "system:notice:*")),
    Role("leader", "局领导", "1", ("affair:*:list", "affair:*:query", "affair:*:export", "data:*:list",
                                "data:*:query", "system:notice:*")),
    Role("dept_head", "处室负责人", "4", ("affair:*:list", "affair:*:query", "affair:*:edit", "affair:*:export",
                                     "affair:case:approve", "data:share:*")),
    Role("section_head", "科室负责人", "3", ("affair:case:*", "affair:review:list", "affair:review:query")),
    Role("approver", "审批人员", "3", ("affair:item:list", "affair:item:query", "affair:case:list",
                                   "affair:case:query", "affair:case:edit", "affair:case:approve")),
    Role("window", "窗口人员", "5", ("affair:case:list", "affair:case:query", "affair:case:add", "affair:case:edit",
                                 "affair:window:list", "affair:window:query")),
    Role("data_admin", "数据管理员", "1", ("data:*",)),
    Role("auditor", "安全审计员", "1", ("monitor:operlog:*", "monitor:logininfor:*", "system:user:list",
                                    "system:user:query")),
    Role("ops", "运维人员", "1", ("monitor:*",)),
)

# The menu tree: directories (M) hold menus (C, with a list permission) which hold buttons (F).
# (name, path, icon, [(menu name, path, permission prefix, extra buttons)])
BUTTONS = (("查询", "query"), ("新增", "add"), ("修改", "edit"), ("删除", "remove"), ("导出", "export"))
MENUS: tuple[tuple[str, str, str, tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]], ...] = (
    ("系统管理", "system", "system", (
        ("用户管理", "user", "system:user", (("导入", "import"), ("重置密码", "resetPwd"))),
        ("角色管理", "role", "system:role", ()),
        ("菜单管理", "menu", "system:menu", ()),
        ("部门管理", "dept", "system:dept", ()),
        ("岗位管理", "post", "system:post", ()),
        ("字典管理", "dict", "system:dict", ()),
        ("参数设置", "config", "system:config", ()),
        ("通知公告", "notice", "system:notice", ()),
    )),
    ("系统监控", "monitor", "monitor", (
        ("操作日志", "operlog", "monitor:operlog", ()),
        ("登录日志", "logininfor", "monitor:logininfor", (("账户解锁", "unlock"),)),
        ("在线用户", "online", "monitor:online", (("强退", "forceLogout"),)),
        ("定时任务", "job", "monitor:job", (("状态修改", "changeStatus"),)),
        ("服务监控", "server", "monitor:server", ()),
    )),
    ("政务服务", "affair", "guide", (
        ("事项管理", "item", "affair:item", (("发布", "publish"),)),
        ("办件管理", "case", "affair:case", (("审批", "approve"), ("退回", "reject"))),
        ("好差评", "review", "affair:review", (("整改", "rectify"),)),
        ("窗口排班", "window", "affair:window", ()),
    )),
    ("数据资源", "data", "list", (
        ("资源目录", "catalog", "data:catalog", (("上架", "publish"),)),
        ("共享申请", "share", "data:share", (("审核", "approve"),)),
        ("数据质量", "quality", "data:quality", ()),
    )),
)


@dataclass(frozen=True)
class DictType:
    type: str
    name: str
    items: tuple[tuple[str, str], ...]  # (value, label), the first is the default


DICTIONARIES = (
    DictType("sys_user_sex", "用户性别", (("0", "男"), ("1", "女"), ("2", "未知"))),
    DictType("sys_show_hide", "菜单状态", (("0", "显示"), ("1", "隐藏"))),
    DictType("sys_normal_disable", "系统开关", (("0", "正常"), ("1", "停用"))),
    DictType("sys_job_status", "任务状态", (("0", "正常"), ("1", "暂停"))),
    DictType("sys_yes_no", "系统是否", (("Y", "是"), ("N", "否"))),
    DictType("sys_notice_type", "通知类型", (("1", "通知"), ("2", "公告"))),
    DictType("sys_common_status", "系统状态", (("0", "成功"), ("1", "失败"))),
    DictType("gov_item_type", "事项类型", (("01", "行政许可"), ("02", "行政给付"), ("03", "行政确认"),
                                        ("04", "行政奖励"), ("05", "行政裁决"), ("06", "公共服务"),
                                        ("07", "其他行政权力"))),
    DictType("gov_case_status", "办件状态", (("0", "待受理"), ("1", "已受理"), ("2", "办理中"), ("3", "已办结"),
                                          ("4", "不予受理"), ("5", "已退回"))),
    DictType("gov_review_level", "评价等级", (("5", "非常满意"), ("4", "满意"), ("3", "基本满意"),
                                           ("2", "不满意"), ("1", "非常不满意"))),
    DictType("gov_channel", "办件渠道", (("window", "窗口"), ("online", "网上"), ("mobile", "移动端"),
                                      ("kiosk", "自助终端"))),
)

# (name, key, value, remark)
CONFIGS = (
    ("主框架页-默认皮肤样式名称", "sys.index.skinName", "skin-blue", "蓝色 skin-blue、绿色 skin-green"),
    ("用户管理-账号初始密码", "sys.user.initPassword", "Init@2025", "新建账号的初始密码"),
    ("主框架页-侧边栏主题", "sys.index.sideTheme", "theme-dark", "深色主题theme-dark，浅色主题theme-light"),
    ("账号自助-验证码开关", "sys.account.captchaEnabled", "true", "是否开启验证码功能（true开启，false关闭）"),
    ("账号自助-是否开启用户注册功能", "sys.account.registerUser", "false", "政务内网不开放注册"),
    ("用户登录-黑名单列表", "sys.login.blackIPList", "", "多个匹配项以;分隔"),
    ("用户管理-初始密码修改策略", "sys.account.initPasswordModify", "1", "1：未修改初始密码时登录即提醒修改"),
    ("用户管理-账号密码更新周期", "sys.account.passwordValidateDays", "90", "等保要求：90 天更换一次密码"),
)
