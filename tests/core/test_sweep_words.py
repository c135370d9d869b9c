"""The last refusals that spoke only English read in the site's language: the names of the
secrets launchpad asks for, the user import's files, rules and targets, the demo, `init`, the
engine's resume, the config diff, the go-live checklist, the pasted chat, the notices, the
robots and the template check. Each read in Chinese (what a `language: zh` site prints) and in
English (`--lang en`); the English text stays what the audit log keeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from launchpad.errors import InvalidInput, LaunchpadError, SecretUnavailable, UsageError
from launchpad.phrases import phrase
from tests.core.test_cli_help import launchpad_process
from tests.workspaces import write_workspace


def _both(error: LaunchpadError) -> tuple[str, str]:
    return error.render("zh"), error.render("en")


# -- the name of a secret ----------------------------------------------------------------------------


def test_a_robots_webhook_and_a_mail_password_are_named_in_the_readers_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.notify.deliver import Robot
    from launchpad.notify.mail import Mailer
    from launchpad.workspace.site import Channel, MailChannel

    monkeypatch.delenv("LP_NO_SUCH_SECRET", raising=False)
    robot = Robot("值班群", Channel(kind="wecom", webhook="env:LP_NO_SUCH_SECRET"))
    with pytest.raises(SecretUnavailable) as refused:
        robot.prepare()
    chinese, english = _both(refused.value)
    assert "渠道 值班群 的 webhook 地址" in chinese and "LP_NO_SUCH_SECRET" in chinese, chinese
    assert "(needed for channel 值班群 webhook)" in english, english
    channel = MailChannel.model_validate({"kind": "email", "host": "smtp.example.gov.cn", "user": "notice",
                                          "password": "env:LP_NO_SUCH_SECRET", "from": "notice@example.gov.cn",
                                          "to": ["ops@example.gov.cn"]})
    with pytest.raises(SecretUnavailable) as refused:
        Mailer("邮件", channel, site=None).prepare()  # type: ignore[arg-type]
    chinese, english = _both(refused.value)
    assert "渠道 邮件 的密码" in chinese, chinese
    assert "(needed for channel 邮件 password)" in english, english


def test_a_secret_the_command_line_cannot_ask_for_is_named_in_its_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.cli.door import speak
    from launchpad.cli.users import _ask_secret
    from launchpad.workspace.secrets import resolve_secret

    label = phrase("secret.database_password", name="ry", env="prod")
    with pytest.raises(SecretUnavailable) as refused:  # pytest's stdin is no terminal
        resolve_secret("prompt", ask=_ask_secret, label=label)
    chinese, english = _both(refused.value)
    assert chinese.startswith("取不到密码：") and "prod 的数据库 ry 的密码" in chinese, chinese
    assert "the password of database ry (prod)" in english
    asked: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    def prompt(text: str, **_: object) -> str:
        asked.append(text)
        return "s3cr3t"

    monkeypatch.setattr("click.prompt", prompt)
    try:
        for spoken in ("zh", "en"):
            speak(spoken)
            assert resolve_secret("prompt", ask=_ask_secret, label=label) == "s3cr3t"
    finally:
        speak("en")
    assert asked == ["  prod 的数据库 ry 的密码", "  the password of database ry (prod)"]


# -- the user import ----------------------------------------------------------------------------------


def test_a_password_rule_that_cannot_work_is_refused_in_both_languages() -> None:
    from launchpad.users.passwords import ForUser, PasswordPolicy, choose

    policy = PasswordPolicy(rule="Ry{phone[-6:]}")
    with pytest.raises(UsageError) as refused:
        choose([ForUser("zhangsan", "zhangsan", {"phone": ""})], policy)
    chinese, english = _both(refused.value)
    assert "密码规则用到了 phone，但用户 zhangsan 没有；什么都没有写入" in chinese, chinese
    assert "\n  → 请在表格中填上，或改用随机密码" in chinese
    assert "the password rule uses phone, which user zhangsan lacks; nothing was written" in english
    twins = [ForUser("zhangsan", "zhangsan", {"phone": "13800001234"}),
             ForUser("lisi", "lisi", {"phone": "13900001234"})]
    with pytest.raises(UsageError) as refused:
        choose(twins, policy)
    chinese, english = _both(refused.value)
    assert "密码规则给 zhangsan 和 lisi 生成了相同的密码" in chinese, chinese
    assert "the password rule gives zhangsan and lisi the same password" in english


def test_a_target_database_that_does_not_fit_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.users.target import choose_database
    from launchpad.workspace.folder import load_workspace

    site = ("site: {name: 库, client: 客户}\nenvironments:\n  test:\n    transport: local\n"
            "    hosts: [{name: app1, address: 127.0.0.1}]\n"
            "    databases: {app: {engine: sqlite, name: a.db}, log: {engine: sqlite, name: b.db}}\n")
    environment = load_workspace(write_workspace(tmp_path / "ws", site=site)).site.environments["test"]
    with pytest.raises(UsageError) as many:
        choose_database(environment, "test", None)
    chinese, english = _both(many.value)
    assert "环境 test 有 2 个数据库（app、log）\n  → 请在映射文件中用 `database:` 指定其中一个" in chinese, chinese
    assert "environment test has 2 databases (app, log)" in english
    with pytest.raises(UsageError) as none:
        choose_database(environment, "test", "crm")
    chinese, english = _both(none.value)
    assert "环境 test 没有数据库“crm”（app、log）" in chinese, chinese
    assert "environment test has no database 'crm' (app, log)" in english


@pytest.mark.parametrize(("data", "chinese", "english"), [
    (b"\xef\xbb\xbfa,b\n\xff\xfe", "：开头像 utf-8-sig 编码，但第 4 个字节不是\n  → 请重新另存为 CSV UTF-8",
     ": starts like utf-8-sig but byte 4 is not"),
    (b"PK\x00\x00binary", " 含有二进制数据，不是 CSV 文本\n  → 如果它是 Excel 文件，请给它 .xlsx 或 .xls 扩展名",
     " holds binary data, not CSV text\n  → if it is an Excel file, give it its .xlsx or .xls name"),
])
def test_a_csv_that_is_not_text_is_refused_in_both_languages(
        tmp_path: Path, data: bytes, chinese: str, english: str) -> None:
    from launchpad.users.sources import UnreadableSheet, read_workbook

    path = tmp_path / "名单.csv"
    path.write_bytes(data)
    with pytest.raises(UnreadableSheet) as refused:
        read_workbook(path)
    said_zh, said_en = _both(refused.value)
    assert str(path) + chinese in said_zh, said_zh
    assert str(path) + english in said_en, said_en


def test_a_sheet_the_mapping_cannot_lay_out_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.users.checks import SheetDoesNotFit, lay_out
    from launchpad.users.mapping import load_mapping
    from launchpad.users.sources import read_workbook
    from tests.core.users_sheets import MAPPING, write_mapping, write_xlsx

    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [["账号", "名子", "单位"], ["a", "b", "c"]]}))
    with pytest.raises(SheetDoesNotFit) as unfit:
        lay_out(book, load_mapping(write_mapping(tmp_path)))
    chinese, english = _both(unfit.value)
    assert "工作表“名单”：必填字段 nick_name (姓名/用户姓名/名字) 没有对应的列" in chinese, chinese
    assert "；未匹配任何字段的表头：B '名子'" in chinese
    assert "→ 请把工作表的表头加到映射中该字段的 headers:" in chinese
    assert "sheet '名单': no column for the required field(s) nick_name (姓名/用户姓名/名字)" in english
    named = load_mapping(write_mapping(tmp_path, MAPPING.replace("key: user_name", "key: user_name\nsheets: [丙]")))
    with pytest.raises(SheetDoesNotFit) as missing:
        lay_out(book, named)
    chinese, english = _both(missing.value)
    assert "u.xlsx：没有名为“丙”的工作表（现有工作表：名单）\n  → 请改正映射中的 `sheets:`" in chinese, chinese
    assert "u.xlsx: no sheet named '丙' (sheets: 名单)" in english


def test_rules_files_that_are_not_there_are_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.users.role_rules import find_rules

    with pytest.raises(UsageError) as named:
        find_rules(tmp_path, "no.yaml")
    chinese, english = _both(named.value)
    assert f"没有规则文件 no.yaml\n  → 相对路径从当前目录 {Path.cwd()} 或工作区 {tmp_path} 算起；" \
        "不给 --rules 时读取 roles/rules.yaml" in chinese, chinese
    assert f"no rules file no.yaml\n  → a relative path is read from the current folder, {Path.cwd()}, " \
        f"or the workspace, {tmp_path}; without --rules, roles/rules.yaml is read" in english, english
    with pytest.raises(UsageError) as default:
        find_rules(tmp_path, None)
    chinese, english = _both(default.value)
    assert "工作区中没有 roles/rules.yaml\n  → 请把规则写在那里，或用 --rules 文件 指定" in chinese, chinese
    assert "no roles/rules.yaml in the workspace" in english


def test_a_target_profile_that_names_another_target_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.users.profile import bundled_profile, load_profile

    folder = tmp_path / "imports" / "targets"
    folder.mkdir(parents=True)
    from launchpad.users.profile import BUNDLED

    text = (BUNDLED / "ruoyi.yaml").read_text(encoding="utf-8")
    assert bundled_profile("ruoyi").name == "ruoyi"
    (folder / "oa.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as refused:
        load_profile("oa", folder)
    chinese, english = _both(refused.value)
    assert "描述的是目标系统“ruoyi”，不是“oa”\n  → 文件名与其中的 name: 必须一致" in chinese, chinese
    assert "describes target 'ruoyi', not 'oa'" in english


# -- the demo, init and a run's resume ---------------------------------------------------------------


def test_a_folder_that_is_no_demo_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.demo.builder import build_demo
    from launchpad.demo.launcher import read_demo_config

    other = tmp_path / "报表"
    other.mkdir()
    (other / "a.txt").write_text("x")
    with pytest.raises(UsageError) as building:
        build_demo(other)
    chinese, english = _both(building.value)
    assert f"{other} 不是空文件夹，也不是 launchpad 演示；演示会覆盖其中的文件" in chinese, chinese
    assert f"{other} is not empty and is not a launchpad demo" in english
    with pytest.raises(UsageError) as reading:
        read_demo_config(other)
    chinese, english = _both(reading.value)
    assert f"{other} 不是 launchpad 演示（没有可读的" in chinese, chinese
    assert "→ 请用 `launchpad demo --dir 目录` 生成一个" in chinese
    assert f"{other} is not a launchpad demo (no readable" in english
    from launchpad.demo.launcher import CONFIG_FILE

    (other / CONFIG_FILE).parent.mkdir()
    (other / CONFIG_FILE).write_text(json.dumps({"kind": "something else"}), encoding="utf-8")
    with pytest.raises(UsageError) as wrong:
        read_demo_config(other)
    chinese, english = _both(wrong.value)
    assert "不是 launchpad 演示的配置\n  → 请用 `launchpad demo --dir 目录` 重新生成演示" in chinese, chinese
    assert "is not a launchpad demo config" in english


def test_a_demo_port_in_use_is_refused_in_both_languages(tmp_path: Path) -> None:
    import socket

    from launchpad.demo.launcher import CONFIG_FILE, DEMO_KIND, start_demo_webapp

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))  # bound, not listening: the port is taken and nothing answers
        port = holder.getsockname()[1]
        (tmp_path / CONFIG_FILE).parent.mkdir()
        (tmp_path / CONFIG_FILE).write_text(json.dumps({"kind": DEMO_KIND, "instance": "x",
                                                        "environments": {"test": {"port": port}}}))
        with pytest.raises(LaunchpadError) as refused:
            start_demo_webapp(tmp_path)
    chinese, english = _both(refused.value)
    assert chinese.startswith(f"演示 Web 应用：端口 {port}（演示的 test 环境）被其他程序占用"), chinese
    assert f"→ 请停止监听 127.0.0.1:{port} 的程序，或再次运行 `launchpad demo --dir {tmp_path}`" in chinese
    assert english.startswith(f"demo web app: port {port} (the demo's test environment) is in use"), english


def _demo_started_as(root: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A demo whose one port is free, and whose web app is started as `script` (a shell script
    standing in for the interpreter the launcher runs it with)."""
    import socket

    from launchpad.demo import launcher

    with socket.socket() as probe:  # a port free now, for a web app that never listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (root / launcher.CONFIG_FILE).parent.mkdir()
    (root / launcher.CONFIG_FILE).write_text(json.dumps({"kind": launcher.DEMO_KIND, "instance": "x",
                                                         "environments": {"test": {"port": port}}}))
    stand_in = root / "stand-in.sh"
    stand_in.write_text(f"#!/bin/sh\n{script}\n")
    stand_in.chmod(0o755)
    monkeypatch.setattr(launcher.sys, "executable", str(stand_in))


