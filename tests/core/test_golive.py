"""The go-live checklist: items proved and un-proved by real runs of the bundled readiness
playbook, backups growing stale, sign-offs with and without a signer, dependencies, late items
on a fixed clock, and bad checklist files located by file:line:col."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from launchpad.backup.records import insert_backup
from launchpad.cli import main
from launchpad.demo import build_demo
from launchpad.golive.checklist import CHECKLIST_FILE, load_checklist
from launchpad.golive.progress import evaluate, summary_text
from launchpad.run.playbook import BUNDLED_DIR
from launchpad.sitetime import site_today, to_stamp
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.scaffold import init_workspace
from tests.loopback import serving
from tests.workspaces import LOCAL_SITE, write_workspace


class LoginPage:
    """A loopback login page showing the duty contact, until it is told to fail."""

    def __init__(self) -> None:
        self.healthy = True
        page = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = "<html>值班联系人：张三 13800000001</html>".encode() if page.healthy else b"down"
                self.send_response(200 if page.healthy else 500)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.handler = Handler
        self.port = 0


@pytest.fixture
def login_page() -> Iterator[LoginPage]:
    page = LoginPage()
    with serving(page.handler) as server:
        page.port = server.server_address[1]
        yield page


def _readiness_without_services() -> str:
    """The bundled readiness playbook as a site adapts it: this machine runs no systemd, so the
    workspace copy drops the services step (its other checks are the bundled ones)."""
    text = (BUNDLED_DIR / "environment-readiness.yaml").read_text(encoding="utf-8")
    start, end = text.index("      - id: services.active"), text.index("  - id: web")
    return text[:start] + text[end:]


def _checklist(body: str, *, golive: date, version: str = "V1.0") -> str:
    return f"date: {golive.isoformat()}\nversion: {version}\nitems:\n" + textwrap.indent(textwrap.dedent(body), "  ")


@pytest.fixture
def workspace(tmp_path: Path, login_page: LoginPage) -> Path:
    login = f"    urls: {{login: \"http://127.0.0.1:{login_page.port}/login\"}}\n"
    site = LOCAL_SITE.replace("  prod:\n", login + "  prod:\n", 1)
    root = write_workspace(tmp_path / "ws", site)
    (root / "playbooks" / "environment-readiness.yaml").write_text(_readiness_without_services(), encoding="utf-8")
    today = site_today(load_workspace(root).site.tz)
    (root / CHECKLIST_FILE).write_text(_checklist("""\
        - id: test-env
          title: 测试环境就绪
          owner: zhang
          due: 2020-01-01
          critical: true
          proof: {playbook: environment-readiness, env: test}
        - id: user-data
          title: 用户数据已导入
          owner: li
          due: 2099-01-01
          critical: true
          depends_on: [test-env]
          proof: {sign_off: true}
        - id: group
          title: 试运行反馈群
          owner: li
          due: 2099-01-01
          status: blocked
          reason: 等甲方名单
        """, golive=today + timedelta(days=7)), encoding="utf-8")
    return root


@dataclass
class Result:
    exit_code: int
    output: str


def launch(root: Path, *args: str) -> Result:
    """The command as a person runs it: through `main`, whose error handling gives exit codes."""
    with CliRunner().isolation() as streams:
        try:
            main(["--workspace", str(root), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        output = streams[2].getvalue().decode()
    return Result(code, output)


def items(root: Path) -> tuple[int, dict[str, Any]]:
    result = launch(root, "golive", "--json")
    assert "Traceback" not in result.output
    shown = json.loads(result.output)
    return result.exit_code, {item["id"]: item for item in shown["items"]} | {"_": shown}


def run_readiness(root: Path, *extra: str) -> Result:
    result = launch(root, "run", "environment-readiness", "--env", "test", "--yes", *extra)
    assert "Traceback" not in result.output
    return result


def test_a_readiness_run_proves_its_item_and_a_later_failure_reopens_it(workspace: Path,
                                                                       login_page: LoginPage) -> None:
    code, shown = items(workspace)
    assert code == 1 and shown["_"]["go"] is False
    assert shown["test-env"]["state"] == "open" and shown["test-env"]["late"] is True
    assert shown["test-env"]["proof"]["said"] == "“环境就绪检查”尚未在 test 运行"

    # Ports not given: the run ends with steps not checked, which is no proof.
    assert run_readiness(workspace).exit_code == 1
    _, shown = items(workspace)
    assert shown["test-env"]["state"] == "open"
    assert shown["test-env"]["proof"]["evidence"]["status"] == "partial"

    assert run_readiness(workspace, "--var", f"ports={login_page.port}").exit_code == 0
    _, shown = items(workspace)
    assert shown["test-env"]["state"] == "done" and shown["test-env"]["late"] is False
    assert shown["test-env"]["proof"]["evidence"] == {
        "run": 2, "status": "passed", "finished": shown["test-env"]["proof"]["evidence"]["finished"]}
    assert shown["user-data"]["waiting_on"] == []

    login_page.healthy = False
    assert run_readiness(workspace, "--var", f"ports={login_page.port}").exit_code == 1
    code, shown = items(workspace)
    assert shown["test-env"]["state"] == "open"
    assert shown["test-env"]["proof"]["evidence"]["run"] == 3
    assert "#3" in shown["test-env"]["proof"]["said"]
    assert shown["user-data"]["waiting_on"] == ["test-env"]
    assert code == 1 and "test-env" in shown["_"]["stoppers"]
    items(workspace)  # seen again, unchanged: nothing more to record

    # Each change of state was audited when it was seen: blocked at first, done, reopened.
    with Store.open(load_workspace(workspace).store_path) as store:
        changes = [(row["target"], json.loads(row["detail"])["state"]) for row in
                   store.read("SELECT target, detail FROM audit WHERE action = 'golive_state' ORDER BY id", [])]
    assert changes == [("group", "blocked"), ("test-env", "done"), ("test-env", "open")]


def test_sign_offs_need_a_signer_and_go_to_the_audit_log(workspace: Path, login_page: LoginPage) -> None:
    refused = launch(workspace, "golive", "sign", "user-data", "--by", "  ", "--note", "已核对")
    assert refused.exit_code == 2 and "签字确认需要写明签字人姓名" in refused.output  # the site speaks Chinese
    no_note = launch(workspace, "golive", "sign", "user-data", "--by", "王强")
    assert no_note.exit_code == 2 and "user-data 是关键项：签字确认需要备注写明检查了什么" in no_note.output
    by_run = launch(workspace, "golive", "sign", "test-env", "--by", "王强", "--note", "看过了")
    assert by_run.exit_code == 2 and "检查项“test-env”不是用签字来证明的：由一次运行或备份证明" in by_run.output
    unknown = launch(workspace, "golive", "sign", "nothing", "--by", "王强")
    assert unknown.exit_code == 2 and "user-data" in unknown.output
    _, shown = items(workspace)
    assert shown["user-data"]["state"] == "open"

    signed = launch(workspace, "golive", "sign", "user-data", "--by", "王强", "--note", "=1+1 <b>核对 2000 人</b>")
    assert signed.exit_code == 0, signed.output
    _, shown = items(workspace)
    assert shown["user-data"]["state"] == "done"
    assert shown["user-data"]["proof"]["said"] == "王强 已签字确认：=1+1 <b>核对 2000 人</b>"
    with Store.open(load_workspace(workspace).store_path) as store:
        entries = store.read("SELECT actor, target, detail FROM audit WHERE action = 'golive_signed'", [])
    assert [(e["target"], json.loads(e["detail"])["by"]) for e in entries] == [("user-data", "王强")]

    # A sign-off counts for the version it was given for.
    checklist = workspace / CHECKLIST_FILE
    checklist.write_text(checklist.read_text(encoding="utf-8").replace("version: V1.0", "version: V1.1"),
                         encoding="utf-8")
    _, shown = items(workspace)
    assert shown["user-data"]["state"] == "open"


def test_the_status_table_and_summary_speak_chinese_by_default(workspace: Path) -> None:
    result = launch(workspace, "golive")
    assert result.exit_code == 1
    assert "暂不具备上线条件" in result.output and "影响上线的关键事项" in result.output
    assert "测试环境就绪（负责人 张三，截止 2020-01-01，未完成，已逾期）" in result.output
    assert "受阻" in result.output and "等甲方名单" in result.output
    english = launch(workspace, "golive", "--lang", "en")
    assert "NO-GO" in english.output and "Stopping go-live:" in english.output


def test_peoples_words_cannot_forge_lines_of_the_pasted_summary(workspace: Path) -> None:
    checklist = workspace / CHECKLIST_FILE
    checklist.write_text(checklist.read_text(encoding="utf-8").replace(
        "title: 测试环境就绪", 'title: "测试环境\\n- 全部完成：具备上线条件\\x1b[2J"'), encoding="utf-8")
    code, shown = items(workspace)
    summary = shown["_"]["summary"]
    assert "\n- 全部完成" not in summary and "\x1b" not in summary
    assert "- 测试环境 - 全部完成：具备上线条件[2J（负责人 张三" in summary
    table = launch(workspace, "golive")
    assert "\x1b[2J" not in table.output and "\n- 全部完成" not in table.output


def _backup_row(env: str, target: str, finished: datetime, file: str) -> dict[str, Any]:
    return {"uid": file, "environment": env, "target": target, "driver": "sqlite", "host": "app1",
            "file": file, "compression": "none", "started": to_stamp(finished - timedelta(minutes=1)),
            "finished": to_stamp(finished), "size": 4, "sha256": "0" * 64, "tool_versions": {},
            "purpose": "manual", "actor": "tester", "verified_at": to_stamp(finished), "verify_status": "ok"}


def test_a_verified_backup_proves_its_item_until_it_grows_stale(tmp_path: Path) -> None:
    root = build_demo(tmp_path / "demo")
    workspace = load_workspace(root)
    names = {p.stem for p in (root / "playbooks").glob("*.yaml")}
    checklist = load_checklist(root, workspace.site, names)
    taken = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    (workspace.backups_dir / "prod-users-1.db").write_bytes(b"data")
    with Store.open(workspace.store_path) as store:
        insert_backup(store, _backup_row("prod", "users", taken, "prod-users-1.db"))
        fresh = evaluate(checklist, workspace.site, store, workspace.backups_dir,
                         today=date(2026, 12, 1), now=taken + timedelta(hours=3))
        stale = evaluate(checklist, workspace.site, store, workspace.backups_dir,
                         today=date(2026, 12, 2), now=taken + timedelta(days=1, minutes=1))
    state = {p.item.id: p for p in fresh.items}
    assert state["backups"].state == "done"
    assert state["backups"].finding is not None and state["backups"].finding.evidence == {"backups": {"users": 1}}
    later = {p.item.id: p for p in stale.items}
    assert later["backups"].state == "open"
    assert "没有 1 天内的已校验备份：users" in summary_text(stale, workspace.site, "zh")


def test_the_demo_checklist_mixes_done_late_blocked_and_open_and_two_runs_prove_items(tmp_path: Path) -> None:
    root = build_demo(tmp_path / "demo")
    workspace = load_workspace(root)
    checklist = load_checklist(root, workspace.site, {p.stem for p in (root / "playbooks").glob("*.yaml")})
    today = site_today(workspace.site.tz)
    with Store.open(workspace.store_path) as store:
        progress = evaluate(checklist, workspace.site, store, workspace.backups_dir,
                            today=today, now=datetime.now(UTC))
    states = {p.item.id: (p.state, p.late) for p in progress.items}
    assert states["databases"] == ("done", False)
    assert states["user-data"] == ("open", True)
    assert states["feedback-group"] == ("blocked", False)
    assert states["test-env"] == ("open", False)
    assert states["sms"] == ("not_applicable", False)
    assert progress.days_to_golive == 7 and not progress.go

    # The README's tour: two runs of the bundled pre-release-backup prove two items.
    assert launch(root, "run", "pre-release-backup", "--env", "test", "--yes").exit_code == 0
    assert launch(root, "run", "pre-release-backup", "--env", "prod", "--confirm", "prod", "--yes").exit_code == 0
    _, shown = items(root)
    assert shown["backup-rehearsal"]["state"] == "done"
    assert shown["backups"]["state"] == "done"
    assert shown["_"]["counts"]["done"] == 4
    # A rebuilt demo keeps the list someone edited.
    (root / CHECKLIST_FILE).write_text("edited", encoding="utf-8")
    build_demo(root)
    assert (root / CHECKLIST_FILE).read_text(encoding="utf-8") == "edited"


def test_the_pasted_summary_says_which_items_are_late_and_leaves_out_an_empty_why(tmp_path: Path) -> None:
    root = build_demo(tmp_path / "demo")
    workspace = load_workspace(root)
    checklist = load_checklist(root, workspace.site, {p.stem for p in (root / "playbooks").glob("*.yaml")})
    with Store.open(workspace.store_path) as store:
        progress = evaluate(checklist, workspace.site, store, workspace.backups_dir,
                            today=site_today(workspace.site.tz), now=datetime.now(UTC))
    summary = summary_text(progress, workspace.site, "zh").splitlines()
    # user-data stops go-live and is late; login-contact is late with nothing more to say.
    assert any(line.startswith("- 用户数据") and "未完成，已逾期" in line for line in summary)
    late = next(line for line in summary if line.startswith("- 登录页显示现场联系人"))
    assert late.endswith("未完成，已逾期）")
    assert not any(line.endswith("：—") for line in summary)
    english = summary_text(progress, workspace.site, "en")
    assert "open, late)" in english and not english.rstrip().endswith(": —")


def test_init_writes_the_bundled_checklist_and_it_loads(tmp_path: Path) -> None:
    root = tmp_path / "site"
    created = init_workspace(root)
    assert root / CHECKLIST_FILE in created
    result = launch(root, "golive", "--json")
    assert result.exit_code == 1, result.output
    ids = [item["id"] for item in json.loads(result.output)["items"]]
    assert ids == ["test-env", "prod-env", "user-data", "roles", "databases", "onsite-test",
                   "login-contact", "feedback-group", "backups"]
    schema = launch(root, "schema", "golive")
    assert schema.exit_code == 0 and "depends_on" in json.loads(schema.output)["$defs"]["Item"]["properties"]


@pytest.mark.parametrize(("body", "where", "message"), [
    ("- {id: a, title: A, owner: nobody, due: 2026-01-01}\n", "golive.yaml:4:",
     "负责人“nobody”不是 site.yaml 中的联系人"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, depends_on: [b]}\n", "golive.yaml:4:",
     "依赖的“b”不是本清单中的条目"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, depends_on: [b]}\n"
     "- {id: b, title: B, owner: zhang, due: 2026-01-01, depends_on: [a]}\n",
     "golive.yaml:5:", "依赖成环：a → b → a"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, status: blocked}\n", "golive.yaml:4:", "blocked 需要原因"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, status: done, proof: {sign_off: true}}\n",
     "golive.yaml:4:", "此项在其证明成立时才算完成"),
    ("- {id: a, title: A, owner: zhang, due: 2026-13-01}\n", "golive.yaml:4:42:", "“2026-13-01”不是真实存在的日期"),
    ("- {id: a, title: A, owner: zhang, due: 2026-02-30}\n", "golive.yaml:4:42:", "“2026-02-30”不是真实存在的日期"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, proof: {playbook: nope, env: test}}\n",
     "golive.yaml:4:", "没有名为“nope”的操作手册"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, proof: {playbook: environment-readiness, env: uat}}\n",
     "golive.yaml:4:", "环境“uat”不在 site.yaml 中（已有：test、prod）"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, proof: {backup: prd, max_age: 1d}}\n",
     "golive.yaml:4:", "环境“prd”不在 site.yaml 中（已有：test、prod）"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, colour: red}\n", "golive.yaml:4:", "未知的键“colour”"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01}\n- {id: a, title: B, owner: zhang, due: 2026-01-01}\n",
     "golive.yaml:5:", "条目编号“a”用了两次"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, proof: {playbook: environment-readiness}}\n",
     "golive.yaml:4:", "缺少必填的键“env”"),
    ("- {id: a, title: A, owner: zhang, due: 2026-01-01, proof: {run: environment-readiness}}\n",
     "golive.yaml:4:", "proof：证明须为 {playbook: 名称, env: 环境}"),
    ("- {id: a, title: [unclosed\n", "golive.yaml:", "YAML 语法错误"),
])
def test_bad_checklists_are_located_and_exit_2(tmp_path: Path, body: str, where: str, message: str) -> None:
    root = write_workspace(tmp_path / "ws")
    (root / "playbooks" / "environment-readiness.yaml").write_text(
        (BUNDLED_DIR / "environment-readiness.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / CHECKLIST_FILE).write_text(_checklist(body, golive=date(2026, 2, 1)), encoding="utf-8")
    result = launch(root, "golive")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert where in result.output and message in result.output


def test_check_locates_the_checklists_mistakes_too(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    (root / CHECKLIST_FILE).write_text(_checklist("- {id: a, title: A, owner: nobody, due: 2026-01-01}\n",
                                                  golive=date(2026, 2, 1)), encoding="utf-8")
    result = launch(root, "check")
    assert result.exit_code == 2 and "golive.yaml:4:" in result.output and "“nobody”" in result.output
    (root / CHECKLIST_FILE).write_text(_checklist("- {id: a, title: A, owner: li, due: 2026-01-01}\n",
                                                  golive=date(2026, 2, 1)), encoding="utf-8")
    # (the bundled playbooks still miss this site's login URL; the checklist is now clean)
    assert "golive.yaml" not in launch(root, "check").output


def test_a_workspace_without_a_checklist_is_told_how_to_get_one(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    result = launch(root, "golive")
    assert result.exit_code == 2 and "中没有 golive.yaml" in result.output and "launchpad init" in result.output
