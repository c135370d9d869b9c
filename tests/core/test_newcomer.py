"""What a newcomer meets in the first hour: times in the site's zone everywhere, one spelling
of each format name, a keymap that says what is wrong with it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from launchpad.phrases import word
from tests.core.test_inputs import GOOD_PLAYBOOK, launchpad
from tests.workspaces import write_workspace


def test_runs_shows_site_time_and_says_which_zone(tmp_path: Path, english_cli: None) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"hello": GOOD_PLAYBOOK})
    assert launchpad(root, "run", "hello", "--env", "test", "--yes").returncode == 0
    stored = json.loads(launchpad(root, "runs", "--json").stdout)[0]["started"]
    site_time = datetime.fromisoformat(stored).astimezone(ZoneInfo("Asia/Shanghai"))
    listed = launchpad(root, "runs")
    assert listed.returncode == 0, listed.stderr
    header, first = listed.stdout.splitlines()[:2]
    assert "STARTED (Asia/Shanghai)" in header
    assert f"{site_time:%Y-%m-%d %H:%M:%S}" in first


def test_format_names_are_one_set_and_the_old_spellings_still_work(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"hello": GOOD_PLAYBOOK})
    assert launchpad(root, "run", "hello", "--env", "test", "--yes").returncode == 0
    for command in (("report", "daily"), ("runs", "show", "1"), ("report", "notice")):
        helped = launchpad(root, *command, "--help").stdout
        assert "[text|markdown" in helped, helped
        assert "|txt" not in helped and "|md" not in helped
    for command, marker in ((("report", "daily"), "## "), (("runs", "show", "1"), "# ")):
        markdown = launchpad(root, *command, "--format", "markdown")
        assert markdown.returncode == 0, markdown.stderr
        assert markdown.stdout.startswith(marker)
        assert _unstamped(launchpad(root, *command, "--format", "md").stdout) == _unstamped(markdown.stdout)
        text = launchpad(root, *command, "--format", "text")
        assert text.returncode == 0 and not text.stdout.startswith("#")
        assert _unstamped(launchpad(root, *command, "--format", "txt").stdout) == _unstamped(text.stdout)
    notice = launchpad(root, "report", "notice", "--format", "md")
    assert notice.returncode == 0, notice.stderr
    assert _unstamped(notice.stdout) == _unstamped(launchpad(root, "report", "notice", "--format", "markdown").stdout)


def _unstamped(report: str) -> str:
    """The report without its "generated at" line: two reports made a minute apart differ there."""
    stamps = (word("daily.generated", "zh", at=""), word("daily.generated", "en", at=""))
    return "\n".join(line for line in report.splitlines() if not any(stamp in line for stamp in stamps))


def test_audit_show_uses_site_time_and_says_which_zone(tmp_path: Path, english_cli: None) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"hello": GOOD_PLAYBOOK})
    assert launchpad(root, "run", "hello", "--env", "test", "--yes").returncode == 0
    newest = json.loads(launchpad(root, "audit", "show", "--json", "--limit", "1").stdout)[0]
    site_time = datetime.fromisoformat(newest["at"]).astimezone(ZoneInfo("Asia/Shanghai"))
    header, *lines = launchpad(root, "audit", "show", "--limit", "1").stdout.splitlines()
    assert "AT (Asia/Shanghai)" in header
    assert f"{site_time:%Y-%m-%d %H:%M:%S}" in lines[0]


def test_audit_show_lists_the_newest_first_in_columns_that_line_up_in_chinese(tmp_path: Path) -> None:
    from launchpad.cli.widetext import columns

    root = write_workspace(tmp_path / "ws", playbooks={"hello": GOOD_PLAYBOOK})
    for _ in range(2):
        assert launchpad(root, "run", "hello", "--env", "test", "--yes").returncode == 0
    logged = [e["id"] for e in json.loads(launchpad(root, "audit", "show", "--json").stdout)]
    assert logged == sorted(logged)  # the JSON keeps the log's order
    header, *lines = launchpad(root, "--lang", "zh", "audit", "show", "--limit", "3").stdout.splitlines()
    assert [int(line.split()[0]) for line in lines] == logged[:-4:-1]  # the newest three, newest first

    def starts(line: str) -> list[int]:
        """Where each column starts, in display cells (columns are two spaces apart)."""
        found, at = [], 0
        for cell in line.strip().split("  "):
            if cell.strip():
                found.append(columns(line[:line.index(cell.strip(), at)]))
                at = line.index(cell.strip(), at) + len(cell.strip())
        return found

    assert "编号" in header and "操作人" in header
    assert all(starts(line)[1:] == starts(header)[1:] for line in lines), [header, *lines]
