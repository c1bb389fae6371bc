"""Intake from any channel: chat, desk, web, Open311, post, phone.

Attachments are references (URIs or storage ids), never bytes. Complaints and
denunciations need an identified sender: at least a name and an address (Law on
Complaints 02/2011/QH13 Art. 8(2); Law on Denunciations 25/2018/QH14 Art. 23(1)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tthc_core.calendar import Deadlines
from tthc_core.codes import DossierCode
from tthc_core.complaint import _events as ev
from tthc_core.complaint._case import apply_event
from tthc_core.complaint._kinds import (
    Attachment,
    CaseKind,
    Channel,
    ComplaintLevel,
    ReceivingAgency,
    Step,
)
from tthc_core.complaint._location import GeoPoint
from tthc_core.complaint._rules import Result, start_clock, text
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant
from tthc_core.text import nfc

__all__ = ["MissingIdentity", "receive"]

_IDENTITY_RULES = {
    CaseKind.COMPLAINT: "Law on Complaints 02/2011/QH13 Art. 8(2)",
    CaseKind.DENUNCIATION: "Law on Denunciations 25/2018/QH14 Art. 23(1)",
}


class MissingIdentity(InvalidInput):
    """A complaint or denunciation without the sender's name and address."""


def _check_sender(kind: CaseKind, sender: Applicant | None) -> None:
    if not kind.needs_identity:
        return
    missing = [
        part
        for part, value in (
            ("name", sender and sender.name),
            ("address", sender and sender.address),
        )
        if not (value and value.strip())
    ]
    if missing:
        raise MissingIdentity(
            f"a {kind.value} must give the sender's {' and '.join(missing)}; ask for them "
            "before filing (the sender's identity stays confidential)",
            rule=_IDENTITY_RULES[kind],
        )


def receive(
    *,
    case_id: str,
    kind: CaseKind,
    at: dt.datetime,
    channel: Channel,
    agency: ReceivingAgency,
    deadlines: Deadlines,
    sender: Applicant | None = None,
    content: str = "",
    attachments: Iterable[Attachment] = (),
    public_summary: str = "",
    dossier_code: DossierCode | None = None,
    desk: str | None = None,
    location: GeoPoint | None = None,
) -> Result:
    """Receive and log a case (tiếp nhận, vào sổ); its acceptance period starts.

    Args:
        case_id: The id the caller's id port issued.
        kind: What it is (a complaint starts at the first level).
        at: When it was received.
        channel: How it arrived.
        agency: The receiving agency (its remote-area flag selects limits).
        deadlines: The agency's calendar.
        sender: The sender; required with name and address for complaints and
            denunciations.
        content: The sender's words.
        attachments: References to files.
        public_summary: A summary safe to publish (Open311 ``description``).
        dossier_code: The dossier service feedback is about.
        desk: The desk service feedback is about.
        location: Where it is about, if the sender gave a point (Open311 ``lat``/``long``).

    Raises:
        MissingIdentity: A complaint or denunciation without name and address.
        InvalidInput: A blank id, no content, a non-reference attachment, or
            service feedback about neither a dossier nor a desk.
    """
    refs = tuple(attachments)
    for ref in refs:
        if not isinstance(ref, Attachment):
            raise InvalidInput(f"attachments must be Attachment references, got {type(ref)!r}")
    if not content.strip() and not refs:
        raise InvalidInput("a case needs the sender's words or at least one attachment")
    _check_sender(kind, sender)
    if kind is CaseKind.SERVICE_FEEDBACK and dossier_code is None and not (desk or "").strip():
        raise InvalidInput("service feedback must be about a dossier (its code) or a desk")
    level = ComplaintLevel.FIRST if kind is CaseKind.COMPLAINT else None
    event = ev.CaseReceived(
        occurred_at=at,
        case_id=text(case_id, "case id"),
        kind=kind,
        level=level,
        channel=channel,
        agency=agency,
        sender=sender,
        content=nfc(content.strip()),
        attachments=refs,
        public_summary=nfc(public_summary.strip()),
        dossier_code=dossier_code,
        desk=None if desk is None else text(desk, "desk"),
        clock=start_clock(kind, level, Step.ACCEPT, at=at, agency=agency, deadlines=deadlines),
        location=location,
    )
    return apply_event(None, event), [event]
