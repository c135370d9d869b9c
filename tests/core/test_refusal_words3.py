"""The refusals of reaching and talking to hosts in the site's language: a revoked host key, the
known_hosts files, the SSH login and handshake, and a command's timeout, refusal or lost
connection. Each one read in Chinese (what a `language: zh` site prints) and in English."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import paramiko
import pytest

from launchpad.errors import LaunchpadError, UsageError
from launchpad.hosts.hostkeys import KnownHosts, fingerprint
from launchpad.hosts.sshconfig import SshTarget


def _both(error: LaunchpadError) -> tuple[str, str]:
    return error.render("zh"), error.render("en")


@pytest.fixture(scope="module")
def key() -> paramiko.PKey:
    return paramiko.ECDSAKey.generate()


# -- host keys ----------------------------------------------------------------------------------


def test_a_revoked_host_key_is_said_in_both_languages(tmp_path: Path, key: paramiko.PKey) -> None:
    from launchpad.errors import RevokedHostKey

    path = tmp_path / "known_hosts"
    path.write_text(f"app1 {key.get_name()} {key.get_base64()}\n@revoked * {key.get_name()} {key.get_base64()}\n")
    with pytest.raises(RevokedHostKey) as refused:
        KnownHosts(read_only=(path,)).verify("应用服务器", "app1", 22, key)
    chinese, english = _both(refused.value)
    offered = f"{key.get_name()} {fingerprint(key)}"
    assert f"主机出示的密钥 {offered} 在 known_hosts 中被标记为 @revoked（已吊销）" in chinese, chinese
    assert "→ 不要连接；请向客户的管理员索取这台主机的新密钥" in chinese and "主机密钥已吊销" in chinese
    assert f"the host offers {offered}, which known_hosts marks @revoked" in english
    assert "→ do not connect; ask the client's administrator for the host's new key" in english
    assert refused.value.message.endswith("which known_hosts marks @revoked")  # the audit keeps English


def test_a_key_that_cannot_be_recorded_is_said_in_both_languages(tmp_path: Path, key: paramiko.PKey) -> None:
    with pytest.raises(UsageError) as nowhere:
        KnownHosts(read_only=()).trust("app1", 22, key)
    chinese, english = _both(nowhere.value)
    assert "没有可写入的 known_hosts 文件，无法记录这个密钥" in chinese and "→ 请打开一个工作区" in chinese
    assert "no writable known_hosts file is configured" in english
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(UsageError) as unwritable:
        KnownHosts(read_only=(), writable=blocker / "known_hosts").trust("app1", 22, key)
    chinese, english = _both(unwritable.value)
    assert f"无法写入 known_hosts 文件 {blocker / 'known_hosts'}：" in chinese and "什么都没有记录" in chinese, chinese
    assert f"cannot write known_hosts file {blocker / 'known_hosts'}: " in english
    assert "nothing was recorded" in english


def test_an_unreadable_known_hosts_path_is_said_in_both_languages(tmp_path: Path, key: paramiko.PKey) -> None:
    folder = tmp_path / "known_hosts"
    folder.mkdir()  # a folder where the file should be: unreadable even for root
    with pytest.raises(UsageError) as unreadable:
        KnownHosts(read_only=(folder,)).check("app1", 22, key)
    chinese, english = _both(unreadable.value)
    assert f"无法读取 known_hosts 文件 {folder}：" in chinese and "→ 请检查文件的权限" in chinese, chinese
    assert f"cannot read known_hosts file {folder}: " in english and "→ check the file's permissions" in english


# -- the SSH login and handshake ----------------------------------------------------------------


def _target(tmp_path: Path, *, only: bool) -> SshTarget:
    present = tmp_path / "id_ed25519"
    present.write_text("")
    return SshTarget(name="数据库服务器", hostname="db1", port=2222, user="ops",
                     identity_files=(str(present), str(tmp_path / "id_gone")), identities_only=only)


def test_every_key_refused_is_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.hosts.ssh_connect import connect_error

    refused = connect_error(_target(tmp_path, only=False), paramiko.AuthenticationException("no"))
    chinese, english = _both(refused)
    gone = tmp_path / "id_gone"
    assert f"ops@db1:2222 拒绝了尝试过的所有密钥（{tmp_path / 'id_ed25519'}、{gone}（不存在）、" \
           "ssh-agent 中的密钥和 ~/.ssh/id_*）" in chinese, chinese
    assert chinese.startswith("认证失败") and english.startswith("authentication failed")
    assert "→ 请检查用户名和 IdentityFile" in chinese
    assert f"ops@db1:2222 refused every key tried ({tmp_path / 'id_ed25519'}, {gone} (missing), " \
           "the agent's and ~/.ssh/id_*)" in english
    only = connect_error(_target(tmp_path, only=True), paramiko.AuthenticationException("no"))
    assert "ssh-agent 中的密钥和" not in only.render("zh") and "agent's" not in only.message


def test_a_passphrase_a_slow_handshake_and_a_failed_ssh_are_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.hosts.ssh_connect import connect_error

    target = _target(tmp_path, only=True)
    chinese, english = _both(connect_error(target, paramiko.PasswordRequiredException("x")))
    assert "连接 ops@db1:2222 用的私钥有口令保护" in chinese and "→ 请先把它加载到 ssh-agent" in chinese, chinese
    assert "the key for ops@db1:2222 is protected by a passphrase" in english
    chinese, english = _both(connect_error(target, TimeoutError()))
    assert "ops@db1:2222 未能及时完成 SSH 握手" in chinese and "不是 SSH 服务" in chinese
    assert "ops@db1:2222 did not complete the SSH handshake in time" in english
    chinese, english = _both(connect_error(target, EOFError()))
    assert "SSH 连接 ops@db1:2222 失败：EOFError" in chinese and "→ 请确认这个端口是 SSH 服务" in chinese
    assert "SSH to ops@db1:2222 failed: EOFError" in english


def test_no_key_file_at_all_is_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.errors import AuthenticationFailed
    from launchpad.hosts.ssh_connect import _identity_files

    target = SshTarget(name="db", hostname="db1", port=22, user="ops",
                       identity_files=(str(tmp_path / "a"), str(tmp_path / "b")), identities_only=True)
    with pytest.raises(AuthenticationFailed) as none:
        _identity_files(target)
    chinese, english = _both(none.value)
    assert f"所有密钥文件都不存在：{tmp_path / 'a'}、{tmp_path / 'b'}" in chinese, chinese
    assert f"none of the key files exists: {tmp_path / 'a'}, {tmp_path / 'b'}" in english


# -- a command on the host ----------------------------------------------------------------------


def _connection(silent: bool) -> object:
    heartbeat = SimpleNamespace(silent_too_long=lambda: silent, silent_for=lambda: 42.0)
    from launchpad.hosts.ssh_connect import Connection

    stand_in = SimpleNamespace(target=SimpleNamespace(name="app"), heartbeat=heartbeat,
                               transport=SimpleNamespace(is_active=lambda: True))
    stand_in.why_dead = lambda: Connection.why_dead(stand_in)  # type: ignore[arg-type]
    return stand_in


def test_a_lost_connection_and_a_refused_command_are_said_in_both_languages() -> None:
    from launchpad.hosts.ssh_exec import _lost, _refused

    chinese, english = _both(_lost(_connection(silent=True), "systemctl restart 应用"))  # type: ignore[arg-type]
    assert "`systemctl restart 应用` 运行时连接断开了（主机已 42 秒没有应答）" in chinese, chinese
    assert "→ 命令在主机上的结果未知" in chinese
    assert "the connection broke while `systemctl restart 应用` ran (no answer from the host for 42s)" in english
    chinese, english = _both(_lost(_connection(silent=False), "ls"))  # type: ignore[arg-type]
    assert "（连接已被关闭）" in chinese and "(the connection was closed)" in english
    chinese, english = _both(_refused(_connection(False), "ls", paramiko.SSHException("administratively prohibited")))  # type: ignore[arg-type]
    assert "主机拒绝执行 `ls`：administratively prohibited" in chinese and "MaxSessions" in chinese, chinese
    assert "the host refused to run `ls`: administratively prohibited" in english


# -- ssh_config ---------------------------------------------------------------------------------


def _resolved(tmp_path: Path, text: str, address: str) -> UsageError:
    from launchpad.hosts.base import HostSpec
    from launchpad.hosts.sshconfig import SshConfigResolver

    path = tmp_path / "config"
    path.write_text(text)
    with pytest.raises(UsageError) as refused:
        SshConfigResolver(path).resolve(HostSpec(name="应用", address=address))
    return refused.value


def test_ssh_config_refusals_are_said_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "config"
    chinese, english = _both(_resolved(tmp_path, "Host loop\n    ProxyJump loop\n", "loop"))
    assert "：跳板机超过 8 层；ProxyJump 设置形成了循环" in chinese, chinese
    assert f"→ 请检查 {path} 中的 ProxyJump 行" in chinese
    assert ": more than 8 jump hosts; the ProxyJump settings form a loop" in english
    chinese, english = _both(_resolved(tmp_path, "Host legacy\n    ProxyCommand nc %h %p\n", "legacy"))
    assert f"应用：{path} 通过 ProxyCommand 连接 legacy，launchpad 不执行 ProxyCommand" in chinese, chinese
    assert "→ 请改用 `ProxyJump 跳板机`" in chinese
    assert f"应用: {path} reaches legacy with ProxyCommand, which launchpad does not run" in english
    chinese, english = _both(_resolved(tmp_path, "Host p\n    Port twenty\n", "p"))
    assert f"应用：{path} 为 p 给出的端口 'twenty' 无效" in chinese and "1 到 65535" in chinese, chinese
    assert f"应用: {path} gives port 'twenty' for p" in english
    chinese, english = _both(_resolved(tmp_path, "Host j\n    ProxyJump ops@:x:y\n", "j"))
    assert f"{path} 中的 ProxyJump 'ops@:x:y' 不是 [用户@]主机[:端口] 的格式" in chinese, chinese
    assert f"ProxyJump 'ops@:x:y' in {path} is not [user@]host[:port]" in english
    chinese, english = _both(_resolved(tmp_path, 'Host q\n    UserKnownHostsFile ~/a "~/b\n', "q"))
    assert f"应用：{path} 的 known_hosts 文件设置 " in chinese and "中引号不成对" in chinese, chinese
    assert "has an unbalanced quote in its known_hosts file setting" in english


def test_an_unusable_ssh_config_is_said_in_both_languages(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()  # a folder where the file should be
    from launchpad.hosts.base import HostSpec
    from launchpad.hosts.sshconfig import SshConfigResolver

    with pytest.raises(UsageError) as refused:
        SshConfigResolver(folder).resolve(HostSpec(name="a", address="a"))
    chinese, english = _both(refused.value)
    assert f"无法使用 ssh 配置文件 {folder}：" in chinese and "→ 请修正这个文件" in chinese, chinese
    assert f"cannot use ssh config {folder}: " in english


# -- this machine's shell and the host trust ----------------------------------------------------


def test_the_local_shells_refusals_are_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.errors import CommandTimeout, RemoteError
    from launchpad.hosts.local import LocalTransport

    shell = LocalTransport(cwd=str(tmp_path))
    with pytest.raises(RemoteError) as uncopied:
        shell.put(str(tmp_path / "gone.sql"), str(tmp_path / "copy.sql"))
    chinese, english = _both(uncopied.value)
    assert f"无法把 {tmp_path / 'gone.sql'} 复制到 {tmp_path / 'copy.sql'}：" in chinese, chinese
    assert "→ 请确认两个路径都存在且可写" in chinese
    assert f"cannot copy {tmp_path / 'gone.sql'} to {tmp_path / 'copy.sql'}: " in english
    with pytest.raises(CommandTimeout) as late:
        shell.run("sleep 30", timeout=0.2)
    chinese, english = _both(late.value)
    assert "`sleep 30` 在 0.2 秒内没有结束，已被终止" in chinese and "→ 如果命令只是慢但运行正常" in chinese, chinese
    assert "`sleep 30` did not finish within 0.2s and was killed" in english
    with pytest.raises(RemoteError) as no_shell:
        LocalTransport(cwd=str(tmp_path / "no-such-folder")).run("true")
    chinese, english = _both(no_shell.value)
    assert "无法启动 /bin/sh：" in chinese and "→ 请检查工作目录，并确认 /bin/sh 存在" in chinese, chinese
    assert "cannot start /bin/sh: " in english


def test_a_host_behind_an_untrusted_jump_host_and_a_failed_handshake_are_said_in_both_languages() -> None:
    import socket

    from launchpad.errors import RemoteError
    from launchpad.hosts.hosttrust import _behind_untrusted, scan_host_key

    hop = SshTarget(name="数据库", hostname="db1", port=22, user="ops")
    chinese, english = _both(_behind_untrusted(hop, "跳板机"))
    assert "未连接：它在跳板机 跳板机 之后，而跳板机的密钥尚未信任" in chinese, chinese
    assert "→ 请先信任 跳板机 的密钥（对它回答 yes，或用 --accept 加它的指纹）" in chinese
    assert "not reached: it is behind jump host 跳板机, whose key is not trusted" in english
    ours, theirs = socket.socketpair()
    theirs.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    theirs.close()  # not an SSH server: the handshake ends at once
    with pytest.raises(RemoteError) as failed:
        scan_host_key("网关", ours, timeout=5)
    chinese, english = _both(failed.value)
    assert "SSH 握手失败：" in chinese and "→ 请确认这个地址和端口是 SSH 服务" in chinese, chinese
    assert "the SSH handshake failed: " in english


# -- the backup file on this machine ------------------------------------------------------------


def test_a_backups_folder_in_the_way_is_said_in_chinese_by_a_real_process(tmp_path: Path) -> None:
    from tests.core.test_backup_steps import Runner
    from tests.core.test_bad_input import TAKE_BACKUP, _block_backups
    from tests.core.test_inputs import launchpad

    runner = Runner(tmp_path / "ws", TAKE_BACKUP)
    _block_backups(runner.root, "file")
    result = launchpad(runner.root, "--lang", "zh", "backup", "--env", "test", "app")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"{runner.root / 'backups'} 是文件，不是文件夹" in result.stderr, result.stderr
    assert "→ 请让工作区的 backups/ 成为 launchpad 能写入的文件夹" in result.stderr


def test_the_backup_folders_and_disks_refusals_are_said_in_both_languages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import shutil

    from launchpad.backup.errors import BackupFailed
    from launchpad.backup.writer import _unusable_folder, check_free_space, explain_os_error

    gone = tmp_path / "backups"
    gone.symlink_to(tmp_path / "elsewhere")
    chinese, english = _both(_unusable_folder(gone, OSError(errno.ENOENT, "No such file")))
    assert f"{gone} 是指向 {tmp_path / 'elsewhere'} 的链接，而它不存在" in chinese, chinese
    assert f"{gone} is a link to {tmp_path / 'elsewhere'}, which does not exist" in english
    chinese, english = _both(_unusable_folder(tmp_path / "ro", OSError(errno.EROFS, "Read-only file system")))
    assert f"无法创建或写入 {tmp_path / 'ro'}：文件系统是只读的" in chinese, chinese
    assert f"cannot create or write {tmp_path / 'ro'}: the file system is read-only" in english
    full = explain_os_error(OSError(errno.ENOSPC, "No space left on device"), tmp_path / "app.sql.gz")
    chinese, english = _both(full)
    assert f"{tmp_path} 所在的磁盘已满；未完成的备份文件已删除" in chinese and "→ 请腾出空间" in chinese, chinese
    assert f"the disk holding {tmp_path} is full; the partial backup was removed" in english
    chinese, english = _both(explain_os_error(OSError(errno.EIO, "I/O error"), tmp_path / "a.gz"))
    assert f"无法写入 {tmp_path / 'a.gz'}：输入/输出错误：磁盘或其连接出了故障" in chinese, chinese
    assert "→ 请检查工作区所在的磁盘" in chinese
    assert f"cannot write {tmp_path / 'a.gz'}: input/output error: the disk or its connection failed" in english
    # A disk with 1 KiB free: the free space the statvfs call reports is the only thing made up.
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: shutil._ntuple_diskusage(1 << 30, 1 << 30, 1024))
    with pytest.raises(BackupFailed) as low:
        check_free_space(tmp_path, 5 << 20)
    chinese, english = _both(low.value)
    assert f"{tmp_path} 只剩 1.0 KiB 空闲空间；这个目标上次的备份占用了 5.0 MiB" in chinese, chinese
    assert f"only 1.0 KiB free in {tmp_path}; the last backup of this target took 5.0 MiB" in english
    with pytest.raises(BackupFailed) as margin:
        check_free_space(tmp_path, 0)
    assert "launchpad 至少要保留" in margin.value.render("zh") and "launchpad keeps at least" in margin.value.message


# -- the backup's database clients and drivers --------------------------------------------------


def _shell(tmp_path: Path) -> object:
    from launchpad.backup.hostshell import HostShell
    from launchpad.hosts.local import LocalTransport

    return HostShell(LocalTransport(cwd=str(tmp_path)), lambda *entry: None, local=True)


def test_a_sqlite_drivers_failed_inventory_is_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.backup.drivers.sqlite import SqliteDriver
    from launchpad.backup.errors import BackupFailed

    broken = tmp_path / "app.db"
    broken.write_text("not a database")
    driver = SqliteDriver(SimpleNamespace(database=SimpleNamespace(name=str(broken))))  # type: ignore[arg-type]
    with pytest.raises(BackupFailed) as uncounted:
        driver.inventory(_shell(tmp_path), str(tmp_path))  # type: ignore[arg-type]
    chinese, english = _both(uncounted.value)
    assert f"备份失败：local：无法统计 {broken} 的行数：" in chinese, chinese
    assert f"backup failed: local: cannot count the rows of {broken}: " in english


def test_an_unreadable_client_answer_and_no_environment_are_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.backup.errors import BackupFailed
    from launchpad.backup.session import open_backup_session
    from launchpad.backup.sqlclient import parse_mysql_xml
    from launchpad.store.db import Store
    from launchpad.workspace.folder import load_workspace
    from tests.workspaces import LOCAL_SITE, write_workspace

    with pytest.raises(BackupFailed) as cut:
        parse_mysql_xml(b'<?xml version="1.0"?>\n<resultset><row><field name="a">1')
    chinese, english = _both(cut.value)
    assert "无法读取 mysql 的返回结果：" in chinese and "cannot read mysql's answer: " in english, chinese
    empty = load_workspace(write_workspace(tmp_path / "empty", LOCAL_SITE.split("environments:")[0]
                                           + "environments: {}\n"))
    with (Store.open(empty.store_path) as store, pytest.raises(UsageError) as none,
          open_backup_session(empty, store, "张伟")):
        pass
    chinese, english = _both(none.value)
    assert "site.yaml 中没有定义任何环境" in chinese and "site.yaml defines no environments" in english, chinese


def test_a_drill_of_a_damaged_backup_and_a_deleted_backup_are_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.backup import records
    from launchpad.backup.drill import drill_backup
    from launchpad.backup.errors import BackupFailed
    from launchpad.backup.verify import verify_backup
    from tests.core.test_backup import Lab

    lab = Lab(tmp_path / "ws")
    record = lab.take("app")
    path = record.path(lab.workspace.backups_dir)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with lab.session() as session, pytest.raises(BackupFailed) as damaged:
        drill_backup(session, record.id)
    chinese, english = _both(damaged.value)
    assert f"备份 {record.id} 校验不通过，无法演练：" in chinese, chinese
    assert f"backup {record.id} does not verify, so it cannot be drilled: " in english
    records.mark_deleted(lab.store, record.id, "按保留策略清理")
    with lab.session() as session, pytest.raises(BackupFailed) as deleted:
        verify_backup(session, record.id)
    chinese, english = _both(deleted.value)
    assert f"备份 {record.id} 已被删除（按保留策略清理）" in chinese, chinese
    assert f"backup {record.id} was deleted (按保留策略清理)" in english


# -- secrets, the upload and a backup step outside a run ---------------------------------------


def test_an_unavailable_secret_is_said_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.errors import SecretUnavailable
    from launchpad.workspace.secrets import resolve_secret

    monkeypatch.delenv("LP_NO_SUCH_PASSWORD", raising=False)
    with pytest.raises(SecretUnavailable) as unset:
        resolve_secret("env:LP_NO_SUCH_PASSWORD")
    chinese, english = _both(unset.value)
    assert "环境变量 LP_NO_SUCH_PASSWORD 未设置（用于 一项密钥）" in chinese, chinese
    assert "→ 请先在这个终端中执行 export LP_NO_SUCH_PASSWORD=…，再运行 launchpad" in chinese
    assert "environment variable LP_NO_SUCH_PASSWORD is not set (needed for a secret)" in english
    assert "→ export LP_NO_SUCH_PASSWORD=… in this shell before running launchpad" in english
    with pytest.raises(SecretUnavailable) as nobody:
        resolve_secret("prompt", label="数据库口令")
    chinese, english = _both(nobody.value)
    assert "数据库口令 设置为 prompt（现场询问），但这里没有人可以回答" in chinese, chinese
    assert "数据库口令 is set to prompt, but nobody can be asked here" in english
    with pytest.raises(SecretUnavailable) as wrong:
        resolve_secret("vault:db")
    assert "不是有效的密钥引用：'vault:db'" in wrong.value.render("zh")
    assert "not a secret reference: 'vault:db'" in wrong.value.render("en")
    with pytest.raises(SecretUnavailable) as no_keyring:  # the package is not installed here
        resolve_secret("keyring:launchpad/db")
    chinese, english = _both(no_keyring.value)
    assert "keyring:launchpad/db 需要 keyring 软件包，但它没有安装" in chinese, chinese
    assert "keyring:launchpad/db needs the 'keyring' package, which is not installed" in english


def test_an_upload_that_cannot_read_or_write_is_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.deploy.upload import artifact_at, deliver
    from launchpad.errors import RemoteError
    from launchpad.hosts.base import HostSpec
    from launchpad.hosts.local import LocalTransport

    with pytest.raises(LaunchpadError) as unreadable:
        artifact_at(tmp_path / "portal.tar.gz")
    chinese, english = _both(unreadable.value)
    assert f"无法读取制品 {tmp_path / 'portal.tar.gz'}：" in chinese and "→ 请检查路径" in chinese, chinese
    assert f"cannot read the artifact {tmp_path / 'portal.tar.gz'}: " in english
    artifact = tmp_path / "portal.tar.gz"
    artifact.write_bytes(b"portal")
    (tmp_path / "dest").write_text("a file where a folder should be")
    transport = LocalTransport(HostSpec("app1", "127.0.0.1"), cwd=str(tmp_path))
    with pytest.raises(RemoteError) as unwritable:
        deliver(transport, artifact_at(artifact), str(tmp_path / "dest" / "portal.tar.gz"))
    chinese, english = _both(unwritable.value)
    assert f"app1：无法写入 {tmp_path / 'dest' / 'portal.tar.gz'}：" in chinese, chinese
    assert "→ 请确认该用户有写入权限，并且磁盘有空间" in chinese
    assert f"app1: cannot write {tmp_path / 'dest' / 'portal.tar.gz'}: " in english


def test_a_backup_step_outside_a_run_is_said_in_both_languages() -> None:
    from launchpad.steps.backup_session import step_session

    with pytest.raises(UsageError) as outside, step_session(SimpleNamespace(workspace=None, store=None)):  # type: ignore[arg-type]
        pass
    chinese, english = _both(outside.value)
    assert "这一步需要运行所在的工作区及其数据库" in chinese and "→ 请通过 `launchpad run` 运行" in chinese, chinese
    assert "this step needs the run's workspace and its store" in english


def test_an_outbox_message_that_moved_on_is_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.notify.outbox import Outbox
    from launchpad.store.db import Store

    with Store.open(tmp_path / "store.db") as store:
        outbox = Outbox(store)
        outbox.enqueue("group", "daily", "markdown", "日报", ["第一段"])
        message_id = outbox.messages()[0].id
        assert outbox.claim(message_id)
        outbox.mark_sent(message_id)
        with pytest.raises(UsageError) as sent:
            outbox.mark_drafted(message_id, str(tmp_path / "draft.md"))
        chinese, english = _both(sent.value)
        assert f"发件箱消息 {message_id} 的状态是“已发送”；只有排队中、不确定或失败的消息可以存为草稿" \
            in chinese, chinese
        assert f"outbox message {message_id} is sent; only queued, unknown or failed messages" in english
        with pytest.raises(UsageError) as again:
            outbox.mark_sent(message_id)
        chinese, english = _both(again.value)
        assert f"发件箱消息 {message_id} 的状态不是“发送中”（由本进程领取）" in chinese, chinese
        assert f"outbox message {message_id} is not sending (claimed here)" in english


# -- report templates ---------------------------------------------------------------------------


def test_a_broken_workspace_report_template_is_said_in_both_languages(tmp_path: Path) -> None:
    from launchpad.report.render import render_template

    (tmp_path / "templates").mkdir()
    written = tmp_path / "templates" / "daily.txt.j2"
    written.write_text("第一行\n{% if r %}\n", encoding="utf-8")
    with pytest.raises(UsageError) as broken:
        render_template("daily.txt.j2", {"r": 1}, "zh", tmp_path)
    chinese, english = _both(broken.value)
    assert f"{written}:2：模板出错：Unexpected end of template" in chinese, chinese
    assert f"{written}:2: Unexpected end of template" in english
    written.write_text("第一行\n{{ fmt('no_such_label') }}\n", encoding="utf-8")
    with pytest.raises(UsageError) as misused:
        render_template("daily.txt.j2", {"r": 1}, "zh", tmp_path)
    chinese, english = _both(misused.value)
    assert f"{written}:2：模板出错：" in chinese, chinese
    assert f"{written}:2: " in english and "Error" in english
