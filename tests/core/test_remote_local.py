"""LocalTransport keeps the SSH transport's contract on this machine."""

from __future__ import annotations

import hashlib
import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from launchpad.errors import CommandTimeout, RemoteError
from launchpad.hosts.base import CommandResult, HostSpec, Stream, Timeouts
from launchpad.hosts.local import LocalTransport

T = TypeVar("T")
TEN_MIB = 10 * 1024 * 1024
BOTH_STREAMS_10_MIB = (
    "head -c 10485760 /dev/zero | tr '\\0' a; head -c 10485760 /dev/zero | tr '\\0' b >&2"
)


def finish_within(seconds: float, action: Callable[[], T]) -> T:
    """Fail (instead of hanging the suite) when `action` is still running after `seconds`."""
    outcome: dict[str, Any] = {}

    def attempt() -> None:
        try:
            outcome["value"] = action()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds:g}s: it hangs"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


_SIGKILL_BIT = 1 << (9 - 1)  # /proc/PID/status signal masks: bit N-1 stands for signal N


def process_alive(pid: int) -> bool:
    """Whether the process can still run: not gone, not a zombie, and not already sent SIGKILL.

    On a busy machine a process that was sent SIGKILL may not have been scheduled to die yet;
    a pending SIGKILL cannot be caught or blocked, so it counts as dead."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    if state in ("Z", "X"):  # a zombie waits for a reaper, it does not run
        return False
    pending = 0
    for line in status.splitlines():
        if line.startswith(("SigPnd:", "ShdPnd:")):
            pending |= int(line.split()[1], 16)
    return not pending & _SIGKILL_BIT


@pytest.fixture
def local() -> LocalTransport:
    return LocalTransport(HostSpec(name="here", address="localhost"))


def test_exit_code_stdout_and_stderr(local: LocalTransport) -> None:
    result = local.run("echo out; echo err >&2; exit 3")
    assert (result.host, result.exit_code, result.stdout, result.stderr) == ("here", 3, b"out\n", b"err\n")
    assert not result.ok and result.duration >= 0
    assert local.run("true").ok


def test_stdin_is_delivered_and_absent_stdin_reads_as_eof(local: LocalTransport) -> None:
    assert local.run("tr a-z A-Z", stdin=b"hello\n").stdout == b"HELLO\n"
    assert finish_within(10, lambda: local.run("cat; echo done")).stdout == b"done\n"


def test_large_stdin_and_stdout_flow_at_the_same_time(local: LocalTransport) -> None:
    data = bytes(range(256)) * (TEN_MIB // 256)
    echoed = hashlib.sha256()
    finish_within(30, lambda: local.run("cat", stdin=data, on_output=lambda _, c: echoed.update(c)))
    assert echoed.digest() == hashlib.sha256(data).digest()


def test_ten_mib_on_both_streams_does_not_deadlock() -> None:
    roomy = LocalTransport(capture_limit=16 * 1024 * 1024)
    result = finish_within(30, lambda: roomy.run(BOTH_STREAMS_10_MIB))
    assert (len(result.stdout), len(result.stderr)) == (TEN_MIB, TEN_MIB)
    assert set(result.stdout) == {ord("a")} and set(result.stderr) == {ord("b")}
    assert not result.truncated


def test_output_beyond_the_capture_limit_is_cut_but_streamed() -> None:
    arrived: dict[Stream, int] = {"stdout": 0, "stderr": 0}

    def count(stream: Stream, chunk: bytes) -> None:
        arrived[stream] += len(chunk)

    small = LocalTransport(capture_limit=1000)
    result = finish_within(30, lambda: small.run(BOTH_STREAMS_10_MIB, on_output=count))
    assert result.truncated and result.ok
    assert (result.stdout, result.stderr) == (b"a" * 1000, b"b" * 1000)
    assert arrived == {"stdout": TEN_MIB, "stderr": TEN_MIB}


def test_output_reaches_the_callback_while_the_command_runs(
    local: LocalTransport, tmp_path: Path
) -> None:
    # The command waits for a file that only the callback creates: a transport that
    # delivered output at the end would never finish.
    flag = tmp_path / "seen"

    def on_output(stream: Stream, chunk: bytes) -> None:
        if b"waiting" in chunk:
            flag.touch()

    command = f"echo waiting; while [ ! -e {flag} ]; do sleep 0.01; done; echo seen"
    result = finish_within(10, lambda: local.run(command, on_output=on_output))
    assert result.stdout == b"waiting\nseen\n"


def test_a_timeout_kills_the_whole_process_group(local: LocalTransport) -> None:
    pids: list[int] = []
    with pytest.raises(CommandTimeout) as caught:
        finish_within(
            10,
            lambda: local.run(
                "sleep 30 & echo $!; wait",
                timeout=2,  # ample time for the shell to start the sleep on a busy machine
                on_output=lambda _, chunk: pids.append(int(chunk.split()[0])),
            ),
        )
    assert caught.value.host == "here" and "2s" in caught.value.message
    assert pids and not process_alive(pids[0])


def test_a_background_process_holding_the_output_counts_as_running(local: LocalTransport) -> None:
    # As with ssh: the command is not over while something still holds its output open.
    with pytest.raises(CommandTimeout):
        finish_within(10, lambda: local.run("sleep 30 &", timeout=0.5))


def test_the_default_timeout_comes_from_timeouts() -> None:
    quick = LocalTransport(timeouts=Timeouts(command=0.3))
    with pytest.raises(CommandTimeout):
        finish_within(10, lambda: quick.run("sleep 30"))


def test_a_failing_callback_stops_the_command(local: LocalTransport) -> None:
    pids: list[int] = []

    def record_then_fail(stream: Stream, chunk: bytes) -> None:
        pids.append(int(chunk))
        raise ValueError("callback bug")

    with pytest.raises(ValueError, match="callback bug"):
        finish_within(10, lambda: local.run("echo $$; exec sleep 30", on_output=record_then_fail))
    assert pids and not process_alive(pids[0])


def test_stream_writes_stdout_into_the_sink(local: LocalTransport) -> None:
    sink = io.BytesIO()
    result = local.stream("head -c 3000000 /dev/zero; echo note >&2; exit 4", sink)
    assert (result.exit_code, result.bytes_written, result.stderr) == (4, 3000000, b"note\n")
    assert sink.getvalue() == bytes(3000000)


def test_put_copies_with_mode_and_replaces_atomically(local: LocalTransport, tmp_path: Path) -> None:
    source = tmp_path / "app.conf"
    source.write_text("secret=1\n")
    target = tmp_path / "deployed" / "app.conf"
    target.parent.mkdir()
    target.write_text("old\n")
    local.put(str(source), str(target), mode=0o640)
    assert target.read_text() == "secret=1\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["app.conf"]


def test_put_into_a_missing_directory_names_the_host(local: LocalTransport, tmp_path: Path) -> None:
    source = tmp_path / "f"
    source.write_text("x")
    with pytest.raises(RemoteError) as caught:
        local.put(str(source), str(tmp_path / "missing" / "f"))
    assert caught.value.host == "here" and "missing" in caught.value.message


def test_commands_run_in_the_given_directory(tmp_path: Path) -> None:
    assert LocalTransport(cwd=str(tmp_path)).run("pwd").text().strip() == str(tmp_path)


def test_a_tunnel_on_this_machine_is_the_address_itself(local: LocalTransport) -> None:
    with local.tunnel("127.0.0.1", 5432) as address:
        assert address == ("127.0.0.1", 5432)


@pytest.mark.parametrize("chars", [1, 2, 3, 5, 100, 10**6])
def test_a_results_tail_is_the_end_of_its_decoded_text(chars: int) -> None:
    text = "末尾" + "😀汉a" * 3000 + "完"
    for cut in range(4):  # the byte slice may start inside a multi-byte character
        data = text.encode()[cut:]
        result = CommandResult("h", "c", 0, data, b"", 0.0)
        assert result.tail("stdout", chars) == data.decode("utf-8", "replace")[-chars:]


class _Unreadable:
    """A restore's input whose disk fails after the first chunk."""

    def __init__(self) -> None:
        self.calls = 0

    def read(self, size: int = -1, /) -> bytes:
        self.calls += 1
        if self.calls > 1:
            raise OSError(5, "Input/output error")
        return b"x" * 1024


