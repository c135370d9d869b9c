"""The demo's client-system configuration: one file per environment and the
`config-expect.yaml` that says which differences are expected, so `launchpad config diff
--env test --env prod` shows a comparison (declared differences, a masked password) out of
the box. Rewritten on every build, like the playbooks."""

from __future__ import annotations

from pathlib import Path
from string import Template

APPLICATION = Template("""\
# 演示系统配置（$label）。Demo client-system configuration ($env).
server.port=$port
spring.datasource.url=jdbc:sqlite:data/$env-users.db
spring.datasource.password=$env-demo-password
group.gateway.url=$gateway
sms.enabled=true
""")
GATEWAYS = {"test": "https://gateway-test.group.example.cn/api", "prod": "https://gateway.group.example.cn/api"}
LABELS = {"test": "测试环境", "prod": "生产环境"}

EXPECTATIONS = """\
# 各环境配置比对：比对哪些文件、哪些差异是预期的（launchpad config diff / config_diff 步骤）。
# Which configuration files to compare across environments, and which differences are expected.
portal:
  files:
    - hosts: app
      path: {test: conf/test/application.properties, prod: conf/prod/application.properties}
  expect:
    - {key: server.port, may: differ, why: 演示环境每个环境一个端口}
    - {key: "spring.datasource.*", may: differ, why: 各环境各用自己的数据库}
    - {key: group.gateway.url, must: differ, why: 生产不得调用集团测试接口}
"""


def write_demo_configs(root: Path, ports: dict[str, int]) -> None:
    for env, port in ports.items():
        folder = root / "conf" / env
        folder.mkdir(parents=True, exist_ok=True)
        text = APPLICATION.substitute(label=LABELS[env], env=env, port=port, gateway=GATEWAYS[env])
        (folder / "application.properties").write_text(text, encoding="utf-8")
    (root / "config-expect.yaml").write_text(EXPECTATIONS, encoding="utf-8")
