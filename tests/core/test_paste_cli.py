"""`launchpad issue paste` shows every pasted line: the messages (whole with `--dry-run` or
`--json`), and the lines that are in no message; it creates nothing until `--take` says what,
and refuses a message without words alone, before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.core.test_issues import run_cli
from tests.workspaces import write_workspace

CHAT = Path(__file__).resolve().parent.parent / "fixtures" / "chat"


def logged(root: Path) -> list[dict[str, object]]:
    listed = run_cli(root, "issue", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    return json.loads(listed.stdout)


def test_the_listing_shows_the_message_before_the_first_header_and_the_lines_set_aside(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    shown = run_cli(root, "issue", "paste", str(CHAT / "same_line_bracketed.txt"), "--lang", "zh")
    assert shown.returncode == 0, shown.stderr
    assert "  1  —  —: 另外登录页的验证码也刷不出来，" in shown.stdout
    assert "  3  11-21 16:02  王芳: 我这边也是，" in shown.stdout
    assert "共 10 行，其中 3 行不属于任何消息：" in shown.stdout
    assert "第 3 行  系统提示: —— 以下是新消息 ——" in shown.stdout
    assert "第 7 行  无发送人的图片或文件: [图片]" in shown.stdout
    assert "第 9 行  系统提示: 王芳撤回了一条消息" in shown.stdout
    assert logged(root) == []


def test_dry_run_shows_every_message_whole_and_logs_nothing(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    sample = str(CHAT / "feishu_dated.txt")
    shown = run_cli(root, "issue", "paste", sample, "--dry-run", "--lang", "en")
    assert shown.returncode == 0, shown.stderr
    assert "  2  11-21 15:40  吴工  [lines 3-5]\n       生产环境 app2 的磁盘快满了，/data 只剩 3%\n" \
           "       清理了日志之后还是 92%\n" in shown.stdout
    assert "  3  11-21 15:42  张三  [lines 7-8] (no words: not an issue alone)\n       [文件]\n" in shown.stdout
    assert "       第 3 项的时间改到 16:30" in shown.stdout
    assert "line 10  system line: 吴工撤回了一条消息" in shown.stdout
    assert "dry run: nothing was logged" in shown.stdout
    taken = run_cli(root, "issue", "paste", sample, "--dry-run", "--take", "2,3+4", "--lang", "en")
    assert taken.returncode == 0, taken.stderr
    assert "would log: 生产环境 app2 的磁盘快满了，/data 只剩 3% (reported by 吴工)" in taken.stdout
    assert "would log: 附件里是今天的上线清单，请各位确认 (reported by 张三)" in taken.stdout
    assert logged(root) == []


def test_json_without_take_prints_the_messages_whole_and_logs_nothing(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    shown = run_cli(root, "issue", "paste", str(CHAT / "dingtalk_desktop.txt"), "--json")
    assert shown.returncode == 0, shown.stderr
    paste = json.loads(shown.stdout)
    assert [(m["number"], m["sender"], m["sent_at"], m["has_text"]) for m in paste["messages"]] == [
        (1, "陈晓明", "2026-11-21T09:12:00+08:00", True), (2, "张三", "2026-11-21T09:15:00+08:00", True),
        (3, "陈晓明", "2026-11-21T09:16:00+08:00", False), (4, "陈晓明", "2026-11-21T09:20:00+08:00", True)]
    assert paste["messages"][1]["text"] == "@陈晓明 收到，是哪个页面？"
    assert [(line["line"], line["kind"]) for line in paste["set_aside"]] == [(1, "notice"), (12, "notice")]
    counted = sum(len(m["lines"]) for m in paste["messages"]) + len(paste["set_aside"]) + len(paste["blank_lines"])
    assert counted == paste["lines"] == 15
    assert logged(root) == []


def test_a_message_without_words_is_refused_alone_and_nothing_is_half_logged(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    sample = str(CHAT / "dingtalk_desktop.txt")
    refused = run_cli(root, "issue", "paste", sample, "--take", "1,3")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "消息 3 没有可作为问题的文字" in refused.stderr and "+" in refused.stderr
    assert logged(root) == []  # not even message 1
    merged = run_cli(root, "issue", "paste", sample, "--take", "3+4")
    assert merged.returncode == 0, merged.stderr
    (issue,) = logged(root)
    assert (issue["title"], issue["reporter"]) == ("人员查询 → 高级查询 那个页面", "陈晓明")
    assert str(issue["title"]) != "(chat)"


def test_a_paste_of_only_system_lines_says_so(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    refused = run_cli(root, "issue", "paste", "--lang", "en", stdin="以上是历史消息\n[图片]\n王芳撤回了一条消息\n")
    # The command's own --lang speaks its refusal too.
    assert refused.returncode == 2 and "the paste holds no messages" in refused.stderr, refused.stderr
    assert "3 of the 3 line(s) are in no message:" in refused.stdout
    assert "line 2  image or file with no sender: [图片]" in refused.stdout
