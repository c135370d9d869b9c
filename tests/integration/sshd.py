"""Real OpenSSH servers on 127.0.0.1 for the tests, each with keys made for the test.

An `SshLab` owns a temporary directory, one client key (in `authorized_keys` of every server)
and any number of `SshdHost`s: `sshd -D -e` processes on free loopback ports, each with its own
ed25519 host key. A host can be restarted with a new host key (a reinstalled server, or an
attacker), and the processes serving its connections can be killed or frozen (a crashed server,
a cut network) while the listener stays up.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from launchpad.hosts.base import HostSpec

SSHD_CANDIDATES = ("/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd")
SFTP_SERVER_CANDIDATES = ("/usr/lib/openssh/sftp-server", "/usr/libexec/openssh/sftp-server")
READY_DEADLINE = 10.0
T = TypeVar("T")


class SshdUnavailable(RuntimeError):
    """OpenSSH's server or ssh-keygen is not installed on this machine."""


def finish_within(seconds: float, action: Callable[[], T]) -> T:
    """Run `action`, failing the test if it is still running after `seconds` (a hang).

    The action runs in a daemon thread, so a hung call cannot keep the test run alive.
    """
    outcome: dict[str, Any] = {}

    def attempt() -> None:
        try:
            outcome["value"] = action()
        except BaseException as exc:  # handed to the test thread as is
            outcome["error"] = exc

    thread = threading.Thread(target=attempt, name="finish_within", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise AssertionError(f"still running after {seconds:g}s: it hangs")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def find_sshd() -> str:
    if shutil.which("ssh-keygen") is None:
        raise SshdUnavailable("ssh-keygen not found (apt-get install openssh-client)")
    found = next((c for c in SSHD_CANDIDATES if os.access(c, os.X_OK)), shutil.which("sshd"))
    if found is None:
        raise SshdUnavailable("OpenSSH server not found (apt-get install openssh-server)")
    return found


def generate_key(path: Path) -> Path:
    """An ed25519 key pair without passphrase; returns the private key's path."""
    path.unlink(missing_ok=True)
    Path(f"{path}.pub").unlink(missing_ok=True)
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
        check=True,
        capture_output=True,
    )
    return path


def ssh_keygen_fingerprint(public_key: Path) -> str:
    """The SHA256 fingerprint as `ssh-keygen -lf` prints it (the reference for our own)."""
    output = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(public_key)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return output.split()[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sshd_version(sshd: str) -> tuple[int, int]:
    banner = subprocess.run([sshd, "-V"], capture_output=True, text=True).stderr
    match = re.search(r"OpenSSH_(\d+)\.(\d+)", banner)
    return (int(match[1]), int(match[2])) if match else (0, 0)


@dataclass
class SshdHost:
    name: str
    port: int
    directory: Path
    lab: SshLab
    address: str = "127.0.0.1"
    process: subprocess.Popen[bytes] | None = None

    @property
    def host_key(self) -> Path:
        return self.directory / "ssh_host_ed25519_key"

    @property
    def host_key_pub(self) -> Path:
        return Path(f"{self.host_key}.pub")

    @property
    def log_path(self) -> Path:
        return self.directory / "sshd.log"

    def spec(self, **overrides: Any) -> HostSpec:
        """A HostSpec that reaches this server with the lab's client key."""
        spec = HostSpec(
            name=self.name,
            address=self.address,
            port=self.port,
            user=self.lab.user,
            identity_file=str(self.lab.client_key),
        )
        return replace(spec, **overrides)

    def public_key_line(self) -> str:
        """`type base64` of the current host key."""
        return " ".join(self.host_key_pub.read_text().split()[:2])

    def known_hosts_line(self, *, hashed: bool = False) -> str:
        name = f"[{self.address}]:{self.port}"
        if hashed:
            import paramiko

            name = paramiko.HostKeys.hash_host(name)
        return f"{name} {self.public_key_line()}\n"

    def fingerprint(self) -> str:
        return ssh_keygen_fingerprint(self.host_key_pub)

    def start(self) -> None:
        config = self.directory / "sshd_config"
        config.write_text(self.lab.sshd_config(self))
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.lab.sshd, "-D", "-e", "-f", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        self._wait_until_ready()

    def stop(self) -> None:
        self.thaw_sessions()
        self.kill_sessions()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self, *, new_host_key: bool = False) -> None:
        self.stop()
        if new_host_key:
            generate_key(self.host_key)
        self.start()

    def session_pids(self) -> list[int]:
        """Processes serving this server's connections (everything below the listener)."""
        if self.process is None:
            return []
        return _descendants(self.process.pid)

    def kill_sessions(self) -> None:
        """Like a crashed server: every connection is cut at once, the listener stays."""
        for pid in self.session_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def freeze_sessions(self) -> None:
        """Like a cut network: connections stay open, but nothing answers any more."""
        for pid in self.session_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def thaw_sessions(self) -> None:
        for pid in self.session_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def _wait_until_ready(self) -> None:
        """Poll until the server answers with an SSH banner; fail with its log otherwise."""
        deadline = time.monotonic() + READY_DEADLINE
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd {self.name} exited:\n{self.log_path.read_text()}")
            with contextlib.suppress(OSError), socket.create_connection(
                (self.address, self.port), timeout=1
            ) as probe:
                if probe.recv(8).startswith(b"SSH-"):
                    return
            time.sleep(0.01)  # polling interval of the readiness loop, not synchronisation
        raise RuntimeError(f"sshd {self.name} not ready:\n{self.log_path.read_text()}")


