"""Fan-out benchmark: `launchpad exec` against OpenSSH (parallel and sequential) and
ansible-core on the same loopback hosts, in the same run.

    .venv/bin/python bench/fanout/run.py [--hosts 40] [--rounds 5]

What it does (bench/README.md gives the targets):

1. Starts HOSTS OpenSSH servers on 127.0.0.1 (free ports, one host key each, one client key).
   As root, the servers are logged into as a throwaway user `lpbench` with /bin/sh; otherwise
   as the current user.
2. Writes a launchpad workspace (env `bench`: the hosts, group `app`; env `rtt`: the same
   hosts behind a delaying proxy) and a private HOME with `.ssh/config` (an alias per host,
   User, IdentityFile) and `.ssh/known_hosts` (every host key), which every tool uses.
3. Plain shell: wall time of `launchpad exec --env bench -- uptime` (the real CLI, a whole
   process), a bare paramiko thread pool (the floor), `xargs -P HOSTS ssh` with OpenSSH's
   default key exchange and with paramiko's, a sequential ssh loop, and
   `ansible all -m command -a uptime -f HOSTS` with pipelining (if ansible-core is installed).
   ROUNDS timed rounds after one untimed warm-up; tools take turns within each round.
4. Start-up files: as root, the same against root's own login (bash and its ~/.bashrc).
5. A playbook of 10 shell steps on 10 hosts via `launchpad run --yes`, counting the logins in
   the sshd logs ("Accepted publickey"): one per host is the target.
6. Latency: launchpad against parallel OpenSSH through a proxy that delays every chunk by
   DELAY ms each way, plus the round trips one command costs each tool on one host.

Every process it starts is stopped in a `finally`, also on Ctrl-C or SIGTERM; only 127.0.0.1
is used. Output: progress lines, a table, the targets, then `figure: value` lines.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# lab.py sits beside this script (bench/ is not a package): Python puts this script's folder
# first on sys.path, so it imports as `lab`.
from lab import (
    LOOPBACK,
    BenchUser,
    DelayProxy,
    LabUnavailable,
    SshdHost,
    SshLab,
    bench_user,
    free_port,
    login_user,
)

COMMAND = "uptime"
PLAYBOOK_STEPS = 10
PLAYBOOK_HOSTS = 10
SINGLE_HOST_REPEATS = 7
RUN_TIMEOUT = 300.0  # seconds for any one measured command: a hang fails the run, never blocks it
TARGET_VS_OPENSSH = 0.6
TARGET_VS_ANSIBLE = 5.0
# The key exchange paramiko settles on with OpenSSH before 9.9 (paramiko has no
# sntrup761x25519). OpenSSH 9.x's default, sntrup761x25519, costs its client tens of ms of CPU
# per connection, so parallel OpenSSH is also measured with this one: like for like.
LIKE_PARAMIKO_KEX = "curve25519-sha256"
BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent


class BenchFailed(RuntimeError):
    pass


@dataclass
class Tool:
    """One way of running COMMAND on some hosts: a command line and how to tell it worked."""

    key: str
    label: str
    argv: list[str]
    env: dict[str, str]
    expect: int  # hosts whose `uptime` line ("load average") must be in the output
    stdin: str | None = None
    cwd: str | None = None

    def run_once(self) -> float:
        started = time.perf_counter()
        done = subprocess.run(
            self.argv,
            input=self.stdin,
            env=self.env,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )
        elapsed = time.perf_counter() - started
        answered = done.stdout.count("load average")
        if done.returncode != 0 or answered != self.expect:
            raise BenchFailed(
                f"{self.label}: exit {done.returncode}, {answered}/{self.expect} hosts answered\n"
                f"--- stdout ---\n{done.stdout[-3000:]}\n--- stderr ---\n{done.stderr[-3000:]}"
            )
        return elapsed


@dataclass
class Timing:
    scenario: str
    tool: Tool
    samples: list[float] = field(default_factory=list)

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


@dataclass
class Results:
    timings: list[Timing] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)

    def add(self, found: list[Timing]) -> None:
        self.timings.extend(found)

    def get(self, scenario: str, key: str) -> Timing | None:
        return next((t for t in self.timings if t.scenario == scenario and t.tool.key == key), None)

    def figure(self, name: str, value: str) -> None:
        self.figures.append((name, value))

    def ratio(self, scenario: str, a: str, b: str, name: str) -> float | None:
        """Median (and min) ratio a/b, recorded as a figure; None when either is missing."""
        ta, tb = self.get(scenario, a), self.get(scenario, b)
        if ta is None or tb is None:
            return None
        value = ta.median / tb.median
        self.figure(f"{scenario}: {name} (median; min)", f"{value:.2f}; {ta.best / tb.best:.2f}")
        return value

    def verdict(self, text: str, ok: bool) -> None:
        self.verdicts.append(f"{'MET   ' if ok else 'MISSED'} {text}")


# -- the workspace and the client side ------------------------------------------------------


def write_home(home: Path, lab: SshLab, user: str, aliases: dict[str, int], keys: list[tuple[int, SshdHost]]) -> Path:
    """A HOME whose .ssh/config reaches every alias as `user` with the lab's key, and whose
    .ssh/known_hosts lists every host key. Returns the config's path (ssh needs it with -F:
    it reads ~/.ssh from the password database, not from $HOME)."""
    ssh_dir = home / ".ssh"
    ssh_dir.mkdir(parents=True, mode=0o700)
    known_hosts = ssh_dir / "known_hosts"
    known_hosts.write_text("".join(f"[{LOOPBACK}]:{port} {host.public_key()}\n" for port, host in keys))
    known_hosts.chmod(0o600)
    prefixes = sorted({alias.rstrip("0123456789") + "*" for alias in aliases})
    blocks = [f"Host {alias}\n  HostName {LOOPBACK}\n  Port {port}\n" for alias, port in aliases.items()]
    blocks.append(
        f"Host {LOOPBACK} {' '.join(prefixes)}\n"
        f"  User {user}\n"
        f"  IdentityFile {lab.client_key}\n"
        "  IdentitiesOnly yes\n"
        f"  UserKnownHostsFile {known_hosts}\n"
        "  GlobalKnownHostsFile /dev/null\n"
        "  StrictHostKeyChecking yes\n"
        "  BatchMode yes\n"
        "  LogLevel ERROR\n"
    )
    config = ssh_dir / "config"
    config.write_text("\n".join(blocks))
    config.chmod(0o600)
    return config


def site_yaml(hosts: list[SshdHost], proxied: dict[str, int]) -> str:
    lines = [
        "site: {name: fan-out bench, client: loopback, language: en}",
        "contacts: [{id: bench, name: Bench, phone: '10000000000'}]",
        "duty: [{weekdays: daily, primary: bench, backup: bench}]",
        "environments:",
        "  bench:",
        "    transport: ssh",
        "    hosts:",
    ]
    for n, host in enumerate(hosts):
        groups = "[app, pb]" if n < PLAYBOOK_HOSTS else "[app]"
        lines.append(f"      - {{name: {host.name}, address: {LOOPBACK}, port: {host.port}, groups: {groups}}}")
    if proxied:
        lines += ["  rtt:", "    transport: ssh", "    hosts:"]
        for name, port in proxied.items():
            lines.append(f"      - {{name: {name}, address: {LOOPBACK}, port: {port}, groups: [app]}}")
    return "\n".join(lines) + "\n"


def playbook_yaml() -> str:
    steps = "\n".join(
        f"      - {{id: s{n:02d}, name: step {n}, kind: shell, hosts: pb, run: {COMMAND}}}"
        for n in range(1, PLAYBOOK_STEPS + 1)
    )
    return (
        "name: fanout10\n"
        f"title: {PLAYBOOK_STEPS} shell steps on {PLAYBOOK_HOSTS} hosts\n"
        "phases:\n"
        "  - id: main\n"
        "    name: fan-out\n"
        "    steps:\n"
        f"{steps}\n"
    )


def base_env(home: Path) -> dict[str, str]:
    drop = ("SSH_AUTH_SOCK", "SSH_AGENT_PID", "LAUNCHPAD_WORKSPACE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(HOME=str(home), LC_ALL="C.UTF-8", LANG="C.UTF-8")
    return env


def launchpad_bin() -> str:
    found = BIN / "launchpad"
    if found.exists():
        return str(found)
    which = shutil.which("launchpad")
    if which is None:
        raise BenchFailed(f"launchpad is not installed for {sys.executable} (pip install -e .)")
    return which


def ansible_bin() -> tuple[str | None, str]:
    """The ansible command, or None and why it is skipped."""
    for candidate in (BIN / "ansible", shutil.which("ansible")):
        if candidate and Path(candidate).exists():
            return str(candidate), ""
    return None, f"ansible-core is not installed (try: {BIN / 'pip'} install ansible-core)"


def key_exchanges(config: Path, env: dict[str, str], alias: str) -> tuple[str, str]:
    """(OpenSSH's default, paramiko's choice) against this OpenSSH: the first algorithm each
    client prefers that the local OpenSSH build implements (the client's order decides)."""
    shown = subprocess.run(
        ["ssh", "-F", str(config), "-G", alias], capture_output=True, text=True, env=env, timeout=30
    ).stdout
    openssh = next(
        (line.split()[1].split(",")[0] for line in shown.splitlines() if line.startswith("kexalgorithms ")), "?"
    )
    supported = set(subprocess.run(["ssh", "-Q", "kex"], capture_output=True, text=True, timeout=30).stdout.split())
    try:
        import paramiko

        preferred: tuple[str, ...] = paramiko.Transport._preferred_kex  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return openssh, "?"
    aliases = {"curve25519-sha256@libssh.org": "curve25519-sha256"}
    ours = next((k for k in preferred if k in supported or aliases.get(k) in supported), "?")
    return openssh, ours


# -- the tools ---------------------------------------------------------------------------


@dataclass
class Side:
    """Everything a tool needs to reach one set of hosts as one remote user."""

    name: str  # environment in site.yaml
    aliases: list[str]
    ports: list[int]
    user: str
    home: Path
    config: Path
    env: dict[str, str]


def make_tools(side: Side, workspace: Path, lab: SshLab, ansible: str | None, scratch: Path) -> dict[str, Tool]:
    n = len(side.aliases)
    env = side.env
    ssh = ["ssh", "-F", str(side.config), "-o", "BatchMode=yes"]
    hosts_in = "\n".join(side.aliases) + "\n"
    tools = {
        "launchpad": Tool(
            "launchpad",
            "launchpad exec",
            [launchpad_bin(), "--workspace", str(workspace), "exec", "--env", side.name, "--", COMMAND],
            env,
            n,
        ),
        "paramiko": Tool(
            "paramiko",
            "bare paramiko threads (floor)",
            [
                sys.executable,
                str(HERE / "bare_paramiko.py"),
                side.user,
                str(lab.client_key),
                str(side.home / ".ssh" / "known_hosts"),
                COMMAND,
                *map(str, side.ports),
            ],
            env,
            n,
        ),
        "parallel": Tool(
            "parallel",
            f"OpenSSH xargs -P {n}",
            ["xargs", "-P", str(n), "-I{}", *ssh, "{}", COMMAND],
            env,
            n,
            stdin=hosts_in,
        ),
        "parallel-kex": Tool(
            "parallel-kex",
            f"OpenSSH xargs -P {n}, {LIKE_PARAMIKO_KEX}",
            ["xargs", "-P", str(n), "-I{}", *ssh, "-o", f"KexAlgorithms={LIKE_PARAMIKO_KEX}", "{}", COMMAND],
            env,
            n,
            stdin=hosts_in,
        ),
        "sequential": Tool(
            "sequential",
            "OpenSSH sequential loop",
            ["sh", "-c", f'for h in {" ".join(side.aliases)}; do {" ".join(ssh)} "$h" {COMMAND} || exit 1; done'],
            env,
            n,
        ),
        "one-launchpad": Tool(
            "one-launchpad",
            "launchpad exec, 1 host",
            [
                launchpad_bin(),
                "--workspace",
                str(workspace),
                "exec",
                "--env",
                side.name,
                "--group",
                side.aliases[0],
                "--",
                COMMAND,
            ],
            env,
            1,
        ),
        "one-ssh": Tool("one-ssh", "ssh, 1 host", [*ssh, side.aliases[0], COMMAND], env, 1),
    }
    if ansible is not None:
        inventory = scratch / f"inventory-{side.name}-{side.user}.ini"
        inventory.write_text("[app]\n" + hosts_in + "\n[all:vars]\nansible_python_interpreter=/usr/bin/python3\n")
        cfg = scratch / "ansible.cfg"
        cfg.write_text("[defaults]\n")
        ansible_env = dict(env)
        ansible_env.update(
            ANSIBLE_CONFIG=str(cfg),
            ANSIBLE_HOME=str(scratch / "ansible-home"),
            ANSIBLE_LOCAL_TEMP=str(scratch / "ansible-tmp"),
            ANSIBLE_PIPELINING="True",
            ANSIBLE_HOST_KEY_CHECKING="True",
            # ansible's default ssh_args with connection persistence off: every tool connects
            # anew each round (ControlPersist would let rounds 2+ reuse round 1's connections).
            ANSIBLE_SSH_ARGS=f"-C -o ControlMaster=no -o ControlPersist=no -F {side.config}",
            ANSIBLE_FORKS=str(n),
            ANSIBLE_DEPRECATION_WARNINGS="False",
            ANSIBLE_NOCOLOR="True",
        )
        tools["ansible"] = Tool(
            "ansible",
            "ansible-core ad-hoc, pipelining",
            [ansible, "all", "-i", str(inventory), "-m", "command", "-a", COMMAND, "-f", str(n)],
            ansible_env,
            n,
            cwd=str(scratch),
        )
    return tools


# -- the benchmark ---------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.started = time.perf_counter()
        self.scratch = Path(tempfile.mkdtemp(prefix="launchpad-fanout-"))
        self.scratch.chmod(0o755)  # the bench user reads authorized_keys below it
        self.lab: SshLab | None = None
        self.proxy: DelayProxy | None = None
        self.user: BenchUser | None = None
        self.results = Results()

    def say(self, text: str) -> None:
        print(f"[{time.perf_counter() - self.started:6.1f}s] {text}", flush=True)

    def close(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        if self.lab is not None:
            self.lab.close()
        if self.user is not None:
            self.user.remove()
        if self.args.keep:
            print(f"kept {self.scratch}")
        else:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def measure(self, scenario: str, tools: list[Tool], rounds: int) -> list[Timing]:
        """One untimed warm-up each (which also checks the tool works), then `rounds` rounds
        in which the tools take turns; the servers are idle before every measurement."""
        assert self.lab is not None
        timings = [Timing(scenario, t) for t in tools]
        for tool in tools:
            self.lab.wait_idle()
            if tool.key != "sequential":  # the same ssh as `parallel`, already warm; 8 s saved
                tool.run_once()
        for r in range(rounds):
            for timing in timings:
                if not self.lab.wait_idle():
                    self.say("  (the last measurement's sessions still run after 10 s)")
                timing.samples.append(timing.tool.run_once())
            self.say(f"  round {r + 1}/{rounds}: " + ", ".join(f"{t.tool.key} {t.samples[-1]:.2f}s" for t in timings))
        self.results.add(timings)
        return timings

    def run(self) -> None:
        args, res = self.args, self.results
        self.user = user = bench_user()
        self.say(f"remote user: {user.name} (shell {user.shell}{', temporary' if user.created else ''})")
        self.lab = lab = SshLab(self.scratch / "lab")
        hosts = lab.start_hosts(args.hosts)
        self.say(f"{len(hosts)} sshd (OpenSSH {lab.version[0]}.{lab.version[1]}) on {LOOPBACK}")

        proxied: dict[str, int] = {}
        if not args.no_latency:
            pairs = [(free_port(), h.port) for h in hosts]
            self.proxy = DelayProxy(pairs, args.delay_ms / 1000, self.scratch / "proxy.log")
            self.proxy.start()
            proxied = {f"r{h.name[1:]}": listen for h, (listen, _) in zip(hosts, pairs, strict=True)}
            self.say(f"delaying proxy: +{args.delay_ms:g} ms each way per chunk in front of every sshd")

        aliases = {h.name: h.port for h in hosts} | proxied
        keys = [(h.port, h) for h in hosts] + [(port, h) for h, port in zip(hosts, proxied.values(), strict=False)]
        workspace = self.scratch / "ws"
        (workspace / "playbooks").mkdir(parents=True)
        (workspace / "site.yaml").write_text(site_yaml(hosts, proxied), encoding="utf-8")
        (workspace / "playbooks" / "fanout10.yaml").write_text(playbook_yaml(), encoding="utf-8")

        home = self.scratch / "home"
        config = write_home(home, lab, user.name, aliases, keys)
        env = base_env(home)
        checked = subprocess.run(
            [launchpad_bin(), "--workspace", str(workspace), "check"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if checked.returncode != 0:
            raise BenchFailed(f"launchpad check failed:\n{checked.stdout}{checked.stderr}")
        kex_openssh, kex_paramiko = key_exchanges(config, env, hosts[0].name)
        self.say(f"key exchange: OpenSSH default {kex_openssh}, paramiko {kex_paramiko}")
        res.figure("hosts", str(len(hosts)))
        res.figure("cpus", str(os.cpu_count()))
        res.figure("OpenSSH", f"{lab.version[0]}.{lab.version[1]}")
        res.figure("key exchange (OpenSSH default; paramiko)", f"{kex_openssh}; {kex_paramiko}")

        ansible, skipped = (None, "--no-ansible given") if args.no_ansible else ansible_bin()
        if ansible is None:
            self.say(f"ansible-core: skipped ({skipped})")
            res.figure("ansible-core", f"skipped: {skipped}")
        else:
            shown = subprocess.run([ansible, "--version"], capture_output=True, text=True, env=env, timeout=60)
            version = shown.stdout.splitlines()[0] if shown.stdout else ansible
            self.say(f"ansible-core: {version}")
            res.figure("ansible-core", version)

        names = [h.name for h in hosts]
        plain = Side("bench", names, [h.port for h in hosts], user.name, home, config, env)
        tools = make_tools(plain, workspace, lab, ansible, self.scratch)

        # 1. The main comparison.
        scenario = "plain shell"
        order = ["launchpad", "paramiko", "parallel", "parallel-kex", "sequential"] + (["ansible"] if ansible else [])
        self.say(f"{scenario}: {args.rounds} rounds of {', '.join(order)}")
        self.measure(scenario, [tools[k] for k in order], args.rounds)
        one_plain = self.measure("one host", [tools["one-launchpad"], tools["one-ssh"]], SINGLE_HOST_REPEATS)

        # 2. The remote user's own start-up files.
        self.startup_files(hosts, aliases, keys, workspace, ansible)

        # 3. One connection per host for a whole playbook.
        self.playbook(workspace, env, hosts)

        # 4. Round-trip latency.
        if self.proxy is not None:
            slow = Side("rtt", list(proxied), list(proxied.values()), user.name, home, config, env)
            slow_tools = make_tools(slow, workspace, lab, None, self.scratch)
            scenario = f"+{2 * args.delay_ms:g} ms RTT"
            self.say(f"{scenario}: {args.extra_rounds} rounds")
            self.measure(
                scenario,
                [slow_tools[k] for k in ("launchpad", "paramiko", "parallel", "parallel-kex")],
                args.extra_rounds,
            )
            one_slow = self.measure(
                f"one host {scenario}", [slow_tools["one-launchpad"], slow_tools["one-ssh"]], SINGLE_HOST_REPEATS
            )
            rtt = 2 * args.delay_ms / 1000
            for fast, slowed in zip(one_plain, one_slow, strict=True):
                # The proxy adds one RTT before connecting (TCP's handshake) and delays every
                # chunk after, so the whole exchange is counted. Fastest runs: the least noise.
                res.figure(
                    f"round trips per command, 1 host (TCP connect to exit): {fast.tool.label.split(',')[0]}",
                    f"{(slowed.best - fast.best) / rtt:.1f}",
                )

    def startup_files(
        self,
        hosts: list[SshdHost],
        aliases: dict[str, int],
        keys: list[tuple[int, SshdHost]],
        workspace: Path,
        ansible: str | None,
    ) -> None:
        args, res = self.args, self.results
        assert self.lab is not None and self.user is not None
        if args.no_startup_files:
            res.figure("start-up files scenario", "skipped (--no-startup-files)")
            return
        if os.geteuid() != 0:
            res.figure(
                "start-up files scenario",
                f"skipped: not root; the plain scenario ran as {self.user.name} with {self.user.shell}",
            )
            return
        root = login_user("root")
        home = self.scratch / "home-root"
        config = write_home(home, self.lab, root.name, aliases, keys)
        side = Side("bench", [h.name for h in hosts], [h.port for h in hosts], root.name, home, config, base_env(home))
        tools = make_tools(side, workspace, self.lab, None, self.scratch)
        scenario = "start-up files"
        self.say(f"{scenario} (user {root.name}, {root.shell} and its start-up files): {args.extra_rounds} rounds")
        self.measure(scenario, [tools["launchpad"], tools["parallel"], tools["parallel-kex"]], args.extra_rounds)
        self.measure("one host, start-up files", [tools["one-ssh"]], SINGLE_HOST_REPEATS)
        plain_one, heavy_one = res.get("one host", "one-ssh"), res.get("one host, start-up files", "one-ssh")
        if plain_one and heavy_one:
            res.figure(
                "start-up files: cost per command, s",
                f"{heavy_one.median - plain_one.median:.3f} (user {root.name}, {root.shell})",
            )

    def playbook(self, workspace: Path, env: dict[str, str], hosts: list[SshdHost]) -> None:
        assert self.lab is not None
        self.say(f"playbook: {PLAYBOOK_STEPS} shell steps on {PLAYBOOK_HOSTS} hosts")
        self.lab.wait_idle()
        before = [h.accepted_logins() for h in hosts]
        started = time.perf_counter()
        done = subprocess.run(
            [launchpad_bin(), "--workspace", str(workspace), "run", "fanout10", "--env", "bench", "--yes"],
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise BenchFailed(
                f"launchpad run fanout10: exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        self.lab.wait_idle()
        per_host = [h.accepted_logins() - b for h, b in zip(hosts, before, strict=True)]
        opened = sum(per_host)
        res = self.results
        res.figure(f"playbook {PLAYBOOK_STEPS} steps x {PLAYBOOK_HOSTS} hosts: SSH connections opened", str(opened))
        res.figure("playbook: logins per host", " ".join(map(str, per_host[:PLAYBOOK_HOSTS])))
        res.figure("playbook: wall s", f"{elapsed:.2f}")
        ok = opened == PLAYBOOK_HOSTS and per_host[:PLAYBOOK_HOSTS] == [1] * PLAYBOOK_HOSTS
        res.verdict(
            f"playbook: {opened} SSH connections for {PLAYBOOK_HOSTS} hosts x {PLAYBOOK_STEPS} steps "
            f"(target {PLAYBOOK_HOSTS})",
            ok,
        )

    def report(self) -> None:
        res, args = self.results, self.args
        scenarios = list(dict.fromkeys(t.scenario for t in res.timings))
        for t in res.timings:
            res.figure(f"{t.scenario}: {t.tool.label}, median; min s", f"{t.median:.3f}; {t.best:.3f}")
        for scenario in scenarios:
            lp = res.ratio(scenario, "launchpad", "parallel", "launchpad / parallel OpenSSH")
            like = res.ratio(scenario, "launchpad", "parallel-kex", f"launchpad / parallel OpenSSH {LIKE_PARAMIKO_KEX}")
            res.ratio(scenario, "paramiko", "parallel", "bare paramiko / parallel OpenSSH")
            floor = res.ratio(
                scenario, "paramiko", "parallel-kex", f"bare paramiko / parallel OpenSSH {LIKE_PARAMIKO_KEX}"
            )
            res.ratio(scenario, "sequential", "parallel", "sequential / parallel OpenSSH")
            vs_ansible = res.ratio(scenario, "ansible", "launchpad", "ansible / launchpad")
            if lp is not None and scenario != "start-up files":
                res.verdict(
                    f"{scenario}: launchpad / parallel OpenSSH = {lp:.2f} (target <= {TARGET_VS_OPENSSH})",
                    lp <= TARGET_VS_OPENSSH,
                )
                if like is not None and floor is not None:
                    res.verdicts.append(
                        f"  note   same key exchange ({LIKE_PARAMIKO_KEX}) on both sides: launchpad / parallel "
                        f"OpenSSH = {like:.2f}, bare paramiko / parallel OpenSSH = {floor:.2f}"
                    )
            if vs_ansible is not None:
                res.verdict(
                    f"{scenario}: ansible / launchpad = {vs_ansible:.2f} (target >= {TARGET_VS_ANSIBLE:g})",
                    vs_ansible >= TARGET_VS_ANSIBLE,
                )
        print()
        print(f"Fan-out of `{COMMAND}` to {args.hosts} loopback hosts, {os.cpu_count()} CPUs, wall seconds")
        print()
        header = f"{'scenario':<26} {'tool':<40} {'min':>7} {'median':>7} {'runs':>4}"
        print(header)
        print("-" * len(header))
        for t in res.timings:
            print(f"{t.scenario:<26} {t.tool.label:<40} {t.best:7.3f} {t.median:7.3f} {len(t.samples):4d}")
        print()
        print("Targets:")
        for line in res.verdicts:
            print(f"  {line}")
        print()
        print("Figures:")
        for name, value in res.figures:
            print(f"{name}: {value}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="launchpad exec against OpenSSH and ansible-core on loopback hosts.")
    parser.add_argument("--hosts", type=int, default=40, help="loopback sshd servers (default 40)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds in the main comparison (default 5)")
    parser.add_argument(
        "--extra-rounds",
        type=int,
        default=3,
        help="timed rounds in the start-up files and latency scenarios (default 3)",
    )
    parser.add_argument("--delay-ms", type=float, default=20.0, help="delay the proxy adds each way (default 20)")
    parser.add_argument("--no-ansible", action="store_true", help="leave ansible-core out")
    parser.add_argument("--no-latency", action="store_true", help="leave the delaying proxy out")
    parser.add_argument("--no-startup-files", action="store_true", help="leave the start-up files scenario out")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (sshd logs, workspace)")
    args = parser.parse_args(argv)
    if not PLAYBOOK_HOSTS <= args.hosts <= 200:
        parser.error(f"--hosts must be between {PLAYBOOK_HOSTS} and 200")
    if not (1 <= args.rounds <= 50 and 1 <= args.extra_rounds <= 50):
        parser.error("--rounds and --extra-rounds must be between 1 and 50")
    if not 0 < args.delay_ms <= 1000:
        parser.error("--delay-ms must be in (0, 1000]")
    return args


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    missing = [tool for tool in ("ssh", "ssh-keygen", "xargs") if shutil.which(tool) is None]
    if missing:
        print(f"missing: {', '.join(missing)} (apt-get install openssh-client openssh-server)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    # Ctrl-C stops the run cleanly even when started in the background (which ignores SIGINT).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    bench = Bench(args)
    try:
        bench.run()
        bench.report()
        return 0
    except BenchFailed as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
        return 1
    except LabUnavailable as exc:
        print(f"\ncannot set up the lab: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted: stopping every server and proxy", file=sys.stderr)
        return 130
    finally:
        # Clean up whatever comes: a second Ctrl-C must not leave servers behind.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        bench.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
