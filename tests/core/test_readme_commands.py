"""The README's promise, as a newcomer would try it: build the demo, check it, run the
readiness playbook on `test`, read the run report, verify the audit log."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from launchpad.demo import stop_demo_webapp


def launchpad(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launchpad", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "demo"
    built = launchpad("demo", "--no-tui", "--dir", str(root), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    try:
        yield root
    finally:
        stop_demo_webapp(root)


def test_demo_readiness_runs_and_reports(demo: Path) -> None:
    assert launchpad("check", cwd=demo).returncode == 0
    run = launchpad("run", "environment-readiness", "--env", "test", "--yes", cwd=demo)
    # The demo configures no ports or services to check: those steps are not checked, so the
    # run is not a clean pass (exit 1), and says so.
    assert run.returncode == 1, run.stdout + run.stderr
    assert "运行 1 已结束，有跳过或未检查。" in run.stdout  # the demo site speaks Chinese
    runs = launchpad("runs", "--json", cwd=demo)
    assert '"status": "partial"' in runs.stdout
    html = launchpad("runs", "show", "1", "--format", "html", "--out", "report.html", cwd=demo)
    assert html.returncode == 0
    page = (demo / "report.html").read_text(encoding="utf-8")
    assert "执行报告" in page and "登录页" in page and "通过" in page
    assert "已结束，有跳过或未检查" in page and "未配置需检查的端口" in page
    assert launchpad("audit", "verify", cwd=demo).returncode == 0


def test_acceptance_needs_people_and_stops_safely_without_them(demo: Path) -> None:
    run = launchpad("run", "onsite-acceptance", "--env", "test", "--yes", cwd=demo)
    assert run.returncode == 1
    assert "关键步骤需要有人签字确认" in run.stderr
    assert "Traceback" not in run.stderr


def test_production_is_marked_in_the_run(demo: Path) -> None:
    # Every step of the readiness playbook is read-only, so it runs on production without a
    # confirmation; a confirmed step would stop here without --confirm prod.
    run = launchpad("run", "environment-readiness", "--env", "prod", "--yes", cwd=demo)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "prod（生产环境）" in run.stdout


def test_the_tour_pastes_the_sample_chat_and_sends_to_the_stand_in_robot(demo: Path) -> None:
    from launchpad.demo.launcher import read_demo_config
    from launchpad.demo.robot import received

    listed = launchpad("issue", "paste", "chat.txt", cwd=demo)
    assert listed.returncode == 0, listed.stderr
    assert "王芳: 登录页面点提交后一直转圈" in listed.stdout
    taken = launchpad("issue", "paste", "chat.txt", "--take", "1+2,4", cwd=demo)
    assert taken.returncode == 0, taken.stderr
    assert taken.stdout.count("+ #") == 2
    sent = launchpad("report", "daily", "--send", "group", cwd=demo)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "已发送到 group" in sent.stdout
    audit = json.loads(launchpad("audit", "show", "--json", cwd=demo).stdout)
    sends = [entry for entry in audit if entry["action"] == "robot_sent"]
    assert len(sends) == 1 and sends[0]["detail"]["channel"] == "group", audit
    messages = received(demo / ".launchpad")
    assert len(messages) == 1 and "登录页面点提交后一直转圈" in messages[0]["content"]
    port = read_demo_config(demo)["environments"]["test"]["port"]
    page = httpx.get(f"http://127.0.0.1:{port}/robot", trust_env=False, timeout=5)
    assert "登录页面点提交后一直转圈" in page.text


def test_demo_is_built_outside_the_repository_and_stops_when_asked(tmp_path: Path) -> None:
    from launchpad.demo.launcher import health, read_demo_config

    built = launchpad("demo", "--no-tui", cwd=tmp_path)
    root = Path.home() / "launchpad-demo"  # the tests' own HOME
    try:
        assert built.returncode == 0, built.stderr
        assert (root / "site.yaml").is_file() and not (tmp_path / "launchpad-demo").exists()
        assert f"launchpad demo --stop --dir {root}" in built.stdout
        port = read_demo_config(root)["environments"]["test"]["port"]
        for env_name, env in read_demo_config(root)["environments"].items():  # which site is which environment
            assert f"  客户系统（{env_name}）：http://127.0.0.1:{env['port']}/login\n" in built.stdout, built.stdout
        assert health(port) is not None
        stopped = launchpad("demo", "--stop", cwd=root)
        assert stopped.returncode == 0, stopped.stderr
        assert "演示网站已停止" in stopped.stdout
        assert health(port) is None
    finally:
        stop_demo_webapp(root)


def test_stop_without_dir_stops_the_demo_of_the_current_workspace(demo: Path, tmp_path: Path) -> None:
    from launchpad.demo.launcher import health, read_demo_config

    port = read_demo_config(demo)["environments"]["test"]["port"]
    inside = launchpad("demo", "--stop", cwd=demo / "playbooks")
    assert inside.returncode == 0, inside.stderr
    assert "演示网站已停止" in inside.stdout and health(port) is None
    assert launchpad("demo", "--no-tui", "--dir", str(demo), cwd=tmp_path).returncode == 0
    named = launchpad("--workspace", str(demo), "demo", "--stop", cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    assert "演示网站已停止" in named.stdout and health(port) is None
    # Outside any demo workspace, the default demo folder is meant (none here: refused, exit 2).
    elsewhere = launchpad("demo", "--stop", cwd=tmp_path)
    assert elsewhere.returncode == 2 and "launchpad-demo" in elsewhere.stderr and "Traceback" not in elsewhere.stderr
    typo = launchpad("--workspace", str(tmp_path / "nowhere"), "demo", "--stop", cwd=demo)
    assert typo.returncode == 2 and "nowhere" in typo.stderr


def test_quitting_the_app_stops_the_demo_web_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from launchpad.cli import cli
    from launchpad.demo.launcher import health, read_demo_config

    seen: list[object] = []

    def app_open_then_quit(workspace: Path) -> None:
        port = read_demo_config(workspace)["environments"]["test"]["port"]
        seen.append(health(port))  # the web app answers while the app is open

    monkeypatch.setattr("launchpad.cli.tui.open_tui", app_open_then_quit)
    root = tmp_path / "demo"
    try:
        result = CliRunner().invoke(cli, ["demo", "--dir", str(root)])
        assert result.exit_code == 0, result.output
        assert seen and seen[0] is not None
        assert health(read_demo_config(root)["environments"]["test"]["port"]) is None
    finally:
        stop_demo_webapp(root)


def tour_lines(prefix: str) -> list[list[str]]:
    """The README tour's commands starting with `prefix`, in order, as arguments."""
    import re
    import shlex

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    tour = readme[readme.index("## A short tour"):]
    block = re.search(r"```bash\n(.*?)```", tour, re.DOTALL)
    assert block is not None
    lines = [line.split("  #")[0].strip() for line in block.group(1).splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith(prefix)]


