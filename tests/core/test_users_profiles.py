"""Target profiles: RuoYi's is bundled and read like any other; a custom system's is found in
the workspace by the mapping's `target:`; a mistake in one is located by file:line:col and
stops the command with exit 2, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from launchpad.errors import InvalidInput
from launchpad.users.mapping import load_mapping
from launchpad.users.profile import bundled_profile
from tests.core.users_sheets import GOOD, HEADER, MAPPING, write_mapping, write_xlsx

CUSTOM = """\
name: hrportal
users:
  table: app_account
  id: {column: account_id, generate: uuid}
  fields:
    user_name: {column: login, size: 40}
    nick_name: {column: display_name}
  unit: {column: unit_code}
  password: {column: pwd_hash, scheme: sm3, salt: pwd_salt, force_change: {must_change: "1"}}
  mark: {created_by: added_by, updated_by: changed_by}
units: {table: org_unit, id: unit_code, name: title, parent: parent_code}
roles:
  table: app_role
  id: role_id
  key: code
  link: {table: account_role, user: account_id, to: role_id}
"""


def write_profile(root: Path, text: str) -> Path:
    path = root / "imports" / "targets" / "hrportal.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_ruoyi_is_the_bundled_profile_with_its_column_sizes() -> None:
    ruoyi = bundled_profile("ruoyi")
    assert ruoyi.users.table == "sys_user" and ruoyi.users.password.changed_at == "pwd_update_date"
    assert ruoyi.user_columns == {"user_name": 30, "nick_name": 30, "email": 50, "phonenumber": 11, "sex": 1,
                                  "remark": 500}
    assert ruoyi.roles.link.table == "sys_user_role" and ruoyi.posts is not None


def test_a_mapping_finds_its_custom_profile_beside_it(tmp_path: Path) -> None:
    write_profile(tmp_path, CUSTOM)
    mapping = load_mapping(write_mapping(tmp_path, MAPPING.replace("target: ruoyi", "target: hrportal")))
    assert mapping.profile.users.table == "app_account" and mapping.profile.users.id.generate == "uuid"
    assert mapping.profile.user_columns == {"user_name": 40, "nick_name": None}
    # The system's own password scheme and salt column, as the mapping does not name them.
    assert (mapping.passwords.scheme, mapping.passwords.salt_column) == ("sm3", "pwd_salt")
    chosen = load_mapping(write_mapping(tmp_path, MAPPING.replace("target: ruoyi", "target: hrportal")
                                        + "passwords: {scheme: pbkdf2}\n"))
    assert (chosen.passwords.scheme, chosen.passwords.salt_column) == ("pbkdf2", "pwd_salt")


@pytest.mark.parametrize(("wrong", "right", "line", "says"), [
    ("  table: app_account\n", "  table: app account\n", 3, "string should match pattern"),
    ("units: {table: org_unit, id: unit_code, name: title, parent: parent_code}",
     "units: {table: org_unit, id: unit_code, name: title}", 11, "give the units' parent: column or their path:"),
    ('force_change: {must_change: "1"}', "force_change: {must_change: \"1'; --\"}", 9, "string should match pattern"),
    ("generate: uuid}", "generate: sequence}", 4, "sequence: is given exactly when generate: sequence"),
    ("nick_name: {column: display_name}", "nick_name: {column: pwd_salt}", 3,
     "field(s) nick_name (pwd_salt) hold the password's hash or salt, which is never read into a plan or kept"),
    ("nick_name: {column: display_name}", "nick_name: {column: pwd_hash}", 3, "nick_name (pwd_hash)"),
])
def test_a_bad_profile_is_located_by_file_line_col(tmp_path: Path, wrong: str, right: str, line: int,
                                                    says: str) -> None:
    assert wrong in CUSTOM
    profile = write_profile(tmp_path, CUSTOM.replace(wrong, right))
    with pytest.raises(InvalidInput) as raised:
        load_mapping(write_mapping(tmp_path, MAPPING.replace("target: ruoyi", "target: hrportal")))
    problem = raised.value.problems[0]
    assert Path(problem.file).name == profile.name and problem.line == line, raised.value.problems
    assert says in problem.message


def test_the_command_line_names_the_bad_profile_line_and_exits_2(tmp_path: Path) -> None:
    write_profile(tmp_path, CUSTOM.replace("  table: app_account\n", "  table: app account\n"))
    mapping = write_mapping(tmp_path, MAPPING.replace("target: ruoyi", "target: hrportal"))
    sheet = write_xlsx(tmp_path / "u.xlsx", {"名单": [HEADER, *GOOD]})
    done = subprocess.run([sys.executable, "-m", "launchpad", "users", "check", str(sheet), "--mapping",
                           str(mapping)], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "imports/targets/hrportal.yaml:3:" in done.stderr and "Traceback" not in done.stderr


def test_the_profile_has_a_json_schema_for_editors() -> None:
    done = subprocess.run([sys.executable, "-m", "launchpad", "schema", "target-profile"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)["required"]) == {"name", "users", "units", "roles"}
