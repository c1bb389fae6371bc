"""How an aggregate is stored: its kind, its key and its indexed columns.

Storage is generic: an aggregate of any frozen attrs class with a
``version: int`` field is stored as JSON (through
:data:`tthc_core.serialization.converter`), plus a few indexed columns that a
small per-kind function extracts: its state, the time it is due, the dossier
it belongs to and a phone number. Those columns serve the look-ups the desk
needs (by dossier code, by phone, overdue queues by due time) without the
store knowing the aggregate's shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

import attrs

from tthc_core.errors import InvalidInput
from tthc_core.validators import aware as _aware

__all__ = ["A", "AggregateKind", "Index", "Versioned"]


class Versioned(Protocol):
    """Anything with the ``version`` the store uses for optimistic concurrency."""

    @property
    def version(self) -> int:
        """The version the aggregate was read at (0 before it is first stored)."""
        ...


A = TypeVar("A", bound=Versioned)


@attrs.frozen
class Index:
    """The indexed columns of one stored aggregate.

    Args:
        state: Its state name, for queues and reports.
        due_at: The first instant it is overdue, or ``None`` when nothing is
            pending (a finished dossier leaves the overdue queue by returning
            ``None``). ``Repository.due_by(now)`` lists it once ``due_at <= now``.
        dossier_code: The dossier it is or belongs to, as its canonical string.
        phone: A phone number to find it by (normalised, ``0xxxxxxxxx``).
    """

    state: str | None = None
    due_at: dt.datetime | None = attrs.field(default=None, validator=_aware)
    dossier_code: str | None = None
    phone: str | None = None


def _no_index(_: object) -> Index:
    return Index()


def _check_name(_: object, __: object, value: str) -> None:
    if not (value.isascii() and value.isidentifier() and value.islower()):
        raise InvalidInput(
            f"aggregate kind name {value!r} must be a lower-case ASCII identifier, "
            "such as 'dossier'"
        )


@attrs.frozen
class AggregateKind(Generic[A]):
    """A kind of stored aggregate.

    Example::

        DOSSIERS = AggregateKind(
            "dossier",
            Dossier,
            key=lambda d: str(d.code),
            index=lambda d: Index(state=d.state.value, due_at=d.due_at,
                                  dossier_code=str(d.code)),
        )

    Args:
        name: The kind's stored name; never change it once data exists.
        type: The aggregate class (frozen attrs, with ``version: int = 0``).
        key: Its key, unique within the kind.
        index: Extracts the indexed columns.
    """

    name: str = attrs.field(validator=_check_name)
    type: type[A]
    key: Callable[[A], str]
    index: Callable[[A], Index] = _no_index
