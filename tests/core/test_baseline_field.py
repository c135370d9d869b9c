"""What a field test on a fresh demo found in baselines and role rules: files that cannot be
written, the words a client reads in the reports, the hints of a refusal, and `check` on the
baseline and the rules. On a copy of the built demo (tests/core/test_baseline_onsite.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.test_baseline_onsite import built, demo, launchpad

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
