"""Dossier codes dated on the receipt day, and finding a dossier by either of its codes.

Circular 01/2018/TT-VPCP Art. 19: the ``YYMMDD`` of the dossier code is the
day the desk *receives* the dossier. An online dossier (filed in chat, or
taken in from the national portal) is registered at once under a
submission code of its submission day, so the citizen can follow it; when
the desk receives it on a later day, :func:`numbered_at_receipt` allocates
the code from the receipt day's sequence and the dossier is known by it
from then on (``Dossier.code``; the submission code stays in
``Dossier.submitted_as``).

The store keeps the dossier under its first key (``DOSSIERS.key``: the
submission code), so its history, its followers and the filing that
produced it stay where they were; :func:`find_dossier` finds it under
either code (the new one through the indexed ``dossier_code`` column).
"""

from __future__ import annotations

import datetime as dt

import attrs

from tthc_core.calendar import to_local
from tthc_core.codes import DossierCode
from tthc_core.dossier import Command, Dossier, DossierState, ReceiveDossier
from tthc_core.links import CitizenLink
from tthc_core.storage import ReadUnitOfWork, UnitOfWork
from tthc_core.storage.kinds import DOSSIERS

__all__ = ["find_dossier", "followers", "numbered_at_receipt"]


def find_dossier(uow: ReadUnitOfWork, code: DossierCode | str) -> Dossier | None:
    """The dossier known by ``code``: its submission code (the key) or its receipt code."""
    repo = uow.repository(DOSSIERS)
    found = repo.get(str(code))
    if found is not None:
        return found
    return next((d for d in repo.for_dossier(str(code)) if str(d.code) == str(code)), None)


def followers(uow: ReadUnitOfWork, dossier: Dossier) -> list[CitizenLink]:
    """Who follows the dossier: under its code and, renumbered at receipt, its submission code.

    An account following it under both codes is told once.
    """
    links = list(uow.links.for_dossier(dossier.code))
    if dossier.submitted_as is not None:
        known = {(link.channel, link.user_id) for link in links}
        links += [
            link
            for link in uow.links.for_dossier(dossier.submitted_as)
            if (link.channel, link.user_id) not in known
        ]
    return links


def numbered_at_receipt(
    uow: UnitOfWork, dossier: Dossier, command: Command, *, at: dt.datetime
) -> Command:
    """``command``, with the receipt day's code if it receives a dossier submitted another day.

    Only a :class:`ReceiveDossier` of a submitted dossier without a code of
    its own is changed; the number is taken from the receipt day's sequence
    of the dossier's agency only then, so a dossier refused or returned at
    intake takes none (Decree 61/2018/NĐ-CP Art. 17(3)).
    """
    if not isinstance(command, ReceiveDossier) or command.code is not None:
        return command
    day = to_local(at).date()
    if dossier.state is not DossierState.SUBMITTED or dossier.code.received_on == day:
        return command
    agency = dossier.code.agency
    code = DossierCode(agency, day, uow.sequences.next_sequence(agency, day))
    return attrs.evolve(command, code=code)