@dataclass
class SshLab:
    """Temporary OpenSSH servers and the client key that logs into all of them."""

    root: Path
    sshd: str = field(default_factory=find_sshd)
    user: str = field(default_factory=getpass.getuser)
    hosts: list[SshdHost] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.client_key = generate_key(self.root / "client_ed25519")
        self.authorized_keys = self.root / "authorized_keys"
        self.authorized_keys.write_text(Path(f"{self.client_key}.pub").read_text())
        self.version = sshd_version(self.sshd)
        if os.geteuid() == 0:
            # sshd refuses to start as root without its privilege separation directory.
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)

    def write_user_ssh_config(self) -> None:
        """~/.ssh/config naming the lab's user and key for 127.0.0.1, as on an engineer's laptop
        (the tests' HOME is a private folder)."""
        ssh_dir = Path(os.environ["HOME"]) / ".ssh"
        ssh_dir.mkdir(mode=0o700, exist_ok=True)
        (ssh_dir / "config").write_text(f"Host 127.0.0.1\n  User {self.user}\n  IdentityFile {self.client_key}\n")

    def workspace_trusting(self, root: Path, host: SshdHost) -> Path:
        """A new workspace folder whose known_hosts has `host`'s key, reached as on a laptop
        (`write_user_ssh_config`)."""
        self.write_user_ssh_config()
        (root / ".launchpad").mkdir(parents=True)
        (root / ".launchpad" / "known_hosts").write_text(host.known_hosts_line())
        return root

    def start_host(self, name: str) -> SshdHost:
        directory = self.root / name
        directory.mkdir(exist_ok=True)
        host = SshdHost(name=name, port=free_port(), directory=directory, lab=self)
        generate_key(host.host_key)
        host.start()
        self.hosts.append(host)
        return host

    def stop_host(self, host: SshdHost) -> None:
        host.stop()
        if host in self.hosts:
            self.hosts.remove(host)

    def close(self) -> None:
        for host in list(self.hosts):
            self.stop_host(host)

    def sshd_config(self, host: SshdHost) -> str:
        sftp = next((p for p in SFTP_SERVER_CANDIDATES if os.path.exists(p)), "internal-sftp")
        lines = [
            f"Port {host.port}",
            f"ListenAddress {host.address}",
            f"HostKey {host.host_key}",
            f"PidFile {host.directory / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.authorized_keys}",
            "UsePAM no",
            "StrictModes no",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "AllowTcpForwarding yes",
            f"Subsystem sftp {sftp}",
            "LogLevel VERBOSE",
            "UseDNS no",
            "PrintMotd no",
            # Fan-out tests open many connections at once; the default 10:30:100 drops some.
            "MaxStartups 200",
            "MaxSessions 100",
        ]
        if self.version >= (9, 8):
            # Newer sshd penalises a source whose sessions end badly; our tests do that.
            lines.append("PerSourcePenalties no")
        return "\n".join(lines) + "\n"


def _descendants(root_pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces and parentheses: the ppid follows the last ')'.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: list[int] = []
    pending = list(children.get(root_pid, []))
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found