def test_a_demo_web_app_that_dies_at_start_is_said_with_its_log_in_both_languages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.demo import launcher

    _demo_started_as(tmp_path, "echo 'Traceback: no module named 示例' >&2; exit 3", monkeypatch)
    with pytest.raises(LaunchpadError) as died:
        launcher.start_demo_webapp(tmp_path)
    chinese, english = _both(died.value)
    # the subject once: the title says it, the message goes on from it
    assert chinese.startswith("演示 Web 应用：启动时就退出了（退出码 3）：Traceback: no module named 示例"), chinese
    assert f"→ 请查看 {tmp_path / launcher.LOG_FILE}" in chinese
    assert english.startswith("demo web app: exited at start (code 3): Traceback: no module named 示例"), english
    assert not (tmp_path / launcher.PID_FILE).exists()


def test_a_demo_web_app_that_never_answers_is_said_in_both_languages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.demo import launcher

    _demo_started_as(tmp_path, "exec sleep 60", monkeypatch)
    monkeypatch.setattr(launcher, "READY_TIMEOUT", 0.3)
    before = set(launcher._children)
    try:
        with pytest.raises(LaunchpadError) as silence:
            launcher.start_demo_webapp(tmp_path)
    finally:
        for pid in set(launcher._children) - before:  # not a demo web app: the launcher leaves it be
            stand_in = launcher._children.pop(pid)
            stand_in.kill()
            stand_in.wait()
    chinese, english = _both(silence.value)
    assert chinese.startswith("演示 Web 应用：0.3 秒内没有应答"), chinese
    assert f"→ 请查看 {tmp_path / launcher.LOG_FILE}" in chinese
    assert english.startswith("demo web app: did not answer within 0.3 s"), english


