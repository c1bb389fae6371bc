"""JSON bodies of stored aggregates and events, through a cattrs converter.

Events are stored with their class name in a column of its own (the same name
the shared converter's tagged union uses as ``"type"``) and a body of their
own fields, so any :class:`~tthc_core.events.DomainEvent` subclass that is
imported can be read back, including ones defined after the shared converter
was configured (an integrator's or a test's).
"""

from __future__ import annotations

from typing import Any

import cattrs

from tthc_core.errors import InvalidInput
from tthc_core.events import DomainEvent
from tthc_core.storage._kinds import A, AggregateKind

__all__ = ["decode_aggregate", "decode_event", "encode_aggregate", "encode_event"]

_TAG = "type"
_event_classes: dict[str, type[DomainEvent]] = {}


def encode_aggregate(converter: cattrs.Converter, aggregate: object) -> dict[str, Any]:
    """The aggregate's JSON-ready body."""
    body: dict[str, Any] = converter.unstructure(aggregate)
    return body


def decode_aggregate(converter: cattrs.Converter, kind: AggregateKind[A], body: Any) -> A:
    """Rebuild an aggregate of ``kind`` from its stored body."""
    return converter.structure(body, kind.type)


def encode_event(converter: cattrs.Converter, event: DomainEvent) -> tuple[str, dict[str, Any]]:
    """The event's type name and its JSON-ready body (without the tag)."""
    body: dict[str, Any] = converter.unstructure(event, unstructure_as=type(event))
    body.pop(_TAG, None)
    return type(event).__name__, body


def decode_event(converter: cattrs.Converter, type_name: str, body: Any) -> DomainEvent:
    """Rebuild a stored event from its type name and body.

    Raises:
        InvalidInput: If no imported ``DomainEvent`` subclass has that name.
    """
    cls = _event_classes.get(type_name) or _refresh().get(type_name)
    if cls is None:
        raise InvalidInput(
            f"stored event type {type_name!r} is unknown: import the module that defines it"
        )
    event: DomainEvent = converter.structure(body, cls)
    return event


def _refresh() -> dict[str, type[DomainEvent]]:
    stack: list[type[DomainEvent]] = [DomainEvent]
    while stack:
        cls = stack.pop()
        _event_classes.setdefault(cls.__name__, cls)
        stack.extend(cls.__subclasses__())
    return _event_classes
