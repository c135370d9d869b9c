"""How an import's writes are cut into batches: through the bulk loader a small first batch (the
host starts early), then batches growing by half up to a ceiling (each batch's guard reads the
whole users table, so fewer batches read it fewer times); a size asked for is kept."""

from __future__ import annotations

import pytest

from launchpad.users.apply import BULK_BATCH, BULK_FIRST, BULK_MOST, in_batches


def sizes(rows: int, size: int, first: int, most: int | None = None) -> list[int]:
    return [len(batch) for batch in in_batches(list(range(rows)), size, first, most)]


def test_bulk_batches_grow_by_half_after_the_second_up_to_the_ceiling() -> None:
    assert sizes(100_000, BULK_BATCH, BULK_FIRST, BULK_MOST) == [1_000, 10_000, 15_000, 22_500, 33_750, 17_750]
    assert sizes(20_000, BULK_BATCH, BULK_FIRST, BULK_MOST) == [1_000, 10_000, 9_000]
    assert max(sizes(500_000, BULK_BATCH, BULK_FIRST, BULK_MOST)) == BULK_MOST


@pytest.mark.parametrize(("rows", "size", "first", "expected"), [
    (5, 2, 2, [2, 2, 1]),
    (7, 2, 1, [1, 2, 2, 2]),
    (3, 10, 1_000, [3]),
    (0, 2, 2, []),
])
def test_without_a_ceiling_every_batch_after_the_first_keeps_its_size(rows: int, size: int, first: int,
                                                                     expected: list[int]) -> None:
    assert sizes(rows, size, first) == expected


def test_every_row_is_in_exactly_one_batch_in_order() -> None:
    rows = list(range(123_457))
    assert [row for batch in in_batches(rows, BULK_BATCH, BULK_FIRST, BULK_MOST) for row in batch] == rows