def test_a_build_without_the_terminal_app_says_so_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from launchpad.cli.tui import open_tui

    monkeypatch.setitem(sys.modules, "screens.app", None)  # as a build without screens/ has it
    with pytest.raises(UsageError) as refused:
        open_tui(None)
    chinese, english = _both(refused.value)
    assert "此版本不含终端界面\n  → 请使用命令：launchpad --help" in chinese, chinese
    assert "the terminal app is not available in this version" in english


def test_init_on_a_workspace_refuses_in_the_sites_language(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    said_zh = launchpad_process(tmp_path, "init", str(root))
    said_en = launchpad_process(tmp_path, "--lang", "en", "init", str(root))
    assert said_zh.returncode == said_en.returncode == 2
    assert f"{root / 'site.yaml'} 已存在；init 不会覆盖已有的工作区" in said_zh.stderr, said_zh.stderr
    assert "→ 请编辑那个 site.yaml，或对一个新文件夹运行 `launchpad init`" in said_zh.stderr
    assert f"{root / 'site.yaml'} already exists; init does not overwrite a workspace" in said_en.stderr, said_en.stderr


def test_resuming_a_run_with_another_playbook_is_refused_in_both_languages(tmp_path: Path) -> None:
    from tests.core.test_engine import Harness, playbook_text
    from tests.scripted import ScriptedPrompter

    h = Harness(tmp_path / "ws", playbook_text("- {id: a, name: a, kind: shell, run: 'false'}"))
    first = h.run(ScriptedPrompter())
    h.store.set_run_status(first.run_id, "interrupted", finished=False)
    (h.root / "playbooks" / "t.yaml").write_text(
        playbook_text("- {id: a, name: a, kind: shell, run: 'true'}").replace("name: t\n", "name: patrol\n"))
    with pytest.raises(UsageError) as refused:
        h.run(ScriptedPrompter(), resume=first.run_id)
    chinese, english = _both(refused.value)
    assert f"运行 {first.run_id} 属于操作手册“t”，不是“patrol”" in chinese, chinese
    assert f"\n  → 请用 `launchpad run t --resume {first.run_id}` 继续它" in chinese
    assert f"run {first.run_id} is of playbook 't', not 'patrol'" in english


def test_the_template_check_says_what_is_undefined_in_the_sites_language(tmp_path: Path) -> None:
    from tests.core.test_template_refs import PLAYBOOK, SITE

    root = write_workspace(tmp_path / "ws", site=SITE, playbooks={"t": PLAYBOOK})
    said_zh = launchpad_process(root, "check", "t")
    said_en = launchpad_process(root, "check", "t", env={"LAUNCHPAD_LANG": "en"})
    assert said_zh.returncode == said_en.returncode == 2
    assert "环境 “test”、“prod”：{{ vars.teir }} 未定义：操作手册没有声明变量“teir”（vars：version、tier）" \
        in said_zh.stderr, said_zh.stderr
    assert "环境“prod”：{{ env.urls.login }} 未定义：site.yaml 中没有 environments.prod.urls.login；请在那里添加" \
        in said_zh.stderr
    assert "environments 'test', 'prod': {{ vars.teir }} is undefined: the playbook declares no variable 'teir'" \
        in said_en.stderr, said_en.stderr


def test_check_warns_about_the_duty_roster_in_the_sites_language(tmp_path: Path) -> None:
    from tests.core.test_duty_contact import DAILY, NO_PHONE, WEEKDAYS_ONLY
    from tests.core.test_inputs import GOOD_PLAYBOOK

    site = NO_PHONE.replace(DAILY, WEEKDAYS_ONLY)
    root = write_workspace(tmp_path / "ws", site=site, playbooks={"hello": GOOD_PLAYBOOK})
    said_zh = launchpad_process(root, "check", "hello")
    said_en = launchpad_process(root, "check", "hello", env={"LAUNCHPAD_LANG": "en"})
    assert said_zh.returncode == said_en.returncode == 0, said_zh.stderr
    assert "（周六）李四（li）没有备岗；请添加一条写明主值班和备岗的日期或星期条目" in said_zh.stderr, said_zh.stderr
    assert "（周日）既没有主值班，也没有备岗" in said_zh.stderr
    assert "警告：联系人“zhang”（张三）在值班表上，但没有电话" in said_zh.stderr
    assert "(Sat) has no backup for 李四 (li); add a date or weekday entry" in said_en.stderr, said_en.stderr
    assert "warning: contact 'zhang' (张三) is on the duty roster but has no phone" in said_en.stderr


# -- files a person hands over ------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "chinese", "english"), [
    (b"\xff\xfe\x00\xd8", "开头像 UTF-16 文本，但并不是", "it starts like UTF-16 text but is not"),
    (b"a\x00b", "其中含有 NUL 字节", "it holds NUL bytes"),
    (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 8, "个是控制字符", "characters are control characters"),
])
def test_a_pasted_file_that_is_no_chat_is_refused_in_both_languages(raw: bytes, chinese: str, english: str) -> None:
    from launchpad.issues.pasted_file import decode_pasted

    with pytest.raises(UsageError) as refused:
        decode_pasted(raw, "聊天.txt")
    said_zh, said_en = _both(refused.value)
    assert said_zh.startswith("用法有误：聊天.txt 不是以文本形式复制的聊天记录：") and chinese in said_zh, said_zh
    assert "→ 请从微信/企业微信复制消息" in said_zh
    assert "聊天.txt is not a chat copied as text: " in said_en and english in said_en, said_en


