"""Backup streaming benchmark: launchpad's backup against OpenSSH's plain copy of the same dump,
from a loopback sshd, in the same run.

    .venv/bin/python bench/backup/run.py [--size-mib 1024] [--rounds 3] [--no-zstd]

What it does (bench/README.md gives the targets):

1. Starts one OpenSSH server on 127.0.0.1 (bench/fanout/lab.py: a throwaway `lpbench` user
   with /bin/sh when run as root) and writes a dump of SIZE MiB of random bytes (`head -c` from
   /dev/urandom) where that user can read it.
2. Each round, in turns: `ssh -F CONFIG dumphost cat DUMP > FILE` (OpenSSH's defaults: its
   cipher, no compression), then `take_once.py`, a fresh process doing what `launchpad backup`
   does on a `command` target `cat DUMP` with `compression: none`: connect, stream, sha256
   while streaming, fsync, completeness check, rename, manifest, store row (it also times the
   stream phase), then `launchpad backup --env bench raw` itself. Wall time of each whole
   process; the copies are deleted after each measurement. The sha256 of OpenSSH's copy is
   compared with launchpad's once. The target is judged on the slower of launchpad's two.
3. Memory: launchpad's peak RSS (ru_maxrss) backing up 256 MiB, SIZE and 2×SIZE of the same
   data: flat means the largest is within 16 MiB of the smallest.
4. Unless --no-zstd: a text dump (SQL-like rows, SIZE MiB) with `compression: zstd` against
   OpenSSH's plain copy of the same text: what a real database backup gains from compressing
   on the host.

Only 127.0.0.1 is used; every process it starts is stopped in a `finally`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fanout"))
from lab import LOOPBACK, LabUnavailable, SshLab, bench_user  # noqa: E402

MIB = 1024 * 1024
TARGET_RATIO = 0.8
FLAT_MEMORY_MIB = 16


@dataclass
class Timing:
    name: str
    seconds: list[float] = field(default_factory=list)
    size: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def throughput(self) -> float:
        return self.size / MIB / self.median


def write_random(path: Path, size: int) -> None:
    with open(path, "wb") as out:
        subprocess.run(["head", "-c", str(size), "/dev/urandom"], stdout=out, check=True, timeout=1800)
    path.chmod(0o644)


def write_text_dump(path: Path, size: int) -> None:
    """SQL-like rows: 8 MiB made once in Python, then copied with `cat` (fast, realistic)."""
    rng = random.Random(7)
    names = ["张三", "李四", "王五", "赵六", "Alice", "Bob", "采购部", "财务处"]
    lines, total = [], 0
    while total < 8 * MIB:
        line = (f"INSERT INTO orders VALUES ({rng.randint(1, 10**9)},'{rng.choice(names)}',"
                f"'{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}',"
                f"{rng.random() * 10000:.2f},'{rng.choice(['paid', 'open', 'void'])}');\n")
        lines.append(line)
        total += len(line.encode())
    block = path.with_suffix(".block")
    block.write_text("".join(lines), encoding="utf-8")
    copies = max(1, size // block.stat().st_size)
    with open(path, "wb") as out:
        subprocess.run(["cat", *[str(block)] * copies], stdout=out, check=True, timeout=1800)
    block.unlink()
    path.chmod(0o644)


class Bench:
    def __init__(self, root: Path, size: int) -> None:
        self.root, self.size = root, size
        self.lab = SshLab(root / "lab")
        self.user = bench_user()
        self.host = self.lab.start_hosts(1, prefix="dump")[0]
        self.home = root / "home"
        (self.home / ".ssh").mkdir(parents=True, mode=0o700)
        known = f"[{LOOPBACK}]:{self.host.port} {self.host.public_key()}\n"
        (self.home / ".ssh" / "known_hosts").write_text(known)
        self.ssh_config = self.home / ".ssh" / "config"
        self.ssh_config.write_text(
            f"Host dumphost {LOOPBACK}\n  HostName {LOOPBACK}\n  Port {self.host.port}\n  User {self.user.name}\n"
            f"  IdentityFile {self.lab.client_key}\n  IdentitiesOnly yes\n  StrictHostKeyChecking yes\n"
            f"  UserKnownHostsFile {self.home / '.ssh' / 'known_hosts'}\n")
        self.data = root / "lab" / "data"
        self.data.mkdir(mode=0o755)
        self.dump = self.data / "dump.bin"
        self.text = self.data / "dump.sql"
        self.workspace = root / "ws"
        (self.workspace / ".launchpad").mkdir(parents=True)
        (self.workspace / ".launchpad" / "known_hosts").write_text(known)
        self.env = {**os.environ, "HOME": str(self.home)}
        self.env.pop("SSH_AUTH_SOCK", None)

    def write_site(self) -> None:
        quarter = 256 * MIB
        targets = {
            "raw": (f"cat {self.dump}", "none"),
            "small": (f"head -c {quarter} {self.dump}", "none"),
            "double": (f"cat {self.dump} {self.dump}", "none"),
            "text": (f"cat {self.text}", "zstd"),
        }
        lines = ["site: {name: backup bench, client: bench}", "environments:", "  bench:",
                 f"    hosts: [{{name: dump1, address: {LOOPBACK}, port: {self.host.port}, user: {self.user.name}}}]",
                 "    backups:"]
        for name, (dump, compression) in targets.items():
            lines.append(f"      {name}: {{compression: {compression}, command: {{dump: {json.dumps(dump)}, "
                         "restore: \"cat > /dev/null\", extension: bin}}")
        (self.workspace / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def openssh(self, source: Path, out: Path, synced: list[float] | None = None) -> float:
        """Seconds of `ssh host cat source > out`; with `synced`, also appends the seconds
        until the copy is on the disk (fsync), as launchpad's backup is before it is recorded."""
        started = time.monotonic()
        with open(out, "wb") as sink:
            subprocess.run(["ssh", "-F", str(self.ssh_config), "dumphost", "cat", str(source)], stdout=sink,
                           check=True, timeout=1800, env=self.env, stdin=subprocess.DEVNULL)
            seconds = time.monotonic() - started
            if synced is not None:
                os.fsync(sink.fileno())
                synced.append(time.monotonic() - started)
        return seconds

    def launchpad(self, target: str) -> tuple[float, dict[str, object]]:
        started = time.monotonic()
        done = subprocess.run([sys.executable, str(HERE / "take_once.py"), str(self.workspace), "bench", target],
                              capture_output=True, text=True, timeout=1800, env=self.env, stdin=subprocess.DEVNULL)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise RuntimeError(f"launchpad backup failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        Path(str(result["file"])).unlink()
        return seconds, result

    def launchpad_cli(self, target: str) -> float:
        """Seconds of `launchpad backup --env bench TARGET`, the command a person runs, from the
        workspace folder; its output is not a terminal, so it draws no progress bar."""
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "launchpad", "backup", "--env", "bench", target, "--json"],
                              capture_output=True, text=True, timeout=1800, env=self.env, cwd=self.workspace,
                              stdin=subprocess.DEVNULL)
        seconds = time.monotonic() - started
        if done.returncode != 0:
            raise RuntimeError(f"launchpad backup failed:\n{done.stderr[-3000:]}")
        (record,) = json.loads(done.stdout)
        (self.workspace / "backups" / str(record["file"])).unlink()
        return seconds

    def idle(self) -> None:
        self.lab.wait_idle()
        subprocess.run(["sync"], check=False)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(4 * MIB):
            digest.update(chunk)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mib", type=int, default=1024, help="dump size (at least 1024)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-zstd", action="store_true", help="skip the compressed text dump")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if shutil.which("ssh") is None:
        print("needs OpenSSH's client (apt-get install openssh-client)", file=sys.stderr)
        return 2
    size = args.size_mib * MIB
    root = Path(tempfile.mkdtemp(prefix="lp-backup-bench-"))
    root.chmod(0o755)
    bench = None
    try:
        bench = Bench(root, size)
        print(f"writing a {args.size_mib} MiB dump of random bytes …", flush=True)
        write_random(bench.dump, size)
        if not args.no_zstd:
            print(f"writing a {args.size_mib} MiB SQL text dump …", flush=True)
            write_text_dump(bench.text, size)
        bench.write_site()
        return run(bench, args)
    except LabUnavailable as exc:
        print(f"cannot set up the lab: {exc}", file=sys.stderr)
        return 2
    finally:
        if bench is not None:
            bench.lab.close()
            bench.user.remove()
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def run(bench: Bench, args: argparse.Namespace) -> int:
    copy = bench.root / "openssh-copy.bin"
    openssh = Timing("OpenSSH ssh host cat > file", size=bench.size)
    openssh_synced = Timing("OpenSSH, then fsync of the copy", size=bench.size)
    launchpad = Timing("launchpad backup (whole process)", size=bench.size)
    streaming = Timing("launchpad stream phase only", size=bench.size)
    cli = Timing("`launchpad backup` (the command)", size=bench.size)
    memory: dict[str, int] = {}
    checked = False
    print("warm-up …", flush=True)
    bench.openssh(bench.dump, copy)
    copy.unlink()
    bench.launchpad("raw")
    for number in range(1, args.rounds + 1):
        bench.idle()
        openssh.seconds.append(bench.openssh(bench.dump, copy, openssh_synced.seconds))
        if not checked:
            expected = sha256_of(copy)
        copy.unlink()
        bench.idle()
        seconds, result = bench.launchpad("raw")
        launchpad.seconds.append(seconds)
        streaming.seconds.append(float(str(result["stream_seconds"])))
        memory["1x"] = max(memory.get("1x", 0), int(str(result["maxrss_kib"])))
        if not checked:
            assert result["sha256"] == expected and result["size"] == bench.size, "the copies differ"
            checked = True
        bench.idle()
        cli.seconds.append(bench.launchpad_cli("raw"))
        print(f"  round {number}: OpenSSH {openssh.seconds[-1]:.2f}s, launchpad {launchpad.seconds[-1]:.2f}s, "
              f"the command {cli.seconds[-1]:.2f}s", flush=True)
    for target, label in (("small", "256 MiB"), ("double", "2x")):
        bench.idle()
        _, result = bench.launchpad(target)
        memory[label] = int(str(result["maxrss_kib"]))
    zstd_rows = []
    if not args.no_zstd:
        text_size = bench.text.stat().st_size
        plain, packed = Timing("OpenSSH cat (text)", size=text_size), Timing("launchpad zstd (text)", size=text_size)
        stored = 0
        for _ in range(args.rounds):
            bench.idle()
            plain.seconds.append(bench.openssh(bench.text, copy))
            copy.unlink()
            bench.idle()
            seconds, result = bench.launchpad("text")
            packed.seconds.append(seconds)
            stored = int(str(result["size"]))
        zstd_rows = [plain, packed, stored]
    return report([openssh, openssh_synced, launchpad, streaming, cli], memory, zstd_rows, args)


