"""A host's error column keeps what was said until it is shown: `exec`'s and `hosts check`'s
rows, their `--json`, the fan-out's own failures and a local command's, each in Chinese and in
English, with the English kept for the logs and a kind that never changes with the language."""

from __future__ import annotations

import io
import threading
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from launchpad.errors import CommandTimeout, HostUnreachable, LaunchpadError, RemoteError, RunAborted, UnknownHostKey
from launchpad.hosts.adhoc import run_everywhere
from launchpad.hosts.base import CommandResult, HostSpec, Transport
from launchpad.hosts.hostcheck import check_host, parse_probe
from launchpad.hosts.local import LocalTransport
from launchpad.hosts.pool import ConnectionPool, fan_out
from launchpad.phrases import phrase, render
from launchpad.steps.base import StepContext
from launchpad.workspace.site import Host, Site

HOST = HostSpec(name="app1", address="localhost")


class _Unreadable(io.RawIOBase):
    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        raise OSError(5, "Input/output error")


class _Answers:
    """A transport whose probe answers as given: the probe's own parsing is the logic tested."""

    def __init__(self, exit_code: int, stdout: bytes, stderr: bytes) -> None:
        self.result = CommandResult("app1", "probe", exit_code, stdout, stderr, 0.01)

    def run(self, command: str, **_: Any) -> CommandResult:
        return self.result


def _connections(transport: Any) -> Any:
    return SimpleNamespace(transport_for=lambda host: transport, store=None)


def test_an_error_for_its_hosts_row_is_said_without_the_name_and_keeps_its_kind() -> None:
    error = UnknownHostKey("app1", "ssh-ed25519", "SHA256:abc")
    assert render(error.said_for("app1"), "zh") == "主机密钥未知（ssh-ed25519 SHA256:abc）"
    assert error.message_for("app1") == "the host key is not known (ssh-ed25519 SHA256:abc)"
    assert error.kind == "unknown_host_key" and error.message.startswith("app1: ")
    # Said about the jump host on the way, the name stays, in either language.
    jump = HostUnreachable("bastion", phrase("error.no_answer", address="10.0.0.1:22", seconds=5))
    assert render(jump.said_for("app1"), "zh") == "bastion：10.0.0.1:22 在 5 秒内没有响应"
    assert jump.message_for("app1") == "bastion: no answer from 10.0.0.1:22 within 5s"


def test_an_exec_row_and_its_json_read_in_the_readers_language() -> None:
    local = LocalTransport(HOST)
    (late,) = run_everywhere(_connections(local), [Host(name="app1", address="localhost")], "sleep 5", timeout=0.3)
    assert late.exit_code is None and not late.ok
    assert late.first_line("zh") == "`sleep 5` 在 0.3 秒内没有结束，已被终止"
    assert late.first_line("en") == "`sleep 5` did not finish within 0.3s and was killed"
    chinese, english = late.as_dict("zh"), late.as_dict("en")
    assert chinese["error_kind"] == english["error_kind"] == "command_timed_out"
    assert chinese["error"] == late.first_line("zh") and chinese["hint"].startswith("如果命令只是慢但运行正常")
    assert english["hint"].startswith("raise the step's timeout") and english["ok"] is False
    (done,) = run_everywhere(_connections(local), [Host(name="app1", address="localhost")], "echo hi", timeout=30)
    assert done.as_dict("zh") | {"duration": 0} == {"host": "app1", "exit_code": 0, "duration": 0, "output": "hi\n",
                                                    "error": "", "error_kind": "", "hint": "", "ok": True}


def test_a_probe_that_fails_or_cannot_be_read_is_not_healthy_and_says_why() -> None:
    failed = check_host(_connections(_Answers(2, b"", b"df: /: Permission denied\n")), Host(name="app1",
                                                                                           address="localhost"))
    assert failed.reachable and not failed.healthy
    assert failed.table_row("zh").endswith("探测命令退出码 2：df: /: Permission denied")
    assert failed.table_row("en").endswith("probe exited 2: df: /: Permission denied")
    assert failed.as_dict("zh")["problem_kinds"] == ["probe_failed"]
    assert failed.as_dict("zh")["hint"].startswith("主机需要 /proc、df、awk 和 date")

    garbled = parse_probe("app1", "welcome to the bastion\n", 0.0, 0.0)
    assert not garbled.healthy and garbled.error_kind == "probe_unreadable"
    assert garbled.table_row("zh").endswith("探测命令的输出无法识别：“welcome to the bastion”")
    assert garbled.table_row("en").endswith("unexpected probe output: 'welcome to the bastion'")
    assert garbled.problems == ["unexpected probe output: 'welcome to the bastion'"]  # English for the logs


def test_an_unreachable_hosts_json_names_its_kind_beside_the_words() -> None:
    class Refusing:
        def run(self, command: str, **_: Any) -> CommandResult:
            raise HostUnreachable("app1", phrase("error.no_answer", address="127.0.0.1:1", seconds=3),
                                  hint=phrase("error.no_answer_hint"))

    health = check_host(_connections(Refusing()), Host(name="app1", address="localhost"))
    chinese, english = health.as_dict("zh"), health.as_dict("en")
    assert chinese["problem_kinds"] == english["problem_kinds"] == ["host_unreachable"]
    assert chinese["problems"] == ["127.0.0.1:1 在 3 秒内没有响应"] and chinese["error"] == chinese["problems"][0]
    assert english["problems"] == ["no answer from 127.0.0.1:1 within 3s"] and not english["healthy"]
    assert chinese["hint"] == "请检查 VPN 或跳板机、地址和防火墙" and english["hint"].startswith("check the VPN")


