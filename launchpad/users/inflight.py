"""Batches on the host while the next is made ready here.

Sending a batch is mostly waiting (SSH, the database); recording the next batch's rows in the
store and building its data is Python. So the wait for a batch runs on a worker thread while
the caller records and builds the next one. The waits run one after the other on one worker,
so the batches are answered in order; a batch commits only once its rows are recorded, and its
rows are marked done (by `then`, on the caller's thread) only after it committed, so a kill -9
anywhere leaves what it always left: rows recorded and not done, some of them perhaps committed
in the target and recognised there by the import's mark. The caller says how many batches may
be in flight at once (`depth`) and drains down to what it allows before it starts the next
(apply.py: two only when both go through the import's one command on the host, which runs
them in order and stops at the first that fails).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class InFlight:
    def __init__(self, depth: int = 1) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="import-batch")
        self._depth = depth
        self._pending: deque[tuple[Future[Any], Callable[[], None]]] = deque()

    def start(self, work: Callable[[], Any], then: Callable[[], None]) -> None:
        """Start `work` on the worker (after the work before it); `then` runs on the caller's
        thread once it succeeded."""
        if len(self._pending) >= self._depth:
            raise RuntimeError(f"{len(self._pending)} batches are already in flight")
        self._pending.append((self._pool.submit(work), then))

    def drain(self, keep: int = 0) -> None:
        """Wait for the oldest batches in flight until `keep` are left, running each one's
        `then`; a batch's error is raised here."""
        while len(self._pending) > keep:
            future, then = self._pending.popleft()
            future.result()  # the batch's own error, raised on the caller's thread
            then()

    def __enter__(self) -> InFlight:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        try:
            if kind is None:
                self.drain()
            while self._pending:
                # Leaving on an error (or a stop) of the caller's: the batches on the host still
                # end before the session that carries them closes, and are marked done if they
                # committed; their own errors would hide the one already on its way.
                future, then = self._pending.popleft()
                if future.exception() is None:
                    then()
        finally:
            self._pool.shutdown(wait=True)
