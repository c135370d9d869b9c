"""More refusals in the site's language: the mail channel and the sending, the users' API source
and operations, the database drivers, the config diff, the go-live file edits, the issue log, the
store and the templates. Each one read in Chinese (what a `language: zh` site prints) and in
English (`--lang en` or LAUNCHPAD_LANG=en)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from launchpad.errors import LaunchpadError
from launchpad.phrases import render
from tests.loopback import closed_port


def _both(error: LaunchpadError) -> tuple[str, str]:
    return error.render("zh"), error.render("en")


# -- the mail channel and the sending ------------------------------------------------------------


def _mail_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, port: int) -> object:
    from launchpad.workspace.folder import load_workspace
    from tests.core.test_mail_channel import CHANNEL, SITE
    from tests.workspaces import write_workspace

    monkeypatch.setenv("SMTP_PASSWORD", "口令-123")
    text = SITE + CHANNEL.replace("host: smtp.example.gov.cn", f"host: 127.0.0.1\n    port: {port}")
    return load_workspace(write_workspace(tmp_path / "ws", text))


def test_a_mail_server_out_of_reach_is_said_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.notify.deliver import DeliveryFailed
    from launchpad.notify.mail import Mailer

    port = closed_port()
    workspace = _mail_site(tmp_path, monkeypatch, port)
    site = workspace.site  # type: ignore[attr-defined]
    with pytest.raises(DeliveryFailed) as refused:
        Mailer("mail", site.channels["mail"], site).prepare()
    chinese, english = _both(refused.value)
    assert f"无法连接邮件服务器 127.0.0.1:{port}（渠道 mail）：连接被拒绝：该端口上没有服务在监听" in chinese, chinese
    assert "→ 没有网络？邮件留在发件箱中：可用 `launchpad report outbox --send` 重试" in chinese
    assert (f"cannot reach the mail server 127.0.0.1:{port} (channel mail): connection refused: nothing listens on "
            "that port") in english
    assert "ConnectionRefusedError" not in chinese + english
    assert "→ no network? it stays in the outbox: `launchpad report outbox --send` to retry" in english
    assert refused.value.message.startswith("cannot reach the mail server")  # the outbox keeps English


@pytest.mark.parametrize(("ca_file", "chinese", "english"), [
    ("missing.pem", "文件或目录不存在", "no such file or folder"),
    (".", "这是目录，不是文件", "it is a folder, not a file"),
    ("site.yaml", "无法从中读取证书：应为 PEM 格式的文件",
     "no certificate can be read from it: a PEM file is expected"),
])
def test_a_ca_file_that_cannot_be_used_says_why_in_both_languages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ca_file: str, chinese: str, english: str) -> None:
    """The system's reason (Python's "[Errno 2] No such file or directory", OpenSSL's "[X509:
    NO_CERTIFICATE_OR_CRL_FOUND] …") said in the reader's words; nothing is connected."""
    from launchpad.notify.deliver import ChannelConfigError
    from launchpad.notify.mail import Mailer

    workspace = _mail_site(tmp_path, monkeypatch, closed_port())
    site = workspace.site  # type: ignore[attr-defined]
    channel = site.channels["mail"].model_copy(update={"ca_file": str(tmp_path / "ws" / ca_file)})
    with pytest.raises(ChannelConfigError) as refused:
        Mailer("mail", channel, site).prepare()
    said_zh, said_en = _both(refused.value)
    assert f"无法读取渠道 mail 的 ca_file：{chinese}" in said_zh, said_zh
    assert f"cannot read ca_file of channel mail: {english}" in said_en, said_en
    assert not any(words in said_zh for words in ("Errno", "No such file", "Is a directory", "X509")), said_zh


def test_a_mail_the_server_refuses_is_said_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.notify.mail import Mailer

    workspace = _mail_site(tmp_path, monkeypatch, 2525)
    site = workspace.site  # type: ignore[attr-defined]
    mailer = Mailer("mail", site.channels["mail"], site)
    chinese, english = _both(mailer._refusal(554, "5.7.1 内容含敏感词".encode()))
    assert "邮件服务器 127.0.0.1:2525（渠道 mail）拒收了这封邮件：554 5.7.1 内容含敏感词" in chinese, chinese
    assert "→ 原样不会再发送" in chinese and "refused" not in chinese
    assert "the mail server 127.0.0.1:2525 (channel mail) refused the mail: 554 5.7.1 内容含敏感词" in english
    later_zh, later_en = _both(mailer._refusal(451, b"4.3.0 try later"))
    assert "暂时不接收这封邮件：451 4.3.0 try later" in later_zh and "did not take the mail for now" in later_en


