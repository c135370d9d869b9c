"""Building the demo workspace: everything a newcomer needs to see launchpad work on their
own machine within a minute, with no server of their own.

Building is safe to repeat: in an existing demo, site.yaml, the README and the playbooks are
rewritten, while the databases, backups and the store are kept (they may hold what the person
did while trying things). A folder that is not empty and is not a demo is never touched.
"""

from __future__ import annotations

import json
import secrets
import socket
from contextlib import ExitStack
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.demo.baseline import write_demo_baseline
from launchpad.demo.checklist import demo_checklist
from launchpad.demo.clientdb import create_client_database
from launchpad.demo.configs import write_demo_configs
from launchpad.demo.content import CHAT_TEMPLATE, README, SITE_TEMPLATE
from launchpad.demo.launcher import CONFIG_FILE, DEMO_KIND, health, port_is_free
from launchpad.demo.release import write_demo_release
from launchpad.demo.robot import robot_page_url, robot_webhook
from launchpad.demo.roles import write_role_rules
from launchpad.demo.sheet import write_import_files
from launchpad.errors import UsageError
from launchpad.golive.checklist import CHECKLIST_FILE
from launchpad.phrases import phrase
from launchpad.sitetime import site_today
from launchpad.workspace.folder import SITE_FILE, load_workspace
from launchpad.workspace.scaffold import copy_bundled_playbooks
from launchpad.workspace.site import Site

ENVIRONMENTS = {"test": ("测试环境", False), "prod": ("生产环境", True)}
DATABASES = {"test": "data/test-users.db", "prod": "data/prod-users.db"}
_A_MONDAY = date(2024, 1, 1)
CHAT_FILE = "chat.txt"
CHAT_LAST_MESSAGE = time(10, 2)  # the sample chat's last message, site time
DEMO_TIMEZONE = "Asia/Shanghai"  # site.yaml's, which the chat's dates must agree with


def build_demo(target: Path) -> Path:
    """Build (or rebuild) the demo workspace in `target`; return its resolved root."""
    root = target.expanduser().resolve()
    previous = _previous_demo(root)
    instance = previous.get("instance") or secrets.token_hex(8)
    ports = _choose_ports(previous, instance)
    for folder in ("playbooks", "backups", "data", ".launchpad"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    if not previous:
        # Mark a new folder as a demo first, so a build interrupted halfway can be repeated.
        _write_config(root, {"kind": DEMO_KIND, "instance": instance,
                             "environments": {env: {"port": p} for env, p in ports.items()}})
    robot = {"robot_webhook": robot_webhook(ports["test"]), "robot_page": robot_page_url(ports["test"])}
    site_text = SITE_TEMPLATE.substitute(test_port=ports["test"], prod_port=ports["prod"], **robot)
    (root / SITE_FILE).write_text(site_text, encoding="utf-8")
    (root / "README.md").write_text(README.substitute(**robot), encoding="utf-8")
    day = sample_chat_day(datetime.now(ZoneInfo(DEMO_TIMEZONE)))
    (root / CHAT_FILE).write_text(CHAT_TEMPLATE.substitute(day=f"{day:%Y/%m/%d}"), encoding="utf-8")
    copy_bundled_playbooks(root / "playbooks", overwrite=True)
    write_demo_configs(root, ports)
    write_demo_release(root, list(ENVIRONMENTS))
    for env_name, relative in DATABASES.items():
        create_client_database(root / relative, env_name, ENVIRONMENTS[env_name][0],
                               site_today(ZoneInfo(DEMO_TIMEZONE)))
    write_demo_baseline(root, root / DATABASES["test"])
    write_import_files(root)
    write_role_rules(root)
    site = load_workspace(root).site  # what was written must load, or the demo is broken
    checklist = root / CHECKLIST_FILE
    if not checklist.exists():  # a rebuilt demo keeps the list someone has been working on
        checklist.write_text(demo_checklist(site_today(site.tz)), encoding="utf-8")
    _write_config(root, demo_config(site, ports, instance))
    return root


def _write_config(root: Path, config: dict[str, Any]) -> None:
    # Written whole then renamed: the running web app re-reads it on every page.
    path = root / CONFIG_FILE
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    partial.replace(path)


def _previous_demo(root: Path) -> dict[str, Any]:
    """The config of the demo already in `root`, {} for a new or empty folder; refuses a
    folder holding anything else."""
    if root.exists() and not root.is_dir():
        raise UsageError(phrase("folder.is_file", path=str(root)), hint=phrase("folder.choose_another_dir"))
    if not root.exists() or not any(root.iterdir()):
        return {}
    try:
        config = json.loads((root / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        config = None
    if not isinstance(config, dict) or config.get("kind") != DEMO_KIND:
        raise UsageError(phrase("demo.not_a_demo_folder", root=str(root)), hint=phrase("demo.not_a_demo_folder_hint"))
    return config


def _choose_ports(previous: dict[str, Any], instance: str) -> dict[str, int]:
    """Keep the ports of a rebuilt demo while they are free or served by this very demo (URLs
    people bookmarked keep working); otherwise take new ones the system says are free."""
    ports: dict[str, int] = {}
    for env_name in ENVIRONMENTS:
        old = previous.get("environments", {}).get(env_name, {}).get("port")
        if isinstance(old, int) and (port_is_free(old) or _ours(old, instance)):
            ports[env_name] = old
    missing = [env for env in ENVIRONMENTS if env not in ports]
    with ExitStack() as stack:
        # Hold every new port open until all are chosen, so two environments never get one.
        for env_name in missing:
            holder = stack.enter_context(socket.socket())
            holder.bind(("127.0.0.1", 0))
            ports[env_name] = holder.getsockname()[1]
    return {env: ports[env] for env in ENVIRONMENTS}


def _ours(port: int, instance: str) -> bool:
    answer = health(port)
    return answer is not None and answer.get("instance") == instance


def demo_config(site: Site, ports: dict[str, int], instance: str) -> dict[str, Any]:
    """What the web app needs: the site, each environment's port, and who is on duty on each
    weekday (computed with the site's own roster rules, so the page and the engine agree)."""
    duty: dict[str, Any] = {}
    for weekday in range(7):
        primary, backup = site.on_duty(_A_MONDAY + timedelta(days=weekday))
        duty[str(weekday)] = {
            role: {"name": who.name, "phone": who.phone} if who else None
            for role, who in (("primary", primary), ("backup", backup))
        }
    return {
        "kind": DEMO_KIND,
        "instance": instance,
        "site": {"name": site.site.name, "client": site.site.client,
                 "timezone": site.site.timezone},
        "environments": {
            env_name: {"port": ports[env_name], "label": label, "production": production,
                       "database": DATABASES[env_name]}
            for env_name, (label, production) in ENVIRONMENTS.items()
        },
        "duty": duty,
    }


def sample_chat_day(now: datetime) -> date:
    """The day the sample chat took place: today once its last message (10:02) is past, else
    yesterday. A demo built before ten in the morning must not paste messages from the future."""
    return now.date() if now.time() >= CHAT_LAST_MESSAGE else now.date() - timedelta(days=1)
