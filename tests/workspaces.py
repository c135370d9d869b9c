"""Small workspaces written by tests: a site.yaml and playbooks, as a person would write them."""

from __future__ import annotations

import textwrap
from pathlib import Path

LOCAL_SITE = """\
site:
  name: 测试项目
  client: 测试客户
  language: zh
  timezone: Asia/Shanghai
contacts:
  - {id: zhang, name: 张三, phone: "13800000001"}
  - {id: li, name: 李四, phone: "13800000002"}
duty:
  - {weekdays: daily, primary: zhang, backup: li}
windows:
  always: {days: daily, start: "00:00", end: "23:59"}
  never_today: {days: mon, start: "03:00", end: "03:01"}
environments:
  test:
    transport: local
    hosts:
      - {name: app1, address: 127.0.0.1, groups: [app]}
      - {name: app2, address: 127.0.0.1, groups: [app]}
  prod:
    production: true
    transport: local
    hosts:
      - {name: prod1, address: 127.0.0.1, groups: [app]}
"""


def write_workspace(root: Path, site: str = LOCAL_SITE, playbooks: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(textwrap.dedent(site), encoding="utf-8")
    (root / "playbooks").mkdir(exist_ok=True)
    for name, text in (playbooks or {}).items():
        (root / "playbooks" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root