def test_a_message_format_a_channel_does_not_take_is_refused_in_both_languages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.notify.deliver import ChannelConfigError
    from launchpad.notify.send import queue_message
    from launchpad.store.db import Store

    workspace = _mail_site(tmp_path, monkeypatch, 2525)
    store = Store.open(workspace.store_path)  # type: ignore[attr-defined]
    with pytest.raises(ChannelConfigError) as mail:
        queue_message(store, workspace.site, "mail", "x", "html")  # type: ignore[attr-defined]
    assert "邮件只能是 text 或 markdown，不能是“html”" in mail.value.render("zh")
    assert "a mail is text or markdown, not 'html'" in mail.value.render("en")
    with pytest.raises(ChannelConfigError) as robot:
        queue_message(store, workspace.site, "group", "x", "html")  # type: ignore[attr-defined]
    assert "企业微信机器人只接收 text 或 markdown，不能是“html”" in robot.value.render("zh")
    assert "WeCom robots take text or markdown, not 'html'" in robot.value.render("en")


def test_a_part_left_waiting_says_its_state_in_the_readers_words() -> None:
    from launchpad.phrases import Phrase, phrase

    said = phrase("send.part_waiting_error", part=2, parts=3, status=Phrase("cli.outbox.state_queued"), error="451")
    assert render(said, "zh") == "第 2/3 部分排队中：451" and str(said) == "part 2 of 3 is queued: 451"


# -- the users' API source, operations and records -----------------------------------------------


def test_an_api_answer_of_the_wrong_shape_is_named_by_url_and_page_in_both_languages() -> None:
    from launchpad.users.apisource import ApiSourceFailed, _items

    with pytest.raises(ApiSourceFailed) as shape:
        _items({"data": {"rows": {}}}, "data.rows", "http://hr.example/users", 2)
    chinese, english = _both(shape.value)
    assert "http://hr.example/users（第 2 页）：data.rows 是 dict，不是用户列表" in chinese, chinese
    assert "→ 请改正映射中的 list:（用点分隔的路径，例如 data.rows）" in chinese
    assert "http://hr.example/users (page 2): data.rows is dict, not a list of users" in english
    with pytest.raises(ApiSourceFailed) as missing:
        _items({"data": []}, "data.rows", "http://hr.example/users", 1)
    assert "应答中没有“data.rows”（停在“rows”）" in missing.value.render("zh")
    assert "the answer has no 'data.rows' (stopped at 'rows')" in missing.value.render("en")
    with pytest.raises(ApiSourceFailed) as item:
        _items([1], "", "http://hr.example/users", 1)
    assert "（第 1 页）：应答 的第 0 项是 int，不是对象" in item.value.render("zh")
    assert "item 0 of the answer is int, not an object" in item.value.render("en")


def test_a_workspace_with_several_mappings_asks_for_one_in_both_languages(tmp_path: Path) -> None:
    from launchpad.errors import UsageError
    from launchpad.users.operations import find_mapping

    (tmp_path / "imports").mkdir()
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / "imports" / name).write_text("{}\n", encoding="utf-8")
    with pytest.raises(UsageError) as several:
        find_mapping(tmp_path, None)
    chinese, english = _both(several.value)
    assert "中有 2 个映射文件（a.yaml、b.yaml）\n  → 请用 --mapping FILE 指定一个" in chinese, chinese
    assert "holds 2 mapping files (a.yaml, b.yaml)\n  → name one with --mapping FILE" in english
    (tmp_path / "imports" / "a.yaml").unlink()
    (tmp_path / "imports" / "b.yaml").unlink()
    with pytest.raises(UsageError) as none:
        find_mapping(tmp_path, None)
    assert "中有 0 个映射文件（无）" in none.value.render("zh") and "0 mapping files (none)" in none.value.render("en")
    with pytest.raises(UsageError) as nowhere:
        find_mapping(None, None)
    assert "没有给出映射文件，也没有可查找的工作区" in nowhere.value.render("zh")


