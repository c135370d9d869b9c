"""The batch stream's marks: a batch is answered only by its own mark with this stream's token,
wherever the chunks split it; a command that ends without the mark fails the batch with what
the client said."""

from __future__ import annotations

import contextlib
import shlex
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from launchpad.backup.sqlclient import DbAccess
from launchpad.hosts.base import CommandResult, Readable
from launchpad.users.staged import ROWS_PIPE, Staged
from launchpad.users.stream import BatchStream
from launchpad.users.target import Secrets, SqlText, TargetFailed
from tests.servers import missing

BATCH = Staged(["BEGIN;"], "COPY launchpad_stage (n) FROM STDIN;", b"1\n2\n", ["COMMIT;"], 1)


@dataclass
class Shell:
    """Says `chunks` as the command's output, then reads its input to the end (or `reads` chunks
    of it, then ends as a client that failed on them)."""

    chunks: list[bytes]
    exit_code: int = 0
    stderr: bytes = b""
    reads: int = -1
    name: str = "db1"
    read: bytearray = field(default_factory=bytearray)
    audited: list[dict[str, Any]] = field(default_factory=list)

    def beside(self) -> Shell:
        return self

    @contextlib.contextmanager
    def private_dir(self, secret_files: dict[str, str]) -> Iterator[str]:
        yield "/tmp/launchpad.1"

    def audit(self, action: str, target: str, detail: dict[str, Any]) -> None:
        self.audited.append({"action": action, **detail})

    def feed(self, command: str, source: Readable, *, timeout: float,
             on_output: Callable[[str, bytes], None] | None = None) -> CommandResult:
        assert on_output is not None
        for chunk in self.chunks:
            on_output("stdout", chunk)
        while self.reads != 0 and (chunk := source.read(65536)):
            self.read.extend(chunk)
            self.reads -= 1
        return CommandResult(self.name, command, self.exit_code, b"", self.stderr, 0.0)


@dataclass
class Session:
    shell: Shell
    sql: SqlText = SqlText("postgresql")
    access: DbAccess = DbAccess("postgresql", "ry")
    tmp: str = "/tmp/launchpad.0"
    secrets: Secrets = field(default_factory=Secrets)


def opened(shell: Shell) -> BatchStream:
    stream = BatchStream(Session(shell), 2)  # type: ignore[arg-type]
    stream.token = "t0k"
    return stream.open()


def test_a_batch_is_answered_by_its_own_mark_however_the_output_is_cut() -> None:
    shell = Shell([b"said first\nlaunchpad-batch-do", b"ne t0k 1\nlaunchpad-batch-done other 2\n",
                   b"launchpad-batch-done t0k 2\n"])
    stream = opened(shell)
    try:
        assert stream.run(1, BATCH) == "said first"
        assert stream.run(2, BATCH) == "launchpad-batch-done other 2"  # another token is output, not a mark
    finally:
        stream.close()
    assert bytes(shell.read).count(b"\\echo launchpad-batch-done t0k") == 2
    assert [(a["batch"], a["private_dir"]) for a in shell.audited if a["action"] == "remote_sql"] == \
        [(1, "/tmp/launchpad.1"), (2, "/tmp/launchpad.1")]
    assert all(b"2\n" not in a["statements"].encode() for a in shell.audited)  # the rows are not audited


def test_a_command_that_ends_without_the_mark_fails_the_batch_with_the_clients_words() -> None:
    shell = Shell([b"launchpad-batch-done t0k 1\n"], exit_code=3, reads=2,
                  stderr=b"ERROR:  duplicate key value violates unique constraint\n")
    stream = opened(shell)
    try:
        stream.run(1, BATCH)
        with pytest.raises(TargetFailed, match="db1: the bulk load failed: ERROR:  duplicate key value"):
            stream.run(2, BATCH)
    finally:
        stream.close()


@pytest.mark.parametrize(("failure", "said"), [(OSError("connection reset by peer"), "connection reset by peer"),
                                             (EOFError(), "EOFError")], ids=["with words", "without words"])
def test_a_failure_of_the_link_itself_is_said_as_the_batch_failing_on_its_host(failure: Exception, said: str) -> None:
    class Broken(Shell):
        def feed(self, command: str, source: Readable, *, timeout: float,
                 on_output: Callable[[str, bytes], None] | None = None) -> CommandResult:
            raise failure

    stream = opened(Broken([]))
    try:
        with pytest.raises(TargetFailed) as failed:
            stream.run(1, BATCH)
    finally:
        stream.close()
    assert f"db1：批量装载失败：{said}" in failed.value.render("zh")


# A host's login shell runs the loop: bash, or dash (Debian's sh), which gives a command run in
# the background /dev/null as its stdin before the command's own redirections.
SHELLS = ["bash", "dash"]


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(("framed", "code"), [
    (b"1 4 6\nSQL1abcdef2 4 3\nSQL2xyz", 0),  # two batches, loaded, then the end of the input
    (b"1 x 6\nSQL1abcdef", 2),  # a damaged first header: the client sees its input end
], ids=["loaded", "damaged"])
def test_mariadbs_loop_kills_no_process_once_its_rows_writer_has_ended(
        tmp_path: Path, framed: bytes, code: int, shell: str) -> None:
    """The loop on the host, run here with a client that reads each batch's rows: at its exit it
    kills a rows writer only while waiting for it. One that ended was reaped, and its process id
    may since belong to any process on the host; nor is the client killed (it stops when its
    input ends)."""
    from launchpad.users.stream import loop_script

    if shutil.which(shell) is None:
        missing(shell, "not on PATH")  # fails under CI: Debian's sh is dash, bash is .ci/run's own shell
    folder = tmp_path / "private"
    folder.mkdir()
    kills = tmp_path / "kills"
    client = f"sh -c 'while IFS= read -r s; do cat {ROWS_PIPE}; echo \" loaded $s\"; done'"
    script = (f'kill() {{ printf "%s\\n" "$*" >> {shlex.quote(str(kills))}; command kill "$@"; }}\n'
              f"lp_tmp={shlex.quote(str(folder))}\n"
              + loop_script(client, ":"))
    done = subprocess.run([shell, "-c", script], input=framed, capture_output=True, timeout=60,
                          start_new_session=True)  # a client that failed would end the whole group
    assert done.returncode == code, done.stderr
    if code == 0:
        assert done.stdout == b"abcdef loaded SQL1\nxyz loaded SQL2\n"
    assert not kills.exists(), kills.read_text()
