"""A year of trial-operation feedback, generated: 100,000 issues in realistic Chinese across
modules, severities and statuses, with a few hundred reported and resolved "today".

Rows are written with one executemany in one transaction, bypassing `IssueLog.add` (whose
per-issue audit entry and history row would make building the data the slow part of the
benchmark); the search columns come from the same `search_columns` the log uses, and the
schema's triggers fill both full-text indexes exactly as they do for real adds.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from launchpad.issues.search import search_columns
from launchpad.store.db import Store

MODULES = ["登录", "报表", "考勤", "档案查询", "用户管理", "权限", "审批流程", "通知短信", "数据导入",
           "首页", "统计分析", "接口对接", "移动端", "打印", "字典维护"]
SYMPTOMS = ["页面白屏", "一直转圈", "提示系统繁忙", "导出乱码", "数据不一致", "查询很慢", "按钮点不动",
            "报错500", "显示不全", "无法保存", "重复提交", "时间显示错误", "少了一列", "权限不对",
            "收不到短信", "下载失败", "排序错乱", "分页不对", "附件上传失败", "统计数字对不上"]
DETAILS = ["用户反馈从上午开始出现", "清过缓存也不行", "换了浏览器一样", "只有部分单位出现",
           "挂职人员的实际单位显示错误", "身份证号末位是X的查不到", "Chrome 和 360 浏览器都有",
           "手机端正常电脑端不行", "领导明天要用，比较急", "已截图发群里", "重启后恢复，过一会又出现",
           "和测试环境表现不一样"]
PEOPLE = ["王芳", "刘建国", "陈晓明", "赵丽", "孙伟", "李娜", "周强", "吴敏", "郑浩", "冯雪"]
OWNERS = ["张三", "李四", "王五", "赵六", "钱七", "孙八"]
CHANNELS = ["group", "group", "group", "phone", "wechat", "email", "onsite"]
TYPES = ["defect", "defect", "config", "data", "usage", "requirement", "question"]
RESOLVED = ["closed", "closed", "closed", "verified", "fixed", "wontfix", "by_design", "duplicate"]


def build(store: Store, count: int, today: date, zone: ZoneInfo, seed: int = 5) -> None:
    """Fill `store` with `count` issues reported over the year up to `today` (site-local)."""
    rng = random.Random(seed)
    rows = [_row(rng, n, count, today, zone) for n in range(count)]
    columns = list(rows[0])
    sql = f"INSERT INTO issues ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    with store.transaction():
        store.db.conn.executemany(sql, [[row[c] for c in columns] for row in rows])


def _row(rng: random.Random, n: int, count: int, today: date, zone: ZoneInfo) -> dict[str, object]:
    # The last 0.4% are today's; the rest spread over a year, older first.
    days_ago = 0 if n >= count * 0.996 else int(365 * (1 - n / count))
    reported_day = today - timedelta(days=days_ago)
    reported = datetime.combine(reported_day, time(rng.randint(8, 19), rng.randint(0, 59)), tzinfo=zone)
    module = rng.choice(MODULES)
    title = f"{module}{rng.choice(SYMPTOMS)}"
    status, resolved_at = _fate(rng, days_ago, reported)
    due = reported_day + timedelta(days=rng.choice([1, 2, 3, 5, 7]))
    owner = rng.choice(OWNERS)
    row: dict[str, object] = {
        "title": title, "description": f"{rng.choice(DETAILS)}，{rng.choice(DETAILS)}。",
        "reporter": rng.choice(PEOPLE), "channel": rng.choice(CHANNELS),
        "reported_at": _utc(reported), "module": module,
        "severity": rng.choices(["P0", "P1", "P2", "P3"], [1, 8, 60, 31])[0],
        "type": rng.choice(TYPES), "owner": owner, "due": due.isoformat(), "status": status,
        "resolution": "已修复并验证" if resolved_at else "", "fixed_in": "",
        "attachments": json.dumps([]), "created_at": _utc(reported), "created_by": "bench",
        "updated_at": resolved_at or _utc(reported), "resolved_at": resolved_at,
    }
    return {**row, **search_columns(row)}


def _fate(rng: random.Random, days_ago: int, reported: datetime) -> tuple[str, str | None]:
    """Old issues are mostly resolved; about 3% of all stay open (some of them overdue)."""
    open_chance = 0.5 if days_ago <= 2 else 0.02
    if rng.random() < open_chance:
        return rng.choice(["new", "in_progress", "in_progress"]), None
    resolved = reported + timedelta(hours=rng.randint(1, 48))
    if days_ago == 0:
        resolved = reported + timedelta(minutes=rng.randint(5, 120))
    return rng.choice(RESOLVED), _utc(resolved)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