def test_an_unknown_user_import_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.errors import UsageError
    from launchpad.store.db import Store
    from launchpad.users.records import get_import

    store = Store.open(tmp_path / "launchpad.db")
    with pytest.raises(UsageError) as unknown:
        get_import(store, 7)
    chinese, english = _both(unknown.value)
    assert "没有用户导入 7\n  → `launchpad users imports` 会列出所有导入" in chinese, chinese
    assert "no user import 7\n  → `launchpad users imports` lists them" in english


def test_what_changed_since_a_preview_is_read_one_change_a_line_in_both_languages() -> None:
    from launchpad.phrases import Phrase, lines, phrase

    def roles(*keys: str) -> Phrase:
        return phrase("roles.set", roles=list(keys))

    changes = [phrase("roles.no_longer", account="wang", before=roles("common"), after=roles("common", "leader")),
               phrase("roles.now_too", account="zhao", before=roles(), after=roles("common"))]
    said = phrase("roles.changed_since", env="test", id="3", changes=lines(changes))
    assert render(said, "zh") == ("test 在预览 3 之后有了变化；没有写入任何内容：\n"
                                  "  wang：不再变化（预览时为 [common] → [common、leader]）\n"
                                  "  zhao：现在也要变化（[] → [common]）")
    assert str(said) == ("test changed since preview 3; nothing was written:\n"
                         "  wang: no longer changes (previewed [common] → [common, leader])\n"
                         "  zhao: now changes too ([] → [common])")
    assert Phrase.from_json(said.to_json()) == said  # the lines survive the store


# -- the database drivers' host shell, the config diff, the go-live file, the issue log -----------


def test_a_failed_command_on_a_backup_host_is_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.backup.errors import BackupFailed
    from launchpad.backup.hostshell import HostShell
    from launchpad.hosts.local import LocalTransport

    shell = HostShell(LocalTransport(cwd=str(tmp_path)), lambda *entry: None, local=True)
    with pytest.raises(BackupFailed) as failed:
        shell.check("echo 没有这个库 >&2; exit 3")
    chinese, english = _both(failed.value)
    assert "备份失败：local：一条命令失败：没有这个库" in chinese, chinese
    assert "backup failed: local: a command failed: 没有这个库" in english, english


@pytest.mark.parametrize(("parse", "text", "chinese", "english"), [
    ("parse_json", '{"a": NaN}', "第 1 行：NaN 不是 JSON", "line 1: NaN is not JSON"),
    ("parse_json", '{"a": 1,\n "a": 2}', "第 2 行：重复的键“a”", "line 2: duplicate key 'a'"),
    ("parse_ini", "[db]\nurl = a\nurl = b\n", "第 3 行：[db] 中有重复的选项“url”",
     "line 3: duplicate option 'url' in [db]"),
    ("parse_ini", "url = a\n", "第 1 行：文件必须以 [section] 节标题开头",
     "line 1: the file must start with a [section]"),
    ("parse_yaml", "a: &x\n  b: *x\n", "别名引用了包含它自身的值", "an alias refers to the value that contains it"),
])
def test_a_configuration_file_that_cannot_be_read_is_said_in_both_languages(
        parse: str, text: str, chinese: str, english: str) -> None:
    from launchpad.configdiff import structured
    from launchpad.configdiff.formats import ConfigSyntaxError

    with pytest.raises(ConfigSyntaxError) as malformed:
        getattr(structured, parse)(text)
    assert chinese in malformed.value.render("zh"), malformed.value.render("zh")
    assert english in malformed.value.render("en") and english in malformed.value.reason + str(malformed.value)


def test_a_dotenv_line_that_cannot_be_read_is_said_in_both_languages() -> None:
    from launchpad.configdiff.formats import ConfigSyntaxError, parse_config

    with pytest.raises(ConfigSyntaxError) as malformed:
        parse_config('A=1\nB="open\n', "env")
    assert "第 2 行：值的 \" 引号没有闭合" in malformed.value.render("zh"), malformed.value.render("zh")
    assert "line 2: the value's \" quote is never closed" in malformed.value.render("en")


