"""Why the system refused, in the reader's language: an OSError's reason is a phrase of the
word-book for the errors a field engineer meets, so a Chinese sentence never ends in the C
library's English ("无法写入 /x：Permission denied"); any other error keeps the system's words."""

from __future__ import annotations

import errno
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from launchpad.oserrors import os_reason
from launchpad.phrases import Phrase, phrase, render
from tests.workspaces import write_workspace

ROOT = Path(__file__).resolve().parents[2]

# errno → (中文, English)
TABLE = {
    errno.ENOENT: ("文件或目录不存在", "no such file or folder"),
    errno.EACCES: ("没有权限", "permission denied"),
    errno.EPERM: ("没有权限", "permission denied"),
    errno.ENOSPC: ("磁盘空间已满", "no space left on the disk"),
    errno.EDQUOT: ("超出磁盘配额", "disk quota exceeded"),
    errno.EISDIR: ("这是目录，不是文件", "it is a folder, not a file"),
    errno.ENOTDIR: ("路径中有一级是文件，不是目录", "a part of the path is a file, not a folder"),
    errno.EROFS: ("文件系统是只读的", "the file system is read-only"),
    errno.EEXIST: ("已经存在", "it already exists"),
    errno.ENAMETOOLONG: ("名称过长", "the name is too long"),
    errno.EMFILE: ("打开的文件过多", "too many open files"),
    errno.ELOOP: ("符号链接层级过多（可能是循环链接）", "too many levels of symbolic links (a link loop?)"),
    errno.EIO: ("输入/输出错误：磁盘或其连接出了故障", "input/output error: the disk or its connection failed"),
    errno.ETIMEDOUT: ("连接超时", "connection timed out"),
    errno.ECONNREFUSED: ("连接被拒绝：该端口上没有服务在监听", "connection refused: nothing listens on that port"),
    errno.EHOSTUNREACH: ("没有到达该主机的路由", "no route to the host"),
    errno.ENETUNREACH: ("网络不可达", "the network is unreachable"),
}


@pytest.mark.parametrize("number", sorted(TABLE), ids=lambda n: errno.errorcode[n])
def test_a_common_system_error_reads_in_both_languages(number: int) -> None:
    # Raised as Python raises it: OSError(errno, strerror) becomes PermissionError and friends.
    said = os_reason(OSError(number, os.strerror(number), "/x"))
    assert isinstance(said, Phrase)
    assert (render(said, "zh"), render(said, "en")) == TABLE[number]
    assert os.strerror(number) not in render(said, "zh")


@pytest.mark.parametrize(("number", "zh", "en"), [
    (socket.EAI_NONAME, "没有这个名称：DNS 和 /etc/hosts 中都查不到",
     "no such name: neither DNS nor /etc/hosts knows it"),
    (socket.EAI_AGAIN, "DNS 服务器没有应答", "no DNS server answered"),
    (socket.EAI_FAIL, "名称无法解析", "the name could not be resolved"),
])
def test_a_name_that_does_not_resolve_reads_in_both_languages(number: int, zh: str, en: str) -> None:
    said = os_reason(socket.gaierror(number, "Name or service not known"))
    assert (render(said, "zh"), render(said, "en")) == (zh, en)


def test_an_error_raised_without_a_number_is_known_by_its_class() -> None:
    # socket.timeout is TimeoutError("timed out"): no errno, no strerror
    assert render(os_reason(TimeoutError("timed out")), "zh") == "连接超时"
    assert render(os_reason(PermissionError("denied")), "zh") == "没有权限"


def test_any_other_error_keeps_the_systems_words() -> None:
    assert os_reason(OSError(errno.EBUSY, "Device or resource busy")) == "Device or resource busy"
    assert os_reason(OSError("the driver's own words")) == "the driver's own words"
    assert os_reason(OSError()) == "OSError"  # never an empty reason after a colon


def test_the_reason_inside_a_sentence_reads_in_the_sentences_language_and_is_stored_as_a_phrase() -> None:
    said = phrase("cli.cannot_write", where="/x", reason=os_reason(PermissionError(13, "Permission denied")))
    assert render(said, "zh") == "无法写入 /x：没有权限"
    assert str(said) == "cannot write /x: permission denied"  # the log's English
    assert render(Phrase.from_json(said.to_json()), "zh") == "无法写入 /x：没有权限"


