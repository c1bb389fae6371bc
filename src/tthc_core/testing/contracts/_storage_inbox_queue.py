"""Contract suite for the inbox queue: accept now, handle later once, park with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_core.errors import InvalidInput
from tthc_core.storage import (
    DrainInboxReport,
    InboundEvent,
    InboxCounts,
    OutboundMessage,
    RetryPolicy,
    Store,
    UnitOfWork,
    drain_inbox,
    handled_source,
)
from tthc_core.testing.contracts._storage_base import StorageFixtures
from tthc_core.testing.contracts._storage_sample import ManualClock

__all__ = ["InboxQueueContract"]

MINUTE = dt.timedelta(minutes=1)
#: Not UTF-8, with a NUL: the raw body is kept byte for byte whatever it holds.
_RAW = b'{"text": "Tra c\xe1\xbb\xa9u"}\x00\xff'


def _event(n: int, clock: ManualClock, source: str = "chat") -> InboundEvent:
    return InboundEvent(
        source,
        f"evt-{n}",
        {"text": f"tin nhắn số {n}", "n": n, "sent_at": None},
        _RAW + str(n).encode(),
        clock(),
    )


def _accept(store: Store, *events: InboundEvent) -> list[bool]:
    with store.unit_of_work() as uow:
        accepted = [uow.inbox.accept(e) for e in events]
        uow.commit()
    return accepted


class _Replier:
    """A handler that queues one reply per event; fails while ``failure`` is set."""

    def __init__(self, failure: Exception | None = None) -> None:
        self.failure = failure
        self.seen: list[InboundEvent] = []

    def __call__(self, uow: UnitOfWork, event: InboundEvent) -> None:
        self.seen.append(event)
        uow.outbox.put(OutboundMessage(f"reply:{event.event_id}", "zalo", dict(event.payload)))
        if self.failure is not None:
            raise self.failure


class InboxQueueContract(StorageFixtures):
    """What every store's inbox (:meth:`Inbox.accept`) and inbox queue must do."""

    def test_accept_is_deduplicated_by_source_and_id(
        self, store: Store, clock: ManualClock
    ) -> None:
        assert _accept(store, _event(1, clock), _event(1, clock)) == [True, False]
        assert _accept(store, _event(1, clock), _event(1, clock, "postal")) == [False, True]
        assert store.inbox_queue.counts() == InboxCounts(pending=2, handled=0, parked=0)

    @pytest.mark.parametrize("durable", [True, False])
    def test_events_are_accepted_on_their_own_in_one_go(
        self, store: Store, clock: ManualClock, durable: bool
    ) -> None:
        accept_all = store.inbox_queue.accept_all
        assert accept_all([], durable=durable) == []
        first = [_event(1, clock), _event(2, clock), _event(1, clock)]
        assert accept_all(first, durable=durable) == [True, True, False]
        assert accept_all([_event(2, clock), _event(3, clock)], durable=durable) == [False, True]
        assert _accept(store, _event(3, clock)) == [False]  # one inbox, either way in
        replier = _Replier()
        drain_inbox(
            store.inbox_queue, store.unit_of_work, {"chat": replier}, owner="w", clock=clock
        )
        assert replier.seen == [_event(1, clock), _event(2, clock), _event(3, clock)]

    def test_an_event_is_accepted_with_its_transaction_or_not_at_all(
        self, store: Store, clock: ManualClock
    ) -> None:
        with store.unit_of_work() as uow:
            assert uow.inbox.accept(_event(1, clock))
        assert store.inbox_queue.counts() == InboxCounts(pending=0, handled=0, parked=0)
        assert _accept(store, _event(1, clock)) == [True]

    def test_drain_handles_each_event_once_in_order_as_received(
        self, store: Store, clock: ManualClock
    ) -> None:
        events = [_event(n, clock) for n in range(5)]
        _accept(store, *events)
        replier = _Replier()
        report = drain_inbox(
            store.inbox_queue, store.unit_of_work, {"chat": replier}, owner="w", clock=clock
        )
        assert report.handled == 5
        assert replier.seen == events  # payload, raw bytes and receipt time round-trip
        assert store.inbox_queue.counts() == InboxCounts(pending=0, handled=5, parked=0)
        assert store.outbox_queue.counts().pending == 5
        again = drain_inbox(
            store.inbox_queue, store.unit_of_work, {"chat": replier}, owner="w", clock=clock
        )
        assert again.handled == 0
        assert len(replier.seen) == 5

    def test_a_handling_committed_before_a_crash_is_not_repeated(
        self, store: Store, clock: ManualClock
    ) -> None:
        _accept(store, _event(1, clock))
        replier = _Replier()
        # A worker claims the event, handles it and commits, then dies before marking it.
        (claimed,) = store.inbox_queue.claim(owner="dead", now=clock(), lease=MINUTE, limit=5)
        with store.unit_of_work() as uow:
            assert uow.inbox.record_once(handled_source("chat"), claimed.event.event_id)
            replier(uow, claimed.event)
            uow.commit()
        live = drain_inbox(
            store.inbox_queue, store.unit_of_work, {"chat": replier}, owner="w", clock=clock
        )
        assert live == DrainInboxReport()  # its lease still lives: nobody takes it yet
        clock.advance(MINUTE)  # the dead worker's lease expires
        report = drain_inbox(
            store.inbox_queue, store.unit_of_work, {"chat": replier}, owner="w", clock=clock
        )
        assert report.handled == 1
        assert len(replier.seen) == 1  # handled once
        assert store.outbox_queue.counts().pending == 1
        assert store.inbox_queue.counts() == InboxCounts(pending=0, handled=1, parked=0)

    def test_what_cannot_be_handled_is_parked_with_the_reason_and_can_be_retried(
        self, store: Store, clock: ManualClock
    ) -> None:
        _accept(store, _event(1, clock), _event(2, clock, "fax"))
        replier = _Replier(InvalidInput("field 'text' is not a message"))
        report = drain_inbox(
            store.inbox_queue, store.unit_of_work, {"chat": replier}, owner="w", clock=clock
        )
        assert (report.handled, report.parked) == (0, 2)
        parked = store.inbox_queue.parked()
        assert [(p.event.event_id, p.error) for p in parked] == [
            ("evt-1", "InvalidInput: field 'text' is not a message"),
            ("evt-2", "no handler for source 'fax'"),
        ]
        assert parked[0].event == _event(1, clock)
        assert store.outbox_queue.counts().pending == 0  # the failed handling rolled back
        assert store.inbox_queue.counts() == InboxCounts(pending=0, handled=0, parked=2)
        # Fixed: put it back; it is handled once.
        replier.failure = None
        assert store.inbox_queue.retry(parked[0].id, at=clock())
        assert not store.inbox_queue.retry(parked[0].id, at=clock())  # no longer parked
        report = drain_inbox(
            store.inbox_queue, store.unit_of_work, {"chat": replier}, owner="w", clock=clock
        )
        assert report.handled == 1
        assert store.inbox_queue.counts() == InboxCounts(pending=0, handled=1, parked=1)

    def test_one_bad_event_does_not_hold_up_its_batch(
        self, store: Store, clock: ManualClock
    ) -> None:
        _accept(store, *(_event(n, clock) for n in range(5)))

        def picky(uow: UnitOfWork, event: InboundEvent) -> None:
            _Replier()(uow, event)
            if event.event_id == "evt-2":
                raise InvalidInput("evt-2 is unreadable")

        report = drain_inbox(
            store.inbox_queue, store.unit_of_work, {"chat": picky}, owner="w", clock=clock
        )
        assert (report.handled, report.parked) == (4, 1)
        assert [p.event.event_id for p in store.inbox_queue.parked()] == ["evt-2"]
        claimed = store.outbox_queue.claim(owner="o", now=clock(), lease=MINUTE, limit=10)
        assert sorted(p.message.key for p in claimed) == [
            f"reply:evt-{n}" for n in (0, 1, 3, 4)
        ]  # evt-2's reply rolled back with its handling

    def test_a_transient_failure_is_retried_after_the_back_off_then_parked(
        self, store: Store, clock: ManualClock
    ) -> None:
        _accept(store, _event(1, clock))
        replier = _Replier(ConnectionError("database restarting"))
        retry = RetryPolicy(max_attempts=2, first_delay=MINUTE)

        def drain() -> tuple[int, int, int]:
            r = drain_inbox(
                store.inbox_queue,
                store.unit_of_work,
                {"chat": replier},
                owner="w",
                clock=clock,
                retry=retry,
            )
            return r.handled, r.retried, r.parked

        assert drain() == (0, 1, 0)
        clock.advance(MINUTE - dt.timedelta(seconds=1))
        assert drain() == (0, 0, 0)  # not due yet
        clock.advance(dt.timedelta(seconds=1))
        assert drain() == (0, 0, 1)  # the last attempt failed too
        (parked,) = store.inbox_queue.parked()
        assert "database restarting" in parked.error
        assert store.inbox_queue.counts() == InboxCounts(pending=0, handled=0, parked=1)

    def test_a_lease_reserves_until_it_expires(self, store: Store, clock: ManualClock) -> None:
        _accept(store, _event(1, clock), _event(2, clock))
        queue = store.inbox_queue
        first = queue.claim(owner="a", now=clock(), lease=MINUTE, limit=1)
        second = queue.claim(owner="b", now=clock(), lease=MINUTE, limit=5)
        assert [c.event.event_id for c in first + second] == ["evt-1", "evt-2"]
        assert queue.claim(owner="c", now=clock() + MINUTE / 2, lease=MINUTE, limit=5) == []
        assert queue.handled(second[0].id, owner="b", now=clock())
        taken = queue.claim(owner="c", now=clock() + MINUTE, lease=MINUTE, limit=5)
        assert [(c.event.event_id, c.attempts) for c in taken] == [("evt-1", 2)]
        assert not queue.handled(first[0].id, owner="a", now=clock() + MINUTE)
        assert queue.handled(taken[0].id, owner="c", now=clock() + MINUTE)

    def test_several_are_marked_handled_at_once_if_still_held(
        self, store: Store, clock: ManualClock
    ) -> None:
        _accept(store, *(_event(n, clock) for n in range(4)))
        queue = store.inbox_queue
        mine = queue.claim(owner="a", now=clock(), lease=MINUTE, limit=3)
        ids = [c.id for c in mine]
        theirs = queue.claim(owner="b", now=clock() + MINUTE, lease=MINUTE, limit=1)  # a's lapsed
        assert [c.id for c in theirs] == ids[:1]
        assert queue.handled_all(ids, owner="a", now=clock()) == set(ids[1:])
        assert queue.handled_all([], owner="a", now=clock()) == set()
        assert queue.counts() == InboxCounts(pending=2, handled=2, parked=0)