def test_a_go_live_item_that_cannot_be_marked_is_refused_in_the_sites_language(tmp_path: Path) -> None:
    from launchpad.demo import build_demo
    from launchpad.golive.checklist import CHECKLIST_FILE
    from tests.core.test_cli_language import launchpad_process

    root = build_demo(tmp_path / "demo")
    checklist = root / CHECKLIST_FILE
    text = checklist.read_text(encoding="utf-8")
    broken = text[:text.index("  - id: sms")] + "  - {id: sms, title: 短信, owner: wangqiang, due: 2030-01-01}\n"
    checklist.write_text(broken, encoding="utf-8")
    chinese = launchpad_process(root, "golive", "mark", "sms", "blocked", "--reason", "等通道")
    assert chinese.returncode == 2, chinese.stderr
    assert "golive.yaml：第 11 项写在一行里；请改成每行一个键" in chinese.stderr, chinese.stderr
    english = launchpad_process(root, "golive", "mark", "sms", "blocked", "--reason", "等通道",
                                env={"LAUNCHPAD_LANG": "en"})
    assert "golive.yaml: item 11 is written on one line; write it as one key per line" in english.stderr
    assert checklist.read_text(encoding="utf-8") == broken


def test_a_paste_that_fails_between_chunks_says_what_was_added_in_both_languages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from zoneinfo import ZoneInfo

    from launchpad.errors import StoreError
    from launchpad.issues import log as issue_log
    from launchpad.issues.log import IssueLog
    from launchpad.issues.model import IssueDraft
    from launchpad.phrases import phrase
    from launchpad.store.db import Store

    log = IssueLog(Store.memory(), ZoneInfo("Asia/Shanghai"), "pm")
    monkeypatch.setattr(issue_log, "ADD_CHUNK", 10)
    original = log._insert_issue

    def failing(draft: IssueDraft) -> int:
        if draft.title == "第15条反馈":
            raise StoreError(phrase("issues.partly_added_hint", next=99))  # any phrase: it must stay a phrase
        return original(draft)

    monkeypatch.setattr(log, "_insert_issue", failing)
    with pytest.raises(StoreError) as raised:
        log.add_many([IssueDraft(title=f"第{n}条反馈") for n in range(1, 26)])
    chinese, english = _both(raised.value)
    assert "请从第 99 条起重新添加其余的问题；在此之前已添加问题 1–10（共 25 条中的 10 条）" in chinese, chinese
    assert "→ 请从第 11 条起重新添加其余的问题" in chinese
    assert "add the rest again, from number 99 on; issues 1–10 (10 of 25) were added before it" in english


# -- the store -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("error", "chinese", "english"), [
    (sqlite3.OperationalError("database or disk is full"),
     "无法写入工作区存储：.launchpad/launchpad.db 所在的磁盘已满；这次改动没有写入任何内容\n  → 请清理那块磁盘的空间",
     "could not write to the workspace store: the disk holding .launchpad/launchpad.db is full"),
    (sqlite3.DatabaseError("file is not a database"),
     "存储已损坏：无法写入工作区存储：工作区存储 .launchpad/launchpad.db 已损坏（file is not a database）",
     "store damaged: could not write to the workspace store: the workspace store .launchpad/launchpad.db is damaged"),
    (sqlite3.OperationalError("database is locked"),
     "无法写入工作区存储：database is locked\n  → 另一个 launchpad 正在使用这个工作区：请重试",
     "could not write to the workspace store: database is locked\n  → another launchpad is busy on this workspace"),
    (sqlite3.OperationalError("no such table: x"),
     "→ 这是 launchpad 工作区吗？磁盘是否正常？", "→ is this a launchpad workspace, and is the disk healthy?"),
])
def test_what_sqlite_said_is_explained_in_both_languages(error: sqlite3.Error, chinese: str, english: str) -> None:
    from launchpad.phrases import phrase
    from launchpad.store.migrations import store_failure

    explained = store_failure(error, phrase("store.writing"))
    assert chinese in explained.render("zh"), explained.render("zh")
    assert english in explained.render("en"), explained.render("en")


