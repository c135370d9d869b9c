"""Baselines without a database: files read and located, written deterministically, every kind
of difference found with its severity, fixes as parameters, the step kind's own rules, and the
command line's answers to bad input (exit 2, located, no traceback)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from launchpad.backup.sqlclient import ResultSet
from launchpad.baseline.drift import choose, compare
from launchpad.baseline.files import BadBaseline, dump_baseline, load_baseline, write_baseline
from launchpad.baseline.fix import Unfixable, statements_for, transaction_script
from launchpad.baseline.model import Baseline, Dictionary, DictItem, Post, Role
from launchpad.baseline.ruoyi import state_from
from launchpad.errors import InvalidInput, UsageError
from launchpad.steps.baseline import BaselineStep
from tests.core.users_sheets import write_xlsx
from tests.workspaces import write_workspace

GOOD = """\
version: hq-2026.12
roles:
  - key: common
    name: 普通角色
    data_scope: 2
    sort: 2
    permissions: [system:user:list, /系统管理/日志管理]
dictionaries:
  - type: sys_user_sex
    name: 用户性别
    items:
      - {value: 0, label: 男, order: 1, default: true}
      - {value: 1, label: 女, order: 2}
posts:
  - {code: kz, name: 科长, sort: 1}
"""


def reference() -> Baseline:
    return Baseline("v1", "baseline.yaml",
                    roles={"common": Role("common", "普通角色", "0", "2", 2, frozenset({"a:list", "a:add"})),
                           "leader": Role("leader", "负责人", "0", "1", 3, frozenset({"a:list"}))},
                    dictionaries={"sex": Dictionary("sex", "性别", "0", {
                        "0": DictItem("0", "男", 1, True), "1": DictItem("1", "女", 2)})},
                    posts={"kz": Post("kz", "科长", 1)})


def test_a_yaml_baseline_reads_with_statuses_as_text(tmp_path: Path) -> None:
    path = tmp_path / "baseline.yaml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = load_baseline(path)
    assert loaded.version == "hq-2026.12"
    assert loaded.roles["common"] == Role("common", "普通角色", "0", "2", 2,
                                          frozenset({"system:user:list", "/系统管理/日志管理"}))
    assert loaded.dictionaries["sys_user_sex"].items["0"] == DictItem("0", "男", 1, True)


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD.replace("    sort: 2\n", "    sort: two\n"), "baseline.yaml:6:11: sort: input should be a valid integer"),
    (GOOD.replace("    sort: 2\n", "    sorting: 2\n"), "baseline.yaml:6:5: unknown key 'sorting'"),
    (GOOD.replace("version: hq-2026.12\n", ""), "baseline.yaml:1:1: missing required key 'version'"),
    (GOOD + "  - {code: kz, name: 科长二, sort: 2}\n", "baseline.yaml:16:12: post 'kz' appears twice"),
    (GOOD.replace("{value: 1, label: 女", "{value: 0, label: 女"),
     "baseline.yaml:13:17: item of sys_user_sex: '0' appears twice"),
    (GOOD.replace("roles:\n", "roles: [\n"), "baseline.yaml:3:"),
])
def test_bad_yaml_is_located_at_file_line_col(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "baseline.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        load_baseline(path, "baseline.yaml")
    assert expected in raised.value.render()


def sheets(roles_sort: object = 2, permission_role: str = "common") -> dict[str, list[list[object]]]:
    return {
        "meta": [["version"], ["hq-1"]],
        "roles": [["key", "name", "status", "data_scope", "sort"], ["common", "普通角色", "0", "2", roles_sort]],
        "permissions": [["role", "permission"], [permission_role, "system:user:list"]],
        "dictionaries": [["type", "name", "status"], ["sys_user_sex", "用户性别", "0"]],
        "items": [["type", "value", "label", "order", "default", "status"], ["sys_user_sex", 0, "男", 1, "Y", "0"]],
        "posts": [["code", "name", "sort", "status"], ["kz", "科长", 1, "0"]],
    }


def test_xlsx_and_csv_baselines_read_like_yaml(tmp_path: Path) -> None:
    book = load_baseline(write_xlsx(tmp_path / "baseline.xlsx", sheets()))
    assert book.version == "hq-1"
    assert book.roles["common"] == Role("common", "普通角色", "0", "2", 2, frozenset({"system:user:list"}))
    assert book.dictionaries["sys_user_sex"].items["0"] == DictItem("0", "男", 1, True, "0")
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, rows in sheets().items():
        (folder / f"{name}.csv").write_text("\n".join(",".join(str(c) for c in r) for r in rows) + "\n",
                                            encoding="utf-8")
    csv = load_baseline(folder)
    assert (csv.roles, csv.dictionaries, csv.posts) == (book.roles, book.dictionaries, book.posts)


def test_bad_sheet_cells_are_located_at_sheet_row_column(tmp_path: Path) -> None:
    with pytest.raises(BadBaseline) as raised:
        load_baseline(write_xlsx(tmp_path / "b.xlsx", sheets(roles_sort="二")), "b.xlsx")
    assert "b.xlsx, sheet roles, row 2, column E (sort): Input should be a valid integer" in raised.value.message
    with pytest.raises(BadBaseline) as raised:
        load_baseline(write_xlsx(tmp_path / "c.xlsx", sheets(permission_role="nobody")), "c.xlsx")
    assert "c.xlsx, sheet permissions, row 2, column A (role): no role 'nobody' in sheet roles" in raised.value.message
    broken: dict[str, list[list[object]]] = {**sheets(), "posts": [["code", "name", "rank"], ["kz", "科长", 1]]}
    with pytest.raises(BadBaseline) as raised:
        load_baseline(write_xlsx(tmp_path / "d.xlsx", broken), "d.xlsx")
    assert "d.xlsx, sheet posts, row 1, column C: unknown column 'rank'" in raised.value.message


def test_the_written_baseline_is_deterministic_and_reads_back(tmp_path: Path) -> None:
    base = reference()
    shuffled = replace(base, roles=dict(reversed(base.roles.items())))
    assert dump_baseline(base) == dump_baseline(shuffled)
    path = write_baseline(base, tmp_path / "baselines" / "test.yaml")
    again = load_baseline(path)
    assert (again.version, again.roles, again.dictionaries, again.posts) == \
        (base.version, base.roles, base.dictionaries, base.posts)
    text = path.read_text(encoding="utf-8")
    assert "- a:add\n" in text and "_id" not in text  # one grant a line: a change is a one-line diff
    assert not list(path.parent.glob(".*partial"))


def test_every_kind_of_difference_with_its_severity_and_fields() -> None:
    base = reference()
    target = Baseline("x", "prod", roles={
        "common": Role("common", "普通", "1", "2", 2, frozenset({"a:list", "a:remove"})),
        "auditor": Role("auditor", "审计", "0", "1", 9)},
        dictionaries={"sex": Dictionary("sex", "性别", "0", {
            "0": DictItem("0", "男", 1, False), "1": DictItem("1", "女性", 5), "9": DictItem("9", "保密")}),
                      "extra": Dictionary("extra", "现场")},
        posts={"kz": Post("kz", "科长", 1, "1"), "zz": Post("zz", "专员")},
        menus=frozenset({"a:list", "a:remove"}))
    drift = compare(base, target, "prod")
    found = {d.id: (d.change, d.severity, d.fields, d.fixable) for d in drift.differences}
    assert found == {
        "role/auditor": ("extra", "high", {}, True),
        "role/common": ("changed", "high", {"name": ("普通角色", "普通"), "status": ("0", "1")}, True),
        "role/leader": ("missing", "high", {}, True),
        "permission/common/a:add": ("missing", "high", {}, False),
        "permission/common/a:remove": ("extra", "high", {}, True),
        "dictionary/extra": ("extra", "medium", {}, True),
        "dict_item/sex/0": ("changed", "medium", {"default": (True, False)}, True),
        "dict_item/sex/1": ("changed", "low", {"label": ("女", "女性"), "order": (2, 5)}, True),
        "dict_item/sex/9": ("extra", "medium", {}, True),
        "post/kz": ("changed", "medium", {"status": ("0", "1")}, True),
        "post/zz": ("extra", "medium", {}, True),
    }
    assert drift.counts() == {"high": 5, "medium": 5, "low": 1, "total": 11}
    assert [d.kind for d in drift.differences] == sorted((d.kind for d in drift.differences),
                                                         key=["role", "permission", "dictionary", "dict_item",
                                                              "post"].index)
    assert compare(base, replace(base, source="test"), "test").differences == []
    with pytest.raises(Unfixable, match="prod has no menu for a:add"):
        statements_for(drift.differences, base, target, {}, "tester")


def test_a_fix_carries_values_as_parameters_never_in_the_sql() -> None:
    hostile = "女'); DROP TABLE sys_user; --"
    base = reference()
    base.dictionaries["sex"].items["1"] = DictItem("1", hostile, 2)
    target = Baseline("x", "test", roles=dict(base.roles), dictionaries={"sex": Dictionary("sex", "性别", "0", {
        "0": DictItem("0", "男", 1, True), "1": DictItem("1", "女", 2)})}, posts=dict(base.posts))
    drift = compare(base, target, "test")
    statements = statements_for(choose(drift, everything=True), base, target, {}, "tester")
    assert [s.difference for s in statements] == ["dict_item/sex/1"]
    assert hostile not in statements[0].sql and statements[0].params["label"] == hostile
    for engine in ("mariadb", "postgresql"):
        script = transaction_script(engine, statements)
        assert hostile not in script and "DROP TABLE" not in script
        assert script.splitlines()[0] in ("START TRANSACTION;", "BEGIN;") and script.endswith("COMMIT;\n")
    with pytest.raises(UsageError, match="not sqlite"):
        transaction_script("sqlite", statements)  # SQLite binds the statements' own parameters


def test_choosing_differences_names_unknown_ids() -> None:
    drift = compare(reference(), Baseline("x", "prod"), "prod")
    assert {d.kind for d in choose(drift, kinds={"post"})} == {"post"}
    assert [d.id for d in choose(drift, items={"post/kz"})] == ["post/kz"]
    with pytest.raises(UsageError, match="no difference post/nope in the diff of prod"):
        choose(drift, items={"post/nope"})
    with pytest.raises(UsageError, match="say which differences to fix"):
        choose(drift)


def test_a_live_ruoyi_read_keys_menus_by_code_else_by_path() -> None:
    def rs(*rows: tuple[object, ...]) -> ResultSet:
        return ResultSet((), tuple(tuple(None if v is None else str(v) for v in r) for r in rows))

    state = state_from({
        "roles": rs((2, "common", "普通角色", "0", "2", 2)),
        "menus": rs((1, 0, "系统管理", ""), (108, 1, "日志/审计", None), (113, 1, "缓存监控", "monitor:cache:list"),
                    (114, 1, "缓存列表", "monitor:cache:list")),
        "grants": rs((2, 108), (2, 114), (7, 1)),
        "dictionaries": rs(("sex", "性别", "0")),
        "items": rs(("sex", "0", "男", 1, "Y", "0", None, "primary")),
        "posts": rs(("kz", "科长", 1, "0")),
    }, "v", "test")
    assert state.baseline.roles["common"].permissions == frozenset({"/系统管理/日志／审计", "monitor:cache:list"})
    assert state.menu_ids["monitor:cache:list"] == [113, 114]
    assert state.baseline.dictionaries["sex"].items["0"] == DictItem("0", "男", 1, True, "0", "", "primary")


def test_the_step_kind_refuses_combinations_that_cannot_work() -> None:
    fix = BaselineStep(name="修正", kind="baseline", action="fix", env="test")
    assert {f for f, _ in fix.own_problems()} == {"confirm", "action"}
    ok = BaselineStep(name="修正", kind="baseline", action="fix", confirm=True)
    assert ok.own_problems() == []
    diff = BaselineStep(name="比对", kind="baseline", action="diff", against="test", baseline="b.yaml",
                        report="x.pdf")
    assert {f for f, _ in diff.own_problems()} == {"against", "report"}
    assert [r.names for r in diff.references()] == [("test",)]


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *args], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_the_command_line_names_a_bad_baseline_and_exits_2(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    (root / "baselines").mkdir()
    (root / "baselines" / "baseline.yaml").write_text(textwrap.dedent(GOOD).replace("sort: 2", "sort: [2]"),
                                                      encoding="utf-8")
    bad = launchpad(root, "baseline", "diff", "--env", "test")
    assert bad.returncode == 2
    assert "baselines/baseline.yaml:6:11: sort：应为整数" in bad.stderr, bad.stderr  # the site speaks Chinese
    two = launchpad(root, "baseline", "diff", "--env", "test", "--env", "test")
    assert two.returncode == 2 and "--env test 出现了两次" in two.stderr
    unknown = launchpad(root, "baseline", "fix", "--env", "nowhere", "--all")
    assert unknown.returncode == 2 and "nowhere" in unknown.stderr
    for done in (bad, two, unknown):
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_the_parsed_copy_is_used_only_for_the_same_bytes(tmp_path: Path) -> None:
    path, cache = tmp_path / "baseline.yaml", tmp_path / "cache"
    path.write_text(GOOD, encoding="utf-8")
    first = load_baseline(path, "baseline.yaml", cache)
    assert len(list(cache.glob("baseline-*.json"))) == 1
    again = load_baseline(path, "baseline.yaml", cache)
    assert (again.version, again.roles, again.dictionaries, again.posts) == \
        (first.version, first.roles, first.dictionaries, first.posts)
    path.write_text(GOOD.replace("name: 科长", "name: 处长"), encoding="utf-8")
    assert load_baseline(path, "baseline.yaml", cache).posts["kz"].name == "处长"
    assert len(list(cache.glob("baseline-*.json"))) == 1  # the old copy is gone
    path.write_text(GOOD.replace("sort: 1}", "sort: x}"), encoding="utf-8")
    with pytest.raises(InvalidInput, match="baseline.yaml:15:"):
        load_baseline(path, "baseline.yaml", cache)  # a bad file is never answered from a copy


def test_anchors_take_the_located_reader_and_read_the_same(tmp_path: Path) -> None:
    plain, anchored = tmp_path / "plain.yaml", tmp_path / "anchored.yaml"
    plain.write_text(GOOD, encoding="utf-8")
    anchored.write_text(GOOD.replace("permissions: [system:user:list, /系统管理/日志管理]",
                                     "permissions: &grants [system:user:list, /系统管理/日志管理]"), encoding="utf-8")
    a, b = load_baseline(plain), load_baseline(anchored)
    assert (a.roles, a.dictionaries, a.posts) == (b.roles, b.dictionaries, b.posts)


def test_mysql_text_output_is_split_per_query_and_unescaped() -> None:
    from launchpad.backup.sqlclient import DbAccess, MySqlClient

    class Shell:
        name = "db1"

        def run(self, command: str, stdin: bytes) -> object:
            mark = stdin.decode().split("SELECT '")[1].split("'")[0]
            out = (f"a\tb\n1\t制表\\t符\\\\n\n2\tNULL\nlp_mark\n{mark}\nlp_mark\n{mark}\n"
                   f"c\n换\\n行\nlp_mark\n{mark}\n")

            class Result:
                ok, stdout, stderr = True, out.encode(), b""
            return Result()

    sets = MySqlClient(DbAccess("mariadb", "ry")).query_text(Shell(), "/tmp/x", ["q1", "q2", "q3"])  # type: ignore[arg-type]
    assert [s.rows for s in sets] == [(("1", "制表\t符\\n"), ("2", "NULL")), (), (("换\n行",),)]
    assert sets[0].columns == ("a", "b")


def test_a_section_the_baseline_leaves_out_is_not_compared_and_one_written_empty_is(tmp_path: Path) -> None:
    """HQ's baseline may hold dictionaries only: the roles and posts it leaves out are not
    compared (no "extra" role a fix would delete), and the summary says so; `posts: []` says
    there are none. The parsed copy and the written file keep which sections the file holds."""
    from launchpad.baseline.reports import summary
    from launchpad.phrases import render

    path = tmp_path / "baseline.yaml"
    path.write_text(GOOD.split("roles:")[0] + "dictionaries:" + GOOD.split("dictionaries:")[1].split("posts:")[0],
                    encoding="utf-8")
    cache = tmp_path / "cache"
    for _ in range(2):  # read, then from its parsed copy
        only = load_baseline(path, cache=cache)
        assert only.sections == frozenset({"dictionaries"}) and not only.roles
    assert list(cache.glob("*.json"))
    live = replace(reference(), source="prod")
    drift = compare(only, live, "prod")
    assert [(d.id, d.change) for d in drift.differences] == [("dictionary/sex", "extra"),
                                                             ("dictionary/sys_user_sex", "missing")]
    assert drift.not_compared == ["roles", "posts"] and drift.as_json()["not_compared"] == ["roles", "posts"]
    assert render(summary(drift), "zh").endswith("未比较（基线中没有这些部分）：角色与权限、岗位")
    assert "posts:" not in dump_baseline(only) and "roles:" not in dump_baseline(only)
    path.write_text("version: v2\nposts: []\n", encoding="utf-8")
    empty_posts = load_baseline(path)
    assert empty_posts.sections == frozenset({"posts"})
    assert [d.id for d in compare(empty_posts, live, "prod").differences] == ["post/kz"]
    assert compare(reference(), live, "prod").not_compared == []


def test_a_workbook_without_a_sections_sheets_leaves_that_section_out(tmp_path: Path) -> None:
    book = sheets()
    del book["posts"]
    path = tmp_path / "baseline.xlsx"
    write_xlsx(path, book)
    loaded = load_baseline(path)
    assert loaded.sections == frozenset({"roles", "dictionaries"})
    assert compare(loaded, replace(reference(), source="prod"), "prod").not_compared == ["posts"]


def test_the_super_administrator_role_is_never_fixed_whatever_the_baseline_says() -> None:
    """RuoYi's role_id 1 is its super administrator: its own services refuse to change or
    delete it. Extra or changed against a baseline, it is reported and no fix touches it."""
    def rs(*rows: tuple[object, ...]) -> ResultSet:
        return ResultSet((), tuple(tuple(str(v) for v in r) for r in rows))

    live = state_from({"roles": rs((1, "admin", "超级管理员", "0", "1", 1), (2, "common", "普通角色", "0", "2", 2)),
                       "menus": rs(), "grants": rs(), "dictionaries": rs(), "items": rs(), "posts": rs()},
                      "live", "prod").baseline
    assert live.super_admin == "admin"
    hq = Baseline("v1", "baseline.yaml", roles={"common": live.roles["common"]}, sections=frozenset({"roles"}))
    drift = compare(hq, live, "prod")
    assert [(d.id, d.change, d.fixable) for d in drift.differences] == [("role/admin", "extra", False)]
    assert "super administrator" in str(drift.differences[0].note)
    with pytest.raises(Unfixable, match="super administrator"):
        statements_for(choose(drift, everything=True), hq, live, {}, "tester")
    renamed = replace(hq, roles={**hq.roles, "admin": Role("admin", "管理员", "1", "1", 1)})
    changed = compare(renamed, live, "prod").differences
    assert [(d.id, d.change, d.fixable) for d in changed] == [("role/admin", "changed", False)]


def test_a_cell_excel_shows_as_an_error_is_named_not_read_as_empty(tmp_path: Path) -> None:
    """A role's name left as #N/A by a lookup would have read as no name at all (the field's
    default), silently: it is a problem at its sheet, row and column, in xlsx and CSV alike."""
    broken = sheets()
    broken["roles"][1][1] = "#N/A"  # openpyxl writes it as an error cell (t="e")
    with pytest.raises(BadBaseline) as raised:
        load_baseline(write_xlsx(tmp_path / "e.xlsx", broken), "e.xlsx")
    assert "e.xlsx, sheet roles, row 2, column B (name): #N/A is an error Excel showed here" in raised.value.message
    folder = tmp_path / "csv"
    folder.mkdir()
    for name, rows in sheets().items():
        text = "\n".join(",".join(str(c) for c in r) for r in rows) + "\n"
        (folder / f"{name}.csv").write_text(text.replace("科长", "#REF!"), encoding="utf-8")
    with pytest.raises(BadBaseline) as raised:
        load_baseline(folder, "csv")
    assert "sheet posts, row 2, column B (name): #REF! is an error Excel showed here" in raised.value.message


def test_the_drift_reports_head_the_change_column_as_the_apps_drift_table_does() -> None:
    from launchpad.baseline.reports import COLUMNS, headers
    from launchpad.phrases import phrase, render

    change = COLUMNS.index("change")
    for lang in ("en", "zh"):
        assert headers(lang)[change] == render(phrase("drift.col_change"), lang)
    assert (headers("en")[change], headers("zh")[change]) == ("Change", "差异")
