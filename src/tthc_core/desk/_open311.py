"""Citizens' reports posted by client applications (Open311 GeoReport v2 ``POST requests``).

A post becomes a case through the same core path as a chat message
(:func:`tthc_core.complaint.receive`, channel ``OPEN311``), with the kind's
statutory deadline. What a post may carry is read by :func:`read_filing`
against the service's definition (:data:`tthc_core.complaint.GEO_SERVICES`):

* only kinds a client application may file: service feedback and petitions.
  Complaints and denunciations are refused with the reason and where to file
  (see :mod:`tthc_core.complaint._open311_services` for the law);
* a petition names its sender (first/last name), a phone and a contact address
  (Decree 20/2008/NĐ-CP Art. 6-7: written petitions give name, address and
  phone) — all confidential, never published;
* service feedback may be anonymous; if it names a dossier (``ma_ho_so``) the
  dossier must be this desk's (as in chat);
* ``lat``/``long`` come together; ``address_string``/``address_id`` are kept
  with the sender's words (confidential): an address may be a person's home.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence

import attrs

from tthc_core.codes import DossierCode, InvalidDossierCode
from tthc_core.complaint import (
    ATTRIBUTE_ADDRESS,
    ATTRIBUTE_DOSSIER,
    ATTRIBUTE_PROPOSAL,
    ATTRIBUTE_REGULATION,
    Attachment,
    Case,
    CaseKind,
    GeoPoint,
    GeoService,
    geo_service,
    receive,
)
from tthc_core.complaint import Channel as CaseChannel
from tthc_core.desk._config import Desk
from tthc_core.desk._numbering import find_dossier
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant
from tthc_core.storage import UnitOfWork
from tthc_core.storage.kinds import COMPLAINTS

__all__ = [
    "MAX_DESCRIPTION",
    "FilingRefused",
    "Open311Filing",
    "UnknownService",
    "file_open311",
    "read_filing",
]

#: GeoReport v2 POST ``description``: "limited to 4,000 characters".
MAX_DESCRIPTION = 4000
_SHORT = 200
_URL = re.compile(r"https?://[^\s<>\"]{1,2040}", re.IGNORECASE)
_NUMBER = re.compile(r"[+-]?(?:[0-9]{1,3}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})(?:[eE][+-]?[0-9]{1,3})?")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


class UnknownService(InvalidInput):
    """A ``service_code`` no service has (GeoReport: 404)."""


class FilingRefused(InvalidInput):
    """A kind a client application may not file (complaints, denunciations)."""


@attrs.frozen
class Open311Filing:
    """A post, read and checked: what :func:`file_open311` files.

    Args:
        service: The service posted to.
        description: The sender's words (confidential).
        sender: The sender, if named (confidential).
        location: The point, if given.
        place: ``address_string`` / ``address_id`` as given (confidential).
        dossier_code: The dossier service feedback is about.
        attachments: ``media_url``.
        extra: Other attribute lines kept with the words (regulation, proposal).
        account_id: The client application's account id of the sender (echoed).
    """

    service: GeoService
    description: str
    sender: Applicant | None = None
    location: GeoPoint | None = None
    place: str = ""
    dossier_code: DossierCode | None = None
    attachments: tuple[Attachment, ...] = ()
    extra: tuple[str, ...] = ()
    account_id: str | None = None

    @property
    def content(self) -> str:
        """The confidential text the case keeps: the words, the attributes, the place."""
        lines = [self.description, *self.extra]
        if self.place:
            lines.append(f"Địa điểm (người gửi ghi): {self.place}")
        return "\n".join(line for line in lines if line)


def _text(fields: Mapping[str, str], name: str, limit: int = _SHORT) -> str:
    value = (fields.get(name) or "").strip()
    if len(value) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters")
    if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
        raise InvalidInput(f"{name} holds control characters")
    return value


def _degrees(fields: Mapping[str, str], name: str) -> float:
    text = fields[name].strip()
    if not _NUMBER.fullmatch(text):
        raise InvalidInput(f"{name} must be decimal degrees (WGS84), e.g. 12.6781; got {text!r}")
    return float(text)


def _location(fields: Mapping[str, str]) -> GeoPoint | None:
    given = [name for name in ("lat", "long") if (fields.get(name) or "").strip()]
    if not given:
        return None
    if len(given) == 1:
        raise InvalidInput("lat and long must be sent together (GeoReport v2 POST)")
    lat, long = _degrees(fields, "lat"), _degrees(fields, "long")
    if not (math.isfinite(lat) and math.isfinite(long)):
        raise InvalidInput("lat and long must be finite numbers")
    return GeoPoint(lat, long)


def _attributes(service: GeoService, given: Mapping[str, Sequence[str]]) -> dict[str, str]:
    known = {a.code: a for a in service.attributes if a.variable}
    if unknown := sorted(set(given) - set(known)):
        raise InvalidInput(
            f"service {service.code} has no attribute {', '.join(unknown)}; "
            f"its attributes: {', '.join(sorted(known)) or 'none'}"
        )
    values: dict[str, str] = {}
    for code, attribute in known.items():
        raw = [v.strip() for v in given.get(code, ()) if v.strip()]
        if len(raw) > 1:
            raise InvalidInput(f"attribute[{code}] takes one value, got {len(raw)}")
        value = raw[0] if raw else ""
        if attribute.required and not value:
            raise InvalidInput(f"attribute[{code}] is required: {attribute.description}")
        if len(value) > attribute.max_length:
            raise InvalidInput(
                f"attribute[{code}] is longer than {attribute.max_length} characters"
            )
        values[code] = value
    return values


def _sender(fields: Mapping[str, str], address: str) -> Applicant | None:
    # Vietnamese names read family name first: "Trần Văn" + "Bình".
    name = " ".join(p for p in (_text(fields, "last_name"), _text(fields, "first_name")) if p)
    phone = _text(fields, "phone") or None
    email = _text(fields, "email") or None
    if not name:
        if phone or email or address:
            raise InvalidInput("give first_name/last_name with a phone, e-mail or address")
        return None
    return Applicant(name, address=address, phone=phone, email=email)


def read_filing(
    service_code: str, fields: Mapping[str, str], attributes: Mapping[str, Sequence[str]]
) -> Open311Filing:
    """Read a GeoReport v2 post against its service's definition.

    Args:
        service_code: ``service_code``.
        fields: The other single-valued fields (``description``, ``lat``, ...).
        attributes: ``attribute[code]`` values.

    Raises:
        UnknownService: For a code no service has.
        FilingRefused: For a kind a client application may not file.
        InvalidInput: For anything else malformed or missing (the reason names it).
    """
    service = geo_service(service_code.strip())
    if service is None:
        raise UnknownService(f"no service has service_code {service_code.strip()!r}")
    if service.refusal is not None:
        raise FilingRefused(service.refusal, rule=service.basis)
    description = _text(fields, "description", MAX_DESCRIPTION)
    if not description:
        raise InvalidInput("description is required: say what the report is about")
    if _HTML.search(description):
        raise InvalidInput("description may contain line breaks but no HTML (GeoReport v2)")
    values = _attributes(service, attributes)
    sender = _sender(fields, values.get(ATTRIBUTE_ADDRESS, ""))
    if service.kind is CaseKind.PETITION and (sender is None or not sender.phone):
        raise InvalidInput(
            "a petition gives the sender's name (first_name, last_name), phone and "
            f"attribute[{ATTRIBUTE_ADDRESS}]; they stay confidential",
            rule="Nghị định 20/2008/NĐ-CP Điều 6-7",
        )
    media = _text(fields, "media_url", 2048)
    if media and not _URL.fullmatch(media):
        raise InvalidInput("media_url must be an http(s) URL without spaces")
    dossier = None
    if code := values.get(ATTRIBUTE_DOSSIER):
        try:
            dossier = DossierCode.parse(code)
        except InvalidDossierCode as exc:
            raise InvalidInput(f"attribute[{ATTRIBUTE_DOSSIER}]: {exc.reason}") from None
    place = ", ".join(
        p for p in (_text(fields, "address_string"), _text(fields, "address_id")) if p
    )
    extra = tuple(
        f"{label}: {values[code]}"
        for code, label in ((ATTRIBUTE_REGULATION, "Quy định"), (ATTRIBUTE_PROPOSAL, "Kiến nghị"))
        if values.get(code)
    )
    return Open311Filing(
        service=service,
        description=description,
        sender=sender,
        location=_location(fields),
        place=place,
        dossier_code=dossier,
        attachments=(Attachment(media),) if media else (),
        extra=extra,
        account_id=_text(fields, "account_id") or None,
    )


def file_open311(
    uow: UnitOfWork, desk: Desk, filing: Open311Filing, *, case_id: str, at: dt.datetime
) -> Case:
    """File a post as a case, in the caller's unit of work (the caller commits).

    Args:
        uow: The unit of work.
        desk: The desk (its agency receives the case; its calendar sets the deadline).
        filing: The post, read by :func:`read_filing`.
        case_id: The new case's id (from the caller's id source).
        at: When it was received.

    Raises:
        InvalidInput: If service feedback names a dossier this desk does not hold.
    """
    code = filing.dossier_code
    if code is not None and find_dossier(uow, code) is None:
        raise InvalidInput(
            f"no dossier {code} is held by {desk.agency_name}; check the code on the receipt"
        )
    feedback = filing.service.kind is CaseKind.SERVICE_FEEDBACK
    case, events = receive(
        case_id=case_id,
        kind=filing.service.kind,
        at=at,
        channel=CaseChannel.OPEN311,
        agency=desk.complaints,
        deadlines=desk.deadlines,
        sender=filing.sender,
        content=filing.content,
        attachments=filing.attachments,
        dossier_code=code,
        desk=desk.unit if feedback and code is None else None,
        location=filing.location,
    )
    return uow.repository(COMPLAINTS).save(case, events)
