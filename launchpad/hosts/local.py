"""Running steps on this machine, with exactly the contract of the SSH transport.

The demo and most tests use it, so it must behave like SSH where a playbook can tell: the
command goes through `/bin/sh -c`, stdout and stderr are drained together as they arrive, a
timeout kills the whole process group (a `sleep` started by the command included) and raises
`CommandTimeout`, and output beyond the capture limit is dropped but flagged.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from launchpad.errors import CommandTimeout, RemoteError
from launchpad.hosts.base import (
    ByteSink,
    CommandResult,
    HostSpec,
    OutputCallback,
    Readable,
    Stream,
    StreamResult,
    Timeouts,
)
from launchpad.hosts.capture import DEFAULT_CAPTURE_LIMIT, OutputCapture, StreamCapture, short
from launchpad.oserrors import os_reason
from launchpad.phrases import phrase

_READ_SIZE = 256 * 1024
# Written to a pipe per wake-up; a pipe holds 64 KiB, so larger writes would only block.
_STDIN_SLICE = 64 * 1024

ChunkSink = Callable[[bytes], None]


class LocalTransport:
    """A `Transport` for this machine: one `/bin/sh -c` process per command."""

    def __init__(
        self,
        host: HostSpec | None = None,
        *,
        timeouts: Timeouts | None = None,
        capture_limit: int = DEFAULT_CAPTURE_LIMIT,
        cwd: str | None = None,
    ) -> None:
        self.host = host or HostSpec(name="local", address="localhost")
        self.timeouts = timeouts or Timeouts()
        self.capture_limit = capture_limit
        self.cwd = cwd

    def run(
        self,
        command: str,
        *,
        timeout: float | None = None,
        stdin: bytes | None = None,
        on_output: OutputCallback | None = None,
    ) -> CommandResult:
        capture = OutputCapture(self.capture_limit, on_output)
        started = time.monotonic()
        exit_code = self._execute(
            command,
            timeout,
            stdin,
            {
                "stdout": lambda chunk: capture.feed("stdout", chunk),
                "stderr": lambda chunk: capture.feed("stderr", chunk),
            },
        )
        return capture.result(self.host.name, command, exit_code, started)

    def stream(
        self, command: str, sink: ByteSink, *, timeout: float | None = None, stdin: bytes | None = None
    ) -> StreamResult:
        capture = StreamCapture(sink)
        exit_code = self._execute(command, timeout, stdin, {"stdout": capture.stdout, "stderr": capture.stderr})
        return capture.result(self.host.name, command, exit_code)

    def feed(self, command: str, source: Readable, *, timeout: float | None = None,
             on_output: OutputCallback | None = None) -> CommandResult:
        from launchpad.hosts.local_feed import feed_local

        limit = self.timeouts.command if timeout is None else timeout
        return feed_local(self.host.name, self.cwd, command, source, limit, on_output)

    def put(self, local_path: str, remote_path: str, *, mode: int = 0o600) -> None:
        target = Path(remote_path)
        partial = target.with_name(f".{target.name}.launchpad-partial")
        try:
            with open(local_path, "rb") as source:
                # Created private and given its mode before any byte is written, so a secret
                # is never readable by others, not even for a moment.
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as copy:
                    os.fchmod(copy.fileno(), mode)
                    shutil.copyfileobj(source, copy, _READ_SIZE)
            # The target appears complete or not at all.
            os.replace(partial, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise RemoteError(
                self.host.name,
                phrase("local.cannot_copy", source=local_path, target=remote_path, reason=os_reason(exc)),
                hint=phrase("local.cannot_copy_hint"),
            ) from None

    @contextlib.contextmanager
    def tunnel(self, remote_host: str, remote_port: int) -> Iterator[tuple[str, int]]:
        # The "remote" side is this machine: the address is reachable as it is.
        yield (remote_host, remote_port)

    def close(self) -> None:
        """Nothing to release: every command's process is gone when `run` returns."""

    def _execute(
        self,
        command: str,
        timeout: float | None,
        stdin: bytes | None,
        sinks: dict[Stream, ChunkSink],
    ) -> int:
        limit = self.timeouts.command if timeout is None else timeout
        try:
            process = subprocess.Popen(
                ["/bin/sh", "-c", command],
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=self.cwd,
                # Its own process group, so a timeout kills what the command started too.
                start_new_session=True,
            )
        except OSError as exc:
            raise RemoteError(
                self.host.name,
                phrase("local.no_shell", reason=os_reason(exc)),
                hint=phrase("local.no_shell_hint"),
            ) from None
        finished = False
        try:
            finished = _pump(process, stdin, sinks, time.monotonic() + limit)
        finally:
            if not finished:
                # A timeout, or a callback that raised: leave nothing of the command running.
                _kill_group(process)
            for pipe in (process.stdin, process.stdout, process.stderr):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
        if not finished:
            raise CommandTimeout(
                self.host.name,
                phrase("local.timeout", command=short(command), seconds=f"{limit:g}"),
                hint=phrase("local.timeout_hint"),
            )
        return process.returncode


def _pump(
    process: subprocess.Popen[bytes],
    stdin: bytes | None,
    sinks: dict[Stream, ChunkSink],
    deadline: float,
) -> bool:
    """Feed stdin and drain both outputs until they close; False when the deadline passed.

    One selector loop, never a read of stdout followed by a read of stderr: a command that
    fills the stderr pipe while we wait on stdout would block forever.
    """
    assert process.stdout is not None and process.stderr is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, "stdout")
        selector.register(process.stderr, selectors.EVENT_READ, "stderr")
        pending = memoryview(stdin or b"")
        if pending and process.stdin is not None:
            os.set_blocking(process.stdin.fileno(), False)
            selector.register(process.stdin, selectors.EVENT_WRITE, "stdin")
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            for key, _ in selector.select(remaining):
                if key.data == "stdin":
                    pending = _write_some(selector, key.fileobj, pending)  # type: ignore[arg-type]
                    continue
                chunk = os.read(key.fd, _READ_SIZE)
                if chunk:
                    sinks[key.data](chunk)
                else:
                    selector.unregister(key.fileobj)
    try:
        process.wait(max(deadline - time.monotonic(), 0))
    except subprocess.TimeoutExpired:
        return False
    return True


def _write_some(
    selector: selectors.BaseSelector, pipe: BinaryIO, pending: memoryview
) -> memoryview:
    try:
        written = os.write(pipe.fileno(), pending[:_STDIN_SLICE])
        pending = pending[written:]
    except BlockingIOError:
        return pending
    except BrokenPipeError:
        # The command stopped reading its input; what it does next is its exit status's story.
        pending = pending[:0]
    if not pending:
        selector.unregister(pipe)
        pipe.close()
    return pending


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
