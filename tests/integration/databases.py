"""Real MariaDB and PostgreSQL servers for the tests, each in a temporary data directory.

Both listen on 127.0.0.1 on a free port (and on a socket inside their directory) and have a
user `lp` with a password, so the backup drivers go through password authentication exactly as
on a client's server. The tests reach them through the real sshd of `sshd.py`: that sshd runs
on this machine, so 127.0.0.1 is the same address from the "remote" host.

PostgreSQL refuses to run as root: as root, its directory is given to the `postgres` system
user and `initdb`/`pg_ctl` run through `runuser`. MariaDB runs as the current user (`--user`).
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.integration.sshd import free_port
from tests.servers import missing

PASSWORD = "s3cret 密码 'quote\" $(x)"
USER = "lp"
READY_DEADLINE = 60.0
PG_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


class ServerUnavailable(RuntimeError):
    """The database server is not installed on this machine."""


def _which(*names: str, extra_dirs: tuple[Path, ...] = ()) -> str:
    for name in names:
        for directory in extra_dirs:
            candidate = directory / name
            if os.access(candidate, os.X_OK):
                return str(candidate)
        found = shutil.which(name) or next(
            (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
        )
        if found:
            return found
    raise ServerUnavailable(f"none of {', '.join(names)} is installed")


def _wait_for_port(port: int, process: subprocess.Popen[bytes] | None, log: Path) -> None:
    deadline = time.monotonic() + READY_DEADLINE
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text(errors='replace')[-4000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.05)  # polling interval of the readiness loop
    raise RuntimeError(f"the server did not listen on {port}:\n{log.read_text(errors='replace')[-4000:]}")


@dataclass
class MariaDbServer:
    """`mariadbd` on 127.0.0.1:port with a user `lp` (password PASSWORD, all privileges)."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    options: tuple[str, ...] = ()  # the server's further options (`--innodb-autoinc-lock-mode=2`)

    @property
    def socket_path(self) -> Path:
        return self.directory / "mysqld.sock"

    def start(self) -> None:
        install = _which("mariadb-install-db", "mysql_install_db")
        server = _which("mariadbd", "mysqld")
        self.client = _which("mariadb", "mysql")
        data = self.directory / "data"
        log = self.directory / "install.log"
        with open(log, "wb") as out:
            subprocess.run(
                [install, f"--datadir={data}", f"--user={getpass.getuser()}",
                 "--auth-root-authentication-method=socket", "--skip-test-db"],
                stdout=out, stderr=out, check=True, timeout=120,
            )
        self.log = self.directory / "server.log"
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(
                [server, "--no-defaults", f"--datadir={data}", f"--socket={self.socket_path}",
                 f"--port={self.port}", "--bind-address=127.0.0.1", f"--user={getpass.getuser()}",
                 f"--pid-file={self.directory / 'mysqld.pid'}", "--skip-log-bin", "--innodb-buffer-pool-size=32M",
                 "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                 f"--log-error={self.log}", *self.options],
                stdin=subprocess.DEVNULL, stdout=out, stderr=out,
            )
        _wait_for_port(self.port, self.process, self.log)
        quoted = PASSWORD.replace("\\", "\\\\").replace("'", "\\'")
        self.root_sql(
            f"CREATE USER '{USER}'@'127.0.0.1' IDENTIFIED BY '{quoted}';"
            f"CREATE USER '{USER}'@'localhost' IDENTIFIED BY '{quoted}';"
            f"GRANT ALL ON *.* TO '{USER}'@'127.0.0.1' WITH GRANT OPTION;"
            f"GRANT ALL ON *.* TO '{USER}'@'localhost' WITH GRANT OPTION;"
        )

    def root_sql(self, sql: str, database: str = "") -> str:
        """Run SQL as root over the socket (the tests' own setup, not launchpad's)."""
        args = [self.client, "--no-defaults", "-uroot", f"--socket={self.socket_path}", "-N", "-B",
                "--default-character-set=utf8mb4"]
        if database:
            args.append(database)
        done = subprocess.run(args, input=sql.encode(), capture_output=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace"))
        return done.stdout.decode()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@dataclass
class PostgresServer:
    """PostgreSQL on 127.0.0.1:port, superuser `lp` with PASSWORD (scram-sha-256)."""

    directory: Path
    port: int = field(default_factory=free_port)
    run_as: list[str] = field(default_factory=list)

    def start(self) -> None:
        dirs = tuple(PG_BIN_DIRS)
        self.initdb = _which("initdb", extra_dirs=dirs)
        self.pg_ctl = _which("pg_ctl", extra_dirs=dirs)
        self.psql = _which("psql", extra_dirs=dirs)
        self.data = self.directory / "data"
        pwfile = self.directory / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if os.geteuid() == 0:
            # PostgreSQL refuses root: the postgres system user (installed with the server) runs it.
            self.run_as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.directory, "postgres")
            shutil.chown(pwfile, "postgres")
        self.log = self.directory / "server.log"
        self._run([self.initdb, "-D", str(self.data), "-U", USER, "--auth=scram-sha-256", f"--pwfile={pwfile}",
                   "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.directory} "
                   "-c fsync=off -c shared_buffers=16MB -c max_connections=30")
        self._run([self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start"])
        _wait_for_port(self.port, None, self.log)

    def _run(self, args: list[str]) -> None:
        done = subprocess.run([*self.run_as, *args], capture_output=True, timeout=120, cwd=self.directory)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout.decode(errors='replace')}"
                               f"{done.stderr.decode(errors='replace')}")

    def sql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL as `lp` over TCP (the tests' own setup and checks)."""
        env = {**os.environ, "PGPASSWORD": PASSWORD}
        done = subprocess.run(
            [self.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", USER, "-d", database],
            input=sql.encode(), capture_output=True, timeout=60, env=env,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr.decode(errors="replace"))
        return done.stdout.decode()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run([self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"])


def server_directory(prefix: str) -> Path:
    """A directory that the postgres user can reach too (pytest's are private to root)."""
    return Path(tempfile.mkdtemp(prefix=prefix))


def _start(server: MariaDbServer | PostgresServer) -> Iterator[MariaDbServer | PostgresServer]:
    try:
        server.start()
    except ServerUnavailable as exc:
        shutil.rmtree(server.directory, ignore_errors=True)
        missing("MariaDB" if isinstance(server, MariaDbServer) else "PostgreSQL", str(exc))
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture(scope="session", name="mariadb_server")
def mariadb_server_fixture() -> Iterator[MariaDbServer]:
    """A MariaDB server for the whole session (tests use databases of their own in it)."""
    for server in _start(MariaDbServer(server_directory("lp-mariadb-"))):
        assert isinstance(server, MariaDbServer)
        yield server


@pytest.fixture(scope="session", name="postgres_server")
def postgres_server_fixture() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session (tests use databases of their own in it)."""
    for server in _start(PostgresServer(server_directory("lp-postgres-"))):
        assert isinstance(server, PostgresServer)
        yield server