def report(timings: list[Timing], memory: dict[str, int], zstd_rows: list[object], args: argparse.Namespace) -> int:
    openssh, openssh_synced, launchpad, streaming, cli = timings
    # The target holds for both ways of measuring launchpad: the instrumented process and the command.
    ratio = min(launchpad.throughput, cli.throughput) / openssh.throughput
    print(f"\n{'':<36} {'median s':>9} {'min s':>7} {'MiB/s':>8}")
    for timing in timings:
        print(f"{timing.name:<36} {timing.median:>9.2f} {min(timing.seconds):>7.2f} {timing.throughput:>8.1f}")
    print(f"launchpad / OpenSSH: {launchpad.throughput / openssh.throughput:.2f}x, the command "
          f"{cli.throughput / openssh.throughput:.2f}x; against OpenSSH with its copy synced: "
          f"{launchpad.throughput / openssh_synced.throughput:.2f}x; launchpad's stream phase alone against "
          f"OpenSSH's whole process: {streaming.throughput / openssh.throughput:.2f}x")
    print(f"\npeak RSS of launchpad: 256 MiB {memory['256 MiB'] / 1024:.1f} MiB, "
          f"{args.size_mib} MiB {memory['1x'] / 1024:.1f} MiB, {2 * args.size_mib} MiB {memory['2x'] / 1024:.1f} MiB")
    growth = (max(memory.values()) - min(memory.values())) / 1024
    if zstd_rows:
        plain, packed, stored = zstd_rows
        assert isinstance(plain, Timing) and isinstance(packed, Timing) and isinstance(stored, int)
        print(f"\ntext dump, {plain.size / MIB:.0f} MiB: OpenSSH plain copy {plain.median:.2f}s "
              f"({plain.throughput:.1f} MiB/s); launchpad with zstd on the host {packed.median:.2f}s "
              f"({packed.throughput:.1f} MiB/s of dump, stored {stored / MIB:.1f} MiB)")
    print("\nTargets:")
    print(f"  {'MET' if ratio >= TARGET_RATIO else 'MISSED'}: launchpad at {ratio:.2f}x OpenSSH's throughput, "
          f"the lower of process and command (target >= {TARGET_RATIO})")
    print(f"  {'MET' if growth <= FLAT_MEMORY_MIB else 'MISSED'}: peak memory grows {growth:.1f} MiB from 256 MiB to "
          f"{2 * args.size_mib} MiB (flat: <= {FLAT_MEMORY_MIB} MiB)")
    print("\nFigures:")
    print(f"  openssh_mib_s: {openssh.throughput:.1f}")
    print(f"  openssh_synced_mib_s: {openssh_synced.throughput:.1f}")
    print(f"  launchpad_mib_s: {launchpad.throughput:.1f}")
    print(f"  ratio: {launchpad.throughput / openssh.throughput:.2f}")
    print(f"  command_mib_s: {cli.throughput:.1f}")
    print(f"  command_ratio: {cli.throughput / openssh.throughput:.2f}")
    print(f"  ratio_vs_synced_copy: {launchpad.throughput / openssh_synced.throughput:.2f}")
    print(f"  launchpad_stream_phase_mib_s: {streaming.throughput:.1f}")
    print(f"  stream_phase_ratio: {streaming.throughput / openssh.throughput:.2f}")
    for label, kib in memory.items():
        print(f"  peak_rss_mib_{label.replace(' ', '_')}: {kib / 1024:.1f}")
    if zstd_rows:
        plain, packed, stored = zstd_rows
        assert isinstance(plain, Timing) and isinstance(packed, Timing)
        print(f"  text_openssh_mib_s: {plain.throughput:.1f}")
        print(f"  text_launchpad_zstd_mib_s: {packed.throughput:.1f}")
    return 0 if ratio >= TARGET_RATIO and growth <= FLAT_MEMORY_MIB else 1


if __name__ == "__main__":
    sys.exit(main())
