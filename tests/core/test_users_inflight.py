"""One batch in flight: its work runs on the worker while the caller goes on, its `then` runs on
the caller's thread only after it succeeded, and its error reaches the caller."""

from __future__ import annotations

import threading

import pytest

from launchpad.users.inflight import InFlight


def test_the_work_runs_while_the_caller_goes_on_and_then_runs_on_the_callers_thread() -> None:
    release, seen = threading.Event(), list[object]()
    caller = threading.get_ident()

    def send() -> None:
        release.wait(30)
        seen.append("sent")

    with InFlight() as flight:
        flight.start(send, lambda: seen.append(("done", threading.get_ident() == caller)))
        seen.append("next recorded")  # the caller is not held up by the batch in flight
        release.set()
        flight.drain()
        assert seen == ["next recorded", "sent", ("done", True)]


def test_a_second_batch_waits_for_the_first_to_be_drained() -> None:
    with InFlight() as flight:
        flight.start(lambda: None, lambda: None)
        with pytest.raises(RuntimeError, match="already in flight"):
            flight.start(lambda: None, lambda: None)
        flight.drain()


def test_a_failed_batch_raises_on_the_callers_side_and_is_not_marked_done() -> None:
    done: list[str] = []

    def refused() -> None:
        raise ValueError("batch 2 refused")

    with pytest.raises(ValueError, match="batch 2 refused"), InFlight() as flight:
        flight.start(refused, lambda: done.append("2"))
        flight.drain()
    assert done == []


def test_leaving_on_the_callers_error_waits_for_the_batch_and_marks_it_done_if_it_committed() -> None:
    release, done = threading.Event(), []
    with pytest.raises(KeyError), InFlight() as flight:
        flight.start(lambda: release.wait(30), lambda: done.append("1"))
        release.set()
        raise KeyError("the caller failed while batch 1 was on the host")
    assert done == ["1"]


def test_leaving_normally_drains_the_batch_in_flight() -> None:
    done: list[str] = []
    with InFlight() as flight:
        flight.start(lambda: None, lambda: done.append("1"))
    assert done == ["1"]


def test_two_in_flight_run_in_order_and_drain_down_to_what_the_caller_keeps() -> None:
    release, seen = threading.Event(), list[str]()

    def first() -> None:
        release.wait(30)
        seen.append("1 committed")

    with InFlight(2) as flight:
        flight.start(first, lambda: seen.append("1 done"))
        flight.start(lambda: seen.append("2 committed"), lambda: seen.append("2 done"))
        with pytest.raises(RuntimeError, match="2 batches are already in flight"):
            flight.start(lambda: None, lambda: None)
        release.set()
        flight.drain(keep=1)
        assert "1 done" in seen and "2 done" not in seen
        flight.drain()
    assert [s for s in seen if "committed" in s] == ["1 committed", "2 committed"]
    assert [s for s in seen if "done" in s] == ["1 done", "2 done"]


def test_leaving_on_an_error_marks_done_only_the_batches_that_committed() -> None:
    done: list[str] = []

    def refused() -> None:
        raise ValueError("batch 2 failed")

    with pytest.raises(KeyError), InFlight(2) as flight:
        flight.start(lambda: None, lambda: done.append("1"))
        flight.drain()
        flight.start(refused, lambda: done.append("2"))
        flight.start(lambda: None, lambda: done.append("3"))
        raise KeyError("the caller stopped")
    assert done == ["1", "3"]  # each by its own outcome (on the stream, 3 fails when 2 did)
