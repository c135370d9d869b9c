"""`launchpad init`: the scaffolded workspace loads as written, holds no secret, and an
existing workspace is never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from launchpad.errors import UsageError
from launchpad.run.playbook import BUNDLED_DIR
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.scaffold import init_workspace


def test_init_creates_a_workspace_that_loads(tmp_path: Path) -> None:
    root = tmp_path / "site"
    created = init_workspace(root)
    for name in ("site.yaml", ".gitignore", "playbooks", "backups", "data"):
        assert root / name in created
    workspace = load_workspace(root)
    assert set(workspace.site.environments) == {"test", "prod"}
    assert workspace.site.environments["prod"].production
    assert workspace.site.on_duty(workspace.site.now().date())[0] is not None
    copies = sorted(p.name for p in (root / "playbooks").glob("*.yaml"))
    assert copies == sorted(p.name for p in BUNDLED_DIR.glob("*.yaml"))


def test_every_secret_is_a_reference(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    data = yaml.safe_load((tmp_path / "site.yaml").read_text(encoding="utf-8"))
    secrets = [db["password"] for env in data["environments"].values()
               for db in env["databases"].values()]
    secrets += [channel["webhook"] for channel in data["channels"].values()]
    assert secrets and all(s == "prompt" or s.split(":")[0] in ("env", "keyring") for s in secrets)


def test_site_yaml_explains_itself_in_both_languages(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    text = (tmp_path / "site.yaml").read_text(encoding="utf-8")
    assert "密钥" in text and "A literal secret is refused" in text
    for section in ("site:", "contacts:", "duty:", "windows:", "environments:", "channels:"):
        assert f"\n{section}" in text


def test_gitignore_keeps_state_and_backups_out_of_git(tmp_path: Path) -> None:
    init_workspace(tmp_path)
    lines = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".launchpad/" in lines and "backups/*" in lines


def test_init_refuses_to_overwrite_site_yaml(tmp_path: Path) -> None:
    site_file = tmp_path / "site.yaml"
    site_file.write_text("# 现场已有的配置\n", encoding="utf-8")
    with pytest.raises(UsageError, match="already exists") as raised:
        init_workspace(tmp_path)
    assert raised.value.hint
    assert site_file.read_text(encoding="utf-8") == "# 现场已有的配置\n"
    assert not (tmp_path / "playbooks").exists()


def test_init_keeps_existing_playbooks_and_gitignore(tmp_path: Path) -> None:
    (tmp_path / "playbooks").mkdir()
    adapted = tmp_path / "playbooks" / "onsite-acceptance.yaml"
    adapted.write_text("# 现场改过的验收剧本\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.log\n", encoding="utf-8")
    created = init_workspace(tmp_path)
    assert adapted not in created
    assert adapted.read_text(encoding="utf-8") == "# 现场改过的验收剧本\n"
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "*.log\n"


def test_init_on_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="not a folder"):
        init_workspace(target)
