"""The base of every domain event.

Commands applied to aggregates return new aggregates plus events; events are
the audit trail (append-only) from which control sheets and complaint
histories are rebuilt, and the outbox turns them into messages. Every concrete
event is a frozen attrs subclass of :class:`DomainEvent`; the converter in
:mod:`tthc_core.serialization` serialises them as a tagged union (``"type"``
is the class name).
"""

from __future__ import annotations

import datetime as dt

import attrs

__all__ = ["DomainEvent"]


@attrs.frozen(kw_only=True)
class DomainEvent:
    """Something that happened to an aggregate at an instant.

    Args:
        occurred_at: When it happened (aware datetime).
    """

    occurred_at: dt.datetime