def test_a_disk_error_is_explained_in_both_languages() -> None:
    from launchpad.phrases import phrase
    from launchpad.store.migrations import store_failure

    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = 10  # SQLITE_IOERR, as sqlite3 sets it
    chinese, english = _both(store_failure(error, phrase("store.reading"), "/ws/.launchpad/launchpad.db"))
    assert "无法读取工作区存储：磁盘在 /ws/.launchpad/launchpad.db 上报告了错误（disk I/O error）" in chinese, chinese
    assert "→ 请检查磁盘（`dmesg`、`df -h`），以及工作区目录是否还在" in chinese
    assert "could not read the workspace store: the disk reported an error on /ws/.launchpad/launchpad.db" in english


def test_a_store_that_cannot_be_created_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.errors import StoreError
    from launchpad.store.db import Store

    (tmp_path / "ws").write_text("a file where the workspace folder should be\n", encoding="utf-8")
    with pytest.raises(StoreError) as unwritable:
        Store.open(tmp_path / "ws" / "launchpad.db")
    chinese, english = _both(unwritable.value)
    assert "无法创建工作区存储" in chinese and "→ 请检查工作区目录是否可写" in chinese, chinese
    assert "cannot create the workspace store" in english


def test_a_store_from_a_newer_launchpad_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.errors import StoreError
    from launchpad.store.db import Store
    from launchpad.store.migrations import MIGRATIONS

    path = tmp_path / "launchpad.db"
    Store.open(path).close()
    newest = MIGRATIONS[-1].number
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO migrations (number, name, applied) VALUES (?, 'future', '2030-01-01')", [newest + 1])
    with pytest.raises(StoreError) as newer:
        Store.open(path)
    chinese, english = _both(newer.value)
    assert f"工作区存储有结构迁移 {newest + 1}，这个版本的 launchpad 不认识（它只认识到 {newest}）" in chinese, chinese
    assert "→ 这个工作区是由更新版本的 launchpad 写入的：请升级 launchpad 后再使用" in chinese
    assert f"the workspace store has schema migration {newest + 1}, which this launchpad does not know" in english


def test_a_store_deleted_under_a_run_is_said_in_the_sites_language(tmp_path: Path) -> None:
    from tests.core.test_cli_language import launchpad_process
    from tests.core.test_store_failures import PLAYBOOK
    from tests.workspaces import write_workspace

    root = write_workspace(tmp_path / "ws", playbooks={"t": PLAYBOOK})
    chinese = launchpad_process(root, "run", "t", "--env", "test", "--yes", env={"LAUNCHPAD_LANG": "zh"})
    assert chinese.returncode != 0
    assert "存储文件不见了：工作区存储 " in chinese.stderr and "在 launchpad 使用期间被删除或替换" in chinese.stderr
    assert "→ 如有副本请把文件放回" in chinese.stderr and "Traceback" not in chinese.stderr


# -- the templates -------------------------------------------------------------------------------


def test_a_template_that_cannot_be_rendered_frames_jinjas_words_in_both_languages() -> None:
    from launchpad.run.templating import TemplateProblem, check_syntax
    from launchpad.run.templating import render as render_template

    with pytest.raises(TemplateProblem) as undefined:
        render_template("echo {{ env.nosuch }}", {"env": {}}, shell=True)
    assert render(undefined.value.said, "zh") == "模板中有未定义的名字：'dict object' has no attribute 'nosuch'"
    assert str(undefined.value) == "undefined name in template: 'dict object' has no attribute 'nosuch'"
    syntax = check_syntax("{{ oops")
    assert render(syntax, "zh").startswith("模板语法有误：") and "unexpected end of template" in render(syntax, "zh")
    assert render(syntax, "en").startswith("template syntax: ")
    with pytest.raises(TemplateProblem) as unquotable:
        render_template("echo `echo {{ v }}`", {"v": "x"}, shell=True)
    chinese = render(unquotable.value.said, "zh")
    assert chinese.startswith("命令第 1 行：反引号 `…` 中的值无法安全地加引号；请用 \"$(…)\""), chinese
    assert "（note={{ … }}）" in chinese
    assert str(unquotable.value).startswith("line 1 of the command: a value inside backquotes `…` cannot be quoted")



