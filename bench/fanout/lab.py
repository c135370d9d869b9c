"""A loopback lab for the fan-out benchmark: many OpenSSH servers, a client key, a throwaway
user, and a delaying TCP proxy standing in for round-trip latency.

Self-contained on purpose (the benchmark imports nothing from tests/ nor from launchpad):

- `SshLab` starts `sshd -D -e` processes on free ports of 127.0.0.1, each with its own ed25519
  host key and `LogLevel VERBOSE`, so every accepted login is a line in its log. One client key
  is in the `authorized_keys` every server reads.
- `bench_user()` picks the user the servers let in: when run as root, a throwaway user
  `lpbench` with `/bin/sh` (created with `useradd`, removed at the end), because root's own
  start-up files may cost more than a short command; otherwise the current user.
- `DelayProxy` runs `python lab.py proxy ...` as a child process: an asyncio TCP relay on
  127.0.0.1 that holds every chunk for a fixed time in each direction (and a round trip before
  it connects upstream), since this kernel has no netem. Only loopback is ever touched.

Everything started here is stopped by `close()`: listeners, the sessions below them, and the
proxy process, each by its own process id.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd")
READY_DEADLINE = 15.0
BENCH_USER = "lpbench"
BENCH_USER_COMMENT = "launchpad fan-out benchmark (temporary)"


class LabUnavailable(RuntimeError):
    """A tool the lab needs (sshd, ssh-keygen, useradd) is missing or refused."""


# -- small helpers ------------------------------------------------------------------------


def find_sshd() -> str:
    if shutil.which("ssh-keygen") is None:
        raise LabUnavailable("ssh-keygen not found (apt-get install openssh-client)")
    found = next((c for c in SSHD_CANDIDATES if os.access(c, os.X_OK)), shutil.which("sshd"))
    if found is None:
        raise LabUnavailable("OpenSSH server not found (apt-get install openssh-server)")
    return found


def generate_key(path: Path) -> Path:
    """An ed25519 key pair without passphrase; returns the private key's path."""
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def sshd_version(sshd: str) -> tuple[int, int]:
    banner = subprocess.run([sshd, "-V"], capture_output=True, text=True, timeout=10).stderr
    match = re.search(r"OpenSSH_(\d+)\.(\d+)", banner)
    return (int(match[1]), int(match[2])) if match else (0, 0)


