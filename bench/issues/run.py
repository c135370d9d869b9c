"""The feedback log at scale: 100,000 issues, then the daily report and searches timed.

Targets (PRODUCT.md): the daily report in under 0.3 s and a search in under 50 ms, two-
character Chinese queries included. Each figure is the median of several runs on a warm
store (the first run of each is dropped: it pays for SQLite's page cache), with the worst run
printed too. The report is timed end to end as `launchpad report daily` does it — collect and
render — for each text format, and the xlsx (every open issue written) apart.

    .venv/bin/python bench/issues/run.py [--issues N] [--runs N] [--db FILE]

Without --db the store is built in a temporary folder; with --db an existing file built by an
earlier run (same N) is reused, which saves the build.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO))

from bench.issues.dataset import build  # noqa: E402
from launchpad.issues.log import IssueLog  # noqa: E402
from launchpad.issues.query import IssueFilter  # noqa: E402
from launchpad.report.daily import collect_daily  # noqa: E402
from launchpad.report.render import render_daily  # noqa: E402
from launchpad.report.xlsx import write_daily_xlsx  # noqa: E402
from launchpad.store.db import Store  # noqa: E402
from launchpad.workspace.site import Site  # noqa: E402

TODAY = date(2025, 11, 20)
SITE = Site.model_validate({"site": {"name": "某市人社一体化平台", "client": "某市人社局"}})
SEARCHES: list[tuple[str, dict[str, Any]]] = [
    ("登录", {}), ("报表", {}), ("乱码", {}), ("登", {}), ("表", {}), ("不", {}), ("导出乱码", {}),
    ("表", {"sort": "severity"}),
    ("身份证号末位", {}), ("chrome", {}), ("登录 白屏", {}),
    ("报表", {"statuses": ("open",)}), ("考勤", {"statuses": ("open",), "sort": "severity"}),
    ("审批", {"owners": ("张三",), "severities": ("P1", "P2")}),
    ("", {"statuses": ("open",), "sort": "due"}), ("", {"overdue_on": TODAY}),
]


def timed(work: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """(median, worst) seconds over `runs` runs after one warm-up, and the last result."""
    result = work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lp-bench-issues-"))
    path = args.db or folder / "launchpad.db"
    store = Store.open(path)
    existing = store.db.execute("SELECT COUNT(*) FROM issues").fetchone()[0]
    if existing == 0:
        started = time.perf_counter()
        build(store, args.issues, TODAY, SITE.tz)
        print(f"built {args.issues:,} issues in {time.perf_counter() - started:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB) at {path}")
    else:
        print(f"reusing {existing:,} issues in {path}")
    log = IssueLog(store, SITE.tz, "bench", clock=lambda: "2025-11-20T10:00:00+00:00")

    print(f"\ndaily report for {TODAY} (target < 0.3 s), median / worst of {args.runs}:")
    for fmt in ("txt", "md", "html"):
        def daily_report(fmt: str = fmt) -> str:
            return render_daily(collect_daily(store, SITE, TODAY), fmt, "zh")

        median, worst, text = timed(daily_report, args.runs)
        print(f"  {fmt:<5} {median * 1000:7.1f} ms / {worst * 1000:7.1f} ms   ({len(text.encode()):,} bytes)")
    report = collect_daily(store, SITE, TODAY)
    counts = report.counts
    print(f"        (new today {counts.new_today}, resolved today {counts.resolved_today}, "
          f"open {counts.open_total}, overdue {counts.overdue})")
    xlsx = folder / "daily.xlsx"
    median, worst, _ = timed(lambda: write_daily_xlsx(collect_daily(store, SITE, TODAY, with_all_issues=True),
                                                      "zh", xlsx), max(3, args.runs // 3))
    rows = len(collect_daily(store, SITE, TODAY, with_all_issues=True).all_issues)
    print(f"  xlsx  {median * 1000:7.1f} ms / {worst * 1000:7.1f} ms   ({rows:,} issue rows)")

    print(f"\nsearch: one page of 100 plus the total count (target < 50 ms), median / worst of {args.runs}:")
    for text, filters in SEARCHES:
        wanted = IssueFilter(text=text, limit=100, **filters)

        def search(wanted: IssueFilter = wanted) -> tuple[list[Any], int]:
            return log.find(wanted), log.count(wanted)

        median, worst, found = timed(search, args.runs)
        label = " ".join([repr(text) if text else "(no text)", *(f"{k}={v}" for k, v in filters.items())])
        print(f"  {label:<48} {median * 1000:6.1f} ms / {worst * 1000:6.1f} ms   {found[1]:>6,} found")
    store.close()


if __name__ == "__main__":
    main()