def test_the_fan_outs_own_failures_read_in_both_languages() -> None:
    def buggy(transport: Transport) -> None:
        raise KeyError("oops")

    with ConnectionPool("local") as pool:
        ((_, error),) = fan_out(pool, [HOST], buggy)
    assert isinstance(error, RemoteError)
    assert render(error.said_for("app1"), "zh") == "launchpad 意外出错：KeyError: 'oops'"
    assert render(error.said_hint, "zh") == "这是 launchpad 的缺陷；请连同日志一起报告"
    assert error.message_for("app1") == "launchpad failed unexpectedly: KeyError: 'oops'"

    cancel = threading.Event()
    cancel.set()
    with ConnectionPool("local") as pool:
        ((_, stopped),) = fan_out(pool, [HOST], lambda transport: None, cancel=cancel)
    assert isinstance(stopped, RunAborted)
    assert render(stopped.said_for("app1"), "zh") == "app1：未开始：运行已取消"
    assert stopped.message == "app1: not started, the run was cancelled"


def test_a_local_command_fed_past_its_timeout_or_from_a_broken_input_reads_in_both_languages() -> None:
    local = LocalTransport(HOST)
    with pytest.raises(CommandTimeout) as late:
        local.feed("sleep 5", io.BytesIO(b""), timeout=0.3)
    assert render(late.value.said_for("app1"), "zh") == "`sleep 5` 在 0.3 秒内没有结束，已被终止"
    assert render(late.value.said_hint, "en").startswith("raise the step's timeout")
    with pytest.raises(RemoteError) as broken:
        local.feed("cat > /dev/null", _Unreadable(), timeout=30)
    assert render(broken.value.said_for("app1"), "zh").startswith("读取 `cat > /dev/null` 的输入失败：")
    assert render(broken.value.said_hint, "zh") == "请检查本地文件"
    assert "reading the input of `cat > /dev/null` failed" in broken.value.message


def test_an_upload_whose_artifact_cannot_be_read_fails_in_the_readers_language(tmp_path: Path) -> None:
    from launchpad.steps.upload import UploadStep, run_upload

    site = Site.model_validate({"site": {"name": "某系统", "client": "某局"}, "environments": {"test": {
        "transport": "local", "hosts": [{"name": "app1", "address": "127.0.0.1", "groups": ["app"]}]}}})
    environment = site.environments["test"]
    context = StepContext(
        run_id=1, phase_id="p", step_id="p.up", attempt=1, site=site, env_name="test", environment=environment,
        values={}, prompter=None,  # type: ignore[arg-type]  # the step never asks anyone
        emit=lambda _event: None, hosts=list(environment.hosts),
        transport_for=lambda _host: LocalTransport(HOST), report_host=lambda _outcome: None,
        audit=lambda *_args: None, phase_status=lambda _phase: None, now=datetime.now,
    )
    step = UploadStep.model_validate({"name": "上传", "kind": "upload", "artifact": str(tmp_path / "gone.jar"),
                                      "to": "/tmp/gone.jar"})
    with pytest.raises(LaunchpadError) as unreadable:  # the engine fails the step with it, hint and all
        run_upload(step, context)
    chinese = render(unreadable.value.said, "zh")
    assert chinese.startswith(f"无法读取制品 {tmp_path / 'gone.jar'}："), chinese
    assert str(unreadable.value.said).startswith(f"cannot read the artifact {tmp_path / 'gone.jar'}: ")
    assert render(unreadable.value.said_hint, "zh") == "请检查路径（相对路径以工作区为起点）"


def test_a_shell_probe_that_cannot_run_answers_in_the_readers_language() -> None:
    from launchpad.deploy.probe import Probe, ask_shell

    answer = ask_shell(Probe(run="sleep 5"), {}, LocalTransport(HOST), timeout=0.3)
    assert not answer.ok
    assert render(answer.said, "zh") == "app1：`sleep 5` 在 0.3 秒内没有结束，已被终止"
    assert str(answer.said) == "app1: `sleep 5` did not finish within 0.3s and was killed"


def test_a_probe_that_hangs_is_given_up_after_its_timeout_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real process that does not answer (as df on a hung NFS mount): the host is reported
    with the timeout, and the check goes on."""
    from launchpad.hosts import hostcheck

    monkeypatch.setattr(hostcheck, "PROBE", "sleep 30")
    monkeypatch.setattr(hostcheck, "PROBE_TIMEOUT", 0.5)
    health = check_host(_connections(LocalTransport(HOST)), Host(name="app1", address="localhost"))
    assert not health.healthy
    chinese, english = health.as_dict("zh"), health.as_dict("en")
    assert chinese["problem_kinds"] == english["problem_kinds"] == ["command_timed_out"], chinese
    assert "0.5" in english["error"] and "0.5" in chinese["error"], (english, chinese)
