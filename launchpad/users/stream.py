"""Every bulk-loaded batch of an import through one command on the database's host.

A command costs a fixed time before the database sees a byte — the SSH channel, the host's
login shell (a site's `~/.bashrc`), the private folder: 0.13 s on a quiet machine, up to 0.5 s
on a busy one — and paid once per batch it was much of the apply's time (bench/import). So
the import opens one command before its first batch is ready and sends the batches into its
stdin as they are ready:

- PostgreSQL: one psql reads the batches as one script, each batch's rows in-band after its
  `COPY … FROM STDIN` (ended by `\\.`), as pg_dump writes them: one session for the import.
- MariaDB has no in-band load, so one client on the host reads the batches' statements from a
  named pipe in the command's private folder, and each batch's `LOAD DATA LOCAL INFILE` reads
  its rows from a second one, made afresh for each batch: a small loop frames them — a header
  line `BATCH SQL-BYTES ROW-BYTES`, then the statements, then the rows; `head -c` takes each
  part's exact bytes, and a batch whose statements arrived cut short never reaches the client.
  One session for the import (a client's start cost 0.04 s a batch, bench/import). Nothing of
  the rows is ever written to the host's disk.

A batch is done when the client prints the batch's mark, which it does only after its COMMIT
succeeded: the mark is the last statement, and the client stops at the first error (which
ends the command). Rows cut short on their way — the stream ended mid-batch because launchpad
died or the link did — fail the batch's completeness check (staged.py) or never reach its
COMMIT: nothing of that batch is committed.

The command is audited when it starts (`remote_command`); each batch's statements, which are
what the host is asked to do, are audited just before they are sent (`remote_sql`); the rows
are not.
"""

from __future__ import annotations

import contextlib
import queue
import secrets
import threading
import time

from launchpad.backup.envelope import CLEANUP, OWN_FD
from launchpad.backup.hostshell import tail
from launchpad.backup.sqlclient import MySqlClient, PostgresClient
from launchpad.errors import LaunchpadError
from launchpad.hosts.base import CommandResult, Stream
from launchpad.phrases import Said, phrase
from launchpad.users.staged import COMMIT, ROWS_PIPE, Staged
from launchpad.users.target import BATCH_REFUSED, LOAD_TIMEOUT, TargetFailed, TargetSession, refused_by_server

DONE = "launchpad-batch-done"
ASKED = 0  # what `ask` sends is answered as a batch numbered so: the import's batches count from 1
# MariaDB's loop on the host. The client runs in the private folder (its LOAD DATA names the rows'
# pipe by name there) and reads the statements' pipe; the loop hands it each batch's statements
# whole, then its rows. A client that fails ends the command's whole process group — the loop
# may be waiting for it to open the rows' pipe, which it never will — and its error is on stderr.
# The rows go through a child the loop waits for, not one it runs: bash's `wait` gives way to
# the TERM at once, and the exit kills the child — only while the loop waits for it: once it has
# ended, its process id is free for any process on the host to be given, and nothing is killed.
# (The client needs no kill: a failed one ended the group, and any other sees its input end.)
# A child forked as the TERM came can lose it (bash's own handler is still in place until it
# execs), and then it waited for the pipe's reader forever, and the command with it: a batch
# refused by a server with local_infile = OFF hung so.
# A damaged header or statements cut short end the loop before the batch reaches the client,
# which then sees its input end and stops.
# Each batch's rows go through a pipe of their own, made before its statements are handed on
# (so its load can open no other): the load before may still hold its pipe, its rows read but
# its end not yet seen, and a writer opening that same pipe then is not kept waiting: the next
# batch's rows went into the load before it, and a later load waited for rows that never came,
# until its batch failed LOAD_TIMEOUT later.
# The rows writer reads the command's stdin through a copy of it (the envelope's OWN_FD): a
# POSIX shell gives a command run in the background /dev/null as its stdin before that
# command's own redirections, so dash (Debian's sh, a login shell some service accounts have)
# made `<&0` read nothing, and every batch after the first arrived "damaged".
_LOOP = """exec {stdin}<&0
lp_writer=
trap '[ -z "$lp_writer" ] || kill -KILL "$lp_writer" 2>/dev/null; {cleanup}' EXIT
lp_statements="$lp_tmp/launchpad-statements"
mkfifo "$lp_statements" || exit 125
{ cd "$lp_tmp" && {client} <"$lp_statements"; lp_status=$?
  [ "$lp_status" -eq 0 ] || kill -TERM 0; exit "$lp_status"; } &
lp_client=$!
while IFS=' ' read -r lp_batch lp_sql_bytes lp_in_bytes; do
  case "$lp_batch:$lp_sql_bytes:$lp_in_bytes" in
    *[!0-9:]*|:*|*::*|*:) echo "launchpad: a batch header is damaged" >&2; exit 2;;
  esac
  lp_sql=$(head -c "$lp_sql_bytes")
  if [ "$(printf %s "$lp_sql" | wc -c)" -ne "$lp_sql_bytes" ]; then
    echo "launchpad: batch $lp_batch arrived cut short" >&2; exit 2
  fi
  rm -f "$lp_tmp/{rows}" && mkfifo "$lp_tmp/{rows}" || exit 125
  printf '%s\\n' "$lp_sql"
  head -c "$lp_in_bytes" <&{stdin} >"$lp_tmp/{rows}" &
  lp_writer=$!
  wait "$lp_writer"
  lp_writer=
done >"$lp_statements"
wait "$lp_client"
"""


