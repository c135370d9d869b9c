"""The daily report lists the backups taken that day (only complete, checksummed ones exist), each
as it stands now."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from launchpad.demo import build_demo


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_backups_taken_today_are_in_the_report(tmp_path: Path) -> None:
    root = build_demo(tmp_path / "demo")
    empty = launchpad(root, "report", "daily")
    assert empty.returncode == 0, empty.stderr
    assert "今日备份" not in empty.stdout
    taken = launchpad(root, "backup", "--env", "test", "users")
    assert taken.returncode == 0, taken.stdout + taken.stderr
    drilled = launchpad(root, "backups", "drill", "1")
    assert drilled.returncode == 0, drilled.stdout + drilled.stderr

    zh = launchpad(root, "report", "daily").stdout
    assert "今日备份 1 份" in zh
    assert "test/users #1" in zh and "已校验" in zh and "恢复演练通过" in zh
    en = launchpad(root, "report", "daily", "--lang", "en", "--format", "md").stdout
    assert "1 backup(s) taken today" in en and "- test/users #1" in en and "restore drill passed" in en
    html = launchpad(root, "report", "daily", "--format", "html").stdout
    assert "<li>test/users #1" in html


def test_a_backup_is_reported_verified_only_while_its_file_is_there_and_whole(tmp_path: Path) -> None:
    """The report says what the lists say (`records.standing`): a verified record whose file is
    missing, cut short or deleted is none of it verified now."""
    from launchpad.backup import records
    from launchpad.backup.drill import drill_backup
    from launchpad.backup.verify import verify_backup
    from launchpad.phrases import phrase
    from launchpad.report.daily import collect_daily
    from launchpad.report.render import render_daily
    from launchpad.sitetime import site_today
    from tests.core.test_backup import Lab

    lab = Lab(tmp_path / "ws")
    kept, missing, cut, deleted, altered = (lab.take("app") for _ in range(5))
    backups_dir = lab.workspace.backups_dir
    with lab.session() as session:
        for drilled in (kept, cut):
            assert drill_backup(session, drilled.id).passed
        missing.path(backups_dir).unlink()
        data = cut.path(backups_dir).read_bytes()
        cut.path(backups_dir).write_bytes(data[:-10])
        records.mark_deleted(lab.store, deleted.id, phrase("retention.expired", days=40, number=3))
        flipped = bytearray(altered.path(backups_dir).read_bytes())
        flipped[len(flipped) // 2] ^= 0x01
        altered.path(backups_dir).write_bytes(bytes(flipped))
        assert not verify_backup(session, altered.id).ok
    report = collect_daily(lab.store, lab.workspace.site, site_today(lab.workspace.site.tz), plan=[],
                           workspace_root=lab.root)
    assert [(b.id, b.verified) for b in report.backups] == [
        (kept.id, True), (missing.id, False), (cut.id, False), (deleted.id, False), (altered.id, False)]

    def lines(lang: str) -> dict[int, str]:
        text = render_daily(report, "txt", lang)
        return {backup.id: next(line for line in text.splitlines() if f"test/app #{backup.id}" in line)
                for backup in (kept, missing, cut, deleted, altered)}

    zh, en = lines("zh"), lines("en")
    assert zh[kept.id].endswith("，已校验，恢复演练通过") and en[kept.id].endswith(", verified, restore drill passed")
    assert zh[missing.id].endswith("，备份文件缺失，不可用") and en[missing.id].endswith(", file missing: not usable")
    assert zh[cut.id].endswith(f"，备份文件已变：文件有 {cut.size - 10} 字节，记录为 {cut.size} 字节，不可用，"
                               "此前的恢复演练已失效"), zh[cut.id]
    assert en[cut.id].endswith(f", file changed: the file holds {cut.size - 10} bytes, the record says {cut.size}; "
                               "not usable, its restore drill no longer counts"), en[cut.id]
    assert zh[deleted.id].endswith("，已删除（超出保留规则：已存 40 天，从新到旧排第 3）"), zh[deleted.id]
    assert en[deleted.id].endswith(", deleted (older than the retention rule (40 days old, number 3))")
    assert "校验未通过：sha256 为" in zh[altered.id] and "verification FAILED: sha256 is" in en[altered.id]
    # Only the backup a rollback can use now reads verified, in either language.
    assert [i for i, line in zh.items() if "已校验" in line] == [kept.id]
    assert [i for i, line in en.items() if ", verified" in line] == [kept.id]
