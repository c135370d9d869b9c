"""bench/deploy: a 200 MB artifact to 10 loopback sshd, launchpad's `upload` step against
parallel `scp` of the same file, in the same run.

    .venv/bin/python bench/deploy/run.py [--hosts 10] [--size-mib 200] [--rounds 3]

Each round, after the destination copies of the last measurement are removed and the page
cache flushed of dirty pages (`sync`):
- `scp`: OpenSSH's scp (its default, SFTP, protocol), one process per host, all at once;
- launchpad: `upload_once.py`, a fresh Python process running the upload step through the
  engine: connect, ask each host for the sum at the destination, stream, sha256 on the host,
  rename, audit. Its wall time counts from the process's start, imports included.
Then launchpad again with every copy in place: each host is skipped as "already there"; the
per-host time of that skip (one command on an open connection) is the figure.

Aggregate throughput = hosts × size / wall time. Medians over the rounds. Self-contained lab:
bench/fanout/lab.py (servers, client key, as root a throwaway user).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fanout"))

from lab import LOOPBACK, BenchUser, SshdHost, SshLab, bench_user  # noqa: E402

REPO = HERE.parent.parent
TARGET_RATIO = 0.9
TARGET_SKIP = 0.2


SFTP_SERVERS = ("/usr/lib/openssh/sftp-server", "/usr/libexec/openssh/sftp-server")


class DeployLab(SshLab):
    """The fan-out lab's servers, with the SFTP subsystem scp uses by default (OpenSSH ≥ 9)."""

    def sshd_config(self, host: SshdHost) -> str:
        sftp = next((p for p in SFTP_SERVERS if os.path.exists(p)), "internal-sftp")
        return super().sshd_config(host) + f"Subsystem sftp {sftp}\n"


def write_home(home: Path, lab: SshLab, user: str) -> Path:
    ssh_dir = home / ".ssh"
    ssh_dir.mkdir(parents=True, mode=0o700)
    known = ssh_dir / "known_hosts"
    known.write_text("".join(f"[{LOOPBACK}]:{h.port} {h.public_key()}\n" for h in lab.hosts))
    known.chmod(0o600)
    blocks = [f"Host {h.name}\n  HostName {LOOPBACK}\n  Port {h.port}\n" for h in lab.hosts]
    blocks.append(
        f"Host {LOOPBACK} h*\n  User {user}\n  IdentityFile {lab.client_key}\n  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {known}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n"
        "  BatchMode yes\n  LogLevel ERROR\n"
    )
    config = ssh_dir / "config"
    config.write_text("\n".join(blocks))
    config.chmod(0o600)
    return config


def workspace(root: Path, lab: SshLab, artifact: Path, dest: Path) -> Path:
    (root / "playbooks").mkdir(parents=True)
    (root / ".launchpad").mkdir()
    hosts = "\n".join(f"      - {{name: {h.name}, address: {LOOPBACK}, port: {h.port}, groups: [app]}}"
                      for h in lab.hosts)
    (root / "site.yaml").write_text(
        "site: {name: deploy bench, client: loopback, language: en}\n"
        "contacts: [{id: bench, name: Bench, phone: '10000000000'}]\n"
        "duty: [{weekdays: daily, primary: bench, backup: bench}]\n"
        "environments:\n  bench:\n    transport: ssh\n    hosts:\n" + hosts + "\n", encoding="utf-8")
    (root / "playbooks" / "upload.yaml").write_text(
        "name: upload\ntitle: upload bench\nphases:\n  - id: ship\n    name: ship\n    steps:\n"
        f"      - {{id: up, name: upload, kind: upload, hosts: app, artifact: '{artifact}',\n"
        f"         to: '{dest}/{{{{ host.name }}}}/{artifact.name}'}}\n", encoding="utf-8")
    return root


