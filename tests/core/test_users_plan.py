"""The plan without a database: what each row becomes (insert, update, unchanged, rejected),
the values it writes, its changes, roles and posts — over two sheets, with a column that is
empty in some rows only, an unknown post and a value already taken in the target."""

from __future__ import annotations

from pathlib import Path

from launchpad.users.checks import check_workbook
from launchpad.users.mapping import load_mapping
from launchpad.users.plan import build_plan, check_target
from launchpad.users.profile import bundled_profile
from launchpad.users.sources import read_workbook
from launchpad.users.state import UNIT, ExistingUser, TargetState
from launchpad.users.units import Department
from tests.core.users_sheets import GOOD, HEADER, write_mapping, write_xlsx

DEPARTMENTS = [Department(100, "某某局", ("某某局",)), Department(101, "办公室", ("某某局", "办公室")),
               Department(102, "信息中心", ("某某局", "信息中心"))]


def state() -> TargetState:
    users = [ExistingUser("7", {"user_name": "lisi", "nick_name": "李四", "email": "old@example.cn",
                                "phonenumber": "13900139000", "sex": "1", UNIT: "102"}, {"common"}, {"ky"}),
             ExistingUser("8", {"user_name": "wangwu", "nick_name": "王五", "email": "", "phonenumber": "",
                                "sex": "0", UNIT: "101"}, {"common"}, set()),
             ExistingUser("9", {"user_name": "zhao", "nick_name": "赵", "email": "", "phonenumber": "13700137000",
                                "sex": "", UNIT: "101"}, set(), set())]
    return TargetState(DEPARTMENTS, {u.values["user_name"]: u for u in users}, {"common": "1", "leader": "2"},
                       {"科长": "kz", "kz": "kz", "科员": "ky", "ky": "ky"}, bundled_profile("ruoyi"))


def test_each_row_is_planned_as_apply_will_write_it(tmp_path: Path) -> None:
    first = [HEADER, GOOD[0],  # new, a 科长: the leader role by rule, the post's code
             GOOD[1][:4] + ["ls@example.cn", "女", "信息中心", "科员"],  # lisi: the e-mail changes
             ["WangWu", "王五", "", "", "", "男", "办公室", ""],  # the key folded; nothing to change
             ["qian", "钱", "", "13700137000", "", "", "办公室", ""]]  # zhao's phone: rejected
    second = [HEADER, ["sun", "孙", "", "", "", "", "信息中心", "处长"],  # no such post: rejected
              ["zhou", "周", "", "13600136000", "", "女", "信息中心", "科员"]]  # new, no e-mail
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"甲": first, "乙": second}))
    mapping = load_mapping(write_mapping(tmp_path))
    target = state()
    result = check_workbook(book, mapping, check_target(target, mapping))
    plan = build_plan(result, mapping, target)
    assert [(u.sheet, u.row, u.key, u.action) for u in plan.users] == [
        ("甲", 2, "zhangsan", "insert"), ("甲", 3, "lisi", "update"), ("甲", 4, "wangwu", "unchanged"),
        ("甲", 5, "qian", "rejected"), ("乙", 2, "sun", "rejected"), ("乙", 3, "zhou", "insert")]
    inserted, updated, _, taken, unknown, no_email = plan.users
    assert list(inserted.values.items()) == [("user_name", "zhangsan"), ("nick_name", "张三"),
                                             ("phonenumber", "13800138000"), ("email", "zs@example.cn"),
                                             ("sex", "0"), (UNIT, "101")]
    assert (inserted.roles_added, inserted.posts_added) == (["common", "leader"], ["kz"])
    assert inserted.unit == "某某局/办公室"
    assert no_email.values == {"user_name": "zhou", "nick_name": "周", "phonenumber": "13600136000", "sex": "1",
                               UNIT: "102"}
    assert (no_email.roles_added, no_email.posts_added) == (["common"], ["ky"])
    assert updated.changes == {"email": ("old@example.cn", "ls@example.cn")} and updated.values == {
        "email": "ls@example.cn"}
    assert (updated.roles_added, updated.posts_added) == ([], [])
    assert [str(p.reason) for p in taken.problems] == ["already belongs to user zhao in the target"]
    assert [(p.column, p.value) for p in unknown.problems] == [("H", "处长")]
    assert [p.value for p in result.problems] == ["13700137000", "处长"]  # the post's problem joins the check's
    assert plan.counts() == {"insert": 2, "update": 1, "unchanged": 1, "rejected": 2}


def test_rows_without_a_post_column_each_hold_their_own_lists(tmp_path: Path) -> None:
    header = ["账号", "姓名", "单位"]
    rows = [header, ["a", "甲", "办公室"], ["b", "乙", "办公室"]]
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": rows}))
    mapping = load_mapping(write_mapping(tmp_path))
    target = state()
    first, second = build_plan(check_workbook(book, mapping, check_target(target, mapping)), mapping, target).users
    assert (first.action, second.action) == ("insert", "insert")
    assert first.posts_added == [] and first.posts_added is not second.posts_added
    assert first.roles_added == ["common"] and first.roles_added is not second.roles_added


def test_rows_built_with_the_collector_off_go_straight_to_the_oldest_generation() -> None:
    import gc

    from launchpad.users.bulk import building_rows

    was = gc.isenabled()
    with building_rows():
        assert not gc.isenabled()
        built = [[str(n)] for n in range(1000)]
    assert gc.isenabled() == was
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(row) in oldest for row in built)


def test_a_key_with_a_zero_width_space_plans_the_user_it_names(tmp_path: Path) -> None:
    # "lisi" + U+200B is lisi: planned as lisi's update, as apply writes it, not a new user.
    pasted = ["lisi\u200b", "李四", "", "13900139000\u200b", "ls@example.cn", "女", "信息中心", "科员\u200b"]
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"甲": [HEADER, pasted]}))
    mapping = load_mapping(write_mapping(tmp_path))
    target = state()
    plan = build_plan(check_workbook(book, mapping, check_target(target, mapping)), mapping, target)
    [lisi] = plan.users
    assert (lisi.key, lisi.action, lisi.values) == ("lisi", "update", {"email": "ls@example.cn"})