@pytest.mark.parametrize(("parser", "text", "chinese", "english"), [
    ("parse_json", '{"a": 1,}', "JSON：", "JSON: "),
    ("parse_yaml", "a: [1,\n", "YAML：", "YAML: "),
])
def test_a_configuration_file_that_does_not_parse_is_framed_in_both_languages(
        parser: str, text: str, chinese: str, english: str) -> None:
    from launchpad.configdiff import structured
    from launchpad.configdiff.formats import ConfigSyntaxError

    with pytest.raises(ConfigSyntaxError) as refused:
        getattr(structured, parser)(text)
    assert str(refused.value.said_reason).startswith(english)
    from launchpad.phrases import render

    assert render(refused.value.said_reason, "zh").startswith(chinese)


def test_a_checklist_and_a_config_expectation_of_the_wrong_shape_are_located_in_both_languages(tmp_path: Path) -> None:
    from launchpad.configdiff.expectations import _read
    from launchpad.golive.checklist import read_checklist

    path = tmp_path / "golive.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as checklist:
        read_checklist(path)
    assert checklist.value.render("zh") == "golive.yaml:1:1: 应包含 date:、version: 和 items:"
    assert checklist.value.render("en") == "golive.yaml:1:1: expected date:, version: and items:"
    expect = tmp_path / "expect.yaml"
    expect.write_text("- a\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as expectations:
        _read(expect, "config/expect.yaml")
    assert expectations.value.render("zh") == "config/expect.yaml:1:1: 应按名称分节（app: {files: …, expect: …}）"
    assert expectations.value.render("en") == \
        "config/expect.yaml:1:1: expected sections by name (app: {files: …, expect: …})"


def test_a_baseline_sheet_with_bad_cells_is_located_in_both_languages(tmp_path: Path) -> None:
    from launchpad.baseline.files import BadBaseline, load_baseline
    from tests.core.test_baseline import sheets, write_xlsx

    broken: dict[str, list[list[object]]] = {**sheets(permission_role="nobody"),
                                             "posts": [["code", "name", "rank"], ["kz", "科长", 1]]}
    with pytest.raises(BadBaseline) as refused:
        load_baseline(write_xlsx(tmp_path / "基线.xlsx", broken), "基线.xlsx")
    chinese, english = _both(refused.value)
    assert "基线.xlsx，工作表 permissions，第 2 行，A 列（role）：工作表 roles 中没有角色“nobody”" in chinese, chinese
    assert "基线.xlsx，工作表 posts，第 1 行，C 列：未知的列“rank”（已知：code、name、sort、status）" in chinese
    assert "→ 请改正上面列出的单元格" in chinese
    assert "基线.xlsx, sheet permissions, row 2, column A (role): no role 'nobody' in sheet roles" in english
    with pytest.raises(BadBaseline) as refused:
        load_baseline(write_xlsx(tmp_path / "b.xlsx", sheets(roles_sort="二")), "b.xlsx")
    assert "b.xlsx，工作表 roles，第 2 行，E 列（sort）：Input should be a valid integer" in refused.value.render("zh")


# -- notices and robots -------------------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "primary", "chinese", "english"), [
    ({"contact": " "}, None, "→ 请写上姓名和电话（contact=…），或不写此项以列出值班人员",
     "→ give a name and a phone (contact=…), or leave it out to name the person on duty"),
    ({}, None, "→ 请在 site.yaml 的值班表中加上今天，或填写 contact 字段（contact=…）",
     "→ add today to the duty roster in site.yaml, or give the contact field (contact=…)"),
    ({}, {"id": "wang", "name": "王工", "phone": ""}, "→ 请在 site.yaml 中给联系人“wang”加上电话",
     "→ add a phone to contact 'wang' in site.yaml"),
])
def test_a_notice_nobody_could_be_called_about_is_refused_in_both_languages(
        fields: dict[str, str], primary: dict[str, Any] | None, chinese: str, english: str) -> None:
    from launchpad.report.notice import NoticeRefused, _require_contact

    with pytest.raises(NoticeRefused) as refused:
        _require_contact(fields, primary)
    said_zh, said_en = _both(refused.value)
    assert said_zh.startswith("通知被拒绝：") and chinese in said_zh, said_zh
    assert said_en.startswith("notice refused: ") and english in said_en, said_en


