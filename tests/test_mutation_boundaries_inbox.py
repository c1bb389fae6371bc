"""How drain_inbox spends units of work and reports each outcome (``storage._inbox``, issue 15).

A claimed batch is handled in one unit of work; only if that fails is each event handled alone.
An event the queue no longer leases to this worker is a lost lease, whichever step found it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tthc_adapters.storage import MemoryStore
from tthc_core.errors import InvalidInput
from tthc_core.storage import (
    ConcurrencyConflict,
    DrainInboxReport,
    InboundEvent,
    OutboundMessage,
    RetryPolicy,
    UnitOfWork,
    drain_inbox,
)
from tthc_core.testing.contracts import ManualClock

MINUTE = dt.timedelta(minutes=1)


def _event(n: int, clock: ManualClock) -> InboundEvent:
    return InboundEvent("chat", f"evt-{n}", {"n": n}, str(n).encode(), clock())


def _store(clock: ManualClock, count: int) -> MemoryStore:
    store = MemoryStore(clock=clock)
    with store.unit_of_work() as uow:
        for n in range(count):
            uow.inbox.accept(_event(n, clock))
        uow.commit()
    return store


class _Counted:
    """Counts the units of work a drain opens."""

    def __init__(self, store: MemoryStore) -> None:
        self.store, self.opened = store, 0

    def __call__(self) -> Any:
        self.opened += 1
        return self.store.unit_of_work()


class _Queue:
    """The store's inbox queue, recording claim limits; may refuse to mark or fail events."""

    def __init__(self, store: MemoryStore, *, keeps: bool = True) -> None:
        self.inner, self.keeps, self.limits = store.inbox_queue, keeps, []

    def claim(self, **kwargs: Any) -> Any:
        self.limits.append(kwargs["limit"])
        return self.inner.claim(**kwargs)

    def handled(self, event_id: int, **kwargs: Any) -> bool:
        return self.inner.handled(event_id, **kwargs) and self.keeps

    def handled_all(self, ids: list[int], **kwargs: Any) -> Any:
        marked = self.inner.handled_all(ids, **kwargs)
        return marked if self.keeps else set()

    def failed(self, event_id: int, **kwargs: Any) -> bool:
        return self.inner.failed(event_id, **kwargs) and self.keeps

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _reply(uow: UnitOfWork, event: InboundEvent) -> None:
    uow.outbox.put(OutboundMessage(f"reply:{event.event_id}", "zalo", dict(event.payload)))


def _broken(uow: UnitOfWork, event: InboundEvent) -> None:
    raise RuntimeError(f"bug on {event.event_id}")


def test_events_are_claimed_twenty_at_a_time_and_each_batch_is_one_unit_of_work() -> None:
    clock = ManualClock()
    store = _store(clock, 21)
    queue, opened = _Queue(store), _Counted(store)
    report = drain_inbox(queue, opened, {"chat": _reply}, owner="w", clock=clock)  # type: ignore[arg-type]
    assert report == DrainInboxReport(handled=21, retried=0, parked=0, lost_leases=0)
    assert queue.limits == [20, 20, 20]
    # 20 together, then the 21st alone: two units of work.
    assert opened.opened == 2
    assert store.outbox_queue.counts().pending == 21


def test_a_failing_event_alone_is_tried_once_in_its_own_unit_of_work() -> None:
    clock = ManualClock()
    store = _store(clock, 1)
    opened = _Counted(store)
    policy = RetryPolicy(max_attempts=1)
    report = drain_inbox(
        store.inbox_queue, opened, {"chat": _broken}, owner="w", clock=clock, retry=policy
    )
    assert report == DrainInboxReport(handled=0, retried=0, parked=1, lost_leases=0)
    assert opened.opened == 1
    (parked,) = store.inbox_queue.parked()
    assert parked.error == repr(RuntimeError("bug on evt-0"))


