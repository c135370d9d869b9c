"""The deploy machinery's logic without servers: polling until a check passes, batches of a
rolling switch, reading a log scan's output; and an upload on this machine (the local
transport) to a path no shell may read as code."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from launchpad.deploy.logscan import read_scan, scan_command
from launchpad.deploy.probe import Answer, poll
from launchpad.deploy.rolling import batches, roll
from launchpad.deploy.upload import artifact_at, deliver
from launchpad.hosts.base import HostSpec
from launchpad.hosts.local import LocalTransport


def answers(*oks: bool) -> tuple[list[int], object]:
    asked: list[int] = []

    def ask() -> Answer:
        asked.append(1)
        ok = oks[min(len(asked), len(oks)) - 1]
        return Answer(ok, f"try {len(asked)}")

    return asked, ask


def test_poll_asks_until_the_check_passes() -> None:
    asked, ask = answers(False, False, True)
    waited = poll(ask, every=0.001, within=30, cancel=threading.Event())  # type: ignore[arg-type]
    assert waited.answer == Answer(True, "try 3") and waited.tries == 3 and not waited.cancelled


def test_poll_ends_at_the_deadline_with_the_last_answer() -> None:
    ticks = iter(range(100))  # each look at the clock: 10 s later
    _, ask = answers(False)
    waited = poll(ask, every=0.001, within=25, cancel=threading.Event(),  # type: ignore[arg-type]
                  clock=lambda: float(next(ticks)) * 10)
    assert not waited.answer.ok and waited.answer.said == "try 3" and waited.tries == 3


def test_poll_stops_when_the_run_is_stopped() -> None:
    cancel = threading.Event()
    cancel.set()
    _, ask = answers(False)
    waited = poll(ask, every=60, within=600, cancel=cancel)  # type: ignore[arg-type]
    assert waited.cancelled and waited.tries == 1


def test_a_failing_batch_leaves_the_later_hosts_untouched() -> None:
    hosts = ["a", "b", "c", "d", "e"]
    assert batches(hosts, 2) == [["a", "b"], ["c", "d"], ["e"]]
    touched: list[str] = []

    def switch(host: str) -> str:
        touched.append(host)
        return "bad" if host == "c" else "ok"

    done, untouched, failed = roll(hosts, 2, switch, lambda r: r == "bad")
    assert sorted(touched) == ["a", "b", "c", "d"] and done == ["ok", "ok", "bad", "ok"]
    assert untouched == ["e"] and failed == 2
    assert roll(hosts, 5, lambda h: "ok", lambda r: r == "bad") == (["ok"] * 5, [], None)


def test_a_scan_is_read_from_its_own_summary_line_only() -> None:
    assert read_scan("") is None and read_scan("launchpad-log-scan 1 2") is None
    scan = read_scan("f.log: 2026-12-04 ERROR x\nlaunchpad-log-scan 3 10 40 2\n")
    assert scan is not None and (scan.matches, scan.stamped_after, scan.lines, scan.files) == (3, 10, 40, 2)
    assert scan.first == ["f.log: 2026-12-04 ERROR x"]


def test_a_scan_reads_a_pattern_with_backslashes_as_written(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "app.log").write_text("2026-12-04 23:41:07 ERROR axb\n2026-12-04 23:41:08 ERROR a.b\n")
    command = scan_command(f"'{tmp_path}'/*.log", "2026-12-04 23:00:00", r"ERROR a\.b", 5)
    scan = read_scan(subprocess.run(["sh", "-c", command], capture_output=True, text=True).stdout)
    assert scan is not None and scan.matches == 1 and scan.stamped_after == 2


@pytest.mark.parametrize("name", ["a b/$(touch pwned)/f'q.tar.gz", "版本/包 1.tar.gz"])
def test_an_upload_lands_at_a_path_no_shell_reads_as_code(tmp_path: Path, name: str) -> None:
    artifact = tmp_path / "portal.tar.gz"
    artifact.write_bytes(b"portal" * 1000)
    transport = LocalTransport(HostSpec("app1", "127.0.0.1"), cwd=str(tmp_path))
    target = tmp_path / "dest" / name
    sent = deliver(transport, artifact_at(artifact), str(target))
    assert sent.state == "sent"
    assert hashlib.sha256(target.read_bytes()).hexdigest() == hashlib.sha256(artifact.read_bytes()).hexdigest()
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
    assert deliver(transport, artifact_at(artifact), str(target)).state == "already_there"


def test_an_upload_that_cannot_write_says_where_and_leaves_nothing(tmp_path: Path) -> None:
    from launchpad.errors import RemoteError

    artifact = tmp_path / "portal.tar.gz"
    artifact.write_bytes(b"portal")
    (tmp_path / "dest").write_text("a file where a folder should be")
    transport = LocalTransport(HostSpec("app1", "127.0.0.1"), cwd=str(tmp_path))
    with pytest.raises(RemoteError) as caught:
        deliver(transport, artifact_at(artifact), str(tmp_path / "dest" / "releases" / "portal.tar.gz"))
    assert caught.value.host == "app1" and "cannot write" in caught.value.message
    assert "dest/releases/portal.tar.gz" in caught.value.message and caught.value.hint


def test_a_missing_artifact_is_named() -> None:
    from launchpad.errors import LaunchpadError

    with pytest.raises(LaunchpadError, match="cannot read the artifact /nonexistent/portal.tar.gz"):
        artifact_at(Path("/nonexistent/portal.tar.gz"))


@pytest.mark.parametrize("step", [
    "- {id: s, name: s, kind: shell, hosts: all, run: 'true',"
    " rolling: {batch: 1, check: {run: 'echo `echo {{ vars.note }}`'}}}",
    "- {id: w, name: w, kind: wait, hosts: all, run: 'echo `echo {{ vars.note }}`'}",
])
def test_check_refuses_a_health_check_value_no_quoting_can_hold(tmp_path: Path, step: str) -> None:
    from tests.core.test_engine import playbook_text
    from tests.core.test_issues import run_cli
    from tests.workspaces import write_workspace

    playbook = playbook_text(step, vars_="vars:\n  note: {prompt: 备注}\n")
    root = write_workspace(tmp_path / "ws", playbooks={"t": playbook})
    checked = run_cli(root, "check")
    output = checked.stdout + checked.stderr
    assert checked.returncode == 2 and "t.yaml:" in output and "反引号" in output, output  # the site speaks Chinese
