"""Work queues: which dossiers an officer's unit holds, and which are due, late or waiting.

A commune holds at most a few thousand open dossiers, so the queues are
built from one pass over the stored dossiers (the repository's keyset pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import attrs

from tthc_core.calendar import to_local
from tthc_core.dossier import Dossier, DossierState
from tthc_core.storage import UnitOfWork
from tthc_core.storage.kinds import DOSSIERS

__all__ = ["Queues", "all_dossiers", "build_queues"]

_PAGE = 500


@attrs.frozen
class Queues:
    """The work queues of one unit at one instant, each soonest due first.

    Args:
        mine: Open dossiers the unit holds.
        due_today: Open dossiers (anywhere) due later today.
        late: Open dossiers past their due time.
        awaiting_supplement: Dossiers waiting for the applicant's supplement.
        awaiting_leader: Open dossiers held by a leader's unit (for signature).
        submitted: Online submissions waiting for the desk to check them.
    """

    mine: tuple[Dossier, ...]
    due_today: tuple[Dossier, ...]
    late: tuple[Dossier, ...]
    awaiting_supplement: tuple[Dossier, ...]
    awaiting_leader: tuple[Dossier, ...]
    submitted: tuple[Dossier, ...] = ()


def all_dossiers(uow: UnitOfWork) -> Iterator[Dossier]:
    """Every stored dossier, in code order."""
    after: str | None = None
    while page := uow.repository(DOSSIERS).page(after=after, limit=_PAGE):
        yield from page
        after = DOSSIERS.key(page[-1])


def _open(dossier: Dossier) -> bool:
    return dossier.finished_at is None and not dossier.is_final and dossier.due_at is not None


def build_queues(
    dossiers: Iterable[Dossier], *, unit: str, leader_units: frozenset[str], now: dt.datetime
) -> Queues:
    """Sort ``dossiers`` into the queues of ``unit`` at ``now``.

    Args:
        dossiers: The dossiers to sort.
        unit: The officer's unit.
        leader_units: The units leaders belong to ("awaiting a leader").
        now: The instant (late means due before it; today is Vietnam's day).
    """
    today = to_local(now).date()
    queues: dict[str, list[Dossier]] = {f.name: [] for f in attrs.fields(Queues)}
    for d in dossiers:
        if d.state is DossierState.SUBMITTED:
            queues["submitted"].append(d)
        if d.state is DossierState.AWAITING_SUPPLEMENT:
            queues["awaiting_supplement"].append(d)
        if not _open(d) or d.due_at is None:
            continue
        if d.holder_unit == unit:
            queues["mine"].append(d)
        if d.state is DossierState.AWAITING_SUPPLEMENT:
            pass  # the clock is paused until the supplement arrives
        elif d.due_at < now:
            queues["late"].append(d)
        elif to_local(d.due_at).date() == today:
            queues["due_today"].append(d)
        if d.holder_unit in leader_units:
            queues["awaiting_leader"].append(d)
    return Queues(**{name: tuple(sorted(q, key=_due)) for name, q in queues.items()})


def _due(dossier: Dossier) -> tuple[dt.datetime, str]:
    return (dossier.due_at or dossier.submitted_at, str(dossier.code))
