"""The transactional outbox: messages, the queue port and the drain loop.

An answer to a citizen or a notification is never sent from inside a
transaction: it is written to the outbox table in the same transaction as the
state change it announces, and a worker drains the outbox afterwards. So a
message exists if and only if the change was committed.

Delivery is at least once: a worker claims a batch under a lease, sends each
message and marks it delivered. A worker that crashes between sending and
marking leaves its lease to expire, and another worker sends the message
again; the receiver suppresses the duplicate by the message's idempotency key
(the outbox row is unique on it). GOV.UK Notify, for one, does not de-duplicate
on its ``reference`` (anchors §2.3), so the key is ours to carry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import attrs

from tthc_core.errors import InvalidInput

__all__ = [
    "Clock",
    "Deferred",
    "DrainReport",
    "OutboundMessage",
    "OutboxCounts",
    "OutboxQueue",
    "PendingMessage",
    "RetryPolicy",
    "Sender",
    "Undeliverable",
    "drain_outbox",
]

#: A port that tells the time (an aware datetime); adapters read the clock.
Clock = Callable[[], dt.datetime]

_MAX_KEY = 200


class Undeliverable(InvalidInput):
    """Raised by a sender when retrying cannot deliver the message: it is parked at once.

    E.g. a chat platform refuses a recipient outside its reply window; a
    person (or another channel) must take over, not the retry schedule.
    """


class Deferred(Exception):  # noqa: N818 - reads best at call sites
    """Raised by a sender when a message must wait until ``until`` (e.g. quiet hours).

    Not a failure: the message is released to be tried again at ``until``,
    with ``reason`` kept as its last note.
    """

    def __init__(self, until: dt.datetime, reason: str) -> None:
        super().__init__(reason)
        self.until = until
        self.reason = reason


def _key(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip() or len(value) > _MAX_KEY:
        raise InvalidInput(f"{attribute.name} must be 1 to {_MAX_KEY} characters, got {value!r}")


@attrs.frozen
class OutboundMessage:
    """A message to send once the transaction that wrote it commits.

    Args:
        key: The idempotency key, unique in the outbox and passed to the
            receiver so that it can drop a repeated delivery. Make it from
            what the message announces, such as ``"<dossier code>:receipt"``;
            it must not hold personal data.
        channel: Where it goes (``"zalo"``, ``"sms"``, ``"postal"``...).
        payload: The message itself, JSON-ready.
    """

    key: str = attrs.field(validator=_key)
    channel: str = attrs.field(validator=_key)
    payload: Mapping[str, Any] = attrs.field(factory=dict, eq=True, hash=False)


@attrs.frozen
class PendingMessage:
    """A message a worker has claimed.

    Args:
        id: The outbox row.
        message: The message.
        attempts: How many times it has been claimed, this time included.
        lease_until: The worker must finish (or give up) before this instant;
            afterwards another worker may claim the message again.
    """

    id: int
    message: OutboundMessage
    attempts: int
    lease_until: dt.datetime


@attrs.frozen
class OutboxCounts:
    """How many outbox messages are in each condition.

    Args:
        pending: Not delivered yet and still to be tried.
        delivered: Delivered.
        parked: Given up on after the retry policy's attempts; a person must look.
    """

    pending: int
    delivered: int
    parked: int


@attrs.frozen
class ParkedMessage:
    """A message the worker gave up on, waiting for a person (Tin nhắn chưa gửi được).

    Args:
        id: The outbox row.
        message: The message.
        attempts: How many times it was tried.
        last_error: Why the last attempt failed.
    """

    id: int
    message: OutboundMessage
    attempts: int
    last_error: str | None


class OutboxQueue(Protocol):
    """Port: the worker's side of the outbox (claim, acknowledge, fail)."""

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[PendingMessage]:
        """Lease up to ``limit`` due messages to ``owner`` (oldest first).

        A message is due when it is undelivered, not parked, its next attempt
        time has come and no live lease holds it. Claiming counts an attempt.
        Concurrent claims never return the same message while its lease lives.
        """
        ...

    def delivered(self, message_id: int, *, owner: str, now: dt.datetime) -> bool:
        """Mark a message delivered; ``False`` if ``owner`` no longer held its lease."""
        ...

    def failed(
        self, message_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        """Release a message after a failed send, to retry at ``retry_at`` (``None`` parks it).

        Returns ``False`` if ``owner`` no longer held its lease.
        """
        ...

    def counts(self) -> OutboxCounts:
        """How many messages are pending, delivered and parked."""
        ...

    def parked(self, *, limit: int = 100) -> list[ParkedMessage]:
        """Parked messages, oldest first, for a person to look at."""
        ...

    def retry_parked(self, message_id: int, *, now: dt.datetime) -> bool:
        """Make a parked message due again at ``now`` with a fresh attempt count.

        Returns ``False`` if it is not parked (delivered, pending or unknown).
        """
        ...


#: Sends one message; raises to report a failure (the message is retried).
Sender = Callable[[OutboundMessage], None]


def _positive_delta(
    _: object, attribute: attrs.Attribute[dt.timedelta], value: dt.timedelta
) -> None:
    if value <= dt.timedelta(0):
        raise InvalidInput(f"{attribute.name} must be positive, got {value}")


@attrs.frozen
class RetryPolicy:
    """Exponential back-off between attempts, then parking.

    Args:
        max_attempts: Attempts before a message is parked for a person to see.
        first_delay: The wait after the first failure; it doubles each time.
        max_delay: The longest wait.
    """

    max_attempts: int = 8
    first_delay: dt.timedelta = attrs.field(
        default=dt.timedelta(seconds=30), validator=_positive_delta
    )
    max_delay: dt.timedelta = attrs.field(default=dt.timedelta(hours=1), validator=_positive_delta)

    def delay(self, attempts: int) -> dt.timedelta:
        """The wait after the ``attempts``-th failed attempt (1-based)."""
        growth: int = 2 ** max(0, attempts - 1)
        return min(self.max_delay, self.first_delay * growth)


@attrs.frozen
class DrainReport:
    """What one :func:`drain_outbox` call did.

    Args:
        delivered: Messages sent and marked delivered.
        retried: Failed sends scheduled for a later attempt.
        parked: Messages given up on after the policy's attempts.
        lost_leases: Messages whose lease ran out before the worker finished
            (another worker may send them again; the key suppresses the twin).
        unfinished: The drain stopped at its ``max_rounds`` with messages still due.
    """

    delivered: int = 0
    retried: int = 0
    parked: int = 0
    lost_leases: int = 0
    unfinished: bool = False


def drain_outbox(
    queue: OutboxQueue,
    send: Sender,
    *,
    owner: str,
    clock: Clock,
    lease: dt.timedelta = dt.timedelta(minutes=1),
    batch: int = 50,
    retry: RetryPolicy = RetryPolicy(),
    max_rounds: int = 1_000,
) -> DrainReport:
    """Send every due message once (at least once), until none is due or ``max_rounds`` ran.

    The bound keeps a worker responsive when the queue never runs dry (a queue
    that never parks, messages arriving as fast as they are sent): the report
    then says ``unfinished`` and the next drain carries on.

    Args:
        queue: The outbox's worker port.
        send: Delivers one message; raising means "failed, retry later".
        owner: This worker's unique name (host, process, start time).
        clock: Tells the time.
        lease: How long a claimed message is reserved for this worker.
        batch: How many messages to claim at a time.
        retry: Back-off and parking policy.
        max_rounds: The most claims (of up to ``batch`` messages) in one drain.
    """
    counts = {"delivered": 0, "retried": 0, "parked": 0, "lost_leases": 0}
    for _ in range(max_rounds):
        claimed = queue.claim(owner=owner, now=clock(), lease=lease, limit=batch)
        if not claimed:
            return _report(counts, unfinished=False)
        for pending in claimed:
            counts[_deliver(queue, send, pending, owner=owner, clock=clock, retry=retry)] += 1
    return _report(counts, unfinished=True)


def _report(counts: dict[str, int], *, unfinished: bool) -> DrainReport:
    return DrainReport(
        counts["delivered"],
        counts["retried"],
        counts["parked"],
        counts["lost_leases"],
        unfinished=unfinished,
    )


def _deliver(  # noqa: PLR0911 - one return per outcome
    queue: OutboxQueue,
    send: Sender,
    pending: PendingMessage,
    *,
    owner: str,
    clock: Clock,
    retry: RetryPolicy,
) -> str:
    if pending.attempts > retry.max_attempts:
        # Claimed more often than allowed without an outcome: the worker keeps
        # dying on it. Park it rather than crash-loop.
        error = f"no outcome after {retry.max_attempts} attempts (worker crashed each time?)"
        queue.failed(pending.id, owner=owner, error=error, retry_at=None)
        return "parked"
    if clock() >= pending.lease_until:
        return "lost_leases"
    try:
        send(pending.message)
    except Deferred as exc:  # not now: due again at ``until``
        if not queue.failed(pending.id, owner=owner, error=exc.reason, retry_at=exc.until):
            return "lost_leases"
        return "retried"
    except Undeliverable as exc:  # retrying cannot help: a person must look now
        if not queue.failed(pending.id, owner=owner, error=exc.reason, retry_at=None):
            return "lost_leases"
        return "parked"
    except Exception as exc:  # any other sender failure means "retry later"
        now = clock()
        last = pending.attempts >= retry.max_attempts
        retry_at = None if last else now + retry.delay(pending.attempts)
        if not queue.failed(pending.id, owner=owner, error=repr(exc), retry_at=retry_at):
            return "lost_leases"
        return "parked" if last else "retried"
    if not queue.delivered(pending.id, owner=owner, now=clock()):
        return "lost_leases"
    return "delivered"