def test_a_config_diff_with_nothing_to_compare_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.configdiff.expectations import load_plan
    from launchpad.errors import UsageError
    from launchpad.workspace.folder import load_workspace
    from tests.workspaces import write_workspace

    site = load_workspace(write_workspace(tmp_path / "ws")).site
    with pytest.raises(UsageError) as missing:
        load_plan(tmp_path / "nowhere.yaml", "config-diff.yaml", site, ("test", "test"), [])
    chinese, english = _both(missing.value)
    assert "没有 config-diff.yaml：没有写明要比较哪些配置文件\n  → 请创建 config-diff.yaml" in chinese, chinese
    assert "no config-diff.yaml: nothing says which configuration files to compare" in english


# -- the sql step's query and a backup's compression ---------------------------------------------


def test_a_query_the_sql_step_cannot_run_is_refused_in_both_languages() -> None:
    from launchpad.backup.errors import BackupFailed
    from launchpad.backup.sqlquery import find_placeholders, mysql_script

    with pytest.raises(BackupFailed) as two:
        find_placeholders("SELECT 1; DELETE FROM sys_user", "mysql")
    assert "查询中有不止一条语句；一个 sql 步骤只执行一条" in two.value.render("zh")
    assert "the query holds more than one statement; a sql step runs exactly one" in two.value.render("en")
    with pytest.raises(BackupFailed) as missing:
        mysql_script("SELECT * FROM sys_user WHERE dept_id = :dept AND status = :status", {})
    assert "查询用到了 :dept、:status，但 params 中没有给出" in missing.value.render("zh"), missing.value.render("zh")
    assert "the query uses :dept, :status, which params does not give" in missing.value.render("en")


def test_a_backup_that_does_not_decompress_is_said_in_both_languages(tmp_path: Path) -> None:
    import gzip

    from launchpad.backup.compress import decompressed_chunks
    from launchpad.backup.errors import BackupFailed

    cut = tmp_path / "db.sql.gz"
    rows = "".join(f"INSERT INTO t VALUES ({n * 7919 % 100003});\n" for n in range(20000)).encode()
    whole = gzip.compress(rows)
    cut.write_bytes(whole[:len(whole) // 2])
    with pytest.raises(BackupFailed) as truncated:
        b"".join(decompressed_chunks(cut, "gzip"))
    chinese, english = _both(truncated.value)
    assert "备份失败：db.sql.gz：gzip 数据提前结束（被截断）" in chinese, chinese
    assert "backup failed: db.sql.gz: the gzip stream ends early (truncated)" in english


# -- a quick capture, a sort, a release status, a checklist, a folder in the way ------------------


def test_a_quick_capture_with_two_owners_is_refused_in_both_languages() -> None:
    from datetime import date

    from launchpad.errors import UsageError
    from launchpad.issues.capture import parse_quick_capture

    with pytest.raises(UsageError) as twice:
        parse_quick_capture("@张三 @李四 登录慢", date(2025, 11, 19))
    chinese, english = _both(twice.value)
    assert "“@张三 @李四 登录慢”给出了两个负责人：张三 和 李四" in chinese, chinese
    assert "'@张三 @李四 登录慢' gives two owners: 张三 and 李四" in english


def test_a_workspace_without_a_checklist_is_told_in_the_sites_language(tmp_path: Path) -> None:
    from tests.core.test_cli_language import launchpad_process
    from tests.workspaces import write_workspace

    root = write_workspace(tmp_path / "ws")
    (root / "golive.yaml").unlink(missing_ok=True)
    chinese = launchpad_process(root, "golive")
    assert chinese.returncode == 2, chinese.stderr
    assert "中没有 golive.yaml：这个工作区没有上线检查清单" in chinese.stderr, chinese.stderr
    english = launchpad_process(root, "golive", env={"LAUNCHPAD_LANG": "en"})
    assert "this workspace has no go-live checklist" in english.stderr


def test_a_file_where_the_demo_goes_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.demo import build_demo
    from launchpad.errors import UsageError

    (tmp_path / "taken").write_text("x\n", encoding="utf-8")
    with pytest.raises(UsageError) as taken:
        build_demo(tmp_path / "taken")
    chinese, english = _both(taken.value)
    assert "taken 是文件，不是目录\n  → 请换一个 --dir" in chinese, chinese
    assert "taken is a file, not a folder\n  → choose another --dir" in english
