"""`launchpad users check` as a person runs it: every problem listed, the annotated copy
written, exit 1 for problems, 0 for a clean file, 2 and a clear message for input that is not
a sheet — never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.users_sheets import GOOD, HEADER, write_csv, write_mapping, write_xlsx
from tests.small_disk import full_disk


def users(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "users", *args], capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def test_check_lists_every_problem_and_writes_the_annotated_copy(tmp_path: Path) -> None:
    mapping = write_mapping(tmp_path)
    sheet = write_csv(tmp_path / "名单.csv", [HEADER, GOOD[0], ["", "赵六", "110105194912310021", "1380", "", "男",
                                                             "办公室", ""]])
    done = users("check", str(sheet), "--mapping", str(mapping), "--lang", "en")
    assert done.returncode == 1, done.stderr
    assert "名单!A3 账号 '': required, but empty" in done.stdout
    assert "名单!C3 身份证号 '110105194912310021': check digit is 1, the number's digits give X" in done.stdout
    assert "名单!D3 手机号码 '1380': not a mainland mobile number" in done.stdout
    assert f"2 row(s): 1 with 3 problem(s); annotated copy: {tmp_path / '名单.checked.xlsx'}" in done.stderr
    assert "units and values taken by existing users were not checked" in done.stderr
    assert (tmp_path / "名单.checked.xlsx").is_file()


def test_check_of_a_clean_file_exits_0_and_says_what_was_not_checked(tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "u.xlsx", {"名单": [HEADER, *GOOD]})
    done = users("check", str(sheet), "--mapping", str(write_mapping(tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "2 行，没有问题（未对照目标系统检查：请加 --env 环境）。" in done.stderr  # the site speaks Chinese
    assert not (tmp_path / "u.checked.xlsx").exists()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("empty.csv", b"", "无法读取表格："),
    ("fake.xlsx", b"PK\x03\x04 not really", "不是可读取的 Excel 工作簿"),
    ("header.csv", b"a,b\n1,2\n", "没有任何工作表带有映射认识的表头"),
    ("title-only.csv", "人员名单\n".encode("gbk"), "没有任何工作表带有映射认识的表头"),
])
def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path, name: str, content: bytes, says: str) -> None:
    (tmp_path / name).write_bytes(content)
    done = users("check", str(tmp_path / name), "--mapping", str(write_mapping(tmp_path)))
    assert done.returncode == 2, done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_a_bad_mapping_is_located_by_file_line_col(tmp_path: Path) -> None:
    mapping = write_mapping(tmp_path, "target: ruoyi\nkey: user_name\nfields:\n  user_name: {headers: 账号}\n")
    sheet = write_xlsx(tmp_path / "u.xlsx", {"名单": [HEADER, *GOOD]})
    done = users("check", str(sheet), "--mapping", str(mapping))
    assert done.returncode == 2
    assert f"{mapping}:4:" in done.stderr or "imports/ruoyi.yaml:4:" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_csv_the_mappings_encoding_does_not_decode_exits_2_naming_the_line(tmp_path: Path) -> None:
    from tests.core.users_sheets import MAPPING

    mapping = write_mapping(tmp_path, MAPPING.replace("key: user_name", "key: user_name\nencoding: utf-8"))
    sheet = write_csv(tmp_path / "名单.csv", [HEADER, GOOD[0]], encoding="gbk")
    done = users("check", str(sheet), "--mapping", str(mapping))
    assert done.returncode == 2, done.stderr
    assert f"{sheet} 无法按 utf-8（映射的 encoding:）解码：第 1 行，偏移 0 处的字节 0xD5" in done.stderr
    assert "自动识别为 gb18030 (GBK)" in done.stderr
    # the mapping named where its encoding: is written, as its own mistakes are
    assert f"请删除 {mapping}:3:11 处的 encoding:，或在该处改为 encoding: gb18030" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    right = write_mapping(tmp_path, MAPPING.replace("key: user_name", "key: user_name\nencoding: gbk"))
    assert users("check", str(sheet), "--mapping", str(right)).returncode == 0


def test_an_unknown_encoding_in_the_mapping_exits_2_at_its_line(tmp_path: Path) -> None:
    from tests.core.users_sheets import MAPPING

    mapping = write_mapping(tmp_path, MAPPING.replace("key: user_name", "key: user_name\nencoding: gbk2312"))
    sheet = write_csv(tmp_path / "名单.csv", [HEADER, GOOD[0]], encoding="gbk")
    done = users("check", str(sheet), "--mapping", str(mapping))
    assert done.returncode == 2, done.stderr
    assert f"{mapping}:3:11" in done.stderr or "imports/ruoyi.yaml:3:11" in done.stderr, done.stderr
    assert "gbk2312" in done.stderr and "Traceback" not in done.stderr


def test_without_a_mapping_or_workspace_the_command_says_what_to_pass(tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "u.xlsx", {"名单": [HEADER, *GOOD]})
    done = users("check", str(sheet))
    assert done.returncode == 2
    assert "请用 --mapping FILE 指定" in done.stderr


def test_the_mapping_has_a_json_schema_for_editors() -> None:
    import json

    done = subprocess.run([sys.executable, "-m", "launchpad", "schema", "import-mapping"], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert set(schema["required"]) == {"target", "key", "fields"}
    assert "FieldSpec" in schema["$defs"] and "PasswordPolicy" in schema["$defs"]


def test_a_file_not_there_names_the_sheets_beside_it_the_likeliest_first(tmp_path: Path) -> None:
    mapping = write_mapping(tmp_path)
    write_xlsx(tmp_path / "名单.xlsx", {"名单": [HEADER, *GOOD]})
    write_csv(tmp_path / "其他.csv", [HEADER, *GOOD])
    done = users("check", str(tmp_path / "名单.xls"), "--mapping", str(mapping))
    assert done.returncode == 2
    assert f"名单.xls：文件不存在\n  → {tmp_path} 中的表格：名单.xlsx、其他.csv\n" in done.stderr, done.stderr
    elsewhere = subprocess.run([sys.executable, "-m", "launchpad", "users", "check", "没有/名单.xlsx", "--mapping",
                                str(mapping)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert elsewhere.returncode == 2 and f"相对路径从当前目录 {tmp_path} 算起" in elsewhere.stderr, elsewhere.stderr
    assert "Traceback" not in done.stderr + elsewhere.stderr


def test_an_annotated_copy_on_a_full_disk_says_what_to_do_and_leaves_nothing(tmp_path: Path) -> None:
    """The copy's folder is really full: exit 2, the file named with the reason and what to do,
    no traceback after it, and no file (whole or partial) left beside the filler."""
    mapping = write_mapping(tmp_path)
    sheet = write_xlsx(tmp_path / "名单.xlsx", {"名单": [HEADER, *GOOD, ["", "赵六", "110105194912310021", "1380",
                                                                      "", "男", "办公室", ""]]})
    folder = tmp_path / "full"
    out = folder / "名单.checked.xlsx"
    with full_disk(folder):
        done = users("check", str(sheet), "--mapping", str(mapping), "--annotated", str(out))

        assert done.returncode == 2, done.stdout + done.stderr
        assert f"{out}：" in done.stderr and "磁盘" in done.stderr, done.stderr
        assert "→ 请腾出磁盘空间，或选择有写入权限的文件夹，然后重新运行" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["filler"]
