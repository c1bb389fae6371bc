"""The configuration of one one-stop desk, passed to every service function."""

from __future__ import annotations

from typing import Protocol

import attrs

from tthc_core.calendar import Deadlines
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.complaint import ReceivingAgency
from tthc_core.delivery import AdministrativeUnits, PostalOrder, Quote, ResolvedAddress
from tthc_core.errors import InvalidInput, TthcError
from tthc_core.filing import IdentityProvider
from tthc_core.receipt import KeyRing, ReceiptCodec

__all__ = [
    "Desk",
    "DossierNotFound",
    "FeeAccount",
    "PostageQuotes",
    "ShipmentUnknown",
    "UnknownProcedure",
]


class PostageQuotes(Protocol):
    """Port: the postal operator's price for an order (a ``PostalService`` is one)."""

    def quote(self, order: PostalOrder) -> Quote:
        """Price ``order`` without booking it.

        Raises:
            PostalServiceError: If the operator cannot price it now.
        """
        ...


@attrs.frozen
class FeeAccount:
    """The account fees are paid into by VietQR (NAPAS 247).

    Args:
        bank_bin: The bank's 6-digit BIN.
        account: The account number.
        purpose: The purpose shown to the payer (ASCII, at most 25 characters).
    """

    bank_bin: str
    account: str
    purpose: str = "Phi le phi TTHC"


class UnknownProcedure(InvalidInput):
    """A procedure code that is not in the desk's catalogue."""


class DossierNotFound(TthcError):  # noqa: N818 - reads best at call sites
    """No dossier has this code at this desk.

    Attributes:
        code: The code looked up.
    """

    def __init__(self, code: DossierCode) -> None:
        super().__init__(f"no dossier {code} is stored here; check the code on the receipt")
        self.code = code


class ShipmentUnknown(InvalidInput):
    """A postal report or command about a shipment that is not stored here."""


@attrs.frozen
class Desk:
    """One one-stop desk (Bộ phận Một cửa / Trung tâm Phục vụ hành chính công).

    Args:
        agency: The receiving agency's electronic identifier.
        agency_name: Its name, as printed on forms.
        unit: The desk's own unit name, first row of every control sheet.
        deadlines: The agency's calendar and office hours.
        codec: The receipt QR codec (lookup base URL).
        keys: The receipt signing keys.
        complaints: The agency as a receiver of feedback and complaints.
        sender_address: The agency's resolved postal address (sender of results).
        units: The administrative-units port, to check delivery addresses.
        chat_channel: The chat platform replies go to (outbox channel).
        portal_targets: National-portal sync targets told of every dossier
            change, in the same unit of work (``tthc_core.portal.record_change``).
        postage: Prices a postal return before the citizen confirms it in
            chat (``None``: the citizen is told the price follows the
            operator's published rates).
        fee_account: Where fees are paid by VietQR (``None``: at the desk only).
        identity: The electronic identity provider (VNeID) for procedures that
            need a verified identity (``None``: none offered).
    """

    agency: AgencyCode
    agency_name: str
    unit: str
    deadlines: Deadlines
    codec: ReceiptCodec
    keys: KeyRing
    complaints: ReceivingAgency
    sender_address: ResolvedAddress
    units: AdministrativeUnits
    chat_channel: str = "zalo"
    portal_targets: tuple[str, ...] = ()
    postage: PostageQuotes | None = None
    fee_account: FeeAccount | None = None
    identity: IdentityProvider | None = None
