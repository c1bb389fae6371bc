"""Inbound chat events of a period, read straight from the inbox (for the chat figures).

The inbox keeps every webhook event as received, with the server's receipt
time and whether the worker handled it; the report counts them by event name
(:func:`tthc_core.kpi766.chat_figures`). Not a port: a read the three stores
answer from their own tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tthc_adapters.storage._memory import MemoryStore
from tthc_adapters.storage._sql import SqlUnitOfWork
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store

__all__ = ["CHAT_SOURCES", "inbound_chat"]

#: The inbox sources that are citizens' chat (the Zalo webhook's).
CHAT_SOURCES = ("zalo",)


def _name(payload: Any) -> str:
    name = payload.get("event_name") if isinstance(payload, dict) else None
    return name if isinstance(name, str) else ""


def inbound_chat(store: Store, *, start: dt.datetime, end: dt.datetime) -> list[tuple[str, bool]]:
    """``(event name, handled)`` of each chat event received from ``start`` (incl.) to ``end``.

    Raises:
        InvalidInput: If the store is none of tthc's own.
    """
    if isinstance(store, MemoryStore):
        with store.lock:
            rows = list(store.inbox_events.rows.values())
        return [
            (_name(dict(r.item.payload)), r.done_at is not None)
            for r in rows
            if r.item.source in CHAT_SOURCES and start <= r.item.received_at < end
        ]
    with store.read_only() as uow:
        if not isinstance(uow, SqlUnitOfWork):
            raise InvalidInput(f"{type(store).__name__} keeps no inbox tthc can read")
        d = uow.dialect
        marks = ", ".join("%s" for _ in CHAT_SOURCES)
        found = uow.x(
            "SELECT payload, handled_at FROM inbox_events"  # noqa: S608 - placeholders only
            f" WHERE source IN ({marks}) AND received_at >= %s AND received_at < %s",
            (*CHAT_SOURCES, d.ts(start), d.ts(end)),
        ).fetchall()
    return [(_name(d.from_json(payload)), handled is not None) for payload, handled in found]
