"""The rows of several tables (a file's sheets) read as one sequence, each row made only when
it is read: the check's rows and the plan's users keep columns, not an object per row."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import TypeVar, overload

T = TypeVar("T")


class RowsAcross(Sequence[T]):
    """`len()`, indexing and slicing over tables of `lengths` rows; `_make` makes a row."""

    def __init__(self, lengths: Iterable[int]) -> None:
        self._starts = list(accumulate(lengths, initial=0))

    def _make(self, table: int, at: int) -> T:
        """Row `at` of table number `table`."""
        raise NotImplementedError

    def __len__(self) -> int:
        return self._starts[-1]

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        which = bisect_right(self._starts, index) - 1
        return self._make(which, index - self._starts[which])
