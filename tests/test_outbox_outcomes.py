"""Each outcome of one delivery attempt, as the worker port sees it (docs/storage.md, outbox).

The outbox guarantees at-least-once delivery under leases: a worker reports an outcome
only for a message whose lease it still holds (``failed``/``delivered`` answer False when
the lease was lost to another worker), a message claimed more than ``max_attempts`` times
without an outcome is parked rather than crash-looping, and an :class:`Undeliverable`
error parks at once (retrying cannot help). A recording queue shows exactly what the
drain told the port.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tthc_core.storage import (
    OutboundMessage,
    OutboxCounts,
    PendingMessage,
    RetryPolicy,
    Undeliverable,
    drain_outbox,
)

NOW = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
LEASE_END = NOW + dt.timedelta(minutes=1)
POLICY = RetryPolicy(max_attempts=5)
Failure = tuple[int, str, str, dt.datetime | None]


class _Recording:
    """A queue holding one claimed message; records every outcome reported to it."""

    def __init__(self, attempts: int = 1, *, holds_lease: bool = True, rounds: int = 1) -> None:
        self.pending = PendingMessage(7, OutboundMessage("k", "zalo"), attempts, LEASE_END)
        self.holds_lease = holds_lease
        self.rounds = rounds
        self.limits: list[int] = []
        self.failures: list[Failure] = []
        self.deliveries: list[tuple[int, str]] = []

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[PendingMessage]:
        self.limits.append(limit)
        return [self.pending] if len(self.limits) <= self.rounds else []

    def delivered(self, message_id: int, *, owner: str, now: dt.datetime) -> bool:
        self.deliveries.append((message_id, owner))
        return self.holds_lease

    def failed(
        self, message_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        self.failures.append((message_id, owner, error, retry_at))
        return self.holds_lease

    def counts(self) -> OutboxCounts:
        return OutboxCounts(pending=0, delivered=0, parked=0)


Send = Callable[[OutboundMessage], None]


def _raise(error: Exception) -> Send:
    def send(_: OutboundMessage) -> None:
        raise error

    return send


def _drain(queue: _Recording, send: Send, at: dt.datetime = NOW) -> tuple[int, int, int, int]:
    report = drain_outbox(queue, send, owner="w", clock=lambda: at, retry=POLICY)
    return report.delivered, report.retried, report.parked, report.lost_leases


def test_a_message_claimed_more_than_max_attempts_times_is_parked_unsent() -> None:
    queue, sent = _Recording(attempts=POLICY.max_attempts + 1), []
    assert _drain(queue, sent.append) == (0, 0, 1, 0)
    assert sent == []
    ((message_id, owner, error, retry_at),) = queue.failures
    assert (message_id, owner, retry_at) == (7, "w", None)
    assert "no outcome after 5 attempts" in error


def test_a_message_claimed_exactly_max_attempts_times_is_still_sent() -> None:
    queue, sent = _Recording(attempts=POLICY.max_attempts), []
    assert _drain(queue, sent.append) == (1, 0, 0, 0)
    assert len(sent) == 1
    assert queue.deliveries == [(7, "w")]


def test_an_undeliverable_message_is_parked_with_its_reason() -> None:
    queue = _Recording()
    assert _drain(queue, _raise(Undeliverable("outside the reply window"))) == (0, 0, 1, 0)
    assert queue.failures == [(7, "w", "outside the reply window", None)]


def test_a_lease_ending_at_the_send_instant_is_lost_and_nothing_is_sent() -> None:
    """The lease is [claim, lease_until): at lease_until another worker may hold it."""
    queue, sent = _Recording(), []
    assert _drain(queue, sent.append, at=LEASE_END) == (0, 0, 0, 1)
    assert sent == []
    assert (queue.failures, queue.deliveries) == ([], [])


@pytest.mark.parametrize(
    "send",
    [
        lambda _: None,
        _raise(Undeliverable("blocked")),
        _raise(RuntimeError("network")),
    ],
    ids=["delivered", "undeliverable", "retry"],
)
def test_an_outcome_reported_after_the_lease_was_lost_counts_as_lost(send: Send) -> None:
    assert _drain(_Recording(holds_lease=False), send) == (0, 0, 0, 1)


def test_a_drain_claims_fifty_at_a_time_and_at_most_a_thousand_rounds_by_default() -> None:
    """The documented defaults of drain_outbox (batch=50, max_rounds=1000)."""
    queue = _Recording(rounds=10_000)
    report = drain_outbox(queue, lambda _: None, owner="w", clock=lambda: NOW)
    assert report.unfinished
    assert len(queue.limits) == 1_000
    assert set(queue.limits) == {50}
