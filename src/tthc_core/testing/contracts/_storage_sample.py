"""A small aggregate and a hand-driven clock for the storage contract suites.

The suites test storage, not any real aggregate: :class:`Docket` is the
smallest aggregate that exercises everything storage must do (a key, a
version, events, indexed state, due time, dossier code and phone).
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.calendar import VN_TZ
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.events import DomainEvent
from tthc_core.storage import AggregateKind, Index

__all__ = [
    "DOCKETS",
    "NOTES",
    "Docket",
    "DocketAdvanced",
    "DocketClosed",
    "DocketNote",
    "ManualClock",
    "docket_code",
]

_AGENCY = AgencyCode("000.24.31.H15")
_MODULUS = 1_000_003


def docket_code(number: int, day: dt.date = dt.date(2025, 3, 3)) -> DossierCode:
    """A dossier code of the sample agency."""
    return DossierCode(_AGENCY, day, number)


@attrs.frozen(kw_only=True)
class DocketAdvanced(DomainEvent):
    """A step was applied."""

    code: DossierCode
    step: int


@attrs.frozen(kw_only=True)
class DocketClosed(DomainEvent):
    """The docket was closed."""

    code: DossierCode


@attrs.frozen
class Docket:
    """A sample aggregate: a running fold of steps, open until closed.

    ``total`` folds the steps in order (``total * 31 + step``), so the final
    state depends on the order of the steps: a replay in another order, or a
    lost step, shows.
    """

    code: DossierCode
    state: str = "open"
    total: int = 0
    due_at: dt.datetime | None = None
    phone: str | None = None
    version: int = 0

    def advance(self, step: int, at: dt.datetime) -> tuple[Docket, list[DomainEvent]]:
        """Apply a step."""
        total = (self.total * 31 + step) % _MODULUS
        return attrs.evolve(self, total=total), [
            DocketAdvanced(occurred_at=at, code=self.code, step=step)
        ]

    def close(self, at: dt.datetime) -> tuple[Docket, list[DomainEvent]]:
        """Close it (it leaves the due queue)."""
        return attrs.evolve(self, state="closed"), [DocketClosed(occurred_at=at, code=self.code)]


@attrs.frozen
class DocketNote:
    """A second sample kind, attached to a docket by its dossier code."""

    id: str
    code: DossierCode
    text: str
    version: int = 0


def _docket_index(docket: Docket) -> Index:
    return Index(
        state=docket.state,
        due_at=docket.due_at if docket.state == "open" else None,
        dossier_code=str(docket.code),
        phone=docket.phone,
    )


#: The sample kind.
DOCKETS: AggregateKind[Docket] = AggregateKind(
    "docket", Docket, key=lambda d: str(d.code), index=_docket_index
)
#: The second sample kind.
NOTES: AggregateKind[DocketNote] = AggregateKind(
    "docket_note", DocketNote, key=lambda n: n.id, index=lambda n: Index(dossier_code=str(n.code))
)


@attrs.define
class ManualClock:
    """A clock the test moves by hand; pass it to the store as ``clock``.

    Args:
        now: The current instant.
    """

    now: dt.datetime = dt.datetime(2025, 3, 3, 8, 0, tzinfo=VN_TZ)

    def __call__(self) -> dt.datetime:
        """The current instant."""
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        """Move the clock forward."""
        self.now += delta
