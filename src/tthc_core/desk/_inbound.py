"""Online dossiers that arrive from another system, into the desk's intake queue.

A dossier filed elsewhere (submitted on the national portal, Cổng DVCQG, and
fetched by the sync engine; or filed through chat) is registered once as an
online submission: state ``SUBMITTED``, national status 1, so it waits in the
desk's "online to check" queue until an officer receives, returns or refuses
it (Decree 61/2018 Art. 17(2)). An :class:`InboundFiling` keeps where it came
from and its reference there: for the portal, the national code (``MaHoSo``).
The desk allocates its own code and keeps the national one beside it, as
systems taking dossiers from the portal do (reference ``dvcqg-sync.md`` §4.3,
Thanh Hóa's DVC liên thông client; §7: two codes per dossier are the norm).

Arrivals come through the inbox (:func:`intake_handler`): the puller stores
each one durably first and only then acknowledges it to the sender, and the
filing's key ``<source>:<reference>`` makes a second delivery a no-op.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import cattrs

from tthc_core.calendar import to_local
from tthc_core.codes import DossierCode
from tthc_core.desk._config import Desk, UnknownProcedure
from tthc_core.desk._numbering import find_dossier
from tthc_core.dossier import Channel, Dossier, submit
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant
from tthc_core.portal import record_change
from tthc_core.serialization import converter
from tthc_core.storage import AggregateKind, Handler, InboundEvent, Index, UnitOfWork
from tthc_core.storage.kinds import DOSSIERS
from tthc_core.validators import aware

__all__ = [
    "INBOUND_FILINGS",
    "InboundFiling",
    "IntakeRequest",
    "filing_of",
    "intake_handler",
    "read_intake",
    "take_in",
]


def _text(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip() or len(value) > 200:
        raise InvalidInput(f"{attribute.name} must be 1 to 200 characters, got {value!r}")


@attrs.frozen
class IntakeRequest:
    """An online dossier to take in, as its source delivered it.

    Args:
        source: Where it came from (``"portal:dvcqg"``, ``"zalo"``...).
        reference: Its id there (for the portal, the national code ``MaHoSo``).
        procedure_code: The procedure, as in the desk's catalogue.
        applicant: Who filed it.
        submitted_at: When it was filed there.
    """

    source: str = attrs.field(validator=_text)
    reference: str = attrs.field(validator=_text)
    procedure_code: str = attrs.field(validator=_text)
    applicant: Applicant
    submitted_at: dt.datetime = attrs.field(validator=aware)


@attrs.frozen
class InboundFiling:
    """Which local dossier an arrival became (the intake queue's record of its source).

    Args:
        source: Where it came from.
        reference: Its id there (the national code for the portal).
        dossier_code: The local dossier's code.
        arrived_at: When this desk took it in.
        version: Storage's optimistic-concurrency version.
    """

    source: str
    reference: str
    dossier_code: DossierCode
    arrived_at: dt.datetime = attrs.field(validator=aware)
    version: int = 0

    @property
    def key(self) -> str:
        """``<source>:<reference>``: one filing per arrival, whatever the deliveries."""
        return f"{self.source}:{self.reference}"


#: Inbound filings, keyed by source and reference, found by dossier code.
INBOUND_FILINGS: AggregateKind[InboundFiling] = AggregateKind(
    "inbound_filing",
    InboundFiling,
    key=lambda f: f.key,
    index=lambda f: Index(state=f.source, dossier_code=str(f.dossier_code)),
)


def take_in(
    uow: UnitOfWork, desk: Desk, request: IntakeRequest, *, at: dt.datetime
) -> tuple[Dossier, bool]:
    """Register an arrival as an online submission once; the dossier and whether it is new.

    The local code is dated on the day the dossier reaches this desk (``at``),
    so the desk can receive it that day under it (Circular 01/2018 Art. 19: the
    code carries the receipt date; a later day needs ``ReceiveDossier.code``).
    The submission time stays the portal's; one after ``at`` (the sender's
    clock ahead of ours) is taken as ``at``.

    Raises:
        UnknownProcedure: If the catalogue has no such procedure (the inbox parks
            the arrival until the procedure is added).
        ChannelNotOffered: If the procedure has no online service.
    """
    filings = uow.repository(INBOUND_FILINGS)
    key = f"{request.source}:{request.reference}"
    held = filings.get(key)
    if held is not None:
        dossier = find_dossier(uow, held.dossier_code)
        if dossier is None:
            raise InvalidInput(f"{key} was taken in as {held.dossier_code}, which is not stored")
        return dossier, False
    procedure = uow.catalogue.get(request.procedure_code)
    if procedure is None:
        raise UnknownProcedure(
            f"{key}: procedure {request.procedure_code} is not in this desk's catalogue; "
            "add it, then retry the parked inbox event"
        )
    when = min(to_local(request.submitted_at), to_local(at))
    day = to_local(at).date()  # the day it reaches this desk: received that day, no renumbering
    code = DossierCode(desk.agency, day, uow.sequences.next_sequence(desk.agency, day))
    dossier, events = submit(
        code=code,
        procedure=procedure,
        applicant=request.applicant,
        channel=Channel.ONLINE,
        at=when,
    )
    saved = uow.repository(DOSSIERS).save(dossier, events)
    filings.save(InboundFiling(request.source, request.reference, code, to_local(at)))
    record_change(uow, saved, desk.portal_targets)
    return saved, True


def filing_of(uow: UnitOfWork, dossier: Dossier) -> InboundFiling | None:
    """The arrival ``dossier`` came from, if any (also under its submission code)."""
    filings = uow.repository(INBOUND_FILINGS)
    for code in (dossier.code, dossier.submitted_as):
        if code is not None and (found := filings.for_dossier(code)):
            return found[0]
    return None


def read_intake(payload: Mapping[str, Any]) -> IntakeRequest:
    """The :class:`IntakeRequest` of an inbox payload (``converter.unstructure`` of one).

    Raises:
        InvalidInput: If a field is missing or malformed (the message names it).
    """
    try:
        return converter.structure(dict(payload), IntakeRequest)
    except cattrs.BaseValidationError as exc:
        why = "; ".join(cattrs.transform_error(exc))
        raise InvalidInput(f"inbound dossier payload is malformed: {why}") from None
    except (InvalidInput, KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"inbound dossier payload is malformed: {exc}") from None


def intake_handler(desk: Desk) -> Handler:
    """The inbox handler that takes each arrival in (register it under the source's name)."""

    def handle(uow: UnitOfWork, event: InboundEvent) -> None:
        take_in(uow, desk, read_intake(event.payload), at=event.received_at)

    return handle
