"""Key-to-screen latency of the run screen while forty hosts stream output, against the same
keys on the same run screen while it is idle, measured in the same run.

launchpad runs in a real terminal (tmux, a server on its own socket) on a workspace whose
environment has 40 local hosts, opened on the run screen of a one-step playbook in step mode:

1. idle: the run waits before its step; `?` opens the help screen and `?` closes it again,
   `--presses` times, each press timed from `tmux send-keys` until `tmux capture-pane` shows the
   change (the help table's "Binding id" column appears, then is gone);
2. busy: `n` starts the step — `while [ ! -e stream.stop ]; do seq 1 500; done` on all 40 hosts,
   as fast as the hosts write and launchpad reads — and the same presses are timed while the
   output flows (the run screen stays visible behind the help screen and keeps drawing);
3. the bench creates `stream.stop` and waits for the run to pass.

A key is pressed every `--every` ms, or as soon as the previous one showed if it took longer,
so presses never overlap. Figures: median and p95 latency of each phase, their ratio, and the
output lines per second the run screen took during the busy phase (counted by the app, which
writes its counters to a stats file). The target, from the terminal-app issue: keys answered
within 1 s at the busiest moment (busy p95 < 1 s).

    .venv/bin/python bench/tui_stream/run.py [--presses N] [--every MS] [--hosts N]

The latencies include tmux (delivering the key, parsing the app's output, one capture-pane per
poll); `poll` in the output is the median time of one capture, the resolution of the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HELP_SHOWN = "Binding id"  # a column of the help screen's table
TARGET_P95 = 1.0
DEADLINE = 120.0

SITE = """\
site: {{name: Bench site, client: Bench client, language: en, timezone: Asia/Shanghai}}
environments:
  bench:
    transport: local
    hosts:
{hosts}
"""

PLAYBOOK = """\
name: stream
title: Stream output on every host
phases:
  - id: p
    name: Stream
    steps:
      - id: stream
        name: Print until told to stop
        kind: shell
        hosts: app
        timeout: 3600
        run: 'while [ ! -e stream.stop ]; do seq 1 500; done'
"""


def build_workspace(root: Path, hosts: int) -> Path:
    lines = "\n".join(
        f"      - {{name: h{i:02d}, address: 127.0.0.1, groups: [app]}}" for i in range(1, hosts + 1)
    )
    (root / "playbooks").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE.format(hosts=lines), encoding="utf-8")
    (root / "playbooks" / "stream.yaml").write_text(PLAYBOOK, encoding="utf-8")
    return root


class Terminal:
    """A tmux server of the bench's own (its own socket): no user session is touched."""

    def __init__(self, socket: str) -> None:
        self.socket = socket
        self.capture_seconds: list[float] = []

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        return done.stdout

    def screen(self) -> str:
        started = time.perf_counter()
        shown = self.tmux("capture-pane", "-p", "-t", "bench")
        self.capture_seconds.append(time.perf_counter() - started)
        return shown

    def send(self, key: str) -> None:
        self.tmux("send-keys", "-t", "bench", key)

    def wait_for(self, shown: Callable[[str], bool], what: str) -> None:
        deadline = time.monotonic() + DEADLINE
        while not shown(self.screen()):
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}; the screen shows:\n{self.screen()}")

    def timed_key(self, key: str, shown: Callable[[str], bool], what: str) -> float:
        """Seconds from sending `key` until the screen satisfies `shown`."""
        started = time.monotonic()
        self.send(key)
        self.wait_for(shown, what)
        return time.monotonic() - started


