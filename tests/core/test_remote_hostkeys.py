"""known_hosts files read as OpenSSH reads them, and written as OpenSSH writes them."""

from __future__ import annotations

import stat
from pathlib import Path

import paramiko
import pytest

from launchpad.errors import ChangedHostKey, RemoteError, UnknownHostKey, UsageError
from launchpad.hosts.hostkeys import KnownHosts, fingerprint, known_hosts_name


@pytest.fixture(scope="module")
def key() -> paramiko.PKey:
    return paramiko.ECDSAKey.generate()


@pytest.fixture(scope="module")
def other_key() -> paramiko.PKey:
    return paramiko.ECDSAKey.generate()


def line(names: str, key: paramiko.PKey) -> str:
    return f"{names} {key.get_name()} {key.get_base64()}\n"


def known(tmp_path: Path, text: str) -> KnownHosts:
    path = tmp_path / "known_hosts"
    path.write_text(text)
    return KnownHosts(read_only=(path,))


def test_fingerprint_is_openssh_sha256_without_padding(key: paramiko.PKey) -> None:
    value = fingerprint(key)
    assert value.startswith("SHA256:") and len(value) == 7 + 43 and "=" not in value
    assert value == key.fingerprint  # paramiko's own rendering agrees


def test_names_carry_the_port_only_when_it_is_not_22() -> None:
    assert known_hosts_name("db.example.com", 22) == "db.example.com"
    assert known_hosts_name("10.0.0.5", 2222) == "[10.0.0.5]:2222"


@pytest.mark.parametrize(
    "names",
    [
        "app1.example.com",
        "other,APP1.example.com",
        "*.example.com",
        "app?.example.com",
        "*.example.com,!db*.example.com",
    ],
)
def test_patterns_match_as_in_openssh(tmp_path: Path, key: paramiko.PKey, names: str) -> None:
    known(tmp_path, line(names, key)).verify("app1", "app1.example.com", 22, key)


def test_a_negated_pattern_excludes_the_host(tmp_path: Path, key: paramiko.PKey) -> None:
    hosts = known(tmp_path, line("*.example.com,!app1.example.com", key))
    with pytest.raises(UnknownHostKey):
        hosts.verify("app1", "app1.example.com", 22, key)


def test_hashed_and_bracketed_entries_match(tmp_path: Path, key: paramiko.PKey) -> None:
    hashed = paramiko.HostKeys.hash_host("[10.0.0.5]:2222")
    hosts = known(tmp_path, line(hashed, key))
    hosts.verify("db", "10.0.0.5", 2222, key)
    with pytest.raises(UnknownHostKey):
        hosts.verify("db", "10.0.0.5", 22, key)


def test_unknown_and_changed_keys_are_refused_with_fingerprints(
    tmp_path: Path, key: paramiko.PKey, other_key: paramiko.PKey
) -> None:
    hosts = known(tmp_path, "# comment\n\nnot a valid line\n" + line("app1", key))
    with pytest.raises(UnknownHostKey) as unknown:
        hosts.verify("web", "web1", 22, key)
    assert (unknown.value.host, unknown.value.fingerprint) == ("web", fingerprint(key))
    with pytest.raises(ChangedHostKey) as changed:
        hosts.verify("app", "app1", 22, other_key)
    assert changed.value.fingerprint == fingerprint(other_key)
    assert fingerprint(key) in changed.value.known_fingerprint
    assert f"{tmp_path / 'known_hosts'}:4" in changed.value.known_fingerprint


def test_a_host_may_have_several_keys_across_files(
    tmp_path: Path, key: paramiko.PKey, other_key: paramiko.PKey
) -> None:
    users = tmp_path / "users"
    users.write_text(line("app1", key))
    ours = tmp_path / "ours"
    ours.write_text(line("app1", other_key))
    hosts = KnownHosts(read_only=(users,), writable=ours)
    hosts.verify("app", "app1", 22, key)
    hosts.verify("app", "app1", 22, other_key)


def test_markers_do_not_break_reading_and_revoked_keys_are_refused(
    tmp_path: Path, key: paramiko.PKey, other_key: paramiko.PKey
) -> None:
    hosts = known(
        tmp_path,
        f"@cert-authority *.example.com {other_key.get_name()} {other_key.get_base64()}\n"
        + line("app1", key)
        + f"@revoked * {key.get_name()} {key.get_base64()}\n",
    )
    with pytest.raises(RemoteError, match="revoked"):
        hosts.verify("app", "app1", 22, key)
    assert hosts.check("app1", 22, key).state == "revoked"
    # The CA line is not a host key of its own.
    assert hosts.check("x.example.com", 22, other_key).state == "unknown"


