"""The demo's release of its web app: three builds of "portal" in `artifacts/` and, per
environment, the folder the app runs from (`deploy/ENV/app1`: `releases/VERSION`, a `current`
link, `logs/app.log`), installed at 1.0.0. The login page shows the version `current` points to,
so the after-hours-release playbook has something real to deploy, verify and roll back:

- 1.1.0: a good release;
- 1.2.0: a broken one — its health URL answers 503, the group interface 502, and its start
  logs an exception, as the seed's release that broke the parent group's interface did.

Each build is a tarball holding VERSION and bin/restart.sh (which "restarts" the app: a line in
logs/app.log). Built byte for byte the same every time, so its sha256 never changes."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

VERSIONS = ("1.0.0", "1.1.0", "1.2.0")
BROKEN = "1.2.0"
INSTALLED = "1.0.0"
ARTIFACTS = "artifacts"
# Where an environment's app runs, relative to the workspace (the demo's hosts are this machine).
APP_ROOT = "deploy/{env}/app1"

RESTART = """\
#!/bin/sh
# 演示：重启应用（写一行启动日志）。Demo: "restart" the app — one start line in logs/app.log.
mkdir -p logs
# 应用日志用站点时区（北京时间）。The app logs in the site's time zone, as servers in China do.
stamp=$(TZ=Asia/Shanghai date '+%Y-%m-%d %H:%M:%S')
echo "$stamp.000 INFO  c.r.PortalApplication - portal {version} started" >> logs/app.log
"""
BROKEN_START = """\
echo "$stamp.500 ERROR c.r.GroupGatewayClient - 集团接口调用失败" >> logs/app.log
echo "java.lang.IllegalStateException: group.gateway.url 未配置" >> logs/app.log
"""


def artifact_name(version: str) -> str:
    return f"portal-{version}.tar.gz"


def build_artifact(version: str) -> bytes:
    """The tarball of one build; fixed times and owners, so the same bytes every build."""
    files = {"VERSION": f"{version}\n",
             "bin/restart.sh": RESTART.format(version=version) + (BROKEN_START if version == BROKEN else "")}
    if version == BROKEN:
        files["BROKEN"] = "这个版本缺少集团接口配置（演示用的坏版本）。\n"
    buffer = io.BytesIO()
    # mtime 0 in the gzip header too, so the archive's bytes do not depend on when it was built.
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6, format=tarfile.USTAR_FORMAT) as tar:
        for name, text in sorted(files.items()):
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o755 if name.endswith(".sh") else 0o644
            tar.addfile(info, io.BytesIO(data))
    raw = bytearray(buffer.getvalue())
    raw[4:8] = b"\0\0\0\0"  # gzip MTIME
    return bytes(raw)


def write_demo_release(root: Path, environments: list[str]) -> None:
    """The artifacts (rewritten), and each environment's app at 1.0.0 unless it is already
    installed: a rebuilt demo keeps whatever version someone released."""
    folder = root / ARTIFACTS
    folder.mkdir(exist_ok=True)
    for version in VERSIONS:
        (folder / artifact_name(version)).write_bytes(build_artifact(version))
    for env in environments:
        app = root / APP_ROOT.format(env=env)
        if (app / "current").exists():
            continue
        release = app / "releases" / INSTALLED
        with tarfile.open(fileobj=io.BytesIO(build_artifact(INSTALLED)), mode="r:gz") as tar:
            tar.extractall(release, filter="data")
        (app / "logs").mkdir(parents=True, exist_ok=True)
        (app / "current").symlink_to(Path("releases") / INSTALLED)


def running_version(root: Path, env: str) -> tuple[str, bool]:
    """(the version the environment's app runs, whether that build is broken)."""
    current = root / APP_ROOT.format(env=env) / "current"
    try:
        version = (current / "VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        return "?", True
    return version, (current / "BROKEN").exists()
