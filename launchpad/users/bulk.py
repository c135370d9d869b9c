"""Building the rows of a whole sheet at once.

Checking 100,000 rows makes some million small lists, dicts and row objects, all kept. Each
allocation can start CPython's cycle collector, which then walks every object made so far:
over a whole sheet that walking cost a third of the check's time. The rows never refer back
to themselves, so the collector is held off while they are built.

When it comes back, everything built meanwhile would still be "young": the next allocation
would walk all of it, and the next older generation's pass again (some 50 ms a pass at
100,000 rows, three passes per step). `freeze` then `unfreeze` moves every tracked object
straight into the oldest generation — where objects that outlive a pass end up anyway — in
constant time, so only a full collection looks at them again.
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
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
