"""Building the rows of a whole sheet at once.

Checking 100,000 rows makes some million small lists, dicts and row objects, all kept. Each
allocation can start CPython's cycle collector, which then walks every object made so far:
over a whole sheet that walking cost a third of the check's time. The rows never refer back
to themselves, so the collector is held off while they are built and runs as usual after.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def building_rows() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
