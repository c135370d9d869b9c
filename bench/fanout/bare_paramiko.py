"""The floor launchpad is compared with: a bare paramiko thread pool, one process, no engine.

    python bare_paramiko.py USER KEY KNOWN_HOSTS COMMAND PORT [PORT ...]

Connects to 127.0.0.1:PORT for every port at once (one thread each), checks host keys
strictly against KNOWN_HOSTS, runs COMMAND, and prints one line per host. Exit 1 if any
host failed. Nothing from launchpad is imported: this is what the issue calls "a bare
paramiko thread pool".
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import paramiko


def on_host(user: str, key: str, known_hosts: str, command: str, port: int) -> tuple[int, str]:
    client = paramiko.SSHClient()
    client.load_host_keys(known_hosts)
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    try:
        client.connect(
            "127.0.0.1",
            port=port,
            username=user,
            key_filename=key,
            allow_agent=False,
            look_for_keys=False,
            timeout=20,
            banner_timeout=20,
            auth_timeout=20,
        )
        _, stdout, _ = client.exec_command(command, timeout=60)
        output = stdout.read().decode(errors="replace").strip()
        return stdout.channel.recv_exit_status(), output
    finally:
        client.close()


def main(argv: list[str]) -> int:
    user, key, known_hosts, command, *ports = argv
    with ThreadPoolExecutor(max_workers=len(ports)) as pool:
        results = list(pool.map(lambda p: on_host(user, key, known_hosts, command, int(p)), ports))
    for port, (code, output) in zip(ports, results, strict=True):
        print(f"{port} exit {code} {output}")
    return 0 if all(code == 0 for code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