class Stats:
    """The app's counters: the last line of its stats file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def last(self) -> dict[str, Any]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return {}
        for line in reversed(lines):
            try:
                return dict(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line being written
        return {}

    def wait_for(self, condition: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
        deadline = time.monotonic() + DEADLINE
        while True:
            stats = self.last()
            if stats and condition(stats):
                return stats
            if time.monotonic() > deadline:
                raise SystemExit(f"timed out waiting for {what}; the app's last stats: {stats}")
            time.sleep(0.02)


def help_toggles(terminal: Terminal, presses: int, every: float) -> list[float]:
    """`presses` keys alternately opening and closing the help screen; their latencies."""
    latencies = []
    for press in range(presses):
        started = time.monotonic()
        opening = press % 2 == 0
        if opening:
            latencies.append(terminal.timed_key("?", lambda shown: HELP_SHOWN in shown, "the help screen"))
        else:
            latencies.append(terminal.timed_key("?", lambda shown: HELP_SHOWN not in shown, "the help screen closed"))
        time.sleep(max(0.0, every - (time.monotonic() - started)))
    return latencies


def wait_for_hosts_to_exit(root: Path, timeout: float = 60.0) -> None:
    """Wait until no process works in `root` (the app, the hosts' shells), so that the stop
    file is still there for every shell to see."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        working = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and Path(os.readlink(entry / "cwd")) == root.resolve():
                    working.append(entry.name)
            except OSError:
                continue  # gone meanwhile, or not ours to read
        if not working:
            return
        time.sleep(0.2)
    print(f"warning: processes still running in {root} after {timeout:.0f} s", file=sys.stderr)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=40, help="keys timed in each phase (even: open and close)")
    parser.add_argument("--every", type=int, default=250, help="ms between presses")
    parser.add_argument("--hosts", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (workspace, stats)")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is needed: apt-get install tmux")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    scratch = Path(tempfile.mkdtemp(prefix="tui-stream-"))
    root = build_workspace(scratch / "ws", args.hosts)
    stats = Stats(scratch / "stats.jsonl")
    terminal = Terminal(f"launchpad-bench-{os.getpid()}")
    environment = {
        "HOME": str(scratch),
        "PATH": os.environ.get("PATH", ""),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        "LAUNCHPAD_ACTOR": "bench",
    }
    command = " ".join(
        ["env", "-i", *(f"{k}={shlex.quote(v)}" for k, v in environment.items()), shlex.quote(sys.executable),
         shlex.quote(str(HERE / "streaming_app.py")), shlex.quote(str(root)), shlex.quote(str(stats.path))]
    )
    stop = root / "stream.stop"
    try:
        terminal.tmux("new-session", "-d", "-s", "bench", "-x", "100", "-y", "30", "-c", str(root), command)
        stats.wait_for(lambda s: s["state"] == "paused", "the run to wait before its step")
        terminal.wait_for(lambda shown: "Print until told to stop" in shown, "the run screen")
        every = args.every / 1000
        idle = help_toggles(terminal, args.presses, every)

        terminal.send("n")
        first = stats.wait_for(lambda s: s["step"] == "running" and int(s["lines"]) > 0, "output")
        time.sleep(1.0)  # let all hosts get going: the busy figures are for the full stream
        before = stats.last()
        busy = help_toggles(terminal, args.presses, every)
        after = stats.last()
        if after["step"] != "running":
            raise SystemExit(f"the step ended while the keys were timed ({after}); the busy figures are void")
        stop.touch()
        stopped = time.monotonic()
        ended = stats.wait_for(lambda s: s["state"] == "ended", "the run to end")
    finally:
        # The hosts' shells run in sessions of their own and outlive a killed app: only the
        # stop file ends them, and it must still be there when they look.
        stop.touch()
        terminal.tmux("kill-server")
        wait_for_hosts_to_exit(root)
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    took = (int(after["lines"]) - int(before["lines"])) / (float(after["t"]) - float(before["t"]))
    print(f"run screen with {args.hosts} hosts streaming, {args.presses} presses per phase, one every "
          f"{args.every} ms (python {sys.version.split()[0]}, {os.cpu_count()} CPUs, tmux 100x30)")
    print(f"  {'':<10} {'median':>8} {'p95':>8} {'max':>8}")
    for name, values in (("idle", idle), ("streaming", busy)):
        print(f"  {name:<10} {statistics.median(values) * 1000:6.0f}ms {p95(values) * 1000:6.0f}ms "
              f"{max(values) * 1000:6.0f}ms")
    ratio = statistics.median(busy) / statistics.median(idle)
    print(f"  ratio streaming/idle: {ratio:.2f} (median), {p95(busy) / p95(idle):.2f} (p95)")
    print(f"  output lines taken by the run screen: {took:,.0f} per second while the keys were timed, "
          f"{int(after['lines']):,} in all before the stop ({int(first['lines']):,} when first seen)")
    print(f"  after the stop file: run {ended['result']} in {float(ended['t']) - stopped:.2f} s, "
          f"{int(ended['lines']) - int(after['lines']):,} more lines taken")
    print(f"  poll (one capture-pane): {statistics.median(terminal.capture_seconds) * 1000:.1f} ms median")
    verdict = "meets" if p95(busy) < TARGET_P95 else "MISSES"
    print(f"streaming p95 {p95(busy):.3f} s ({verdict} the {TARGET_P95:.0f} s target)")


if __name__ == "__main__":
    main()
