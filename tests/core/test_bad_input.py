"""Bad input of every other kind — YAML too deep or too large, dates and numbers out of range,
files that cannot be written or read, bytes that are not UTF-8 — is a clear error with exit 2,
never an internal error, and leaves nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_inputs import GOOD_PLAYBOOK, assert_problem, launchpad
from tests.workspaces import LOCAL_SITE, write_workspace

# These tests read the command line's English words.
pytestmark = pytest.mark.usefixtures("english_cli")


def assert_clear_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_yaml_nested_too_deep_is_located_and_hides_no_other_problem(tmp_path: Path) -> None:
    deep = "name: deep\nphases: " + "[" * 600 + "]" * 600 + "\n"
    broken = GOOD_PLAYBOOK.replace("title: 你好\n", "title: 你好\ncolour: red\n")
    root = write_workspace(tmp_path / "ws", playbooks={"deep": deep, "hello": broken})
    result = launchpad(root, "check")
    assert_problem(result, "deep.yaml:2:", "nested more than")
    assert_problem(result, "hello.yaml:3:1", "unknown key 'colour'")


def test_yaml_nested_by_indentation_is_refused_too(tmp_path: Path) -> None:
    deep = "name: deep\nx:\n" + "".join(" " * i + "a:\n" for i in range(1, 600)) + " " * 600 + "b\n"
    root = write_workspace(tmp_path / "ws", playbooks={"deep": deep})
    assert_problem(launchpad(root, "check"), "deep.yaml:", "nested more than")


def test_a_huge_playbook_is_refused_by_its_size_before_parsing(tmp_path: Path) -> None:
    huge = GOOD_PLAYBOOK + "# " + "x" * (3 * 1024 * 1024) + "\n"
    root = write_workspace(tmp_path / "ws", playbooks={"huge": huge, "hello": GOOD_PLAYBOOK})
    result = launchpad(root, "check")
    assert_problem(result, "huge.yaml:1:1", "3.0 MiB, more than the 1 MiB")


def test_a_huge_site_yaml_is_refused_by_its_size(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", site=LOCAL_SITE + "# " + "数" * (2 * 1024 * 1024) + "\n")
    result = launchpad(root, "runs")
    assert_problem(result, "site.yaml:1:1", "MiB launchpad reads")


def test_a_merge_key_with_an_override_is_yaml_not_a_duplicate(tmp_path: Path) -> None:
    site = LOCAL_SITE.replace(
        "duty:\n  - {weekdays: daily, primary: zhang, backup: li}\n",
        "duty:\n  - &weekday {weekdays: mon-fri, primary: zhang, backup: li}\n"
        "  - <<: *weekday\n    weekdays: sat,sun\n    primary: li\n    backup: zhang\n",
    )
    assert "<<: *weekday" in site
    root = write_workspace(tmp_path / "ws", site=site, playbooks={"hello": GOOD_PLAYBOOK})
    result = launchpad(root, "check", "hello")
    assert result.returncode == 0, result.stderr


def test_merge_keys_follow_yaml_precedence() -> None:
    from launchpad.workspace.yamlsource import load_yaml

    text = "a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n  y: 3\n"
    assert load_yaml(text, "f.yaml").data["c"] == {"x": 1, "y": 3, "z": 2}


def test_a_duplicate_key_beside_a_merge_is_still_refused() -> None:
    from launchpad.errors import InvalidInput
    from launchpad.workspace.yamlsource import load_yaml

    with pytest.raises(InvalidInput, match="f.yaml:5:3: duplicate key 'y'"):
        load_yaml("a: &a {x: 1}\nc:\n  <<: *a\n  y: 3\n  y: 4\n", "f.yaml")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_date_at_the_ends_of_the_calendar_is_out_of_range(tmp_path: Path, day: str) -> None:
    root = write_workspace(tmp_path / "ws")
    assert_clear_error(launchpad(root, "report", "daily", "--date", day), "out of range", "between")
    assert_clear_error(launchpad(root, "issue", "list", "--since", day), "out of range")
    assert_clear_error(launchpad(root, "issue", "add", "登录页白屏", "--reported-at", f"{day} 09:00"),
                       "out of range")


@pytest.mark.parametrize("args", [
    ("runs", "show", "99999999999999999999"),
    ("runs", "--limit", "99999999999999999999"),
    ("issue", "show", "99999999999999999999"),
    ("issue", "list", "--limit", "99999999999999999999"),
    ("backups", "drill", "99999999999999999999"),
    ("audit", "show", "--limit", "99999999999999999999"),
    ("report", "outbox", "--drop", "99999999999999999999"),
    ("users", "rollback", "99999999999999999999", "--yes"),
    ("users", "handout", "99999999999999999999"),
    ("users", "check", "名单.xlsx", "--limit", "99999999999999999999"),
    ("roles", "rollback", "99999999999999999999", "--yes"),
    ("roles", "preview", "--env", "test", "--limit", "99999999999999999999"),
    ("baseline", "change", "accept", "99999999999999999999"),
    ("baseline", "change", "record", "--issue", "99999999999999999999"),
])
def test_numbers_beyond_sqlite_integers_are_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = write_workspace(tmp_path / "ws")
    assert_clear_error(launchpad(root, *args), "is not in the range")


@pytest.mark.parametrize("args", [
    ("users", "import", "名单.xlsx", "--env", "test", "--yes"),
    ("roles", "apply", "--env", "test", "--yes"),
    ("baseline", "fix", "--env", "test", "--all", "--yes"),
])
@pytest.mark.parametrize("age", ["xyz", "0", "2 hours"])
def test_a_backup_age_that_is_not_an_age_is_refused_before_anything_runs(tmp_path: Path, args: tuple[str, ...],
                                                                           age: str) -> None:
    root = write_workspace(tmp_path / "ws")
    assert_clear_error(launchpad(root, *args, "--backup-age", age), "--backup-age", f"{age!r} is not an age",
                       "90m, 2h or 1d")


@pytest.mark.parametrize("args", [
    ("roles", "apply", "--env", "test", "--yes", "--batch", "0"),
    ("users", "check", "名单.xlsx", "--limit", "-5"),
    ("users", "plan", "名单.xlsx", "--env", "test", "--limit", "-1"),
    ("roles", "preview", "--env", "test", "--limit", "-1"),
    ("baseline", "diff", "--env", "test", "--limit", "-1"),
])
def test_a_batch_or_limit_below_its_range_is_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = write_workspace(tmp_path / "ws")
    assert_clear_error(launchpad(root, *args), "is not in the range")


def _one_run(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws", playbooks={"hello": GOOD_PLAYBOOK})
    result = launchpad(root, "run", "hello", "--env", "test", "--yes")
    assert result.returncode == 0, result.stderr
    return root


def test_out_into_a_missing_folder_or_under_a_file_says_so(tmp_path: Path) -> None:
    root = _one_run(tmp_path)
    missing = tmp_path / "no-such-folder" / "report.html"
    assert_clear_error(launchpad(root, "runs", "show", "1", "--out", str(missing)), "does not exist")
    under_file = root / "site.yaml" / "report.html"
    assert_clear_error(launchpad(root, "runs", "show", "1", "--out", str(under_file)), "is not a folder")
    for fmt in ("txt", "xlsx"):
        assert_clear_error(launchpad(root, "report", "daily", "--format", fmt, "--out",
                                     str(missing.with_suffix("." + fmt))), "does not exist")
    assert not missing.parent.exists()


def test_out_into_an_unwritable_place_says_so_and_leaves_the_old_file(tmp_path: Path) -> None:
    root = _one_run(tmp_path)
    if os.geteuid() == 0:
        # Permissions do not stop root; a folder in /proc cannot take a new file at all.
        target = Path("/proc/launchpad-report.html")
        assert_clear_error(launchpad(root, "runs", "show", "1", "--out", str(target)), "cannot write")
        return
    target = tmp_path / "report.html"
    target.write_text("earlier", encoding="utf-8")
    target.chmod(0o444)
    assert_clear_error(launchpad(root, "runs", "show", "1", "--out", str(target)), "read-only")
    assert target.read_text(encoding="utf-8") == "earlier"


def test_a_report_written_with_out_is_whole_and_alone(tmp_path: Path) -> None:
    root = _one_run(tmp_path)
    out = tmp_path / "reports"
    out.mkdir()
    result = launchpad(root, "runs", "show", "1", "--format", "html", "--out", str(out / "run.html"))
    assert result.returncode == 0, result.stderr
    assert (out / "run.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert [p.name for p in out.iterdir()] == ["run.html"]  # no partial file left beside it
    assert (out / "run.html").stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("command", [("init",), ("demo", "--no-tui", "--dir")])
def test_init_and_demo_where_nothing_can_be_written(tmp_path: Path, command: tuple[str, ...]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "launchpad", *command, str(blocker / "ws")],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert_clear_error(result, "cannot write", "choose a folder you can write to")
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_an_argument_that_is_not_utf8_is_refused_by_its_position(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    gbk_title = "登录页白屏".encode("gbk")
    result = subprocess.run([sys.executable.encode(), b"-m", b"launchpad", b"--workspace", str(root).encode(),
                             b"issue", b"add", b"P1", gbk_title], capture_output=True, timeout=60)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert "argument 6 is not UTF-8 text: \\xb5\\xc7" in stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    listed = launchpad(root, "issue", "list", "--json")
    assert listed.stdout.strip() == "[]"  # nothing was logged


def test_an_actor_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    env = {**os.environb, b"LAUNCHPAD_ACTOR": "王工".encode("gbk")}
    result = subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), "issue", "add", "登录页白屏"],
                            capture_output=True, timeout=60, env=env)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 2, stderr
    assert "LAUNCHPAD_ACTOR is not UTF-8 text" in stderr
    assert "Traceback" not in stderr


def test_the_crash_handler_survives_what_it_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from launchpad import cli
    from launchpad.cli import door

    monkeypatch.setattr(door, "_language", "zh")  # what a command on a Chinese site speaks
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    monkeypatch.setattr(sys, "argv", ["launchpad", "issue", "add", "\udcb5\udcc7"])
    try:
        raise RuntimeError("a title of \udcb5\udcc7")
    except RuntimeError:
        cli._report_crash()
    said = capsys.readouterr().err
    assert said.startswith("内部错误（internal error）：RuntimeError(")
    assert f"详情见 {tmp_path / '.launchpad-crash.log'}" in said
    logged = (tmp_path / ".launchpad-crash.log").read_text(encoding="utf-8")
    assert "issue add \\udcb5\\udcc7" in logged
    assert "RuntimeError: a title of" in logged


CHAT = Path(__file__).parent.parent / "fixtures" / "chat" / "wechat_pc.txt"


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_a_chat_saved_by_windows_reads_as_the_same_messages(tmp_path: Path, encoding: str) -> None:
    root = write_workspace(tmp_path / "ws")
    # GBK has no emoji: both files hold what GBK can say.
    text = CHAT.read_text(encoding="utf-8").encode("gbk", "ignore").decode("gbk")
    as_utf8, saved = tmp_path / "chat-utf8.txt", tmp_path / f"chat-{encoding}.txt"
    as_utf8.write_text(text, encoding="utf-8")
    saved.write_bytes(text.encode(encoding))
    expected = launchpad(root, "issue", "paste", str(as_utf8))
    result = launchpad(root, "issue", "paste", str(saved))
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected.stdout
    assert "王芳" in result.stdout and "白屏" in result.stdout


def test_a_binary_file_is_refused_not_echoed(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    picture = tmp_path / "screenshot.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    result = launchpad(root, "issue", "paste", str(picture))
    assert_clear_error(result, "screenshot.png is not a chat copied as text", "NUL bytes")
    assert result.stdout == ""


def test_a_chat_file_that_is_not_there_or_is_a_folder_is_refused_in_chinese(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    missing = launchpad(root, "--lang", "zh", "issue", "paste", "nofile.txt")
    assert_clear_error(missing, "nofile.txt：文件不存在", "不给文件时，`launchpad issue paste` 从标准输入读取聊天记录")
    assert "No such file or directory" not in missing.stderr
    folder = launchpad(root, "--lang", "zh", "issue", "paste", str(tmp_path))
    assert_clear_error(folder, f"{tmp_path} 是文件夹，不是文件")
    english = launchpad(root, "--lang", "en", "issue", "paste", "nofile.txt")
    assert_clear_error(english, "nofile.txt: no such file", "reads the chat from standard input")


def test_a_chat_file_that_cannot_be_read_is_refused_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.errors import UsageError
    from launchpad.issues.pasted_file import read_pasted

    def refused(self: Path) -> bytes:  # as for a file of another user's, even when the tests run as root
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refused)
    with pytest.raises(UsageError) as caught:
        read_pasted(tmp_path / "chat.txt")
    assert f"无法读取 {tmp_path / 'chat.txt'}：没有读取权限" in caught.value.render("zh")
    assert "Permission denied" not in caught.value.render("zh")


def test_control_characters_mark_a_file_as_not_text() -> None:
    from launchpad.errors import UsageError
    from launchpad.issues.pasted_file import decode_pasted

    assert decode_pasted("张三 09:15\n登录页\x0b白屏\n".encode(), "chat.txt") == "张三 09:15\n登录页\x0b白屏\n"
    with pytest.raises(UsageError, match="control characters"):
        decode_pasted(bytes(range(1, 32)) * 20 + "登录".encode(), "dump.bin")


TAKE_BACKUP = """\
name: t
title: 备份
phases:
  - id: backup
    name: 备份
    steps:
      - {id: take, name: 备份, kind: backup, targets: [app]}