def descendants(roots: Iterable[int]) -> list[int]:
    """Every process below `roots` (one pass over /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the ppid follows the last ')'.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    pending = [pid for root in roots for pid in children.get(root, [])]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def stop_process(process: subprocess.Popen[bytes] | None, grace: float = 5.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(grace)


# -- the user the servers let in ----------------------------------------------------------


@dataclass
class BenchUser:
    name: str
    home: str
    shell: str
    created: bool = False  # by the benchmark, so removed by it

    def remove(self) -> None:
        if self.created:
            subprocess.run(["userdel", "-r", self.name], capture_output=True, timeout=30)
            self.created = False


def bench_user() -> BenchUser:
    """As root: the throwaway `lpbench` user with /bin/sh. Otherwise: the current user."""
    if os.geteuid() != 0:
        entry = pwd.getpwnam(getpass.getuser())
        return BenchUser(entry.pw_name, entry.pw_dir, entry.pw_shell)
    try:
        entry = pwd.getpwnam(BENCH_USER)
    except KeyError:
        done = subprocess.run(
            # `-p *`: no password at all, yet not locked (sshd without PAM refuses locked
            # accounts, whose password field starts with "!", even for key logins).
            ["useradd", "-m", "-s", "/bin/sh", "-p", "*", "-c", BENCH_USER_COMMENT, BENCH_USER],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if done.returncode != 0:
            raise LabUnavailable(f"useradd {BENCH_USER} failed: {done.stderr.strip()}") from None
        entry = pwd.getpwnam(BENCH_USER)
    # Ours (made now, or left by a run that was killed before it could remove it): removed at
    # the end. A user of that name made by someone else is used as it is and left alone.
    ours = entry.pw_gecos == BENCH_USER_COMMENT
    return BenchUser(entry.pw_name, entry.pw_dir, entry.pw_shell, created=ours)


def login_user(name: str) -> BenchUser:
    entry = pwd.getpwnam(name)
    return BenchUser(entry.pw_name, entry.pw_dir, entry.pw_shell)


# -- the servers ---------------------------------------------------------------------------


@dataclass
class SshdHost:
    name: str
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def host_key(self) -> Path:
        return self.directory / "ssh_host_ed25519_key"

    @property
    def log_path(self) -> Path:
        return self.directory / "sshd.log"

    def public_key(self) -> str:
        """`type base64` of the host key."""
        return " ".join(Path(f"{self.host_key}.pub").read_text().split()[:2])

    def accepted_logins(self) -> int:
        return self.log_path.read_text(errors="replace").count("Accepted publickey")


@dataclass
class SshLab:
    """Temporary OpenSSH servers on loopback and the client key that logs into all of them."""

    root: Path
    sshd: str = field(default_factory=find_sshd)
    hosts: list[SshdHost] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Readable by the bench user: sshd reads authorized_keys with the user's rights.
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        self.client_key = generate_key(self.root / "client_ed25519")
        self.authorized_keys = self.root / "authorized_keys"
        self.authorized_keys.write_text(Path(f"{self.client_key}.pub").read_text())
        self.authorized_keys.chmod(0o644)
        self.version = sshd_version(self.sshd)
        if os.geteuid() == 0:
            # sshd refuses to start as root without its privilege separation directory.
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)

    def start_hosts(self, count: int, prefix: str = "h") -> list[SshdHost]:
        """`count` servers, keys made and processes started in parallel."""
        width = max(2, len(str(count)))
        new = []
        for n in range(1, count + 1):
            directory = self.root / f"{prefix}{n:0{width}d}"
            directory.mkdir()
            new.append(SshdHost(directory.name, free_port(), directory))
        self.hosts.extend(new)  # before starting: close() stops whatever did start
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda host: generate_key(host.host_key), new))
        for host in new:
            self._launch(host)
        for host in new:
            self._wait_until_ready(host)
        return new

    def close(self) -> None:
        listeners = [h.process for h in self.hosts if h.process is not None]
        for pid in descendants(p.pid for p in listeners):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for process in listeners:
            if process.poll() is None:
                process.terminate()
        for host in self.hosts:
            stop_process(host.process)
            host.process = None

    def busy_sessions(self) -> int:
        """Processes serving connections right now (below the listeners)."""
        return len(descendants(h.process.pid for h in self.hosts if h.process is not None))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until the sessions of the last measurement have ended, so they cost the next none."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.busy_sessions() == 0:
                return True
            time.sleep(0.05)  # polling interval
        return False

    def sshd_config(self, host: SshdHost) -> str:
        lines = [
            f"Port {host.port}",
            f"ListenAddress {LOOPBACK}",
            f"HostKey {host.host_key}",
            f"PidFile {host.directory / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.authorized_keys}",
            "UsePAM no",
            "StrictModes no",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "LogLevel VERBOSE",
            "UseDNS no",
            "PrintMotd no",
            "PrintLastLog no",
            # 40 clients arrive at once; the default 10:30:100 would drop some.
            "MaxStartups 200",
            "MaxSessions 100",
        ]
        if self.version >= (9, 8):
            lines.append("PerSourcePenalties no")
        return "\n".join(lines) + "\n"

    def _launch(self, host: SshdHost) -> None:
        config = host.directory / "sshd_config"
        config.write_text(self.sshd_config(host))
        with open(host.log_path, "ab") as log:
            host.process = subprocess.Popen(
                [self.sshd, "-D", "-e", "-f", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    def _wait_until_ready(self, host: SshdHost) -> None:
        deadline = time.monotonic() + READY_DEADLINE
        while time.monotonic() < deadline:
            assert host.process is not None
            if host.process.poll() is not None:
                raise LabUnavailable(f"sshd {host.name} exited:\n{host.log_path.read_text()}")
            with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, host.port), timeout=1) as probe:
                if probe.recv(8).startswith(b"SSH-"):
                    return
            time.sleep(0.01)  # polling interval of the readiness loop
        raise LabUnavailable(f"sshd {host.name} not ready:\n{host.log_path.read_text()}")


# -- the delaying proxy --------------------------------------------------------------------


class DelayProxy:
    """A child process relaying 127.0.0.1:listen → 127.0.0.1:target for each pair, adding
    `delay` seconds to every chunk in each direction (a round trip of 2 × delay), and one round
    trip before the upstream connection is made (TCP's own handshake)."""

    def __init__(self, pairs: list[tuple[int, int]], delay: float, log_path: Path) -> None:
        self.pairs = pairs
        self.delay = delay
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        args = [sys.executable, str(Path(__file__).resolve()), "proxy", "--delay", str(self.delay)]
        args += [f"{listen}:{target}" for listen, target in self.pairs]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
        assert self.process.stdout is not None
        # The child prints one line once every listener is bound; bounded by its own exit.
        line = self.process.stdout.readline()
        if line.strip() != b"ready":
            stop_process(self.process)
            raise LabUnavailable(f"delay proxy did not start:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        stop_process(self.process)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Copy reader → writer, each chunk delivered `delay` seconds after it was read, in order."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def deliver() -> None:
        while True:
            due, chunk = await queue.get()
            if not chunk:
                break
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(chunk)
            await writer.drain()
        with contextlib.suppress(OSError):
            writer.write_eof()

    delivery = asyncio.create_task(deliver())
    try:
        while True:
            chunk = await reader.read(65536)
            queue.put_nowait((loop.time() + delay, chunk))
            if not chunk:
                break
        await delivery
    finally:
        delivery.cancel()


async def _serve_proxy(pairs: list[tuple[int, int]], delay: float) -> None:
    async def relay(target: int, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            await asyncio.sleep(2 * delay)  # SYN, SYN-ACK
            server_r, server_w = await asyncio.open_connection(LOOPBACK, target)
        except OSError:
            client_w.close()
            return
        try:
            await asyncio.gather(_pump(client_r, server_w, delay), _pump(server_r, client_w, delay))
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            for w in (client_w, server_w):
                w.close()

    servers = []
    for listen, target in pairs:

        async def handler(r: asyncio.StreamReader, w: asyncio.StreamWriter, target: int = target) -> None:
            await relay(target, r, w)

        servers.append(await asyncio.start_server(handler, LOOPBACK, listen, backlog=256))
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    for server in servers:
        server.close()


def _proxy_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="lab.py proxy")
    parser.add_argument("--delay", type=float, required=True, help="seconds added to each chunk, each way")
    parser.add_argument("pairs", nargs="+", metavar="LISTEN:TARGET")
    args = parser.parse_args(argv)
    pairs = [tuple(int(p) for p in pair.split(":", 1)) for pair in args.pairs]
    asyncio.run(_serve_proxy(pairs, args.delay))  # type: ignore[arg-type]


if __name__ == "__main__":
    if sys.argv[1:2] == ["proxy"]:
        _proxy_main(sys.argv[2:])
    else:
        sys.exit("usage: lab.py proxy --delay SECONDS LISTEN:TARGET ...")