def sign_in_with_the_handout(demo: Path) -> str:
    """A new user signs in to the demo's client system with the password from the hand-out."""
    from openpyxl import load_workbook

    from launchpad.demo.launcher import read_demo_config

    handed = next((demo / "handouts" / "import-1").glob("*.xlsx"))
    _, _, (unit, login, name, password), *_ = load_workbook(handed).active.iter_rows(values_only=True)
    port = read_demo_config(demo)["environments"]["test"]["port"]
    page = httpx.post(f"http://127.0.0.1:{port}/login", data={"account": login, "password": password},
                      trust_env=False, timeout=10)
    assert f"登录成功：{name}（{str(unit).split('/')[-1]}）" in page.text, page.text
    return page.text


def test_the_tour_imports_the_demos_sheet_hands_out_compares_and_rolls_back(demo: Path) -> None:
    import sqlite3

    def users_in_test() -> list[tuple[object, ...]]:
        with sqlite3.connect(demo / "data" / "test-users.db") as db:
            return list(db.execute("SELECT user_id, user_name, dept_id, phonenumber, remark FROM sys_user "
                                   "ORDER BY user_id"))

    before = users_in_test()
    commands = tour_lines("launchpad users ")
    assert [c[1] for c in commands] == ["check", "plan", "import", "import", "imports", "handout", "compare",
                                        "rollback"]
    done = [launchpad(*args, cwd=demo) for args in commands[:4]]  # up to the second import
    handed_out = list((demo / "handouts").rglob("*.xlsx"))
    signed_in = sign_in_with_the_handout(demo)
    done += [launchpad(*args, cwd=demo) for args in commands[4:]]
    for result in done:
        assert "Traceback" not in result.stderr
    check, plan, first, second, imports, handout, compare, rollback = done
    assert check.returncode == 1 and "身份证号 '370102" in check.stdout and "标注副本：" in check.stderr
    assert "数据资源科" in check.stdout and "与第" in check.stdout
    assert plan.returncode == 1 and "计划：新增 60，更新 2，不变 3，拒绝 6" in plan.stderr
    assert first.returncode == 0, first.stderr
    assert "✓ 导入 1 已完成：新增 60，更新 2，不变 3，拒绝 6" in first.stdout
    assert first.stdout.count("初始密码交接文件（0600）") == len(handed_out) > 0
    assert "；这是初始密码，请立即修改" in signed_in
    assert second.returncode == 0 and "无需写入" in second.stdout
    assert imports.returncode == 0 and "已导入" in imports.stdout and "+60 ~2 =3 ✗6" in imports.stdout
    assert handout.returncode == 0 and ".xlsx" in handout.stdout
    assert compare.returncode == 1 and "yanshou01：只在 test 中" in compare.stdout
    assert rollback.returncode == 0, rollback.stderr
    assert "✓ 导入 1 已回滚：删除 60 个用户，恢复 2 个" in rollback.stdout
    # the passwords of users that no longer exist do not stay behind
    assert f"已删除导入 1 的 {len(handed_out)} 个初始密码交接文件" in rollback.stdout, rollback.stdout
    assert not any(path.exists() for path in handed_out)
    after = users_in_test()
    assert [row[1:] for row in after] == [row[1:] for row in before]


