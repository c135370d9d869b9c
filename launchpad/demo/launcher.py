"""Starting and stopping the demo web app as a background process that outlives the command.

`launchpad demo` returns to the prompt (or opens the TUI) while the "client system" keeps
answering, so the web app runs detached in its own session, with its pid in
`.launchpad/demo-webapp.pid` and its output in `.launchpad/demo-webapp.log`. Starting is
idempotent: a server that already answers with this demo's instance token is reused, never
duplicated. A port held by some other program is reported, never fought over.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from launchpad.errors import LaunchpadError, UsageError
from launchpad.phrases import phrase

CONFIG_FILE = Path(".launchpad") / "demo.json"
PID_FILE = Path(".launchpad") / "demo-webapp.pid"
LOG_FILE = Path(".launchpad") / "demo-webapp.log"
DEMO_KIND = "launchpad-demo"
READY_TIMEOUT = 15.0
STOP_TIMEOUT = 5.0
HEALTH_TIMEOUT = 1.0
# Processes started by this interpreter, kept so they can be reaped (no zombies, no warnings).
_children: dict[int, subprocess.Popen[bytes]] = {}


def read_demo_config(root: Path) -> dict[str, Any]:
    path = root / CONFIG_FILE
    try:
        config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UsageError(phrase("demo.no_config", root=str(root), file=CONFIG_FILE),
                         hint=phrase("demo.no_config_hint")) from None
    if config.get("kind") != DEMO_KIND:
        raise UsageError(phrase("demo.bad_config", path=str(path)), hint=phrase("demo.bad_config_hint"))
    return config


def workspace_demo(explicit: str | None) -> Path | None:
    """The demo `launchpad demo --stop` means without `--dir`: the current workspace (named by
    `--workspace`, else found from the current folder) when it is a demo; None when it is not,
    or there is none here, so the default demo folder is meant. A `--workspace` that names no
    workspace is refused as everywhere else rather than stopping some other demo."""
    from launchpad.workspace.folder import find_root

    try:
        root = find_root(explicit=explicit)
    except LaunchpadError:
        if explicit:
            raise
        return None
    try:
        read_demo_config(root)
    except UsageError:
        return None
    return root


def login_urls(config: dict[str, Any]) -> dict[str, str]:
    """Each environment's login page, by the environment's name (test, prod)."""
    return {name: f"http://127.0.0.1:{env['port']}/login" for name, env in config["environments"].items()}


def health(port: int) -> dict[str, Any] | None:
    """What a demo web app on `port` says about itself, or None if nothing like it answers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HEALTH_TIMEOUT)
    try:
        connection.request("GET", "/health")
        response = connection.getresponse()
        answer = json.loads(response.read()) if response.status == 200 else None
    except (OSError, ValueError, http.client.HTTPException):
        return None
    finally:
        connection.close()
    return answer if isinstance(answer, dict) else None


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # Same option as http.server: a port in TIME_WAIT after our own restart counts as free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def serving_pid(config: dict[str, Any]) -> int | None:
    """The pid of the demo web app serving every port of this demo, if one does."""
    answers = [health(env["port"]) for env in config["environments"].values()]
    pids = {a.get("pid") for a in answers if a and a.get("instance") == config["instance"]}
    if len(pids) == 1 and all(answers):
        pid = pids.pop()
        return pid if isinstance(pid, int) else None
    return None


def start_demo_webapp(root: Path) -> dict[str, str]:
    """Start the demo web app unless it already runs; return its login URLs by environment."""
    root = root.resolve()
    config = read_demo_config(root)
    running = serving_pid(config)
    if running is not None:
        _write_pid(root, running)  # adopt it, even if its pid file was lost
        return login_urls(config)
    stop_demo_webapp(root)  # a stale or half-started server would hold the ports
    for env_name, environment in config["environments"].items():
        port = environment["port"]
        if not port_is_free(port):
            raise LaunchpadError(
                phrase("demo.port_busy", port=port, env=env_name),
                hint=phrase("demo.port_busy_hint", port=port, root=str(root)),
                title="demo web app",
            )
    process = _spawn(root)
    _write_pid(root, process.pid)
    _wait_ready(root, config, process)
    return login_urls(config)


def stop_demo_webapp(root: Path) -> bool:
    """Stop the demo web app; True if one was running."""
    root = root.resolve()
    pid = _read_pid(root)
    (root / PID_FILE).unlink(missing_ok=True)
    if pid is None or not _alive(pid) or not _is_demo_process(pid):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)  # its own session: the group is the server alone
    if not _wait_gone(pid, STOP_TIMEOUT):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        _wait_gone(pid, STOP_TIMEOUT)
    return True


def _spawn(root: Path) -> subprocess.Popen[bytes]:
    log_path = root / LOG_FILE
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # The child must import this very launchpad, installed or not.
    package_parent = str(Path(__file__).resolve().parents[2])
    python_path = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
    environment = {**os.environ, "PYTHONPATH": python_path, "PYTHONUNBUFFERED": "1"}
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "launchpad.demo.webapp", str(root / CONFIG_FILE)],
            cwd=root, env=environment, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True, close_fds=True,
        )
    _children[process.pid] = process
    return process


def _wait_ready(root: Path, config: dict[str, Any], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while serving_pid(config) != process.pid:
        if process.poll() is not None:
            _children.pop(process.pid, None)
            (root / PID_FILE).unlink(missing_ok=True)
            raise LaunchpadError(
                phrase("demo.webapp_exited", code=process.returncode, log=_log_tail(root)),
                hint=phrase("demo.see_log", path=str(root / LOG_FILE)), title="demo web app",
            )
        if time.monotonic() > deadline:
            stop_demo_webapp(root)
            raise LaunchpadError(
                phrase("demo.webapp_silent", seconds=f"{READY_TIMEOUT:g}"),
                hint=phrase("demo.see_log", path=str(root / LOG_FILE)), title="demo web app",
            )
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)  # wakes at once if it dies


def _log_tail(root: Path) -> str:
    try:
        lines = (root / LOG_FILE).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "no log"
    return " | ".join(lines[-3:]) or "no output"


def _write_pid(root: Path, pid: int) -> None:
    (root / PID_FILE).write_text(f"{pid}\n", encoding="utf-8")


def _read_pid(root: Path) -> int | None:
    try:
        return int((root / PID_FILE).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    child = _children.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, but someone else's: _is_demo_process decides
    return True


def _is_demo_process(pid: int) -> bool:
    """Guards against a recycled pid: only a process running our module is ever signalled."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not Path("/proc/self").exists():
        return True  # no /proc (macOS): the pid file and the liveness check must do
    try:
        return b"launchpad.demo.webapp" in cmdline.read_bytes()
    except OSError:
        return False


def _wait_gone(pid: int, timeout: float) -> bool:
    child = _children.get(pid)
    if child is not None:
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        _children.pop(pid, None)
        return True
    deadline = time.monotonic() + timeout
    while _alive(pid):  # not our child: nothing to wait on but its disappearance
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
