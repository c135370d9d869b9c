"""Streaming a reader into a local command's stdin (a restore on this machine), for
`LocalTransport.feed`.

Three threads — one pumps the input, two drain the outputs — so neither side can block the
other however large the input is. The end of each output is kept, where a failing command
says why.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from typing import Any

from launchpad.errors import CommandTimeout, LaunchpadError, RemoteError
from launchpad.hosts.base import FEED_KEEPS, CommandResult, Readable
from launchpad.hosts.capture import short
from launchpad.phrases import phrase

READ_SIZE = 256 * 1024


def feed_local(host: str, cwd: str | None, command: str, source: Readable, timeout: float) -> CommandResult:
    started = time.monotonic()
    process = subprocess.Popen(["/bin/sh", "-c", command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=cwd, start_new_session=True)
    failure: list[BaseException] = []
    outputs: dict[str, bytearray] = {"stdout": bytearray(), "stderr": bytearray()}

    def pump() -> None:
        assert process.stdin is not None
        try:
            while chunk := source.read(READ_SIZE):
                process.stdin.write(chunk)
        except BrokenPipeError:
            pass  # the command stopped reading: its exit status says why
        except BaseException as exc:  # a local read error must fail the command, not hang it
            failure.append(exc)
            _kill_group(process, wait=False)
        finally:
            with contextlib.suppress(OSError):
                process.stdin.close()

    def drain(name: str, pipe: Any) -> None:
        while chunk := pipe.read(64 * 1024):
            kept = outputs[name]
            kept.extend(chunk)
            del kept[: max(0, len(kept) - FEED_KEEPS)]

    threads = [threading.Thread(target=pump, daemon=True),
               threading.Thread(target=drain, args=("stdout", process.stdout), daemon=True),
               threading.Thread(target=drain, args=("stderr", process.stderr), daemon=True)]
    for thread in threads:
        thread.start()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise CommandTimeout(host, phrase("local.timeout", command=short(command), seconds=f"{timeout:g}"),
                             hint=phrase("local.timeout_hint")) from None
    for thread in threads:
        thread.join()
    if failure:
        if isinstance(failure[0], LaunchpadError):
            raise failure[0]
        raise RemoteError(host, phrase("ssh.input_failed", command=short(command), error=str(failure[0])),
                          hint=phrase("ssh.check_local_file"))
    return CommandResult(host, command, process.returncode, bytes(outputs["stdout"]),
                         bytes(outputs["stderr"]), time.monotonic() - started)


def _kill_group(process: subprocess.Popen[bytes], wait: bool = True) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    if wait:
        process.wait()