def test_a_robot_that_cannot_be_reached_or_did_not_answer_is_said_in_both_languages() -> None:
    """Against real servers on loopback: a port nothing listens on, and a robot that answers
    after the sender stopped waiting. Why is said in words, never httpx's class name."""
    from launchpad.notify.deliver import DeliveryFailed, DeliveryUncertain, Robot
    from launchpad.workspace.site import Channel
    from tests.loopback import answering_late, closed_port

    robot = Robot("值班群", Channel(kind="wecom", webhook=f"http://127.0.0.1:{closed_port()}/hook?key=k-7a"))
    with pytest.raises(DeliveryFailed) as refused:
        robot.post("text", "标题", "正文")
    chinese, english = _both(refused.value)
    assert "无法连接127.0.0.1 上的企业微信机器人（渠道 值班群）：连接被拒绝：该端口上没有服务在监听" in chinese, chinese
    assert "→ 没有网络？消息留在发件箱中" in chinese
    assert ("cannot reach the WeCom robot at 127.0.0.1 (channel 值班群): connection refused: nothing listens on "
            "that port") in english
    with answering_late() as url:
        late = Robot("值班群", Channel(kind="wecom", webhook=f"{url}/hook?key=k-7a"), timeout=0.3)
        with pytest.raises(DeliveryUncertain) as silent:
            late.post("text", "标题", "正文")
    chinese, english = _both(silent.value)
    assert ("已发送到127.0.0.1 上的企业微信机器人（渠道 值班群），但没有收到回复：等待应答超时：服务器收下了请求，"
            "但没有按时应答") in chinese, chinese
    assert ("sent to the WeCom robot at 127.0.0.1 (channel 值班群), but no answer came back: timed out waiting for "
            "the answer") in english
    assert not any(word in chinese + english for word in ("ConnectError", "ReadTimeout", "Errno", "k-7a"))