def loop_script(client: str, cleanup: str) -> str:
    """MariaDB's loop on the host, running `client`, ending with `cleanup`."""
    return (_LOOP.replace("{client}", client).replace("{rows}", ROWS_PIPE).replace("{cleanup}", cleanup)
            .replace("{stdin}", str(OWN_FD)))


class BatchStream:
    """One command on the database's host that loads the import's batches one after the other."""

    def __init__(self, session: TargetSession, batches: int) -> None:
        self.session = session
        self.batches = batches
        self.token = secrets.token_hex(8)
        self._input = _Pipe()
        self._changed = threading.Condition()
        self._done: dict[int, str] = {}  # batch → what the client printed before its mark
        self._said: list[str] = []
        self._partial = b""
        self._ended: CommandResult | Exception | None = None
        self._sent: set[int] = set()
        self._held: dict[int, bytes] = {}  # batch → its COMMIT and mark, sent once its rows are recorded
        self._answered: set[int] = set()
        self._thread: threading.Thread | None = None
        self.tmp = ""  # the command's private folder on the host, once it is opened
        self._folder = contextlib.ExitStack()

    def open(self) -> BatchStream:
        """Start the command (SSH, the shell, the private folder) while the first batch is made."""
        from launchpad.backup.sqlquery import secret_files

        # Its own private folder: batches of updates go as scripts, the session's own commands,
        # while this one runs.
        self._shell = self.session.shell.beside()
        self.tmp = self._folder.enter_context(self._shell.private_dir(secret_files(self.session.access)))
        self._thread = threading.Thread(target=self._run, name="import-stream", daemon=True)
        self._thread.start()
        return self

    def run(self, number: int, staged: Staged) -> str:
        """Audit batch `number`, send it and wait until the client committed it."""
        self.announce(number, staged)
        return self.load(number, staged)

    def announce(self, number: int, staged: Staged) -> None:
        """The batch's statements into the audit log, before it is sent. The import does this on
        its own thread, which also writes the store's records: done from the thread waiting on
        the host, it waited for the next batch's record to let go of the store."""
        self.session.shell.audit("remote_sql", self.session.shell.name,
                                 {"batch": number, "statements": self.statements(staged),
                                  "private_dir": self.tmp})

    def ask(self, script: str) -> None:
        """Send `script` ahead of the batches (audited as they are); `answer` waits for what it printed."""
        self.session.shell.audit("remote_sql", self.session.shell.name,
                                 {"batch": ASKED, "statements": script, "private_dir": self.tmp})
        with self._changed:
            self._sent.add(ASKED)
        self.send((script + f"\\echo {DONE} {self.token} {ASKED}\n").encode("utf-8"))

    def answer(self) -> str:
        return self.wait(ASKED)

    def load(self, number: int, staged: Staged) -> str:
        """Send an announced batch and wait until the client committed it; what the client
        printed for it comes back (the benchmark reads its timing marks from it)."""
        self.send_batch(number, staged)
        return self.wait(number)

    @property
    def holds_commit(self) -> bool:
        """Whether a batch can be sent ahead of its COMMIT (`send_batch(…, commit=False)`, then
        `commit`): psql reads its script as it comes and waits at the COMMIT for the rest. The
        loop MariaDB's client reads through hands on a batch only whole."""
        return not self.session.sql.mysql

    def send_batch(self, number: int, staged: Staged, *, commit: bool = True) -> None:
        """Queue an announced batch behind those already sent: the host takes it once the one
        before it committed, and never if that one failed (the client stops at its first
        error, and the command with it). Without `commit` (where `holds_commit`), everything
        but its COMMIT: the host loads and checks the batch and then waits for `commit`; a
        command that ends first ends the transaction, and nothing of the batch is committed."""
        with self._changed:
            self._sent.add(number)
        if commit:
            self.send(self.framed(number, staged))
            return
        if not self.holds_commit:
            raise ValueError("MariaDB's loop takes a batch only whole")
        ahead, self._held[number] = self._pg_parts(f"{DONE} {self.token} {int(number)}", staged)
        self.send(ahead)

    def commit(self, number: int) -> None:
        """Send the COMMIT of a batch sent without it."""
        self.send(self._held.pop(number))

    def sent_after(self, number: int) -> list[int]:
        """The batches sent behind batch `number`."""
        with self._changed:
            return sorted(n for n in self._sent if n > number)

    def send(self, chunk: bytes) -> None:
        self._input.put(chunk)

    def wait(self, number: int) -> str:
        deadline = time.monotonic() + LOAD_TIMEOUT
        with self._changed:
            while number not in self._done and self._ended is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    host = self.session.shell.name
                    raise TargetFailed(phrase("users.stream.silent", host=host, batch=number,
                                              seconds=f"{LOAD_TIMEOUT:g}"),
                                       hint=phrase("users.stream.silent_hint", host=host))
                self._changed.wait(left)
            if number in self._done:
                return self._done.pop(number)
            ended = self._ended
        if isinstance(ended, LaunchpadError):  # the link's own error already says host, what and what next
            raise ended
        assert ended is not None
        said: Said
        if isinstance(ended, Exception):  # paramiko's EOFError on a closed link says nothing: its name does
            said = str(ended) or type(ended).__name__
        else:
            said = tail(ended.stderr if ended.stderr.strip() else ended.stdout)
        said = self.session.secrets.said(said)  # a refused row may be quoted whole, its hash with it
        refused = isinstance(ended, CommandResult) and refused_by_server(str(said))
        raise TargetFailed(phrase("users.bulk_load_failed", shell=self.session.shell.name, error=said),
                           hint=phrase(BATCH_REFUSED if refused else "users.bulk_load_failed_hint"))

    def close(self) -> None:
        """End the command: the end of its input when every batch sent was answered (the loop
        ends there), else the channel is closed under it (a batch still on the host ends
        without its input's end, so it commits nothing more than what it already holds)."""
        with self._changed:
            answered = self._sent <= self._answered
        if answered:
            self._input.end()
        else:
            self._input.abort()
        if self._thread is not None:
            self._thread.join()

    def framed(self, number: int, staged: Staged) -> bytes:
        """What the command reads for batch `number`."""
        mark = f"{DONE} {self.token} {int(number)}"
        if self.session.sql.mysql:
            sql = " ".join([*staged.before, staged.load, *staged.after, f"SELECT '{mark}';"]).encode("utf-8")
            return f"{int(number)} {len(sql)} {len(staged.data)}\n".encode() + sql + staged.data
        return b"".join(self._pg_parts(mark, staged))

    def _pg_parts(self, mark: str, staged: Staged) -> tuple[bytes, bytes]:
        """A PostgreSQL batch's script: everything before its COMMIT, and the COMMIT (its last
        statement) with what follows it."""
        script = "\n".join([*staged.before, staged.load]) + "\n"
        loads = [script.encode("utf-8"), staged.data]
        for load, data in staged.more:
            loads += [f"\\.\n{load}\n".encode(), data]
        at = len(staged.after) - 1 - staged.after[::-1].index(COMMIT)
        checks = "\\.\n" + "".join(f"{statement}\n" for statement in staged.after[:at])
        rest = "\n".join(staged.after[at:]) + f"\n\\echo {mark}\n"
        return b"".join([*loads, checks.encode("utf-8")]), rest.encode("utf-8")

    def statements(self, staged: Staged) -> str:
        """What the audit log keeps of a batch: its statements, not its rows."""
        return "\n".join([*staged.before, staged.load, *(load for load, _ in staged.more), *staged.after])

    def command(self, tmp: str) -> str:
        access = self.session.access
        if self.session.sql.mysql:
            client = MySqlClient(access).command(tmp, None, "--local-infile=1 --batch --skip-column-names --unbuffered")
            return loop_script(client, CLEANUP)
        pg = PostgresClient(access)
        return f"{pg.text_env(tmp)}psql -X -q -v ON_ERROR_STOP=1 {pg.connection()} -f -"

    def _run(self) -> None:
        outcome: CommandResult | Exception
        try:
            outcome = self._shell.feed(self.command(self.tmp), self._input, on_output=self._heard,
                                       timeout=LOAD_TIMEOUT * (self.batches + 1))
        except Exception as exc:  # said by wait() to the thread waiting for a batch (once every batch
            outcome = exc  # was answered, none is left for it to spoil)
        finally:
            self._folder.close()
        with self._changed:
            self._ended = outcome
            self._changed.notify_all()

    def _heard(self, stream: Stream, chunk: bytes) -> None:
        if stream != "stdout":
            return
        lines = (self._partial + chunk).split(b"\n")
        self._partial = lines.pop()
        prefix = f"{DONE} {self.token} "
        with self._changed:
            for raw in lines:
                line = raw.decode("utf-8", errors="replace")
                if line.startswith(prefix) and line[len(prefix):].isdigit():
                    number = int(line[len(prefix):])
                    self._done[number] = "\n".join(self._said)
                    self._answered.add(number)
                    self._said = []
                    self._changed.notify_all()
                else:
                    self._said.append(line)


class _Pipe:
    """The command's input, handed over by the import as its batches are ready."""

    def __init__(self) -> None:
        self._chunks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._chunk = b""
        self._at = 0  # how much of _chunk was read: a batch is megabytes, never copied whole again
        self._ended = False

    def put(self, chunk: bytes) -> None:
        self._chunks.put(chunk)

    def end(self) -> None:
        self._chunks.put(b"")

    def abort(self) -> None:
        self._chunks.put(None)

    def read(self, size: int = -1, /) -> bytes:
        if self._at >= len(self._chunk) and not self._ended:
            chunk = self._chunks.get()
            if chunk is None:  # the transport closes the channel on a failed read
                raise OSError(str(phrase("users.stream.ended")))
            self._ended = not chunk
            self._chunk, self._at = chunk, 0
        end = len(self._chunk) if size < 0 else min(len(self._chunk), self._at + size)
        piece = self._chunk[self._at:end]  # the whole chunk itself when read at once
        self._at = end
        return piece
