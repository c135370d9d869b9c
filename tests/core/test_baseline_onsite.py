"""On-site changes carried back to HQ, on the demo's real SQLite databases: the demo ships
HQ's baseline and a prod that drifted on site; the added option is recorded as an on-site
change (who, when, why, the feedback issue, checked), exported for HQ (xlsx, Markdown, and a
patch that applies to the baseline file), accepted into the baseline (only that item's lines
change, then it is no longer drift), listed in the daily report; and prod is fixed from the
keyboard, SQLite taking the statements in one transaction."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from openpyxl import load_workbook

from launchpad.baseline.edit import set_item
from launchpad.baseline.files import load_baseline
from launchpad.demo.builder import build_demo
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace

HOTLINE = "dict_item/gov_channel/hotline"
PROD_DRIFT = {HOTLINE, "permission/approver/affair:case:approve", "dict_item/gov_review_level/3"}


def launchpad(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *args], capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("built") / "demo")


@pytest.fixture
def demo(built: Path, tmp_path: Path) -> Path:
    """A fresh copy of the built demo (its web app is not needed: the databases are files)."""
    root = tmp_path / "demo"
    shutil.copytree(built, root)
    return root


def diff_ids(root: Path, env: str = "prod") -> tuple[int, set[str]]:
    done = launchpad(root, "baseline", "diff", "--env", env, "--json")
    assert "Traceback" not in done.stderr
    return done.returncode, {d["id"] for d in json.loads(done.stdout)["differences"]}


def add_issue(root: Path, title: str = "P3 #字典 甲方要求办件渠道增加12345热线") -> int:
    added = launchpad(root, "issue", "add", title, "--reporter", "王科长")
    assert added.returncode == 0, added.stderr
    return int(added.stdout.split("#")[1].split()[0])


def test_the_demo_ships_hqs_baseline_and_prod_shows_the_three_changes_made_on_site(demo: Path) -> None:
    baseline = load_baseline(demo / "baselines" / "baseline.yaml")
    assert baseline.version == "HQ-1.0" and "hotline" not in baseline.dictionaries["gov_channel"].items
    assert diff_ids(demo, "test") == (0, set())
    assert diff_ids(demo, "prod") == (1, PROD_DRIFT)


def test_an_added_option_goes_back_to_hq_and_once_accepted_is_no_longer_drift(demo: Path, tmp_path: Path) -> None:
    issue = add_issue(demo)
    why = "甲方要求：12345 热线转办的办件单独统计"
    recorded = launchpad(demo, "baseline", "change", "record", "--env", "prod", "--item", HOTLINE, "--why", why,
                         "--issue", str(issue))
    assert recorded.returncode == 0, recorded.stderr
    assert f"现场变更 #1：prod 的 gov_channel = hotline（现场新增），反馈问题 #{issue}" in recorded.stdout
    listed = json.loads(launchpad(demo, "baseline", "changes", "--format", "json").stdout)
    assert [(c["difference"], c["why"], c["issue_id"], c["status"], c["site_value"]["label"]) for c in listed] == [
        (HOTLINE, why, issue, "pending", "12345热线")]
    assert listed[0]["operator"] and listed[0]["recorded"]

    # For people: Markdown and xlsx.
    md = launchpad(demo, "baseline", "changes", "--format", "md")
    assert "| 1 |" in md.stdout and "现场新增" in md.stdout and "12345热线" in md.stdout and why in md.stdout
    xlsx = launchpad(demo, "baseline", "changes", "--format", "xlsx", "--out", str(tmp_path / "现场变更.xlsx"))
    assert xlsx.returncode == 0, xlsx.stderr
    cells = [c for row in load_workbook(tmp_path / "现场变更.xlsx").active.iter_rows(values_only=True) for c in row]
    assert "gov_channel = hotline" in cells and why in cells and "待总部同步" in cells

    # For HQ's copy of the baseline: a patch that applies.
    path = demo / "baselines" / "baseline.yaml"
    before = path.read_text(encoding="utf-8")
    made = launchpad(demo, "baseline", "changes", "--patch", "--out", str(tmp_path / "onsite.patch"))
    assert made.returncode == 0, made.stderr
    hq = tmp_path / "hq"
    (hq / "baselines").mkdir(parents=True)
    (hq / "baselines" / "baseline.yaml").write_text(before, encoding="utf-8")
    applied = subprocess.run(["patch", "-p1", "-i", str(tmp_path / "onsite.patch")], cwd=hq, capture_output=True,
                             text=True)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    patched = (hq / "baselines" / "baseline.yaml").read_text(encoding="utf-8")
    assert load_baseline(hq / "baselines" / "baseline.yaml").dictionaries["gov_channel"].items["hotline"].label \
        == "12345热线"

    # Accepted in the workspace: only the item's lines are added, the rest as it was.
    accepted = launchpad(demo, "baseline", "change", "accept", "1")
    assert accepted.returncode == 0, accepted.stderr
    after = path.read_text(encoding="utf-8")
    assert after == patched
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-?"]
    assert changed == ["+   - value: hotline", "+     label: 12345热线", "+     order: 5", "+     default: false",
                       "+     status: '0'", "+     css_class: ''", "+     list_class: ''"]
    assert diff_ids(demo, "prod") == (1, PROD_DRIFT - {HOTLINE})
    assert json.loads(launchpad(demo, "baseline", "changes", "--format", "json").stdout) == []
    everything = json.loads(launchpad(demo, "baseline", "changes", "--all", "--format", "json").stdout)
    assert everything[0]["status"] == "accepted" and everything[0]["accepted_by"]
    with Store.open(load_workspace(demo).store_path) as store:
        actions = [r["action"] for r in store.read("SELECT action FROM audit WHERE action LIKE 'baseline_change%' "
                                                   "ORDER BY id", [])]
    assert actions == ["baseline_change_recorded", "baseline_change_accepted"]
    assert launchpad(demo, "audit", "verify").returncode == 0


def test_a_permission_removed_on_site_is_removed_from_the_baseline_once_accepted(demo: Path) -> None:
    from datetime import timedelta

    from launchpad.sitetime import site_today

    issue = add_issue(demo, "P2 甲方要求审批岗不再有审批权限")
    removed = "permission/approver/affair:case:approve"
    assert launchpad(demo, "baseline", "change", "record", "--env", "prod", "--item", removed, "--why", "甲方要求",
                     "--issue", str(issue)).returncode == 0
    today = site_today(load_workspace(demo).site.tz)
    for day, count in ((today, 1), (today + timedelta(days=1), 0)):
        since = launchpad(demo, "baseline", "changes", "--since", day.isoformat(), "--format", "json")
        assert len(json.loads(since.stdout)) == count, since.stderr
    path = demo / "baselines" / "baseline.yaml"
    before = path.read_text(encoding="utf-8")
    assert launchpad(demo, "baseline", "change", "accept", "1").returncode == 0
    changed = [line for line in difflib.ndiff(before.splitlines(), path.read_text(encoding="utf-8").splitlines())
               if line[:1] in "+-?"]
    assert changed == ["-   - affair:case:approve"]
    assert diff_ids(demo) == (1, PROD_DRIFT - {removed})


def test_bad_on_site_changes_are_refused_with_exit_2_and_nothing_written(demo: Path) -> None:
    issue = add_issue(demo)
    path = demo / "baselines" / "baseline.yaml"
    before = path.read_bytes()
    record = ("baseline", "change", "record", "--env", "prod")
    cases = [
        (launchpad(demo, *record, "--item", "dict_item/gov_channel/nope", "--why", "x", "--issue", str(issue)),
         "prod 与 baselines/baseline.yaml 的差异中没有 dict_item/gov_channel/nope"),
        (launchpad(demo, *record, "--item", HOTLINE, "--why", "x", "--issue", "99"),
         "反馈问题记录中没有问题 #99"),
        (launchpad(demo, *record, "--item", HOTLINE, "--why", "  ", "--issue", str(issue)),
         "现场变更需要写明客户给出的原因"),
        (launchpad(demo, *record[:3], "--env", "uat", "--item", HOTLINE, "--why", "x", "--issue", str(issue)),
         "uat"),
        (launchpad(demo, "baseline", "change", "accept", "7"), "没有现场变更 #7"),
        (launchpad(demo, "baseline", "changes", "--format", "xlsx"), "导出 xlsx 需要指定文件"),
    ]
    english = launchpad(demo, *record, "--item", "dict_item/gov_channel/nope", "--why", "x", "--issue", str(issue),
                        env={"LAUNCHPAD_LANG": "en"})
    cases.append((english, "usage: no difference dict_item/gov_channel/nope in the diff of prod against "))
    for done, said in cases:
        assert done.returncode == 2, done.stdout + done.stderr
        assert said in done.stderr and "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert json.loads(launchpad(demo, "baseline", "changes", "--all", "--format", "json").stdout) == []
    once = launchpad(demo, *record, "--item", HOTLINE, "--why", "x", "--issue", str(issue))
    assert once.returncode == 0, once.stderr
    twice = launchpad(demo, *record, "--item", HOTLINE, "--why", "x", "--issue", str(issue))
    assert twice.returncode == 2 and "已是现场变更 #1，正等待总部处理" in twice.stderr
    assert launchpad(demo, "baseline", "change", "accept", "1").returncode == 0
    accepted = path.read_bytes()
    # Accepted again: nothing to do, said in site time with its zone, like a fix with nothing to fix.
    again = launchpad(demo, "baseline", "change", "accept", "1")
    assert again.returncode == 0, again.stderr
    assert re.search(r"现场变更 #1 已由 \S+ 于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia/Shanghai 采纳，无需再做什么",
                     again.stdout), again.stdout
    assert path.read_bytes() == accepted != before


def test_prod_is_fixed_from_the_keyboard_on_sqlite_behind_its_name_and_a_fresh_backup(demo: Path) -> None:
    prod = demo / "data" / "prod-users.db"

    def label() -> str:
        with sqlite3.connect(prod) as db:
            return str(db.execute("SELECT dict_label FROM sys_dict_data WHERE dict_type = 'gov_review_level' "
                                  "AND dict_value = '3'").fetchone()[0])

    fix = ("baseline", "fix", "--env", "prod", "--kind", "permission", "--kind", "dict_item", "--yes")
    wrong = launchpad(demo, *fix, "--confirm", "test")
    assert wrong.returncode == 4 and "prod 是生产环境" in wrong.stderr
    no_backup = launchpad(demo, *fix, "--confirm", "prod")
    assert no_backup.returncode == 4 and "backup" in no_backup.stderr.lower()
    assert label() == "一般" and diff_ids(demo)[1] == PROD_DRIFT
    assert launchpad(demo, "backup", "--env", "prod", "all").returncode == 0
    done = launchpad(demo, *fix[:4], "--yes", "--confirm", "prod", "--item", "dict_item/gov_review_level/3",
                     "--item", "permission/approver/affair:case:approve")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已修正 2 处差异" in done.stdout and label() == "基本满意"
    assert diff_ids(demo) == (1, {HOTLINE})  # the client's option stays until HQ decides


def test_a_failing_sqlite_fix_leaves_the_database_as_it_was(demo: Path) -> None:
    from launchpad.backup.hostshell import HostShell
    from launchpad.backup.sqlclient import DbAccess, SqliteClient
    from launchpad.errors import LaunchpadError
    from launchpad.hosts.local import LocalTransport

    prod = demo / "data" / "prod-users.db"
    shell = HostShell(LocalTransport(cwd=str(demo)), lambda *args: None, local=True)
    client = SqliteClient(DbAccess("sqlite", str(prod)))
    statements: list[tuple[str, dict[str, object]]] = [
        ("UPDATE sys_dict_data SET dict_label = :label WHERE dict_value = :value", {"label": "改了", "value": "3"}),
        ("INSERT INTO no_such_table VALUES (:x)", {"x": 1}),
    ]
    with pytest.raises(LaunchpadError, match="no_such_table"):
        client.transaction(shell, statements)
    with sqlite3.connect(prod) as db:
        assert db.execute("SELECT COUNT(*) FROM sys_dict_data WHERE dict_label = '改了'").fetchone()[0] == 0


YAML = textwrap.dedent("""\
    # HQ's baseline, reviewed 2026-11
    version: HQ-1.0
    roles:
    - key: common
      name: 普通角色   # the default role
      status: '0'
      data_scope: '1'
      sort: 2
      permissions: []
    dictionaries:
    - type: sex
      name: 性别
      status: '0'
      items:
      - value: '0'
        label: 男
        order: 1
      - value: '1'
        label: 女
        order: 2

    # posts follow
    posts: []
    """)


def test_an_item_set_in_the_text_changes_only_its_lines(tmp_path: Path) -> None:
    site = {"value": "1", "label": "女性", "order": 2, "default": False, "status": "0", "css_class": "",
            "list_class": ""}
    relabeled = set_item(YAML, "b.yaml", "dict_item", ["sex", "1"], site)
    assert relabeled == YAML.replace("label: 女", "label: 女性")  # the fields left out already read right
    disabled = set_item(YAML, "b.yaml", "dict_item", ["sex", "1"], {**site, "label": "女", "status": "1"})
    assert disabled == YAML.replace("- value: '1'\n", "- value: '1'\n    status: '1'\n")
    renamed = set_item(YAML, "b.yaml", "role", ["common"], {"key": "common", "name": "普通: #角色", "sort": 2})
    assert renamed == YAML.replace("普通角色   #", "'普通: #角色'   #")
    removed = set_item(YAML, "b.yaml", "dict_item", ["sex", "1"], None)
    assert removed == YAML.replace("  - value: '1'\n    label: 女\n    order: 2\n", "")
    granted = set_item(YAML, "b.yaml", "permission", ["common", "system:user:list"], "system:user:list")
    assert granted == YAML.replace("  permissions: []\n", "  permissions:\n  - system:user:list\n")
    posted = set_item(YAML, "b.yaml", "post", ["ky"], {"code": "ky", "name": "科员", "sort": 1, "status": "0"})
    assert posted.endswith("posts:\n- code: ky\n  name: 科员\n  sort: 1\n  status: '0'\n")
    for text in (relabeled, disabled, renamed, removed, granted, posted):
        (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
        read = load_baseline(tmp_path / "b.yaml")  # every result is still a good baseline
    (tmp_path / "b.yaml").write_text(renamed, encoding="utf-8")
    assert load_baseline(tmp_path / "b.yaml").roles["common"].name == "普通: #角色"
    assert read.posts["ky"].name == "科员"
    from launchpad.errors import UsageError

    with pytest.raises(UsageError, match="no dictionary 'gov_channel'"):
        set_item(YAML, "b.yaml", "dict_item", ["gov_channel", "x"], {"value": "x", "label": "x"})


HOSTILE = "=cmd|' /C calc'!A0 <script>alert(1)</script>\n### 伪造的章节"


def test_the_daily_report_lists_todays_on_site_changes_as_text_in_every_format(demo: Path, tmp_path: Path) -> None:
    from launchpad.report.daily import collect_daily
    from launchpad.report.render import render_daily
    from launchpad.report.xlsx import write_daily_xlsx
    from launchpad.sitetime import site_today

    issue = add_issue(demo, "P3 客户要求加热线")
    assert launchpad(demo, "baseline", "change", "record", "--env", "prod", "--item", HOTLINE, "--why", HOSTILE,
                     "--issue", str(issue)).returncode == 0
    workspace = load_workspace(demo)
    with Store.open(workspace.store_path) as store:
        report = collect_daily(store, workspace.site, site_today(workspace.site.tz), [], demo, with_all_issues=True)
        yesterday = collect_daily(store, workspace.site, site_today(workspace.site.tz).fromordinal(
            site_today(workspace.site.tz).toordinal() - 1), [], demo)
    assert [c.item for c in report.onsite_changes] == ["gov_channel = hotline"] and yesterday.onsite_changes == []
    text = render_daily(report, "txt", "zh")
    assert "今日现场变更（需同步回总部基线）（1）" in text and f"反馈问题 #{issue} 客户要求加热线" in text
    md = render_daily(report, "md", "zh")
    assert "\n### 伪造的章节" not in md and "<script>" not in md and "现场新增" in md
    html = render_daily(report, "html", "zh")
    assert "<script>" not in html and "&lt;script&gt;" in html
    write_daily_xlsx(report, "zh", tmp_path / "日报.xlsx")
    rows = list(load_workbook(tmp_path / "日报.xlsx").worksheets[0].iter_rows(values_only=True))
    shown = [row[1] for row in rows if row[0] and str(row[0]).startswith("今日现场变更")]
    assert len(shown) == 1 and "gov_channel = hotline" in shown[0] and "\n" not in shown[0].split("｜")[1][:40]


def test_a_playbook_step_exports_the_changes_waiting_for_hq(demo: Path) -> None:
    issue = add_issue(demo)
    assert launchpad(demo, "baseline", "change", "record", "--env", "prod", "--item", HOTLINE, "--why", "甲方要求",
                     "--issue", str(issue)).returncode == 0
    (demo / "playbooks" / "handback.yaml").write_text(
        "name: handback\ntitle: 现场变更交回总部\nphases:\n  - id: p\n    name: 交回\n    steps:\n"
        "      - {id: p.export, name: 导出现场变更, kind: baseline, action: changes,\n"
        "         report: 'reports/现场变更-{{ env.name }}.xlsx'}\n", encoding="utf-8")
    ran = launchpad(demo, "run", "handback", "--env", "test", "--yes")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "待总部同步的现场变更 1 项，已写入 reports/现场变更-test.xlsx" in ran.stdout
    cells = [c for row in load_workbook(demo / "reports" / "现场变更-test.xlsx").active.iter_rows(values_only=True)
             for c in row]
    assert "gov_channel = hotline" in cells and "甲方要求" in cells

    # An export without a report file is a playbook mistake, found before anything runs.
    (demo / "playbooks" / "handback.yaml").write_text(
        "name: handback\ntitle: 现场变更交回总部\nphases:\n  - id: p\n    name: 交回\n    steps:\n"
        "      - {id: p.export, name: 导出现场变更, kind: baseline, action: changes}\n", encoding="utf-8")
    checked = launchpad(demo, "check")
    assert checked.returncode == 2 and "needs report:" in checked.stdout + checked.stderr


def test_a_baseline_that_holds_no_section_deletes_nothing_on_fix_all(demo: Path) -> None:
    """A baseline file cut down to its version (a bad merge, a half-copied file) once made
    `fix --all` delete every role, the super administrator's too, and every post: now a section
    it leaves out is not compared, and the summary says which."""
    test_db = demo / "data" / "test-users.db"

    def live_roles() -> list[str]:
        with sqlite3.connect(test_db) as db:
            return [r[0] for r in db.execute("SELECT role_key FROM sys_role WHERE del_flag = '0' ORDER BY role_id")]

    before = live_roles()
    assert "admin" in before
    (demo / "baselines" / "baseline.yaml").write_text("version: HQ-1.1\n", encoding="utf-8")
    assert launchpad(demo, "backup", "--env", "test", "all").returncode == 0
    diff = launchpad(demo, "baseline", "diff", "--env", "test")
    assert diff.returncode == 0, diff.stdout + diff.stderr
    assert "未比较（基线中没有这些部分）：角色与权限、字典、岗位" in diff.stdout
    fixed = launchpad(demo, "baseline", "fix", "--env", "test", "--all", "--yes")
    assert fixed.returncode == 0 and "test 没有所选的差异（共 0 处差异）" in fixed.stdout
    assert live_roles() == before


def test_a_diff_step_that_only_reports_says_so_with_the_counts(demo: Path) -> None:
    """The bundled playbook's review steps list drift without failing on it (`kinds: []`):
    prod's three changes read as reported, with their severities, not as "none of the kinds
    checked (-)", which read as if nothing had been compared."""
    launchpad(demo, "run", "roles-and-dictionaries", "--env", "prod", "--yes")  # stops at the sign-off
    with Store.open(load_workspace(demo).store_path) as store:
        states = store.latest_step_states(1)
    here = states["review.here"]
    assert here["status"] == "passed"
    assert here["summary"] == "prod: 3 difference(s) (1 high, 1 medium, 1 low), reported only: this step does not " \
                              "fail on them"
    shown = launchpad(demo, "runs", "show", "1")
    assert "prod：共 3 处差异（高 1、中 1、低 1），仅报告，本步骤不因差异失败" in shown.stdout
    assert "不属于检查的类别" not in shown.stdout
