"""How a result reads, one word per status wherever a person sees it: the command line, the
TUI, the run report and the daily report all take these (tests/core/test_wordbook.py pins it).
The Chinese is what a client reads in a report: 进行中, not 运行中; 已中断, not 中断."""

from __future__ import annotations

_WEEKDAYS = zip(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
                ("周一", "周二", "周三", "周四", "周五", "周六", "周日"), strict=True)

# key: (English, 中文)
ENTRIES: dict[str, tuple[str, str]] = {
    # An import being applied, or cut off and waiting to be resumed or rolled back: the list
    # cannot tell the two apart, and either way it is not finished.
    "status.applying": ("unfinished", "未完成"),
    "status.applied": ("applied", "已导入"),
    "status.rolled_back": ("rolled back", "已回滚"),
    # An unfinished import given up, its pending passwords discarded (users/abandon.py).
    "status.abandoned": ("abandoned", "已放弃"),
    "status.passed": ("passed", "通过"),
    "status.failed": ("failed", "失败"),
    "status.skipped": ("skipped", "已跳过"),
    "status.refused": ("refused", "被拒绝"),
    "status.running": ("running", "进行中"),
    "status.interrupted": ("interrupted", "已中断"),
    "status.aborted": ("aborted", "已中止"),
    "status.incomplete": ("incomplete", "未完成"),
    "status.not_run": ("not run", "未运行"),
    "status.not_checked": ("not checked", "未检查"),
    # A run that ended with steps skipped or not checked: short enough for the dashboard's
    # status column, whole enough for a report's run line.
    "status.partial": ("finished with skips or unchecked steps", "已结束，有跳过或未检查"),
    "status.pending": ("pending", "待运行"),
    "status.waiting": ("waiting for you", "等待确认"),
    **{f"weekday.{n}": (en, zh) for n, (en, zh) in enumerate(_WEEKDAYS)},
}
