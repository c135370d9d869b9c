"""Finding issues: Chinese substrings of every length (one and two characters included, which
a trigram index alone cannot answer), full-width input, filters and sorting together."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import UsageError
from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.issues.query import IssueFilter
from launchpad.issues.search import grams_of, rebuild_search_index
from launchpad.store.db import Store

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def log() -> IssueLog:
    log = IssueLog(Store.memory(), SHANGHAI, "pm", clock=lambda: "2025-11-20T02:00:00+00:00")
    log.add_many([
        IssueDraft("登录页面白屏", description="点提交后一直转圈", module="登录", severity="P1", owner="张三",
                   due=date(2025, 11, 19), reporter="王芳", reported_at=datetime(2025, 11, 18, 1, tzinfo=UTC)),
        IssueDraft("报表导出乱码", description="单位名称一列全是问号", module="报表", severity="P2",
                   channel="phone", owner="李四", due=date(2025, 11, 25)),
        IssueDraft("VPN 连不上", description="用户 Ｘ 说登不上", module="网络", severity="P3"),
        IssueDraft("考勤报表少了外勤一列", module="考勤", severity="P0", type="requirement"),
    ])
    return log


def ids(log: IssueLog, **wanted: Any) -> list[int]:
    return [issue.id for issue in log.find(IssueFilter(sort="oldest", **wanted))]


@pytest.mark.parametrize("query, expected", [
    ("登录", [1]), ("报表", [2, 4]), ("登", [1, 3]), ("屏", [1]), ("表", [2, 4]),
    ("页面白屏", [1]), ("导出乱", [2]), ("外勤一列", [4]), ("问号", [2]),
    ("vpn", [3]), ("ＶＰＮ", [3]), ("x", [3]), ("王芳", [1]),
    ("报表 乱码", [2]), ("报表 考勤", [4]), ("白屏 报表", []), ("不存在", []), ("乙", []),
])
def test_substrings_of_any_length(log: IssueLog, query: str, expected: list[int]) -> None:
    assert ids(log, text=query) == expected


@pytest.mark.parametrize("trigram", [True, False])
def test_punctuation_is_searched_as_typed_and_never_matches_everything(log: IssueLog, trigram: bool) -> None:
    if not trigram:
        log.store.db.execute("DROP TABLE issues_trigram")
        for suffix in ("insert", "delete", "update"):
            log.store.db.execute(f"DROP TRIGGER issues_trigram_{suffix}")
        log = IssueLog(log.store, SHANGHAI, "pm")
        assert not log.trigram
    for query in ("%", "_", '"', "-", "，", "-_", "%%%"):
        assert ids(log, text=query) == [], query
    log.add(IssueDraft("内存占用 95%，磁盘满", description='接口 a-b 返回 "null" 报 _id 错'))
    for query in ("%", "，", ",", '"', "-", "_", "a-", "5%", "% 内存", "95%，"):
        assert ids(log, text=query) == [5], query
    assert ids(log, text="-x") == [] and ids(log, text="% 报表") == []


def test_search_follows_edits(log: IssueLog) -> None:
    log.update(1, {"title": "单点登录跳转失败"})
    assert ids(log, text="白屏") == [] and ids(log, text="跳转") == [1] and ids(log, text="单点") == [1]
    log.update(1, {"status": "in_progress"})  # not a searched field: the indexes stay put
    assert ids(log, text="跳") == [1]


def test_rebuilding_the_index_after_hand_edits(log: IssueLog) -> None:
    log.store.db.execute("UPDATE issues SET title = '手工改的标题' WHERE id = 2")
    rebuild_search_index(log.store.db)
    assert ids(log, text="手工") == [2] and ids(log, text="乱码") == []


def test_filters_and_search_combine(log: IssueLog) -> None:
    assert ids(log, statuses=("open",), severities=("P0", "P1")) == [1, 4]
    assert ids(log, owners=("李四",)) == [2]
    assert ids(log, modules=("登录", "网络")) == [1, 3]
    assert ids(log, channels=("电话",)) == [2]
    assert ids(log, types=("需求",)) == [4]
    assert ids(log, text="报", severities=("P2",)) == [2]
    assert ids(log, reported_from=date(2025, 11, 20)) == [2, 3, 4]
    assert ids(log, reported_to=date(2025, 11, 18)) == [1]
    assert ids(log, overdue_on=date(2025, 11, 20)) == [1]


def test_sorting(log: IssueLog) -> None:
    assert [i.id for i in log.find(IssueFilter(sort="severity"))] == [4, 1, 2, 3]
    assert [i.id for i in log.find(IssueFilter(sort="due"))][:2] == [1, 2]
    assert [i.id for i in log.find(IssueFilter())] == [4, 3, 2, 1]
    assert log.count(IssueFilter(text="报表", limit=1)) == 2  # counted by the index alone
    assert log.count(IssueFilter(text="报表", severities=("P2",))) == 1
    assert log.count(IssueFilter(text="登 屏")) == 1  # two short terms, one index
    with pytest.raises(UsageError, match="cannot sort"):
        log.find(IssueFilter(sort="random"))


@pytest.mark.parametrize("query, expected", [
    ("页面白屏", [1]), ("导出乱", [2]), ("外勤一列", [4]), ("报表 乱码", [2]), ("vpn", [3]),
    ("面白屏页", []), ("100%", []),
])
def test_without_the_trigram_index_long_queries_still_find_substrings(
        log: IssueLog, query: str, expected: list[int]) -> None:
    """An older SQLite (before 3.34) has no trigram tokenizer: the store opens without that
    index and search answers from the bigram index and a LIKE check."""
    log.store.db.execute("DROP TABLE issues_trigram")
    for suffix in ("insert", "delete", "update"):
        log.store.db.execute(f"DROP TRIGGER issues_trigram_{suffix}")
    degraded = IssueLog(log.store, SHANGHAI, "pm")
    assert not degraded.trigram
    assert [i.id for i in degraded.find(IssueFilter(text=query, sort="oldest"))] == expected
    assert degraded.count(IssueFilter(text=query)) == len(expected)
    degraded.add(IssueDraft("新增的问题 50%折扣"))
    assert [i.title for i in degraded.find(IssueFilter(text="50%折"))] == ["新增的问题 50%折扣"]


def test_grams_cover_every_position() -> None:
    assert grams_of("登录失败 ok_go") == {"登录", "录失", "失败", "败", "ok", "k", "go", "o"}