"""


def _block_backups(root: Path, how: str) -> None:
    backups = root / "backups"
    if backups.exists():
        backups.rmdir()
    if how == "dangling link":
        backups.symlink_to(root / "gone")
    else:
        backups.write_text("not a folder", encoding="utf-8")


@pytest.mark.parametrize("how", ["dangling link", "file"])
def test_a_backups_folder_in_the_way_is_a_usage_error(tmp_path: Path, how: str) -> None:
    from tests.core.test_backup_steps import Runner

    runner = Runner(tmp_path / "ws", TAKE_BACKUP)
    _block_backups(runner.root, how)
    result = launchpad(runner.root, "backup", "--env", "test", "app")
    words = "is a link to" if how == "dangling link" else "is a file, not a folder"
    assert_clear_error(result, "backup folder unusable", words, str(runner.root / "backups"))


def test_a_read_only_backups_folder_is_a_usage_error(tmp_path: Path) -> None:
    from tests.core.test_backup_steps import Runner

    runner = Runner(tmp_path / "ws", TAKE_BACKUP)
    backups = runner.root / "backups"
    backups.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        # Permissions do not stop root: a read-only filesystem does.
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(backups)],
                                 capture_output=True, text=True)
        assert mounted.returncode == 0, mounted.stderr
    else:
        backups.chmod(0o500)
    try:
        result = launchpad(runner.root, "backup", "--env", "test", "app")
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(backups)], check=False)
    assert_clear_error(result, "backup folder unusable", "cannot create or write", str(backups))


def test_a_backups_folder_in_the_way_fails_the_step_which_a_retry_then_passes(tmp_path: Path) -> None:
    from launchpad.run.prompter import FailureChoice
    from tests.core.test_backup_steps import Runner
    from tests.scripted import ScriptedPrompter

    runner = Runner(tmp_path / "ws", TAKE_BACKUP)
    _block_backups(runner.root, "dangling link")

    def fix_then_retry(request: object) -> FailureChoice:
        (runner.root / "gone").mkdir()  # the person makes the link's folder, then retries
        return FailureChoice("retry_all")

    prompter = ScriptedPrompter(failures=[fix_then_retry])
    result = runner.run(prompter)
    assert result.status == "passed"
    asked = [r for r in prompter.asked if type(r).__name__ == "FailureRequest"]
    assert len(asked) == 1
    attempts = runner.store.db.execute(
        "SELECT status FROM run_steps WHERE run_id = ? ORDER BY attempt", [result.run_id]).fetchall()
    assert [a[0] for a in attempts] == ["failed", "passed"]
    assert list((runner.root / "gone" / "test" / "app").glob("*.json"))  # the backup went through the link


@pytest.mark.parametrize("call", ['fmt("no_such_label")', "section(99)", "v()", "backup_text(3)"])
def test_a_workspace_template_misusing_a_helper_is_located(tmp_path: Path, call: str) -> None:
    root = write_workspace(tmp_path / "ws")
    template = root / "templates" / "daily.txt.j2"
    template.parent.mkdir()
    template.write_text(f"日报\n{{{{ r.day }}}}\n{{{{ {call} }}}}\n", encoding="utf-8")
    result = launchpad(root, "report", "daily")
    assert_clear_error(result, f"{template}:3: ", "check how the template calls the helpers")


def test_only_a_robot_on_this_machine_may_have_its_webhook_written_as_is() -> None:
    from pydantic import ValidationError

    from launchpad.workspace.secrets import resolve_secret
    from launchpad.workspace.site import Channel

    local = Channel(kind="wecom", webhook="http://127.0.0.1:8080/robot/send?key=demo")
    assert resolve_secret(local.webhook) == "http://127.0.0.1:8080/robot/send?key=demo"
    for written in ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
                    "http://127.0.0.1.example.com:80/send", "http://localhost@example.com:80/"):
        with pytest.raises(ValidationError, match="holds the robot's key"):
            Channel(kind="wecom", webhook=written)


def test_an_init_that_fails_half_way_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    import errno

    from launchpad.cli import main

    def disk_full(destination: Path, *, overwrite: bool) -> list[Path]:
        destination.mkdir(parents=True, exist_ok=True)
        (destination / "environment-readiness.yaml").write_text("name: env", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(destination / "onsite-acceptance.yaml"))

    monkeypatch.setattr("launchpad.workspace.scaffold.copy_bundled_playbooks", disk_full)
    target = tmp_path / "site-a"
    with pytest.raises(SystemExit) as exited:
        main(["init", str(target)])
    assert exited.value.code == 2
    said = capsys.readouterr().err
    assert "cannot write" in said and "no space left on the disk" in said and "Traceback" not in said
    assert not target.exists(), "a failed init leaves nothing, so it can simply be run again"