def test_the_client_fixes_the_sheet_and_it_imports_whole_once(demo: Path) -> None:
    """The engineer's round trip: check finds the planted mistakes, the client corrects them,
    the corrected copy plans clean, applies to test once, a second run writes nothing, and the
    rollback leaves test as it was."""
    import sqlite3
    from zoneinfo import ZoneInfo

    from openpyxl import load_workbook

    from launchpad.demo.sheet import MAPPING_FILE, SHEET_FILE, build_rows
    from launchpad.sitetime import local_text

    _, planted = build_rows()
    book = load_workbook(demo / SHEET_FILE)
    ws = book.active
    columns = {str(cell.value): cell.column for row in ws.iter_rows(min_row=3, max_row=4) for cell in row
               if cell.value}
    for mistake in planted:
        cell = ws.cell(mistake.row, columns[mistake.header])
        # The number Excel kept is a double: 15 digits of the 18 typed.
        assert cell.value == (float(mistake.value) if isinstance(mistake.value, int) else mistake.value), mistake
        cell.value = mistake.fixed
        cell.number_format = "@"
    fixed = demo / "imports" / "新员工名单-已改.xlsx"
    book.save(fixed)
    mapping = demo / MAPPING_FILE  # the fastest bcrypt cost: this test is about the rows, not the hashing
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("cost: 10", "cost: 4"), encoding="utf-8")

    def users_in_test() -> list[tuple[object, ...]]:
        with sqlite3.connect(demo / "data" / "test-users.db") as db:
            return list(db.execute("SELECT user_name, dept_id, phonenumber, remark FROM sys_user ORDER BY user_id"))

    before = users_in_test()
    # The sheet as the client sent it is refused, in the site's language (or the one asked for).
    refused = launchpad("users", "import", str(demo / SHEET_FILE), "--env", "test", "--yes", cwd=demo)
    assert refused.returncode == 4 and "行被拒绝；什么都没有写入" in refused.stderr, refused.stderr
    assert "或加上 --skip-rejected" in refused.stderr
    refused = launchpad("--lang", "en", "users", "import", str(demo / SHEET_FILE), "--env", "test", "--yes", cwd=demo)
    assert "are rejected; nothing was written" in refused.stderr and users_in_test() == before
    checked = launchpad("users", "check", str(fixed), "--env", "test", cwd=demo)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "71 行，没有问题。" in checked.stderr  # the demo site speaks Chinese
    planned = launchpad("users", "plan", str(fixed), "--env", "test", cwd=demo)
    assert planned.returncode == 0, planned.stderr
    assert "计划：新增 66，更新 2，不变 3，拒绝 0" in planned.stderr
    # The seconded person's account is in the attached unit; full-width and padded cells are clean.
    assert "+ wuguilei（新进人员!20）新增到 某市大数据管理局/数据资源处/数据共享科" in planned.stdout
    assert "+ zhengbo（新进人员!8）" in planned.stdout
    imported = launchpad("users", "import", str(fixed), "--env", "test", "--yes", cwd=demo)
    assert imported.returncode == 0, imported.stderr
    # when plan 1 was made, on the site's clock (Asia/Shanghai), not the store's UTC
    with sqlite3.connect(demo / ".launchpad" / "launchpad.db") as db:
        planned_at = db.execute("SELECT planned FROM user_import_plans WHERE id = 1").fetchone()[0]
    assert f"与计划 1（{local_text(planned_at, ZoneInfo('Asia/Shanghai'), with_seconds=True)}）相同" in imported.stderr
    assert "✓ 导入 1 已完成：新增 66，更新 2，不变 3，拒绝 0" in imported.stdout
    assert len(users_in_test()) == len(before) + 66
    again = launchpad("users", "import", str(fixed), "--env", "test", "--yes", cwd=demo)
    assert again.returncode == 0 and "无需写入" in again.stdout
    # Plan 1 came before import 1: what import 1 wrote is not "changed in the target since".
    assert "有变化" not in again.stderr and "导入 1 之后未在 test 上对此文件做过计划" in again.stderr, again.stderr
    rolled = launchpad("users", "rollback", "1", "--yes", cwd=demo)
    assert rolled.returncode == 0, rolled.stderr
    assert users_in_test() == before


