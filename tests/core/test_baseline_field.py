"""What a field test on a fresh demo found in baselines and role rules: files that cannot be
written, the words a client reads in the reports, the hints of a refusal, and `check` on the
baseline and the rules. On a copy of the built demo (tests/core/test_baseline_onsite.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.core.test_baseline_onsite import HOTLINE, add_issue, built, demo, launchpad

__all__ = ["built", "demo"]

UNWRITABLE = [
    ("baseline", "export", "--env", "test", "--out", "{dir}"),
    ("baseline", "diff", "--env", "prod", "--report", "{file}.md"),
    ("baseline", "changes", "--patch", "--out", "{file}.patch"),
    ("baseline", "changes", "--format", "xlsx", "--out", "{file}.xlsx"),
    ("baseline", "changes", "--format", "md", "--out", "{file}.md"),
    ("roles", "preview", "--env", "test", "--xlsx", "{file}.xlsx"),
]


@pytest.mark.parametrize("args", UNWRITABLE, ids=lambda a: " ".join(a[:3]))
def test_an_output_that_cannot_be_written_names_the_file_and_why_and_leaves_nothing(
        demo: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    # A folder where the file should go: export writes out/test.yaml, the others out/r.*.
    (out / "test.yaml").mkdir()
    for suffix in ("md", "patch", "xlsx"):
        (out / f"r.{suffix}").mkdir()
    given = [a.format(dir=out, file=out / "r") for a in args]
    done = launchpad(demo, *given)
    target = out / "test.yaml" if "export" in args else Path(given[-1])
    assert done.returncode == 2, done.stderr
    # Said by the writer, or by the option itself when it takes files only: in Chinese either way.
    assert f"无法写入 {target}：这是一个文件夹" in done.stderr or f"文件“{target}”是一个文件夹" in done.stderr
    assert "内部错误" not in done.stderr and "directory" not in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["r.md", "r.patch", "r.xlsx", "test.yaml"]

    into_proc = launchpad(demo, *[a.format(dir="/proc", file="/proc/r") for a in args])
    assert into_proc.returncode == 2, into_proc.stderr
    assert "无法写入 /proc/" in into_proc.stderr and "内部错误" not in into_proc.stderr
    assert "→" in into_proc.stderr


def test_reports_for_the_client_and_hq_name_fields_and_sheets_in_chinese_and_times_in_site_time(
        demo: Path, tmp_path: Path) -> None:
    issue = add_issue(demo)
    recorded = launchpad(demo, "baseline", "change", "record", "--env", "prod", "--item", HOTLINE, "--why", "热线",
                         "--issue", str(issue))
    assert recorded.returncode == 0, recorded.stderr
    diff = launchpad(demo, "baseline", "diff", "--env", "prod", "--report", str(tmp_path / "差异.xlsx"),
                     "--report", str(tmp_path / "差异.md"))
    assert diff.returncode == 1, diff.stderr
    said = [diff.stdout, (tmp_path / "差异.md").read_text(encoding="utf-8")]
    book = load_workbook(tmp_path / "差异.xlsx")
    assert book.sheetnames == ["差异"]
    said.append("\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c))
    changes = [launchpad(demo, "baseline", "changes").stdout,
               launchpad(demo, "baseline", "changes", "--format", "md").stdout]
    xlsx = launchpad(demo, "baseline", "changes", "--format", "xlsx", "--out", str(tmp_path / "现场.xlsx"))
    assert xlsx.returncode == 0, xlsx.stderr
    book = load_workbook(tmp_path / "现场.xlsx")
    assert book.sheetnames == ["现场变更"]
    changes.append("\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c))
    for text in said + changes:
        assert "标签：12345热线" in text and "排序：5" in text and "默认：否" in text and "；排序" in text, text
        for english in ("label:", "order:", "default:", "status:", "css_class", "list_class"):
            assert english not in text, (english, text)
    for text in said[1:]:
        assert re.search(r"于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia/Shanghai 比对", text), text
    assert "标签：基本满意 → 一般" in said[0]
    for text in changes[1:]:
        assert re.search(r"于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia/Shanghai 导出", text), text

    two = launchpad(demo, "baseline", "diff", "--env", "test", "--env", "prod")
    assert re.search(r"（版本 test@\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia/Shanghai）", two.stdout), two.stdout


def test_the_role_preview_workbook_names_its_sheets_in_the_readers_language(demo: Path, tmp_path: Path) -> None:
    chinese = launchpad(demo, "roles", "preview", "--env", "test", "--xlsx", str(tmp_path / "预览.xlsx"))
    assert chinese.returncode == 0, chinese.stderr
    book = load_workbook(tmp_path / "预览.xlsx")
    assert book.sheetnames == ["用户", "统计"]
    assert book["统计"]["A1"].value == "规则"
    english = launchpad(demo, "roles", "preview", "--env", "test", "--xlsx", str(tmp_path / "preview.xlsx"),
                        "--lang", "en")
    assert english.returncode == 0, english.stderr
    assert load_workbook(tmp_path / "preview.xlsx").sheetnames == ["users", "counts"]


def test_the_drift_tables_last_line_counts_what_it_left_out_in_the_readers_language(demo: Path) -> None:
    total = len(json.loads(launchpad(demo, "baseline", "diff", "--env", "prod", "--json").stdout)["differences"])
    assert total > 1
    chinese = launchpad(demo, "baseline", "diff", "--env", "prod", "--limit", "1")
    assert chinese.returncode == 1, chinese.stderr
    assert f"… 另有 {total - 1} 项（--json 或报告列出全部）" in chinese.stdout.splitlines(), chinese.stdout
    assert "more" not in chinese.stdout
    english = launchpad(demo, "baseline", "diff", "--env", "prod", "--limit", "1", "--lang", "en")
    assert f"… {total - 1} more (--json, or a report, lists all)" in english.stdout.splitlines(), english.stdout


def test_a_confirmation_without_a_terminal_names_only_what_the_command_offers(demo: Path) -> None:
    assert launchpad(demo, "roles", "preview", "--env", "test").returncode == 0
    asked = launchpad(demo, "roles", "apply", "--env", "test")
    assert asked.returncode == 2
    assert "需要确认（请在终端中回答，或使用 --yes）" in asked.stderr and "--answers" not in asked.stderr

    assert launchpad(demo, "backup", "--env", "test", "all").returncode == 0
    applied = launchpad(demo, "roles", "apply", "--env", "test", "--yes")
    assert applied.returncode == 0, applied.stderr
    assignment = re.search(r"roles rollback (\d+)", applied.stdout)
    assert assignment is not None, applied.stdout
    rollback = launchpad(demo, "roles", "rollback", assignment[1])
    assert rollback.returncode == 2
    assert rollback.stderr.splitlines()[-1].startswith("角色分配回滚被拒绝："), rollback.stderr
    assert "或使用 --yes）" in rollback.stderr and "--answers" not in rollback.stderr

    # Production: --yes alone is refused there, so the hint names --confirm ENV.
    assert launchpad(demo, "backup", "--env", "prod", "all").returncode == 0
    fix = launchpad(demo, "baseline", "fix", "--env", "prod", "--all")
    assert fix.returncode == 2
    assert "或使用 --confirm prod；生产环境仅用 --yes 不够）" in fix.stderr and "--answers" not in fix.stderr


@pytest.mark.parametrize("args", [
    ("baseline", "export", "--env", "test"),
    ("baseline", "diff", "--env", "prod"),
    ("baseline", "fix", "--env", "prod", "--all", "--dry-run"),
], ids=lambda a: " ".join(a[:2]))
def test_a_database_the_environment_lacks_is_named_with_the_option_and_the_databases_it_has(
        demo: Path, args: tuple[str, ...]) -> None:
    done = launchpad(demo, *args, "--database", "nope")
    assert done.returncode == 2, done.stderr
    assert "没有数据库“nope”（main）" in done.stderr
    assert "→ 请用 --database 指定" in done.stderr and "的数据库之一：main" in done.stderr
    assert "映射文件" not in done.stderr


def test_a_database_the_rules_name_wrongly_is_said_as_the_rules_file(demo: Path) -> None:
    rules = demo / "roles" / "rules.yaml"
    rules.write_text("database: nope\n" + rules.read_text(encoding="utf-8"), encoding="utf-8")
    done = launchpad(demo, "roles", "preview", "--env", "test")
    assert done.returncode == 2, done.stderr
    assert "→ 请把规则文件中的 `database:` 改为 test 的数据库之一：main" in done.stderr
    assert "映射文件" not in done.stderr


def test_check_reads_the_baselines_and_the_role_rules_and_says_so(demo: Path) -> None:
    clean = launchpad(demo, "check")
    assert clean.returncode == 0, clean.stderr
    said = r"基线 \S*baselines/baseline\.yaml 和 角色规则 roles/rules\.yaml 均无错误"
    assert re.search(said, clean.stdout), clean.stdout

    baseline = demo / "baselines" / "baseline.yaml"
    good = baseline.read_text(encoding="utf-8")
    baseline.write_text(good + "roles: {\n", encoding="utf-8")
    broken = launchpad(demo, "check")
    assert broken.returncode == 2
    assert re.search(r"baselines/baseline\.yaml:\d+:\d+: YAML 语法错误", broken.stderr), broken.stderr

    baseline.write_text(good, encoding="utf-8")
    (demo / "baselines" / "hq.yaml").write_text("- a\n", encoding="utf-8")
    not_a_mapping = launchpad(demo, "check")
    assert not_a_mapping.returncode == 2
    assert "baselines/hq.yaml:1:1: 文件顶层应为映射" in not_a_mapping.stderr, not_a_mapping.stderr

    (demo / "baselines" / "hq.yaml").unlink()
    rules = demo / "roles" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "rules: [\n", encoding="utf-8")
    bad_rules = launchpad(demo, "check")
    assert bad_rules.returncode == 2
    assert re.search(r"roles/rules\.yaml:\d+:\d+: YAML 语法错误", bad_rules.stderr), bad_rules.stderr


@pytest.mark.parametrize("args", [
    ("roles", "preview", "--env", "test"),
    ("baseline", "diff", "--env", "test"),
    ("baseline", "export", "--env", "test"),
], ids=lambda a: " ".join(a[:2]))
def test_a_database_that_cannot_be_read_is_said_in_chinese_and_as_a_read(demo: Path, args: tuple[str, ...]) -> None:
    """A read that failed used to say, in English, "no database file", and then that nothing
    of "this batch" was written and that rows already written would be recognised."""
    site = demo / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("name: data/test-users.db", "name: data/gone.db"),
                    encoding="utf-8")
    done = launchpad(demo, *args)
    assert done.returncode == 1, done.stderr
    assert "没有数据库文件 data/gone.db" in done.stderr, done.stderr
    assert "no database file" not in done.stderr and "这一批" not in done.stderr, done.stderr
    assert "→ 什么都没有写入；请确认数据库存在，并能按 site.yaml 中的设置（主机、端口、用户、库名）连上，再重新运行" \
        in done.stderr, done.stderr
    assert not (demo / "data" / "gone.db").exists()


def test_a_rules_file_given_that_is_not_there_says_where_it_was_looked_for(demo: Path) -> None:
    """The hint for a mistyped --rules used to tell the engineer to write roles/rules.yaml,
    which was already there."""
    done = launchpad(demo, "roles", "preview", "--env", "test", "--rules", "roles/rulez.yaml")
    assert done.returncode == 2, done.stderr
    assert "没有规则文件 roles/rulez.yaml" in done.stderr, done.stderr
    assert f"或工作区 {demo} 算起；不给 --rules 时读取 roles/rules.yaml" in done.stderr, done.stderr
    assert "写一个" not in done.stderr


@pytest.mark.parametrize("args", [
    ("baseline", "diff", "--env", "prod"),
    ("baseline", "fix", "--env", "prod", "--all", "--dry-run"),
], ids=lambda a: " ".join(a[:2]))
def test_a_baseline_given_that_is_not_there_says_where_it_was_looked_for(demo: Path, args: tuple[str, ...]) -> None:
    """A mistyped --baseline read "nope.yaml:1:1: 文件不存在", with nothing to do about it."""
    done = launchpad(demo, *args, "--baseline", "baselin.yaml")
    assert done.returncode == 2, done.stderr
    assert "没有基线文件 baselin.yaml" in done.stderr and ":1:1:" not in done.stderr, done.stderr
    assert f"→ 相对路径从当前目录 {Path.cwd()} 或工作区的 {demo / 'baselines'} 算起" in done.stderr, done.stderr


def test_the_on_site_change_commands_speak_the_command_lines_language(demo: Path) -> None:
    """`launchpad --lang en baseline changes` (or LAUNCHPAD_LANG=en) printed its table, and
    record and accept their lines, in site.yaml's Chinese, where `baseline diff` spoke English."""
    issue = add_issue(demo)
    recorded = launchpad(demo, "--lang", "en", "baseline", "change", "record", "--env", "prod", "--item", HOTLINE,
                         "--why", "甲方要求", "--issue", str(issue))
    assert recorded.returncode == 0, recorded.stderr
    assert "on-site change #1" in recorded.stdout and "现场变更" not in recorded.stdout, recorded.stdout
    listed = launchpad(demo, "baseline", "changes", env={"LAUNCHPAD_LANG": "en"})
    assert "waiting for HQ" in listed.stdout and "待总部同步" not in listed.stdout, listed.stdout
    accepted = launchpad(demo, "--lang", "en", "baseline", "change", "accept", "1")
    assert accepted.returncode == 0, accepted.stderr
    assert "现场变更" not in accepted.stdout, accepted.stdout
    again = launchpad(demo, "--lang", "en", "baseline", "change", "accept", "1")
    assert again.returncode == 0 and "现场变更" not in again.stdout + again.stderr, again.stdout
    chinese = launchpad(demo, "baseline", "changes", "--all")
    assert chinese.stdout.rstrip().endswith("已纳入基线"), chinese.stdout  # the site's language without --lang