def test_feed_streams_a_reader_into_the_commands_stdin(local: LocalTransport) -> None:
    data = bytes(range(256)) * (3 * 1024 * 1024 // 256)
    result = local.feed("sha256sum", io.BytesIO(data), timeout=60)
    assert result.ok and result.text().split()[0] == hashlib.sha256(data).hexdigest()


def test_feed_fails_with_the_hosts_name_when_its_input_cannot_be_read(local: LocalTransport) -> None:
    with pytest.raises(RemoteError) as raised:
        local.feed("cat > /dev/null", _Unreadable(), timeout=60)
    assert raised.value.host == local.host.name
    assert "reading the input" in raised.value.message and "Input/output error" in raised.value.message


class _Conversation:
    """Input that waits for the command's answer to each line before giving the next."""

    def __init__(self) -> None:
        self.lines = [b"one\n", b"two\n"]
        self.answered = threading.Event()
        self.answered.set()

    def heard(self, stream: str, chunk: bytes) -> None:
        if stream == "stdout" and b"got" in chunk:
            self.answered.set()

    def read(self, size: int = -1, /) -> bytes:
        if not self.lines:
            return b""
        assert self.answered.wait(30), "the command's answer never reached on_output before its input ended"
        self.answered.clear()
        return self.lines.pop(0)


def test_feed_hands_the_output_over_as_it_arrives_while_the_input_still_flows(local: LocalTransport) -> None:
    talk = _Conversation()
    result = local.feed('while read -r line; do echo "got $line"; done', talk, timeout=60, on_output=talk.heard)
    assert result.ok and result.text() == "got one\ngot two\n"