def test_the_tour_previews_the_demos_role_rules_then_they_apply_and_roll_back(demo: Path) -> None:
    import sqlite3

    def links() -> list[tuple[object, ...]]:
        with sqlite3.connect(demo / "data" / "test-users.db") as db:
            return list(db.execute("SELECT user_id, role_id FROM sys_user_role ORDER BY 1, 2"))

    before = links()
    [args] = tour_lines("launchpad roles ")
    shown = launchpad(*args, cwd=demo)
    assert shown.returncode == 0, shown.stderr
    assert "预览 1：test 上有 52 个用户的角色变化（roles/rules.yaml）：" in shown.stdout
    assert "  政务服务中心副科长兼审批：变化 3 个，匹配 3 个" in shown.stdout
    assert "  各运维科科长兼运维：变化 2 个，匹配 2 个" in shown.stdout  # by a glob on the path
    assert "  工勤人员不持业务角色：变化 19 个，匹配 49 个" in shown.stdout
    assert links() == before
    applied = launchpad("roles", "apply", "--env", "test", "--yes", cwd=demo)
    assert applied.returncode == 0, applied.stderr
    assert "✓ 角色分配 1 已执行：52 个用户" in applied.stdout and links() != before
    assert launchpad("roles", "rollback", "1", "--yes", cwd=demo).returncode == 0
    assert links() == before