def make_artifact(path: Path, size_mib: int) -> str:
    """Random bytes (nothing compresses them), and their sha256."""
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for _ in range(size_mib):
            block = os.urandom(1 << 20)
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.started = time.perf_counter()
        self.scratch = Path(tempfile.mkdtemp(prefix="launchpad-deploy-"))
        self.scratch.chmod(0o755)
        self.lab: SshLab | None = None
        self.user: BenchUser | None = None

    def say(self, text: str) -> None:
        print(f"[{time.perf_counter() - self.started:6.1f}s] {text}", flush=True)

    def close(self) -> None:
        if self.lab is not None:
            self.lab.close()
        if self.user is not None:
            self.user.remove()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def clear(self, dest: Path) -> None:
        for folder in dest.iterdir():
            for entry in folder.iterdir():
                entry.unlink()
        subprocess.run(["sync"], check=False)
        assert self.lab is not None
        self.lab.wait_idle()

    def scp(self, config: Path, artifact: Path, dest: Path) -> float:
        assert self.lab is not None
        started = time.perf_counter()
        procs = [subprocess.Popen(["scp", "-q", "-F", str(config), str(artifact),
                                   f"{h.name}:{dest}/{h.name}/{artifact.name}"]) for h in self.lab.hosts]
        codes = [p.wait() for p in procs]
        seconds = time.perf_counter() - started
        if any(codes):
            raise RuntimeError(f"scp failed: exit codes {codes}")
        return seconds

    def launchpad(self, env: dict[str, str], ws: Path, *, warm: bool = False) -> dict[str, object]:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / "upload_once.py"), str(ws), *(["--warm"] if warm else [])],
                              env=env,
                              capture_output=True, text=True, timeout=1800, cwd=REPO)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"upload failed:\n{done.stdout}{done.stderr}")
        result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        result["wall_seconds"] = seconds
        return result

    def run(self) -> int:
        args = self.args
        self.user = user = bench_user()
        self.lab = lab = DeployLab(self.scratch / "lab")
        lab.start_hosts(args.hosts)
        self.say(f"{args.hosts} sshd (OpenSSH {lab.version[0]}.{lab.version[1]}) on {LOOPBACK}, user {user.name}")
        artifact = self.scratch / "portal-2.0.tar.gz"
        digest = make_artifact(artifact, args.size_mib)
        artifact.chmod(0o644)
        dest = self.scratch / "dest"
        for host in lab.hosts:
            (dest / host.name).mkdir(parents=True)
        for folder in [dest, *dest.iterdir()]:
            shutil.chown(folder, user.name)
        home = self.scratch / "home"
        config = write_home(home, lab, user.name)
        env = {k: v for k, v in os.environ.items() if k not in ("SSH_AUTH_SOCK", "LAUNCHPAD_WORKSPACE")}
        env.update(HOME=str(home), LC_ALL="C.UTF-8", LANG="C.UTF-8", PYTHONPATH=str(REPO))
        ws = workspace(self.scratch / "ws", lab, artifact, dest)
        total_mib = args.hosts * args.size_mib
        self.say(f"artifact {args.size_mib} MiB of random bytes, sha256 {digest[:12]}…; {total_mib} MiB per round")

        scp_times: list[float] = []
        lp_times: list[float] = []
        skips: list[float] = []
        skip_steps: list[float] = []
        warm_steps: list[float] = []
        for r in range(args.rounds):
            self.clear(dest)
            scp_times.append(self.scp(config, artifact, dest))
            self.clear(dest)
            sent = self.launchpad(env, ws)
            lp_times.append(float(sent["wall_seconds"]))  # type: ignore[arg-type]
            hosts = sent["hosts"]
            assert isinstance(hosts, dict)
            if any(h["state"] != "sent" for h in hosts.values()):
                raise RuntimeError(f"expected every host sent: {hosts}")
            copies = {hashlib.sha256((dest / h.name / artifact.name).read_bytes()).hexdigest() for h in lab.hosts}
            if copies != {digest}:
                raise RuntimeError("a copy differs from the artifact")
            lab.wait_idle()
            cold = self.launchpad(env, ws)
            skip_steps.append(float(cold["run_seconds"]))  # type: ignore[arg-type]
            lab.wait_idle()
            again = self.launchpad(env, ws, warm=True)
            hosts = again["hosts"]
            assert isinstance(hosts, dict)
            if any(h["state"] != "already_there" for h in hosts.values()):
                raise RuntimeError(f"expected every host skipped: {hosts}")
            skips.append(max(float(h["seconds"]) for h in hosts.values()))
            warm_steps.append(float(again["run_seconds"]))  # type: ignore[arg-type]
            self.say(f"round {r + 1}/{args.rounds}: scp {scp_times[-1]:.2f}s, launchpad {lp_times[-1]:.2f}s "
                     f"(run {float(sent['run_seconds']):.2f}s), skip {skips[-1] * 1000:.0f} ms per host")  # type: ignore[arg-type]
        self.clear(dest)

        scp_rate = total_mib / statistics.median(scp_times)
        lp_rate = total_mib / statistics.median(lp_times)
        ratio = lp_rate / scp_rate
        skip = statistics.median(skips)
        print()
        print("Figures:")
        print(f"  hosts: {args.hosts}")
        print(f"  artifact: {args.size_mib} MiB")
        print(f"  cpus: {os.cpu_count()}")
        print(f"  parallel scp: {statistics.median(scp_times):.2f} s, {scp_rate:.1f} MiB/s aggregate")
        print(f"  launchpad upload (process, sha256 on every host): {statistics.median(lp_times):.2f} s, "
              f"{lp_rate:.1f} MiB/s aggregate")
        print(f"  ratio launchpad / scp: {ratio:.2f}")
        print(f"  skip of a host holding the artifact: {skip * 1000:.0f} ms (slowest host, open connection, median)")
        print(f"  whole step when every host holds it: {statistics.median(warm_steps):.2f} s on open connections, "
              f"{statistics.median(skip_steps):.2f} s connecting first (the artifact's local sha256 included)")
        print("Targets:")
        print(f"  throughput >= {TARGET_RATIO}x scp: {'MET' if ratio >= TARGET_RATIO else 'MISSED'} ({ratio:.2f})")
        met = "MET" if skip < TARGET_SKIP else "MISSED"
        print(f"  skip < {TARGET_SKIP * 1000:.0f} ms: {met} ({skip * 1000:.0f} ms)")
        return 0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--size-mib", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    bench = Bench(parse_args(argv))
    try:
        return bench.run()
    finally:
        bench.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
