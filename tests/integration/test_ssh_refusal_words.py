"""What a real SSH server's refusals read like on a `language: zh` site, and in English: a file
that cannot be written there, a local file that cannot be read, a port nothing answers on as
seen from the host, a command past its timeout and a key the server does not take."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.errors import AuthenticationFailed, CommandTimeout, HostUnreachable, LaunchpadError, RemoteError
from launchpad.hosts.pool import ConnectionPool
from tests.integration.sshd import SshdHost, free_port, generate_key

pytestmark = pytest.mark.integration


def _both(error: LaunchpadError) -> tuple[str, str]:
    return error.render("zh"), error.render("en")


def test_a_copy_that_cannot_be_written_or_read_is_said_in_both_languages(
        ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost], tmp_path: Path) -> None:
    host = ssh_pool.get(ssh_hosts[0].spec())
    source = tmp_path / "app.jar"
    source.write_bytes(b"jar")
    with pytest.raises(RemoteError) as unwritable:
        host.put(str(source), "/no-such-folder/app.jar")
    chinese, english = _both(unwritable.value)
    assert "无法写入 /no-such-folder/app.jar：" in chinese, chinese
    assert "→ 请确认目录存在，并且该用户有写入权限" in chinese
    assert "cannot write /no-such-folder/app.jar: " in english
    with pytest.raises(RemoteError) as unreadable:
        host.put(str(tmp_path / "gone.jar"), "/tmp/gone.jar")
    chinese, english = _both(unreadable.value)
    assert f"无法读取 {tmp_path / 'gone.jar'}：" in chinese and "→ 请检查本地文件" in chinese, chinese
    assert f"cannot read {tmp_path / 'gone.jar'}: " in english and "→ check the local file" in english


def test_a_port_nothing_answers_on_from_the_host_is_said_in_both_languages(
        ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]) -> None:
    host = ssh_pool.get(ssh_hosts[0].spec())
    port = free_port()
    with pytest.raises(HostUnreachable) as refused:
        host.open_channel_to("127.0.0.1", port)  # type: ignore[attr-defined]
    chinese, english = _both(refused.value)
    assert f"从这台主机无法连接 127.0.0.1:{port}：" in chinese, chinese
    assert "→ 请从这台主机的角度检查地址和端口" in chinese
    assert f"cannot reach 127.0.0.1:{port} from this host: " in english


def test_a_command_past_its_timeout_is_said_in_both_languages(
        ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]) -> None:
    host = ssh_pool.get(ssh_hosts[0].spec())
    with pytest.raises(CommandTimeout) as late:
        host.run("sleep 30", timeout=0.5)
    chinese, english = _both(late.value)
    assert "`sleep 30` 在 0.5 秒内没有结束；launchpad 已关闭它的通道" in chinese, chinese
    assert "→ 命令可能仍在主机上运行：再次执行前请先检查" in chinese and "命令超时" in chinese
    assert "`sleep 30` did not finish within 0.5s; launchpad closed its channel" in english


def test_a_key_the_server_does_not_take_is_said_in_both_languages(
        ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost], tmp_path: Path) -> None:
    stranger = generate_key(tmp_path / "stranger_key")
    with pytest.raises(AuthenticationFailed) as refused:
        ssh_pool.get(ssh_hosts[0].spec(identity_file=str(stranger))).run("true")
    chinese, english = _both(refused.value)
    assert f"拒绝了尝试过的所有密钥（{stranger}" in chinese and "authorized_keys" in chinese, chinese
    assert f"refused every key tried ({stranger}" in english
