"""Switching a group's hosts in batches: each batch switched together, then each of its hosts
checked healthy, before the next batch is touched. A failing batch stops the rollout: the
hosts after it are left as they were, and said to be so — a host nobody switched must never
read as switched, nor as failed by its own doing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from launchpad.deploy.probe import Probe
from launchpad.hosts.pool import in_parallel

H = TypeVar("H")
R = TypeVar("R")


class Rolling(BaseModel):
    """`rolling: {batch: 1, check: {url: ..., every: 2, within: 60}}` on a step."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    batch: int = Field(1, ge=1, description="Hosts switched together in one batch.")
    check: Probe | None = Field(None, description="Health check of each host of a batch before the next batch.")


def batches(hosts: Sequence[H], size: int) -> list[list[H]]:
    return [list(hosts[i:i + size]) for i in range(0, len(hosts), size)]


def roll(
    hosts: Sequence[H],
    size: int,
    switch_batch: Callable[[H], R],
    failed: Callable[[R], bool],
) -> tuple[list[R], list[H], int | None]:
    """Run `switch_batch` (switch and health-check one host) on each batch in parallel, batch
    after batch. Returns the results of the hosts that were touched, the hosts left untouched,
    and the number (1-based) of the batch that failed, or None."""
    done: list[R] = []
    groups = batches(hosts, size)
    for number, group in enumerate(groups, 1):
        results = in_parallel(switch_batch, group, name="rolling")
        done.extend(results)
        if any(failed(r) for r in results):
            untouched = [h for later in groups[number:] for h in later]
            return done, untouched, number
    return done, [], None