def test_a_baseline_report_of_an_unknown_kind_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.baseline.reports import write_report

    with pytest.raises(UsageError) as refused:
        write_report(None, tmp_path / "基线.txt", "zh", "王工", "2026-01-01", None)  # type: ignore[arg-type]
    chinese, english = _both(refused.value)
    assert "基线.txt：报告只能是 .md、.html 或 .xlsx\n  → 请用其中一种扩展名命名文件" in chinese, chinese
    assert "基线.txt: a report is .md, .html or .xlsx" in english


# -- what a step will do, as its preview and confirmation say it ---------------------------------------

COMMAND_KINDS = {"shell", "sql", "http", "log_scan", "upload", "manual"}  # their "what" is the command itself


def test_every_bundled_steps_own_description_reads_in_the_readers_language() -> None:
    """The playbook preview and the confirmation before a step show `describe()`: said by
    launchpad (not a command the playbook wrote), it reads in Chinese and in English."""
    import re
    from pathlib import Path

    import launchpad
    from launchpad.phrases import render
    from launchpad.run.playbook import load_playbook

    bundled = Path(launchpad.__file__).parent.parent / "playbooks"
    seen = set()
    for path in sorted(bundled.glob("*.yaml")):
        playbook = load_playbook(path).playbook
        for phase in playbook.phases:
            for step in [*phase.steps, *phase.rollback]:
                own: object = getattr(step, "description", None)
                if step.kind in COMMAND_KINDS or own:
                    continue
                said = step.describe()
                chinese, english = render(said, "zh"), render(said, "en")
                assert not re.search(r"\b[a-z]{3,} [a-z]{3,} [a-z]{3,}\b", chinese), (path.name, step.id, chinese)
                if step.kind != "announce":  # a template's and a channel's names only: no words
                    assert re.search(r"[\u4e00-\u9fff]", chinese), (path.name, step.id, chinese)
                assert english == str(said) and re.search(r"[a-z]{3,}", english), (path.name, step.id, english)
                seen.add(step.kind)
    assert {"gate", "backup", "release_status", "announce", "wait", "baseline", "import"} <= seen, seen


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_draft_that_cannot_be_written_is_refused_and_the_message_stays_queued(tmp_path: Path, lang: str) -> None:
    """The drafts folder is a file (or the disk is full): said with the path, nothing marked drafted."""
    import os
    import subprocess
    import sys

    from launchpad.notify.outbox import Outbox
    from launchpad.store.db import Store
    from tests.workspaces import write_workspace

    root = write_workspace(tmp_path / "ws")
    (root / "outbox").mkdir()
    (root / "outbox" / "drafts").write_text("not a folder", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), "--lang", lang, "report",
                           "daily", "--draft"], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 2, done.stdout + done.stderr
    said = {"zh": "无法写入邮件草稿", "en": "cannot write the mail draft"}[lang]
    assert said in done.stderr and "outbox/drafts" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        assert "drafted" not in [m.status for m in Outbox(store).messages(limit=10)]
