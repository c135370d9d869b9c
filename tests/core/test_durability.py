"""`kill -9` of `launchpad run` in the middle of a step, then `--resume`: no finished step is
lost or run twice, and the interrupted one runs again only after someone says so."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from launchpad.store.db import Store
from tests.workspaces import write_workspace

# These tests read the command line's English words.
pytestmark = pytest.mark.usefixtures("english_cli")

PLAYBOOK = """\
name: t
title: 中断测试
phases:
  - id: p
    name: 阶段
    steps:
      - {id: first, name: 第一步, kind: shell, hosts: app1, run: echo first >> log}
      - id: second
        name: 第二步
        kind: shell
        hosts: app1
        # The first time, it tells the test it has started (and the pid it hangs in, until killed).
        run: >-
          if [ ! -e once ]; then touch once; echo $$ > hanging.pid; echo started > ready.fifo; exec sleep 300; fi;
          echo second >> log
      - {id: third, name: 第三步, kind: shell, hosts: app1, run: echo third >> log}
"""


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )


def test_kill_9_then_resume(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"t": PLAYBOOK})
    os.mkfifo(root / "ready.fifo")
    victim = subprocess.Popen(
        [sys.executable, "-m", "launchpad", "--workspace", str(root), "run", "t", "--env", "test", "--yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )
    try:
        # Opening the FIFO blocks until the second step writes to it: the step is running.
        assert (root / "ready.fifo").read_text().strip() == "started"
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
    finally:
        if victim.poll() is None:
            victim.kill()
        # The step's shell runs in a session of its own and outlives launchpad: end it, and
        # nothing else on the machine.
        with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError):
            os.kill(int((root / "hanging.pid").read_text()), signal.SIGKILL)

    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        stored = {row["step_id"]: row["status"] for row in store.db.query("SELECT * FROM run_steps")}
        states = {k: v["status"] for k, v in store.latest_step_states(1).items()}
    assert stored == {"first": "passed", "second": "running"}  # what the killed process left
    # Its process is gone: nothing will finish it, so nothing shows it as still running.
    assert states == {"first": "passed", "second": "interrupted"}
    listed = launchpad(root, "runs")
    assert listed.returncode == 0 and "interrupted" in listed.stdout and "running" not in listed.stdout
    shown = json.loads(launchpad(root, "runs", "show", "1", "--format", "json").stdout)
    assert shown["run"]["status"] == "interrupted"
    assert [step["status"] for step in shown["steps"]] == ["passed", "interrupted"]
    assert "进行中" not in launchpad(root, "runs", "show", "1", "--lang", "zh").stdout
    daily = launchpad(root, "report", "daily", "--lang", "en")
    assert daily.returncode == 0, daily.stderr
    assert "interrupted" in daily.stdout and "running" not in daily.stdout

    # Without an answer, the interrupted step is not re-run and the run stays resumable.
    refused = launchpad(root, "run", "t", "--resume", "1")
    assert refused.returncode == 1, refused.stderr
    assert "interrupted" in refused.stderr + refused.stdout
    assert (root / "log").read_text().split() == ["first"]

    answers = root / "answers.yaml"
    answers.write_text("rerun_interrupted: [second]\n", encoding="utf-8")
    resumed = launchpad(root, "run", "t", "--resume", "1", "--answers", str(answers))
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert (root / "log").read_text().split() == ["first", "second", "third"]

    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        run = store.get_run(1)
        decisions = [d["kind"] for d in store.decisions(1)]
    assert run is not None and run["status"] == "passed"
    assert "rerun_interrupted" in decisions