def test_no_module_puts_the_systems_english_reason_in_a_sentence_itself() -> None:
    """Every OSError's reason goes through os_reason (os.strerror to raise one is fine)."""
    found = [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
             for path in sorted((ROOT / "launchpad").rglob("*.py")) if path.name != "oserrors.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"(?<!os)\.strerror\b", line)]
    assert not found, "\n".join(found)


ENGLISH_REASONS = ("Not a directory", "No such file", "Permission denied", "directory")


def _launchpad(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_workspace_under_a_file_says_why_in_chinese(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    done = _launchpad(tmp_path, "init", str(blocker / "ws"))
    assert done.returncode == 2, done.stderr
    assert f"无法写入 {blocker / 'ws'}：路径中有一级是文件，不是目录" in done.stderr, done.stderr
    assert not any(english in done.stderr for english in ENGLISH_REASONS), done.stderr
    english = _launchpad(tmp_path, "--lang", "en", "init", str(blocker / "ws"))
    assert f"cannot write {blocker / 'ws'}: a part of the path is a file, not a folder" in english.stderr


def test_a_report_written_where_no_file_can_be_says_why_in_chinese(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    done = _launchpad(root, "report", "daily", "--out", "/proc/daily.txt")
    assert done.returncode == 2, done.stderr
    assert "无法写入 /proc/daily.txt：文件或目录不存在" in done.stderr, done.stderr
    assert not any(english in done.stderr for english in ENGLISH_REASONS), done.stderr


@pytest.mark.parametrize(("code", "zh"), [
    (10, "TLS 证书问题：证书已过期（或本机时钟不对）"),
    (18, "TLS 证书问题：证书是自签名的，本机不信任它"),
    (20, "TLS 证书问题：签发证书的 CA 不受本机信任"),
    (62, "TLS 证书问题：证书签发给的名称与该地址不符"),
    (50, "TLS 证书问题：application verification failure"),  # one the word-book has no words for
])
def test_a_certificate_that_fails_verification_is_said_by_why_never_by_its_number(code: int, zh: str) -> None:
    """OpenSSL's error number 1 is errno's EPERM: read as errno, every certificate problem was
    "permission denied"."""
    import ssl

    failed = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    failed.verify_code, failed.verify_message = code, "application verification failure"
    said = os_reason(failed)
    assert render(said, "zh") == zh
    assert "permission" not in render(said, "en")


def test_a_tls_handshake_that_fails_is_said_by_what_went_wrong() -> None:
    import ssl

    not_tls = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number")
    not_tls.reason = "WRONG_VERSION_NUMBER"
    assert render(os_reason(not_tls), "zh") == "对方在该端口上不使用 TLS"
    assert render(os_reason(ssl.SSLEOFError(8, "EOF occurred in violation of protocol")), "zh") == \
        "对方在 TLS 连接过程中关闭了连接"
    other = ssl.SSLError(1, "[SSL: TLSV1_ALERT_PROTOCOL_VERSION] alert protocol version")
    other.reason = "TLSV1_ALERT_PROTOCOL_VERSION"
    assert render(os_reason(other), "en") == "TLS failed: TLSV1_ALERT_PROTOCOL_VERSION"


def test_a_sentence_that_already_says_tls_failed_gets_the_reason_without_saying_it_again() -> None:
    """`mail.tls_failed` says "TLS with … failed: "; its reason must not begin "TLS failed" too.
    A reason the word-book knows is its words; one it does not is OpenSSL's own, said once."""
    import ssl

    from launchpad.notify.mail import _tls_failed
    from launchpad.oserrors import openssl_detail, tls_known_reason

    where = phrase("mail.where", host="smtp.example.cn", port="587", channel="mail")
    not_tls = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)")
    not_tls.reason = "WRONG_VERSION_NUMBER"
    said = _tls_failed(where, not_tls)
    assert render(said, "zh") == ("与邮件服务器 smtp.example.cn:587（渠道 mail）的 TLS 连接失败："
                                  "对方在该端口上不使用 TLS")
    unknown = ssl.SSLError(1, "[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version (_ssl.c:1006)")
    unknown.reason = "TLSV1_ALERT_PROTOCOL_VERSION"
    assert tls_known_reason(unknown) is None
    said = _tls_failed(where, unknown)
    assert render(said, "zh") == ("与邮件服务器 smtp.example.cn:587（渠道 mail）的 TLS 连接失败："
                                  "OpenSSL 报告 TLSV1_ALERT_PROTOCOL_VERSION")
    assert render(said, "en") == ("TLS with the mail server smtp.example.cn:587 (channel mail) failed: "
                                  "OpenSSL says TLSV1_ALERT_PROTOCOL_VERSION")
    # Without OpenSSL's name for it, its message, less the line of Python's source it came from.
    assert openssl_detail(ssl.SSLError(1, "[SSL] internal error (_ssl.c:1006)")) == "[SSL] internal error"
    # Nothing said at all: the sentence ends where it has something to say.
    assert render(_tls_failed(where, ssl.SSLError()), "zh") == \
        "与邮件服务器 smtp.example.cn:587（渠道 mail）的 TLS 连接失败"
    assert render(_tls_failed(where, ssl.SSLError()), "en") == \
        "TLS with the mail server smtp.example.cn:587 (channel mail) failed"
    # Where the sentence around does not say TLS (an https check), the reason still does.
    assert render(os_reason(unknown), "en") == "TLS failed: TLSV1_ALERT_PROTOCOL_VERSION"
    assert render(os_reason(ssl.SSLError()), "zh") == "TLS 失败：SSLError"
