"""Storage ports: repositories, unit of work, audit trail, outbox and inbox.

The core defines what storage must do; :mod:`tthc_adapters.storage` provides
it in memory, on SQLite (the embedded default) and on PostgreSQL (at scale).
:mod:`tthc_core.testing.contracts` holds the suite every adapter must pass.

* Aggregates of any kind are stored generically (:class:`AggregateKind`):
  JSON through the shared converter, plus indexed columns (:class:`Index`).
* Optimistic concurrency: a stale save raises :class:`ConcurrencyConflict`.
* The outbox is drained by :func:`drain_outbox`, at least once, with an
  idempotency key on every :class:`OutboundMessage`.
"""

from __future__ import annotations

from tthc_core.storage._codec import (
    decode_aggregate,
    decode_event,
    encode_aggregate,
    encode_event,
)
from tthc_core.storage._errors import ConcurrencyConflict
from tthc_core.storage._kinds import AggregateKind, Index, Versioned
from tthc_core.storage._open311 import ClientApp, Open311Registry, Open311Token
from tthc_core.storage._outbox import (
    Clock,
    DrainReport,
    OutboundMessage,
    OutboxCounts,
    OutboxQueue,
    PendingMessage,
    RetryPolicy,
    Sender,
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

__all__ = [
    "AggregateKind",
    "AuditTrail",
    "Catalogue",
    "CitizenLinks",
    "ClientApp",
    "Clock",
    "ConcurrencyConflict",
    "DrainReport",
    "Inbox",
    "Index",
    "Open311Registry",
    "Open311Token",
    "OutboundMessage",
    "Outbox",
    "OutboxCounts",
    "OutboxQueue",
    "PendingMessage",
    "RecordedEvent",
    "Repository",
    "RetryPolicy",
    "Sender",
    "Store",
    "UnitOfWork",
    "Versioned",
    "decode_aggregate",
    "decode_event",
    "drain_outbox",
    "encode_aggregate",
    "encode_event",
]
