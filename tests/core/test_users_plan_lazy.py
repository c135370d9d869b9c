"""The plan holds no object per row: its users are made when someone iterates or indexes
them. Made on demand, they are the users the plan made one by one before (recorded in
tests/fixtures/users/plan_eager.json from that code): same users, same order, same values,
same digest and JSON — over two sheets with inserts, updates, unchanged and rejected rows,
a blank row, posts, role rules, a second unit column and a site password rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from launchpad.users.checks import check_workbook
from launchpad.users.idnumber import check_digit
from launchpad.users.mapping import load_mapping
from launchpad.users.plan import Plan, PlannedUser, build_plan, check_target
from launchpad.users.profile import bundled_profile
from launchpad.users.sources import read_workbook
from launchpad.users.state import UNIT, ExistingUser, TargetState
from launchpad.users.units import Department
from tests.core.users_sheets import MAPPING, write_mapping, write_xlsx

RECORDED = Path(__file__).parent.parent / "fixtures" / "users" / "plan_eager.json"
HEADER = ["账号", "姓名", "身份证号", "手机号码", "邮箱", "性别", "实际单位", "挂职单位", "岗位", "入职日期"]
DEPARTMENTS = [Department(100, "某某局", ("某某局",)), Department(101, "办公室", ("某某局", "办公室")),
               Department(102, "信息中心", ("某某局", "信息中心")),
               Department(103, "综合科", ("某某局", "办公室", "综合科"))]


def id_number(n: int) -> str:
    first17 = f"110105{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + check_digit(first17)


def state() -> TargetState:
    users = [ExistingUser("7", {"user_name": "lisi", "nick_name": "李四", "email": "old@example.cn",
                                "phonenumber": "13900139000", "sex": "1", UNIT: "102"}, {"common"}, {"ky"}),
             ExistingUser("8", {"user_name": "wangwu", "nick_name": "王五", "email": "", "phonenumber": "",
                                "sex": "0", UNIT: "101"}, {"common"}, set()),
             ExistingUser("9", {"user_name": "zhao", "nick_name": "赵", "email": "", "phonenumber": "13700137000",
                                "sex": "", UNIT: "101"}, set(), set()),
             ExistingUser("10", {"user_name": "qin", "nick_name": "秦", "email": "", "phonenumber": "13500135000",
                                 "sex": "1", UNIT: "103"}, {"common", "leader"}, {"kz"})]
    return TargetState(DEPARTMENTS, {u.values["user_name"]: u for u in users}, {"common": "1", "leader": "2"},
                       {"科长": "kz", "kz": "kz", "科员": "ky", "ky": "ky"}, bundled_profile("ruoyi"))


def sheets() -> dict[str, list[list[str]]]:
    first = [HEADER,
             ["zhangsan", "张三", id_number(1), "13800138000", "zs@example.cn", "男", "办公室", "", "科长",
              "2020-01-02"],
             ["lisi", "李四", id_number(2), "13900139000", "ls@example.cn", "女", "信息中心", "", "科员", ""],
             ["WangWu", "王五", id_number(3), "", "", "男", "办公室", "", "", ""],  # the key folded: unchanged
             ["qian", "钱", id_number(4), "13700137000", "", "", "办公室", "", "", ""],  # zhao's phone
             ["", "", "", "", "", "", "", "", "", ""],  # blank: the rows below keep their sheet numbers
             ["zhao", "赵", id_number(5), "13700137009", "", "女", "办公室", "综合科", "科长", ""],  # roles, post
             ["sun", "孙", id_number(6), "13600136001", "", "", "信息办", "", "", ""],  # mapped unit name
             ["zhou", "周", id_number(7), "13600136001", "", "", "办公室", "", "", ""],  # the phone twice
             ["wu", "吴", id_number(8), "13600136002", "", "", "不存在的处", "", "", ""],  # no such unit
             ["zheng", "郑", id_number(9)[:17] + "0", "13600136003", "", "", "办公室", "", "", ""],  # check digit
             ["feng", "冯", id_number(10), "13600136004", "", "", "办公室", "", "", "2023-02-30"],  # no such day
             ["qin", "秦", id_number(11), "13500135000", "", "女", "办公室", "综合科", "科长", ""]]  # unchanged
    second = [HEADER, ["chen", "陈", id_number(12), "", "", "", "信息中心", "", "处长", ""],  # no such post
              ["chu", "褚", id_number(13), "13600136005", "", "女", "信息中心", "", "ky", ""]]
    second += [[f"user{i}", f"用户{i}", id_number(100 + i), f"135{i:08d}", f"u{i}@example.cn" if i % 3 else "",
                "男" if i % 2 else "女", ("办公室", "信息中心", "办公室/综合科")[i % 3], "",
                ("科长", "科员", "")[i % 3], "2021-03-04"] for i in range(300)]  # past a chunk of the check
    return {"甲": first, "乙": second}


def planned(tmp_path: Path) -> Plan:
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", sheets()))
    mapping = load_mapping(write_mapping(tmp_path, MAPPING + 'passwords: {rule: "Gov@{id_number[-6:]}"}\n'))
    target = state()
    return build_plan(check_workbook(book, mapping, check_target(target, mapping)), mapping, target)


def recorded(plan: Plan) -> dict[str, Any]:
    """The plan's JSON, and what only memory holds: each user's inputs of the password rule."""
    return {"json": plan.to_json(), "rule_inputs": [u.rule_inputs for u in plan.users]}


def test_users_made_on_demand_are_the_users_the_eager_plan_made(tmp_path: Path) -> None:
    plan = planned(tmp_path)
    expected = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(recorded(plan), ensure_ascii=False)) == expected
    assert plan.digest() == expected["json"]["digest"]
    actions = [u["action"] for u in expected["json"]["users"]]
    assert {"insert", "update", "unchanged", "rejected"} <= set(actions)


def test_counting_the_plan_agrees_with_its_users_one_by_one(tmp_path: Path) -> None:
    plan = planned(tmp_path)
    users = list(plan.users)
    eager = Plan(users)  # a plan holding its users as a list: every answer from the users themselves
    assert len(plan.users) == len(users) == 313
    assert (plan.counts(), plan.counts_by_unit(), plan.digest()) == (eager.counts(), eager.counts_by_unit(),
                                                                     eager.digest())
    assert plan.to_json() == eager.to_json()
    assert plan.writes() == eager.writes() and all(isinstance(u, PlannedUser) for u in plan.writes())
    assert [plan.users[i] for i in range(len(users))] == users == list(plan.users)  # the same each time
    assert plan.users[-1] == users[-1] and plan.users[3:7] == users[3:7]


def test_a_users_lists_are_its_own(tmp_path: Path) -> None:
    plan = planned(tmp_path)
    first, second = plan.users[0], plan.users[0]
    assert first == second and first is not second
    first.roles_added.append("x")
    first.values["nick_name"] = "改"
    assert plan.users[0] == second  # what one reader changes is not what the next one reads


def test_checked_and_planned_rows_hold_no_object_per_row(tmp_path: Path) -> None:
    import gc
    import tracemalloc

    from launchpad.users.checks import CheckedRow

    rows = 3000
    body = [[f"user{i}", f"用户{i}", id_number(1000 + i), f"135{i:08d}", f"u{i}@example.cn", "男", "办公室", "", "科员",
             "2021-03-04"] for i in range(rows)]
    book = read_workbook(write_xlsx(tmp_path / "big.xlsx", {"名单": [HEADER, *body]}))
    mapping = load_mapping(write_mapping(tmp_path))
    target = state()
    checked_against = check_target(target, mapping)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        plan = build_plan(check_workbook(book, mapping, checked_against), mapping, target)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert plan.counts()["insert"] == rows
    # A row's checked values (a pointer per column) and its action and unit: some 110 bytes a
    # row. A CheckedRow and a PlannedUser per row held about 1,000.
    assert held / rows < 200, f"{held / rows:.0f} bytes per row"
    assert not [o for o in gc.get_objects() if isinstance(o, CheckedRow | PlannedUser)]
