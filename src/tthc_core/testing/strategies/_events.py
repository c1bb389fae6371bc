"""Strategies for every domain event, so ``st.from_type`` builds valid ones.

Hypothesis infers attrs classes from their annotations, but a bare
``datetime`` annotation would draw naive datetimes, which the core refuses.
Every concrete :class:`~tthc_core.events.DomainEvent` subclass without a
strategy of its own gets one here that draws aware datetimes (Vietnam time) for
its datetime fields and infers the rest.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

import attrs
from hypothesis import strategies as st

import tthc_core.serialization  # noqa: F401 - imports every module that defines events
from tthc_core.events import DomainEvent
from tthc_core.testing.strategies._time import aware_datetimes

__all__ = ["concrete_events", "domain_events", "reachable_events"]


def concrete_events() -> list[type[DomainEvent]]:
    """Every concrete (leaf) event class of tthc_core's domain, by name.

    A list of classes, not a strategy: ``st.sampled_from(concrete_events())``
    draws a class, ``.flatmap(st.from_type)`` an event of it (fields drawn
    independently); :func:`reachable_events` draws events from real histories.

    Events defined by tests or by :mod:`tthc_core.testing` (the contract
    suites' sample aggregate) are left out: they are not part of the domain's
    tagged union.
    """

    def leaves(cls: type[DomainEvent]) -> list[type[DomainEvent]]:
        found: list[type[DomainEvent]] = []
        for sub in cls.__subclasses__():
            found += leaves(sub) or [sub]
        return found

    domain = (
        cls
        for cls in leaves(DomainEvent)
        if cls.__module__.startswith("tthc_core.")
        and not cls.__module__.startswith("tthc_core.testing")
    )
    return sorted(set(domain), key=lambda c: c.__qualname__)


def domain_events(cls: type[DomainEvent]) -> st.SearchStrategy[Any]:
    """Events of ``cls`` with aware datetimes; other fields from their types."""
    return aware_builds(cls)


def aware_builds(cls: type) -> st.SearchStrategy[Any]:
    """``st.builds(cls)`` for an attrs class, drawing aware datetimes for datetime fields."""
    hints = typing.get_type_hints(cls)
    overrides: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        hint = hints[field.name]
        if hint is dt.datetime:
            overrides[field.name] = aware_datetimes()
        elif hint == dt.datetime | None:
            overrides[field.name] = st.none() | aware_datetimes()
    return st.builds(cls, **overrides)


def _attrs_classes_in(hint: Any) -> set[type]:
    found: set[type] = set()
    if isinstance(hint, type) and attrs.has(hint):
        found.add(hint)
    for arg in typing.get_args(hint):
        found |= _attrs_classes_in(arg)
    return found


def missing_event_strategies(registered: set[type]) -> dict[type, Any]:
    """Strategies for the concrete events no area module registered.

    Attrs classes that appear inside those events (a complaint's statutory
    clock, say) and have no strategy get one too, with aware datetimes.
    """
    missing: dict[type, Any] = {}
    todo: list[type] = list(concrete_events())
    while todo:
        cls = todo.pop()
        if cls in registered or cls in missing:
            continue
        missing[cls] = aware_builds(cls)
        for hint in typing.get_type_hints(cls).values():
            todo += _attrs_classes_in(hint)
    return missing


def reachable_events() -> st.SearchStrategy[DomainEvent]:
    """Events from real histories: dossiers, cases, shipments and sign-ins, walked through.

    Every concrete event class appears (a test in tthc's suite checks it); unlike
    ``st.from_type(SomeEvent)``, the event's fields agree with each other.
    """
    from tthc_core.testing.strategies._complaint import case_events, case_notices
    from tthc_core.testing.strategies._delivery import shipment_events
    from tthc_core.testing.strategies._dossier import dossier_events
    from tthc_core.testing.strategies._filing import filing_walks
    from tthc_core.testing.strategies._sign_ins import sign_in_histories

    notices = case_notices().filter(bool).flatmap(st.sampled_from)
    sign_ins = sign_in_histories().map(lambda h: h[1]).flatmap(st.sampled_from)
    filed = filing_walks().map(lambda walk: walk[1]).flatmap(st.sampled_from)
    return st.one_of(dossier_events(), case_events(), shipment_events(), notices, sign_ins, filed)
