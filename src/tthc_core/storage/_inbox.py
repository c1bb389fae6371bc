"""The inbox: acknowledge an inbound event at once, handle it afterwards.

A chat platform waits about two seconds for a webhook's ``200`` and then
retries (Zalo: reference zalo-oa.md §2.5, "verify → enqueue → return 200 →
process async"). So a webhook only verifies the sender, validates the event
and records it — :meth:`Inbox.accept`, once per ``(source, event_id)``, with
the body exactly as received and the server's receipt time — in one short
transaction, and answers. :func:`drain_inbox` handles the recorded events
afterwards, each in its own unit of work, claiming them under a lease as the
outbox worker does: a worker killed mid-batch leaves its leases to expire and
another worker takes the events over.

Events claimed together are handled in one unit of work (one commit); if
that fails, each is handled alone, so one bad event does not hold up the
others. Exactly once: the handler's unit of work also records the event under
``"handled:<source>"`` with :meth:`Inbox.record_once`; an event whose handling
committed but whose worker died before marking it handled is found recorded
the next time and only marked. An event a handler cannot handle — a
:class:`~tthc_core.errors.TthcError` (bad content, a rule forbids it), an
unknown source, or failures past the retry policy — is *parked* with the
reason: kept, listed by :meth:`InboxQueue.parked`, and put back by
:meth:`InboxQueue.retry` once the cause is fixed. Nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import attrs

from tthc_core.errors import InvalidInput, TthcError
from tthc_core.storage._errors import ConcurrencyConflict
from tthc_core.storage._outbox import Clock, RetryPolicy
from tthc_core.validators import aware as _aware

if TYPE_CHECKING:
    from tthc_core.storage._ports import UnitOfWork

__all__ = [
    "ClaimedEvent",
    "DrainInboxReport",
    "Handler",
    "InboundEvent",
    "InboxCounts",
    "InboxQueue",
    "ParkedEvent",
    "drain_inbox",
    "handled_source",
]

_MAX_ID = 200


def _id(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip() or len(value) > _MAX_ID:
        raise InvalidInput(f"{attribute.name} must be 1 to {_MAX_ID} characters, got {value!r}")


@attrs.frozen
class InboundEvent:
    """An inbound event as the inbox keeps it.

    Args:
        source: Where it came from (``"chat"``, ``"postal"``...); the handler is chosen by it.
        event_id: The sender's id of the event, unique per source (the deduplication key).
        payload: The validated content the handler reads, JSON-ready.
        raw: The request body exactly as received (evidence; replayable).
        received_at: When this server received it: the time the event counts
            from, whatever time the sender claims (which stays in ``payload``).
    """

    source: str = attrs.field(validator=_id)
    event_id: str = attrs.field(validator=_id)
    payload: Mapping[str, Any] = attrs.field(eq=True, hash=False)
    raw: bytes
    received_at: dt.datetime = attrs.field(validator=_aware)


@attrs.frozen
class ClaimedEvent:
    """An inbound event a worker has claimed.

    Args:
        id: The inbox row.
        event: The event.
        attempts: How many times it has been claimed, this time included.
        lease_until: The worker must finish before this instant.
    """

    id: int
    event: InboundEvent
    attempts: int
    lease_until: dt.datetime


@attrs.frozen
class ParkedEvent:
    """An inbound event given up on, with the reason, waiting for a person.

    Args:
        id: The inbox row (pass it to :meth:`InboxQueue.retry`).
        event: The event.
        attempts: How many times it was claimed.
        error: Why it was parked.
    """

    id: int
    event: InboundEvent
    attempts: int
    error: str


@attrs.frozen
class InboxCounts:
    """How many accepted events are in each condition.

    Args:
        pending: Not handled yet, still to be tried.
        handled: Handled.
        parked: Given up on; a person must look (:meth:`InboxQueue.parked`).
    """

    pending: int
    handled: int
    parked: int


class InboxQueue(Protocol):
    """Port: the worker's side of the inbox (claim, mark handled, fail, park, retry).

    It also records events on their own (:meth:`accept_all`), for a webhook
    whose transaction records nothing else.
    """

    def accept_all(self, events: Sequence[InboundEvent], *, durable: bool = True) -> list[bool]:
        """Record events in one short transaction; for each, whether it was new.

        Args:
            events: The events (an event repeated in the list is new once).
            durable: Return once the commit is flushed to disk (``True``), or
                once it is written to the database's log (``False``: it
                survives a crash of this process, but an operating-system
                crash or power cut may lose the last moments' events).
        """
        ...

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[ClaimedEvent]:
        """Lease up to ``limit`` due events to ``owner``, oldest first.

        An event is due when it is not handled, not parked, its next attempt
        time has come and no live lease holds it. Claiming counts an attempt.
        """
        ...

    def handled(self, event_id: int, *, owner: str, now: dt.datetime) -> bool:
        """Mark an event handled; ``False`` if ``owner`` no longer held its lease."""
        ...

    def handled_all(self, event_ids: Sequence[int], *, owner: str, now: dt.datetime) -> set[int]:
        """Mark several events handled in one go; the ids marked (those ``owner`` still held)."""
        ...

    def failed(
        self, event_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        """Release an event after a failure, to retry at ``retry_at`` (``None`` parks it)."""
        ...

    def parked(self, *, limit: int = 100) -> list[ParkedEvent]:
        """The parked events, oldest first."""
        ...

    def retry(self, event_id: int, *, at: dt.datetime) -> bool:
        """Put a parked event back in the queue, due at ``at``; ``False`` if it is not parked."""
        ...

    def counts(self) -> InboxCounts:
        """How many events are pending, handled and parked."""
        ...


#: Handles one event inside an open unit of work (which the caller commits).
#: Raise a :class:`~tthc_core.errors.TthcError` to park it with the reason;
#: any other exception retries it later.
Handler = Callable[["UnitOfWork", InboundEvent], None]


def handled_source(source: str) -> str:
    """The inbox source under which handling an event of ``source`` is recorded once."""
    return f"handled:{source}"


@attrs.frozen
class DrainInboxReport:
    """What one :func:`drain_inbox` call did.

    Args:
        handled: Events handled (or found handled already) and marked so.
        retried: Failures scheduled for a later attempt.
        parked: Events given up on, with the reason.
        lost_leases: Events whose lease ran out before the worker got to them.
    """

    handled: int = 0
    retried: int = 0
    parked: int = 0
    lost_leases: int = 0


#: The default back-off of inbox handling: a first retry after five seconds.
INBOX_RETRY = RetryPolicy(first_delay=dt.timedelta(seconds=5))


def drain_inbox(
    queue: InboxQueue,
    unit_of_work: Callable[[], UnitOfWork],
    handlers: Mapping[str, Handler],
    *,
    owner: str,
    clock: Clock,
    lease: dt.timedelta = dt.timedelta(minutes=1),
    batch: int = 20,
    retry: RetryPolicy = INBOX_RETRY,
    optimistic: Callable[[], UnitOfWork] | None = None,
) -> DrainInboxReport:
    """Handle every due inbound event once, until none is due.

    With ``optimistic``, each claimed batch is first handled in one unit of
    work it opens — one that reads without holding the write lock and writes
    at commit, raising if another writer came in between (the SQL stores'
    ``deferred_unit_of_work``) — and only if that fails the usual way
    (together in ``unit_of_work``, then each alone).

    Args:
        queue: The inbox's worker port.
        unit_of_work: Opens a unit of work (``store.unit_of_work``).
        handlers: The handler of each source.
        owner: This worker's unique name.
        clock: Tells the time.
        lease: How long a claimed event is reserved for this worker.
        batch: How many events to claim at a time.
        retry: Back-off between failed attempts, then parking.
        optimistic: Opens the unit of work each batch is tried in first.
    """
    drain = _Drain(queue, unit_of_work, handlers, owner, clock, retry, optimistic)
    counts = {"handled": 0, "retried": 0, "parked": 0, "lost_leases": 0}
    while claimed := queue.claim(owner=owner, now=clock(), lease=lease, limit=batch):
        for outcome in drain.handle_all(claimed):
            counts[outcome] += 1
    return DrainInboxReport(**counts)


@attrs.frozen
class _Drain:
    """One drain's context: what handling each claimed event needs."""

    queue: InboxQueue
    unit_of_work: Callable[[], UnitOfWork]
    handlers: Mapping[str, Handler]
    owner: str
    clock: Clock
    retry: RetryPolicy
    optimistic: Callable[[], UnitOfWork] | None = None

    def handle_all(self, claimed: list[ClaimedEvent]) -> list[str]:
        """Handle a claimed batch; the outcome of each (names in :class:`DrainInboxReport`).

        The events go through one unit of work together (one commit for the
        batch); if it fails, each is handled alone, so a failure is pinned on
        the event that caused it and the others still go through.
        """
        outcomes, ready = [], []
        for event in claimed:
            refused = self._refusal(event)
            if refused is None:
                ready.append(event)
            else:
                outcomes.append(refused)
        if (ready and self.optimistic is not None and self._together(ready, self.optimistic)) or (
            len(ready) > 1 and self._together(ready, self.unit_of_work)
        ):
            ids = [event.id for event in ready]
            marked = self.queue.handled_all(ids, owner=self.owner, now=self.clock())
            return outcomes + ["handled" if id_ in marked else "lost_leases" for id_ in ids]
        return outcomes + [self._alone(event) for event in ready]

    def _refusal(self, claimed: ClaimedEvent) -> str | None:
        """The outcome of an event that must not be handled now, or ``None``."""
        if claimed.attempts > self.retry.max_attempts:
            return self._park(
                claimed,
                f"no outcome after {self.retry.max_attempts} attempts (worker crashed each time?)",
            )
        if claimed.event.source not in self.handlers:
            return self._park(claimed, f"no handler for source {claimed.event.source!r}")
        if self.clock() >= claimed.lease_until:
            return "lost_leases"
        return None

    def _handle(self, uow: UnitOfWork, event: InboundEvent) -> None:
        if uow.inbox.record_once(handled_source(event.source), event.event_id):
            self.handlers[event.source](uow, event)

    def _together(self, batch: list[ClaimedEvent], unit_of_work: Callable[[], UnitOfWork]) -> bool:
        """Handle a batch in one unit of work; ``False`` (nothing kept) if anything failed."""
        try:
            with unit_of_work() as uow:
                for claimed in batch:
                    self._handle(uow, claimed.event)
                uow.commit()
        except Exception:  # handled alone next, where the failure finds its event
            return False
        return True

    def _mark(self, claimed: ClaimedEvent) -> str:
        if not self.queue.handled(claimed.id, owner=self.owner, now=self.clock()):
            return "lost_leases"
        return "handled"

    def _alone(self, claimed: ClaimedEvent) -> str:
        try:
            with self.unit_of_work() as uow:
                self._handle(uow, claimed.event)
                uow.commit()
        except ConcurrencyConflict as exc:  # a race with another writer: try again
            return self._retry_later(claimed, repr(exc))
        except TthcError as exc:  # the content or a rule: trying again will not help
            return self._park(claimed, f"{type(exc).__name__}: {exc.reason}")
        except Exception as exc:  # the store or a bug: try again later, then park
            return self._retry_later(claimed, repr(exc))
        return self._mark(claimed)

    def _park(self, claimed: ClaimedEvent, reason: str) -> str:
        self.queue.failed(claimed.id, owner=self.owner, error=reason, retry_at=None)
        return "parked"

    def _retry_later(self, claimed: ClaimedEvent, error: str) -> str:
        last = claimed.attempts >= self.retry.max_attempts
        retry_at = None if last else self.clock() + self.retry.delay(claimed.attempts)
        if not self.queue.failed(claimed.id, owner=self.owner, error=error, retry_at=retry_at):
            return "lost_leases"
        return "parked" if last else "retried"
