"""Storage ports: repositories, unit of work, audit trail, outbox and inbox.

The core defines what storage must do; :mod:`tthc_adapters.storage` provides
it in memory, on SQLite (the embedded default) and on PostgreSQL (at scale).
:mod:`tthc_core.testing.contracts` holds the suite every adapter must pass.

* Aggregates of any kind are stored generically (:class:`AggregateKind`):
  JSON through the shared converter, plus indexed columns (:class:`Index`).
* Optimistic concurrency: a stale save raises :class:`ConcurrencyConflict`.
* The outbox is drained by :func:`drain_outbox`, at least once, with an
  idempotency key on every :class:`OutboundMessage`.
* Inbound events are accepted at once (:meth:`Inbox.accept`) and handled
  afterwards, exactly once, by :func:`drain_inbox`.
* Readers ask for a :class:`ReadUnitOfWork` (:meth:`Store.read_only`), which
  never takes the write lock.
"""

from __future__ import annotations

from tthc_core.storage._codec import (
    decode_aggregate,
    decode_event,
    encode_aggregate,
    encode_event,
)
from tthc_core.storage._errors import ConcurrencyConflict
from tthc_core.storage._inbox import (
    ClaimedEvent,
    DrainInboxReport,
    Handler,
    InboundEvent,
    InboxCounts,
    InboxQueue,
    ParkedEvent,
    drain_inbox,
    handled_source,
)
from tthc_core.storage._kinds import AggregateKind, Index, Versioned
from tthc_core.storage._open311 import ClientApp, Open311Registry, Open311Token
from tthc_core.storage._outbox import (
    Clock,
    Deferred,
    DrainReport,
    OutboundMessage,
    OutboxCounts,
    OutboxQueue,
    ParkedMessage,
    PendingMessage,
    RetryPolicy,
    Sender,
    Undeliverable,
    drain_outbox,
)
from tthc_core.storage._ports import (
    AuditTrail,
    Catalogue,
    CitizenLinks,
    Inbox,
    Outbox,
    RecordedEvent,
    Repository,
    Store,
    UnitOfWork,
)
from tthc_core.storage._reading import (
    ReadCatalogue,
    ReadLinks,
    ReadOnlyViolation,
    ReadRepository,
    ReadUnitOfWork,
)

__all__ = [
    "AggregateKind",
    "AuditTrail",
    "Catalogue",
    "CitizenLinks",
    "ClaimedEvent",
    "ClientApp",
    "Clock",
    "ConcurrencyConflict",
    "Deferred",
    "DrainInboxReport",
    "DrainReport",
    "Handler",
    "InboundEvent",
    "Inbox",
    "InboxCounts",
    "InboxQueue",
    "Index",
    "Open311Registry",
    "Open311Token",
    "OutboundMessage",
    "Outbox",
    "OutboxCounts",
    "OutboxQueue",
    "ParkedEvent",
    "ParkedMessage",
    "PendingMessage",
    "ReadCatalogue",
    "ReadLinks",
    "ReadOnlyViolation",
    "ReadRepository",
    "ReadUnitOfWork",
    "RecordedEvent",
    "Repository",
    "RetryPolicy",
    "Sender",
    "Store",
    "Undeliverable",
    "UnitOfWork",
    "Versioned",
    "decode_aggregate",
    "decode_event",
    "drain_inbox",
    "drain_outbox",
    "encode_aggregate",
    "encode_event",
    "handled_source",
]