def test_an_event_retried_later_keeps_the_error() -> None:
    clock = ManualClock()
    store = _store(clock, 1)
    report = drain_inbox(
        store.inbox_queue, store.unit_of_work, {"chat": _broken}, owner="w", clock=clock
    )
    assert report == DrainInboxReport(handled=0, retried=1, parked=0, lost_leases=0)


def test_events_the_queue_no_longer_leases_are_lost_leases() -> None:
    clock = ManualClock()
    for count, handler in ((2, _reply), (1, _reply), (1, _broken)):
        store = _store(clock, count)
        queue = _Queue(store, keeps=False)
        report = drain_inbox(queue, store.unit_of_work, {"chat": handler}, owner="w", clock=clock)  # type: ignore[arg-type]
        assert report.lost_leases == count
        assert report.handled == report.retried == 0


def test_an_event_claimed_more_often_than_allowed_is_parked_unhandled() -> None:
    """A worker that crashed on it every time: parked with the reason, never handled again."""
    clock = ManualClock()
    store = _store(clock, 1)
    store.inbox_queue.claim(owner="dead", now=clock(), lease=MINUTE, limit=5)
    clock.advance(2 * MINUTE)
    policy = RetryPolicy(max_attempts=1)
    report = drain_inbox(
        store.inbox_queue, store.unit_of_work, {"chat": _reply}, owner="w", clock=clock,
        retry=policy,
    )  # fmt: skip
    assert report == DrainInboxReport(handled=0, retried=0, parked=1, lost_leases=0)
    (parked,) = store.inbox_queue.parked()
    assert parked.error == "no outcome after 1 attempts (worker crashed each time?)"
    assert store.outbox_queue.counts().pending == 0


def test_an_event_id_and_source_are_1_to_200_characters() -> None:
    clock = ManualClock()
    assert InboundEvent("chat", "x" * 200, {}, b"", clock()).event_id == "x" * 200
    for source, event_id in (("chat", "x" * 201), ("chat", "  "), ("", "evt-1")):
        with pytest.raises(InvalidInput) as info:
            InboundEvent(source, event_id, {}, b"", clock())
        name, value = ("source", source) if not source else ("event_id", event_id)
        assert info.value.reason == f"{name} must be 1 to 200 characters, got {value!r}"


def test_an_event_whose_lease_ends_as_the_drain_reaches_it_is_a_lost_lease() -> None:
    """At the lease's last instant the lease is over: another worker may claim it now."""
    clock = ManualClock()
    store = _store(clock, 1)
    start = clock()
    times = iter([start] + [start + MINUTE] * 10)
    report = drain_inbox(
        store.inbox_queue, store.unit_of_work, {"chat": _reply}, owner="w",
        clock=lambda: next(times), lease=MINUTE,
    )  # fmt: skip
    # Claimed again at once (its lease is over) and handled then, once.
    assert report == DrainInboxReport(handled=1, retried=0, parked=0, lost_leases=1)
    assert store.outbox_queue.counts().pending == 1


def test_a_concurrency_conflict_is_retried_with_the_conflict_kept() -> None:
    """A race with another writer is tried again, not parked as bad content."""
    clock = ManualClock()
    store = _store(clock, 1)
    conflict = ConcurrencyConflict("dossier", "X", expected=3, actual=4)

    def racing(uow: UnitOfWork, event: InboundEvent) -> None:
        raise conflict

    policy = RetryPolicy(max_attempts=1)
    report = drain_inbox(
        store.inbox_queue, store.unit_of_work, {"chat": racing}, owner="w", clock=clock,
        retry=policy,
    )  # fmt: skip
    assert report == DrainInboxReport(handled=0, retried=0, parked=1, lost_leases=0)
    (parked,) = store.inbox_queue.parked()
    assert parked.error == repr(conflict)


def test_two_events_are_handled_together_in_one_unit_of_work() -> None:
    clock = ManualClock()
    store = _store(clock, 2)
    opened = _Counted(store)
    report = drain_inbox(store.inbox_queue, opened, {"chat": _reply}, owner="w", clock=clock)
    assert (report.handled, opened.opened) == (2, 1)