def test_the_tour_finds_prods_drift_records_the_clients_option_for_hq_and_fixes_the_rest(demo: Path) -> None:
    adds = tour_lines("launchpad issue add ")
    commands = tour_lines("launchpad baseline ")
    assert [c[1] for c in commands] == ["diff", "change", "changes", "change", "fix"]
    for args in adds:  # the option's feedback issue is the tour's second
        assert launchpad(*args, cwd=demo).returncode == 0
    # The tour backed prod up a few lines earlier (pre-release-backup): the fix needs it fresh.
    assert launchpad("backup", "--env", "prod", "all", cwd=demo).returncode == 0
    done = [launchpad(*args, cwd=demo) for args in commands]
    for result in done:
        assert "Traceback" not in result.stderr
    diff, record, changes, accept, fix = done
    assert diff.returncode == 1 and "共 3 处，高 1、中 1、低 1" in diff.stdout
    assert "dict_item/gov_channel/hotline" in diff.stdout
    assert record.returncode == 0 and "现场变更 #1" in record.stdout and "反馈问题 #2" in record.stdout, record.stderr
    assert changes.returncode == 0 and (demo / "现场变更.xlsx").is_file(), changes.stderr
    assert accept.returncode == 0 and "baselines/baseline.yaml" in accept.stdout, accept.stderr
    assert fix.returncode == 0, fix.stdout + fix.stderr
    assert "已修正 2 处差异" in fix.stdout and "一致" in fix.stdout.splitlines()[-1]
    again = launchpad("baseline", "diff", "--env", "prod", cwd=demo)
    assert again.returncode == 0, again.stdout


def release_lines() -> list[list[str]]:
    """The README's release walk, line by line, as arguments."""
    import re
    import shlex

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    walk = readme[readme.index("A release goes out for its"):]
    block = re.search(r"```bash\n(.*?)```", walk, re.DOTALL)
    assert block is not None
    return [shlex.split(line.split("  #")[0])[1:] for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_release_walk_releases_then_rolls_back_through_the_record(demo: Path) -> None:
    """Every line of the README's release paragraph as written; the two runs, which ask at a
    terminal, get the same answers from a file (override the windows with a reason, yes to the
    switch and to the rollback, abort the failed switch, no to the restore)."""
    from launchpad.demo.launcher import read_demo_config

    # The broken build's health check is given a second instead of a minute.
    playbook = demo / "playbooks" / "after-hours-release.yaml"
    text = playbook.read_text(encoding="utf-8")
    playbook.write_text(text.replace("every: 2\n            within: 60", "every: 0.2\n            within: 1"),
                        encoding="utf-8")
    (demo / "answers.yaml").write_text(
        "override: {prepare.window: 演练, prepare.planned: 演练}\n"
        "confirm: [deploy.switch, rollback]\non_failure: {default: abort}\n",
        encoding="utf-8")
    port = read_demo_config(demo)["environments"]["test"]["port"]
    lines = release_lines()
    assert [line[:2] for line in lines] == [
        ["run", "pre-release-backup"], ["release", "new"], ["release", "report"], ["release", "approve"],
        ["run", "after-hours-release"], ["release", "new"], ["release", "report"], ["release", "approve"],
        ["run", "after-hours-release"], ["release", "list"], ["report", "daily"]]
    done = []
    for args in lines:
        extra = ["--answers", "answers.yaml"] if args[:2] == ["run", "after-hours-release"] else []
        done.append(launchpad(*args, *extra, cwd=demo))
        assert "Traceback" not in done[-1].stderr, done[-1].stderr
        if len(done) == 5:
            assert done[-1].returncode == 0, done[-1].stdout + done[-1].stderr
            page = httpx.get(f"http://127.0.0.1:{port}/login", trust_env=False, timeout=5).text
            assert "版本 v1.1.0" in page
    assert [r.returncode for r in done] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0], [r.stderr for r in done]
    assert "版本 v1.1.0" in httpx.get(f"http://127.0.0.1:{port}/login", trust_env=False, timeout=5).text
    listed = done[9].stdout
    assert "1.1.0" in listed and "已发布" in listed and "1.2.0" in listed and "已回退" in listed
    assert "1.1.0 2026-12-07 19:00–21:00 已发布" in done[10].stdout
    assert "1.2.0 2026-12-07 19:00–21:00 已回退" in done[10].stdout
