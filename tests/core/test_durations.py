"""A measured span reads in the reader's language wherever it shows, said by one helper
(launchpad.durations): "1 小时 20 分钟" in a report or a sentence, "1小时05分" in a cell — never
"1h 20m" inside Chinese text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from launchpad.durations import Unit, said_duration, terse_duration
from launchpad.phrases import render


@pytest.mark.parametrize(("span", "finest", "chinese", "english"), [
    (timedelta(minutes=50), "minute", "50 分钟", "50 min"),
    (timedelta(hours=1, minutes=20), "minute", "1 小时 20 分钟", "1 h 20 min"),
    (timedelta(hours=2), "minute", "2 小时", "2 h"),  # a smaller unit of none is left out
    (timedelta(days=1, hours=2, minutes=5), "minute", "1 天 2 小时", "1 d 2 h"),  # the two largest units
    (timedelta(seconds=30), "minute", "30 秒", "30 s"),  # under a minute: seconds, not "0 minutes"
    (timedelta(0), "minute", "0 分钟", "0 min"),
    (timedelta(minutes=-5), "minute", "0 分钟", "0 min"),  # an event stamped before the report
    (185, "second", "3 分钟 5 秒", "3 min 5 s"),
    (48 * 3600 + 1800, "hour", "2 天", "2 d"),
])
def test_a_span_in_words_in_each_language(span: timedelta | float, finest: Unit, chinese: str, english: str) -> None:
    said = said_duration(span, finest)
    assert (render(said, "zh"), render(said, "en")) == (chinese, english)


@pytest.mark.parametrize(("seconds", "finest", "decimals", "chinese", "english"), [
    (0.52, "second", 2, "0.52秒", "0.52s"),
    (65, "second", 1, "1分05秒", "1m05s"),
    (7500, "minute", 0, "2小时05分", "2h05m"),
    (2700, "minute", 0, "45分", "45m"),
    (30, "minute", 0, "30秒", "30s"),
    (93600, "minute", 0, "1天02小时", "1d02h"),
])
def test_a_span_in_a_cell_stays_terse_in_each_language(seconds: float, finest: Unit, decimals: int, chinese: str,
                                                        english: str) -> None:
    said = terse_duration(seconds, finest, decimals)
    assert (render(said, "zh"), render(said, "en")) == (chinese, english)


@pytest.fixture
def cli_language() -> Iterator[None]:
    from launchpad.cli.door import language, speak

    was = language()
    yield
    speak(was)


def test_the_command_lines_host_time_is_in_its_language_and_keeps_its_column(cli_language: None) -> None:
    from launchpad.cli.door import speak
    from launchpad.cli.progress import took_cell
    from launchpad.cli.widetext import columns

    speak("en")
    assert [took_cell(0.52), took_cell(65.0)] == ["  0.52s", "  1m05s"]  # as `6.2f s` printed it
    speak("zh")
    assert [took_cell(0.52), took_cell(65.0)] == [" 0.52秒", "1分05秒"]
    assert columns(took_cell(0.52)) == columns(took_cell(65.0))


def test_the_run_reports_host_lines_say_the_time_in_the_reports_language(tmp_path: Path) -> None:
    from launchpad.report.run import render_run
    from tests.core.test_report_templates import _run

    _h, report = _run(tmp_path)
    host = report["steps"][0]["hosts"][0]  # type: ignore[index]
    host["duration"] = 65.0
    chinese, english = render_run(report, "text", "zh"), render_run(report, "text", "en")
    assert "  1分05秒  " in chinese and "1m05s" not in chinese
    assert "  1m05s  " in english
