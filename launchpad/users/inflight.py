"""One batch on the host while the next is made ready here.

Sending a batch is mostly waiting (SSH, the database); recording the next batch's rows in the
store and building its data is Python. So the batch's command runs on a worker thread while
the caller records and builds the next one. At most one batch is in flight, so the batches
still commit in order; a batch is sent only once its rows are recorded, and its rows are marked
done (by `then`, on the caller's thread) only after it committed, so a kill -9 anywhere leaves
what it always left: rows recorded and not done, some of them perhaps committed in the target
and recognised there by the import's mark. The caller drains the batch in flight before it
starts the next, so a stop asked for after batch N reads done is honoured before N+1 is sent.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class InFlight:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="import-batch")
        self._pending: tuple[Future[Any], Callable[[], None]] | None = None

    def start(self, work: Callable[[], Any], then: Callable[[], None]) -> None:
        """Start `work` on the worker; `then` runs on the caller's thread once it succeeded."""
        if self._pending is not None:
            raise RuntimeError("a batch is already in flight")
        self._pending = (self._pool.submit(work), then)

    def drain(self) -> None:
        """Wait for the batch in flight and run its `then`; its error is raised here."""
        earlier = self._finish()
        if earlier is not None:
            earlier()

    def _finish(self) -> Callable[[], None] | None:
        if self._pending is None:
            return None
        future, then = self._pending
        self._pending = None
        future.result()  # the batch's own error, raised on the caller's thread
        return then

    def __enter__(self) -> InFlight:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        try:
            if kind is None:
                self.drain()
            elif self._pending is not None:
                # Leaving on an error (or a stop) of the caller's: the batch on the host still
                # ends before the session that carries it closes, and is marked done if it
                # committed; its own error would hide the one already on its way.
                future, then = self._pending
                self._pending = None
                if future.exception() is None:
                    then()
        finally:
            self._pool.shutdown(wait=True)
