"""Start-up of launchpad's TUI against a minimal Textual app, measured in the same run.

Each app is started as a whole process in a pseudo-terminal (as a person starts it) and exits
itself once its first frame is painted; runs alternate between the apps so that machine noise
hits both alike, and medians are compared. The target (PRODUCT.md): launchpad is interactive
within 1.3x the minimal app's time. Also printed: the time until the dashboard shows the
loaded workspace (site.yaml parsed and validated, store opened), which happens in a worker
after the first paint.

    .venv/bin/python bench/startup/run.py [--runs N] [--workspace DIR]

Without --workspace the demo workspace is built in a temporary folder (its web app is not
needed, and not started).
"""

from __future__ import annotations

import argparse
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TARGET_RATIO = 1.3


def timed_run(argv: list[str]) -> tuple[float, float]:
    """(seconds to the first paint, seconds to the process's end) of one run in a 100x30
    pseudo-terminal."""
    marker = Path(tempfile.mkstemp(prefix="painted-")[1])
    leader, follower = pty.openpty()
    os.set_blocking(leader, True)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    environment = {
        **os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(REPO), "LAUNCHPAD_BENCH_PAINTED": str(marker)
    }
    wall_started, started = time.time(), time.perf_counter()
    process = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=environment, cwd=REPO)
    os.close(follower)
    drain = threading.Thread(target=_drain, args=(leader,), daemon=True)
    drain.start()
    code = process.wait(timeout=120)
    elapsed = time.perf_counter() - started
    os.close(leader)
    painted = marker.read_text(encoding="utf-8")
    marker.unlink()
    if code != 0 or not painted:
        raise SystemExit(f"{' '.join(argv)} exited {code} without painting")
    return float(painted) - wall_started, elapsed


def _drain(fd: int) -> None:
    # The app's output must be read or it blocks on a full terminal buffer.
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--workspace", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        workspace = args.workspace
        if workspace is None:
            from launchpad.demo import build_demo

            workspace = build_demo(Path(scratch) / "demo")
        python = sys.executable
        commands = {
            "minimal Textual app": [python, str(HERE / "minimal_app.py")],
            "launchpad (first paint)": [python, str(HERE / "launchpad_app.py"), str(workspace), "first-paint"],
            "launchpad (workspace shown)": [python, str(HERE / "launchpad_app.py"), str(workspace), "workspace"],
        }
        for argv in commands.values():
            timed_run(argv)  # warm the file cache and the bytecode once, unmeasured
        paints: dict[str, list[float]] = {name: [] for name in commands}
        ends: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                painted, ended = timed_run(argv)
                paints[name].append(painted)
                ends[name].append(ended)
    medians = {name: statistics.median(values) for name, values in paints.items()}
    baseline = medians["minimal Textual app"]
    print(f"start-up, median of {args.runs} runs each (python {sys.version.split()[0]}, {os.cpu_count()} CPUs)")
    print(f"  {'':<28} {'painted':>8}  {'(min–max)':<13}  {'ratio':>5}  {'process':>8}")
    for name, median in medians.items():
        spread = f"{min(paints[name]):.3f}–{max(paints[name]):.3f}"
        process = statistics.median(ends[name])
        print(f"  {name:<28} {median:7.3f}s  {spread:<13}  {median / baseline:4.2f}x  {process:7.3f}s")
    ratio = medians["launchpad (first paint)"] / baseline
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"ratio launchpad/minimal: {ratio:.2f} ({verdict} the {TARGET_RATIO}x target)")


if __name__ == "__main__":
    main()