def test_trust_appends_a_hashed_private_entry(
    tmp_path: Path, key: paramiko.PKey, other_key: paramiko.PKey
) -> None:
    path = tmp_path / "ws" / ".launchpad" / "known_hosts"
    hosts = KnownHosts(read_only=(), writable=path)
    assert hosts.check("10.0.0.5", 2222, key).state == "unknown"
    hosts.trust("10.0.0.5", 2222, key)
    assert hosts.check("10.0.0.5", 2222, key).state == "known"
    text = path.read_text()
    assert text.startswith("|1|") and "10.0.0.5" not in text and text.endswith("\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # A hand-edited last line without newline is not glued to the new entry.
    path.write_text(text.rstrip("\n"))
    hosts.trust("app1", 22, other_key)
    fresh = KnownHosts(read_only=(), writable=path)
    fresh.verify("db", "10.0.0.5", 2222, key)
    fresh.verify("app", "app1", 22, other_key)


def test_trust_needs_a_writable_file(key: paramiko.PKey) -> None:
    with pytest.raises(UsageError):
        KnownHosts(read_only=()).trust("app1", 22, key)


def test_the_known_key_type_is_asked_for_first(tmp_path: Path, key: paramiko.PKey) -> None:
    rsa = "AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7"  # only the type matters here
    hosts = known(tmp_path, line("app1", key) + f"app1 ssh-rsa {rsa}\n")
    assert hosts.preferred_key_types("app1", 22) == [
        "ecdsa-sha2-nistp256",
        "rsa-sha2-512",
        "rsa-sha2-256",
    ]


def test_the_default_files_are_the_users_and_a_missing_file_is_empty(
    tmp_path: Path, key: paramiko.PKey
) -> None:
    hosts = KnownHosts.for_workspace(tmp_path / "ws_known_hosts")
    assert hosts.files[0] == Path.home() / ".ssh" / "known_hosts"
    assert hosts.check("app1", 22, key).state == "unknown"


def test_a_hosts_own_known_hosts_files_replace_the_users_and_receive_new_keys(
    tmp_path: Path, key: paramiko.PKey, other_key: paramiko.PKey
) -> None:
    from launchpad.hosts.sshconfig import SshTarget

    users, ours, first, second, system = (tmp_path / n for n in ("users", "ours", "first", "second", "global"))
    users.write_text(line("app2", key))
    second.write_text(line(paramiko.HostKeys.hash_host("app1"), other_key))
    hosts = KnownHosts(read_only=(users,), writable=ours, global_files=(system,))
    plain = SshTarget(name="a", hostname="app1", port=22, user="u")
    assert hosts.for_target(plain) is hosts
    named = SshTarget(
        name="a", hostname="app1", port=22, user="u",
        user_known_hosts=(str(first), str(second)), global_known_hosts=(),
    )
    files = hosts.for_target(named)
    assert files.files == [second, ours, first]
    assert files.check("app1", 22, other_key).state == "known"  # hashed, in the second file
    assert hosts.check("app2", 22, key).state == "known"
    with pytest.raises(UnknownHostKey) as unknown:
        files.verify("b", "app2", 22, key)  # only in the user's default file, which is replaced
    assert unknown.value.searched == [str(second), f"{ours} (absent)", f"{first} (absent)"]
    assert str(second) in unknown.value.message
    assert files.trust("app2", 22, key) == first
    assert first.read_text().startswith("|1|") and not ours.exists()
    # Views share what was read: another view sees the key recorded through this one at once.
    assert hosts.for_target(named).check("app2", 22, key).state == "known"


def test_recording_into_an_unwritable_place_is_explained(tmp_path: Path, key: paramiko.PKey) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(UsageError, match="cannot write known_hosts file") as caught:
        KnownHosts(read_only=(), writable=blocker / "known_hosts").trust("app1", 22, key)
    assert "nothing was recorded" in caught.value.hint


def test_a_refusals_hint_names_the_environment_or_no_placeholder(
    tmp_path: Path, key: paramiko.PKey, other_key: paramiko.PKey
) -> None:
    """The command a refusal tells a person to run names the hosts' environment (quoted for the
    shell when it must be), through a host's own known_hosts view too; without an environment
    the hint says it in words, never with an `ENV` to replace."""
    recorded = tmp_path / "known_hosts"
    recorded.write_text(line("app1", key))
    for env, command in (("prod", "launchpad hosts trust --env prod"),
                         ("现场 b", "launchpad hosts trust --env '现场 b'")):
        unknown, changed = _refusals(KnownHosts.for_workspace(recorded, env=env), recorded, key, other_key)
        for refused in (unknown, changed):
            assert f"`{command}`" in refused.hint and "ENV" not in refused.hint
        assert "app2" in unknown.hint
    for refused in (UnknownHostKey("app2", "ssh-ed25519", "SHA256:x"),
                    ChangedHostKey("app1", "ssh-ed25519", "SHA256:x", "SHA256:y", remove="ssh-keygen -R app1")):
        assert "hosts trust" in refused.hint and "--env" in refused.hint and "ENV" not in refused.hint
        assert "`launchpad hosts trust" not in refused.hint


def _refusals(hosts: KnownHosts, recorded: Path, key: paramiko.PKey,
              other_key: paramiko.PKey) -> tuple[UnknownHostKey, ChangedHostKey]:
    """What `hosts` refuses for a host not in `recorded` (app2) and for app1 offering another key."""
    from launchpad.hosts.sshconfig import SshTarget

    named = SshTarget(name="a", hostname="app1", port=22, user="u", user_known_hosts=(str(recorded),))
    with pytest.raises(UnknownHostKey) as unknown:
        hosts.for_target(named).verify("app2", "app2", 22, key)
    with pytest.raises(ChangedHostKey) as changed:
        hosts.for_target(named).verify("app1", "app1", 22, other_key)
    return unknown.value, changed.value


def test_a_refusals_hint_names_the_workspace_a_command_typed_here_would_not_find(
    tmp_path: Path, key: paramiko.PKey, other_key: paramiko.PKey
) -> None:
    """A workspace not found from the current folder is named with the root option `-w`, before
    the command (where `launchpad --help` puts it), quoted for the shell when it must be."""
    from launchpad.errors import trust_command

    assert trust_command("prod") == "launchpad hosts trust --env prod"
    assert trust_command("prod", "/srv/ws") == "launchpad -w /srv/ws hosts trust --env prod"
    assert trust_command("现场 b", "/tmp/客户 A/ws") == "launchpad -w '/tmp/客户 A/ws' hosts trust --env '现场 b'"
    recorded = tmp_path / "known_hosts"
    recorded.write_text(line("app1", key))
    hosts = KnownHosts.for_workspace(recorded, env="prod", workspace_dir="/tmp/客户 A/ws")
    for refused in _refusals(hosts, recorded, key, other_key):
        for said in (refused.render("zh"), refused.render("en")):
            assert "`launchpad -w '/tmp/客户 A/ws' hosts trust --env prod`" in said, said


def test_a_changed_key_without_its_file_names_the_entry_in_words(key: paramiko.PKey, other_key: paramiko.PKey) -> None:
    """paramiko's own refusal of a changed key knows the host, not the file holding its entry:
    the hint names the entry as known_hosts files it, never a `HOST` to replace."""
    from launchpad.hosts.ssh_connect import connect_error
    from launchpad.hosts.sshconfig import SshTarget

    for port, entry in ((2222, "[10.0.0.5]:2222"), (22, "10.0.0.5")):
        target = SshTarget(name="应用1", hostname="10.0.0.5", port=port, user="u")
        refused = connect_error(target, paramiko.BadHostKeyException("10.0.0.5", key, other_key))
        assert isinstance(refused, ChangedHostKey)
        for lang in ("zh", "en"):
            hint = refused.render(lang).split("→", 1)[1]
            assert entry in hint and "HOST" not in hint and "ssh-keygen -R" not in hint, hint


def test_recording_a_revoked_key_is_refused_as_revoked(tmp_path: Path, key: paramiko.PKey) -> None:
    """Not as a changed key with a removal to run: `ssh-keygen -R` leaves @revoked lines."""
    from launchpad.errors import RevokedHostKey
    from launchpad.hosts.hosttrust import OfferedHostKey, trust_host_key

    hosts = known(tmp_path, f"@revoked * {key.get_name()} {key.get_base64()}\n")
    offer = OfferedHostKey("app1", "10.0.0.5", 2222, key, hosts.check("10.0.0.5", 2222, key))
    with pytest.raises(RevokedHostKey) as refused:
        trust_host_key(offer, hosts)
    for said in (refused.value.render("zh"), refused.value.render("en")):
        assert "@revoked" in said and "ssh-keygen" not in said and "HOST" not in said, said


def test_hosts_trust_names_a_changed_keys_entry_in_words_when_no_file_is_known(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed key offered without what the files hold for it: the entry as known_hosts files
    it, in words, never a bare `ssh-keygen -R`."""
    from types import SimpleNamespace

    from launchpad.cli import door
    from launchpad.cli.hosts import _settle_key
    from launchpad.hosts.connect import OfferedKey

    monkeypatch.setattr(door, "_language", "zh")  # the process's language, whatever a test before it spoke

    audited: list[tuple[str, ...]] = []
    store = SimpleNamespace(audit=lambda *args: audited.append(args))
    offer = OfferedKey("app1", "[10.0.0.5]:2222", "changed", key_type="ssh-ed25519", fingerprint="SHA256:x",
                       known_fingerprint="ssh-ed25519 SHA256:y")
    assert not _settle_key(SimpleNamespace(env_name="prod"), offer, (), store=store, actor="张三")
    said = capsys.readouterr().out
    assert "[10.0.0.5]:2222" in said.split("：", 2)[2] and "ssh-keygen" not in said, said
    assert audited and audited[0][1] == "host_key_refused"
