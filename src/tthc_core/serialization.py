"""One cattrs converter for every core type and event.

* Codes serialise as their canonical strings, dates and datetimes as ISO 8601
  (datetimes must be aware), regimes by name, enums by value.
* Every :class:`~tthc_core.events.DomainEvent` subclass is part of a tagged
  union keyed by ``"type"`` (the class name), so a stream of mixed events
  round-trips through JSON.

Use :data:`converter` (or :func:`make_converter` for a private copy).
"""

from __future__ import annotations

import datetime as dt
import functools
from functools import partial
from typing import Any

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union, include_subclasses

# Every module that defines domain events or aggregates is imported here so
# that the tagged union of events is complete before it is configured.
import tthc_core.codes as _codes
import tthc_core.complaint as _complaint  # noqa: F401 - case events
import tthc_core.conversation as _conversation  # noqa: F401 - conversation events
import tthc_core.delivery as _delivery  # noqa: F401 - shipment events
import tthc_core.dossier as _dossier  # noqa: F401 - dossier events and aggregate
import tthc_core.filing as _filing  # noqa: F401 - filing dialogue events
import tthc_core.sign_ins as _sign_ins  # noqa: F401 - staff sign-in events
from tthc_core.calendar import Duration, to_local
from tthc_core.errors import InvalidInput
from tthc_core.events import DomainEvent
from tthc_core.regime import Regime, regime_named

__all__ = ["converter", "make_converter"]


def _iso_text(value: object, kind: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"expected an ISO 8601 {kind} string, got {value!r}")
    return value


def _not_iso(value: str, kind: str) -> InvalidInput:
    return InvalidInput(f"{value!r} is not an ISO 8601 {kind}")


def _structure_datetime(value: object, _: type) -> dt.datetime:
    text = _iso_text(value, "datetime")
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _not_iso(text, "datetime") from None
    return to_local(parsed)


def _structure_date(value: object, _: type) -> dt.date:
    text = _iso_text(value, "date")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _not_iso(text, "date") from None


def _structure_time(value: object, _: type) -> dt.time:
    text = _iso_text(value, "time")
    try:
        return dt.time.fromisoformat(text)
    except ValueError:
        raise _not_iso(text, "time") from None


@functools.lru_cache(maxsize=4096)  # a transcript's times are written again at every save
def _unstructure_datetime(value: dt.datetime) -> str:
    return to_local(value).isoformat()


def _code_text(value: object, cls: type) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"expected a {cls.__name__} as a string, got {value!r}")
    return value


@functools.lru_cache(maxsize=8192)
def _kept_code(cls: Any, text: str) -> Any:
    return cls.parse(text)


def _parsed_code(cls: Any, text: str) -> Any:
    """``cls.parse(text)``, kept for short texts: codes are immutable, and every stored
    aggregate names some (decoding a dossier parsed the same few codes again and again).
    Refusals are not kept."""
    return _kept_code(cls, text) if len(text) <= 64 else cls.parse(text)


def _string_hooks(c: cattrs.Converter) -> None:
    for cls in (_codes.DossierCode, _codes.AgencyCode, _codes.ProcedureCode):
        c.register_unstructure_hook(cls, str)
        c.register_structure_hook(cls, lambda v, t: _parsed_code(t, _code_text(v, t)))


def _check_unique_tags(base: type) -> None:
    """Refuse two event classes with one name: the name is the stored tag (``"type"``).

    Raises:
        TypeError: Naming the classes that share a tag.
    """
    seen: dict[str, type] = {}
    pending: list[type] = list(base.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        other = seen.setdefault(cls.__name__, cls)
        # attrs' slotted classes replace the class they were built from; the one
        # discarded may linger among the subclasses until collected: same place.
        if (other.__module__, other.__qualname__) != (cls.__module__, cls.__qualname__):
            raise TypeError(
                f"event classes {other.__module__}.{other.__qualname__} and "
                f"{cls.__module__}.{cls.__qualname__} share the stored tag {cls.__name__!r}; "
                "rename one"
            )


def make_converter() -> cattrs.Converter:
    """Build a converter configured for every tthc_core type."""
    c = cattrs.Converter(forbid_extra_keys=True)
    c.register_unstructure_hook(dt.datetime, _unstructure_datetime)
    c.register_structure_hook(dt.datetime, _structure_datetime)
    c.register_unstructure_hook(dt.date, dt.date.isoformat)
    c.register_structure_hook(dt.date, _structure_date)
    c.register_unstructure_hook(dt.time, dt.time.isoformat)
    c.register_structure_hook(dt.time, _structure_time)
    c.register_unstructure_hook(Regime, lambda r: r.name)
    c.register_structure_hook(Regime, lambda v, _: regime_named(v))
    # A cut-off exists only on same-day limits: other durations keep their two keys.
    c.register_unstructure_hook(
        Duration, make_dict_unstructure_fn(Duration, c, cutoff=override(omit_if_default=True))
    )
    _string_hooks(c)
    _check_unique_tags(DomainEvent)
    include_subclasses(
        DomainEvent,
        c,
        union_strategy=partial(configure_tagged_union, tag_name="type"),
    )
    return c


#: The shared converter.
converter = make_converter()
