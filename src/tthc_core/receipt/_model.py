"""The receipt, Mẫu 01 "Giấy tiếp nhận hồ sơ và hẹn trả kết quả".

Fields follow the 2018 layout of Circular 01/2018/TT-VPCP (Art. 9, Mẫu 01;
vn-one-stop-rules.md §2.2); Circular 03/2025/TT-VPCP Phụ lục I keeps a form
01 of the same name. The receipt is issued only for a complete, correct
dossier (Decree 61/2018/NĐ-CP Art. 17(1)(c)), and the due time is printed to
the minute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from tthc_core.calendar import Deadlines, Duration, to_local
from tthc_core.catalogue import Fee, Procedure, RequiredDocument
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.document_text import place_name_of
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.regime import Form, Regime, regime_for
from tthc_core.text import nfc
from tthc_core.validators import non_blank as _non_blank

__all__ = ["DEFAULT_DESK_NAME", "LogBookEntry", "Receipt", "ReceivingAgency", "issue_receipt"]

#: The desk's name in the 2018 form ("Bộ phận tiếp nhận và trả kết quả").
DEFAULT_DESK_NAME = "Bộ phận Tiếp nhận và Trả kết quả"


def _documents(value: Iterable[RequiredDocument]) -> tuple[RequiredDocument, ...]:
    return tuple(value)


def _fees(value: Iterable[Fee]) -> tuple[Fee, ...]:
    return tuple(value)


@attrs.frozen
class ReceivingAgency:
    """The agency whose desk receives the dossier (the form's header).

    Args:
        code: Its electronic identifier (the first part of dossier codes).
        name: Its name, such as ``"UBND xã Krông Năng"``.
        desk_name: The one-stop desk's name.
        place: The place name of the "…, ngày … tháng … năm …" line; empty
            to take it from ``name`` (:attr:`place_name`).
    """

    code: AgencyCode
    name: str = attrs.field(converter=nfc, validator=_non_blank)
    desk_name: str = attrs.field(default=DEFAULT_DESK_NAME, converter=nfc, validator=_non_blank)
    place: str = attrs.field(default="", converter=nfc)

    @property
    def place_name(self) -> str:
        """The place name that opens the place-and-date line: ``"Krông Năng"``.

        Decree 30/2020/NĐ-CP Phụ lục I: the line starts with the name of the
        administrative unit where the agency sits, not the agency's name.
        Without an explicit ``place`` it is the agency's own unit in ``name``:
        the words after its first administrative-unit word (``"UBND xã Krông
        Năng"`` → ``"Krông Năng"``; ``"Trung tâm Phục vụ hành chính công tỉnh
        Đắk Lắk"`` → ``"Đắk Lắk"``), or the whole name when it has none.
        """
        if self.place.strip():
            return self.place.strip()
        return place_name_of(self.name)


@attrs.frozen
class LogBookEntry:
    """Where the dossier is entered in the log book (Sổ theo dõi hồ sơ).

    Circular 01/2018 Art. 10: one book a year, numbered continuously from 01.

    Args:
        volume: The volume (Quyển số), such as ``"01/2026"``.
        number: The running number (Số thứ tự), from 1.
    """

    volume: str = attrs.field(validator=_non_blank)
    number: int = attrs.field()

    @number.validator
    def _check_number(self, _: object, value: int) -> None:
        if value < 1:
            raise InvalidInput(f"log-book number must be at least 1, got {value}")


def _to_the_minute(_: object, attribute: attrs.Attribute[dt.datetime], value: dt.datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{attribute.name} must be an aware datetime")
    if value.second or value.microsecond:
        raise InvalidInput(f"{attribute.name} is printed to the minute; got seconds in {value}")


@attrs.frozen(kw_only=True)
class Receipt:
    """A Mẫu 01 receipt.

    Args:
        agency: The receiving agency.
        dossier_code: The dossier code; its agency part must be ``agency.code``
            (Decree 61/2018 Art. 26) and its date the local date of
            ``received_at`` (Circular 01/2018 Art. 19).
        applicant: Tiếp nhận hồ sơ của (name, address, phone, e-mail).
        procedure_code: The procedure's code.
        procedure_name: Nội dung yêu cầu giải quyết (the procedure's name).
        documents: Item 1, the documents received, with copy type and count.
        sets: Item 2, the number of sets (bộ).
        processing_time: Item 3, the legal processing time.
        received_at: Item 4, when the dossier was received (to the minute).
        due_at: Item 5, when the result is due (to the minute).
        return_channel: Item 6, where the result is collected.
        postal_address: The delivery address, required for postal return.
        log_book: The log-book volume and number.
        officer: The receiving officer (người tiếp nhận hồ sơ).
        fees: Fees and charges (phí, lệ phí), printed by local variants.

    Raises:
        InvalidInput: If a field breaks one of the rules above.
    """

    agency: ReceivingAgency
    dossier_code: DossierCode = attrs.field()
    applicant: Applicant
    procedure_code: ProcedureCode
    procedure_name: str = attrs.field(converter=nfc, validator=_non_blank)
    documents: tuple[RequiredDocument, ...] = attrs.field(converter=_documents)
    sets: int = attrs.field(default=1)
    processing_time: Duration
    received_at: dt.datetime = attrs.field(validator=_to_the_minute)
    due_at: dt.datetime = attrs.field(validator=_to_the_minute)
    return_channel: ReturnChannel = ReturnChannel.DESK
    postal_address: PostalAddress | None = attrs.field(default=None)
    log_book: LogBookEntry
    officer: str = attrs.field(converter=nfc, validator=_non_blank)
    fees: tuple[Fee, ...] = attrs.field(default=(), converter=_fees)

    @dossier_code.validator
    def _check_code(self, _: object, value: DossierCode) -> None:
        if value.agency != self.agency.code:
            raise InvalidInput(
                f"dossier code {value} belongs to agency {value.agency}, not to the receiving "
                f"agency {self.agency.code}",
                rule="Decree 61/2018/NĐ-CP Art. 26",
            )

    @documents.validator
    def _check_documents(self, _: object, value: tuple[RequiredDocument, ...]) -> None:
        if not value:
            raise InvalidInput(
                "a receipt lists at least one received document (Mẫu 01 item 1)",
                rule="Decree 61/2018/NĐ-CP Art. 17(1)(c)",
            )

    @sets.validator
    def _check_sets(self, _: object, value: int) -> None:
        if value < 1:
            raise InvalidInput(f"number of sets must be at least 1, got {value}")

    @due_at.validator
    def _check_times(self, _: object, value: dt.datetime) -> None:
        received_on = to_local(self.received_at).date()
        if received_on != self.dossier_code.received_on:
            raise InvalidInput(
                f"dossier code {self.dossier_code} is dated {self.dossier_code.received_on}, "
                f"but the dossier was received on {received_on}",
                rule="Circular 01/2018/TT-VPCP Art. 19",
            )
        if value <= self.received_at:
            raise InvalidInput(
                f"due time {value} must be after the receipt time {self.received_at}; "
                "immediate-result procedures get no appointment",
                rule="Decree 61/2018/NĐ-CP Art. 17(4)",
            )

    @postal_address.validator
    def _check_postal(self, _: object, value: PostalAddress | None) -> None:
        postal = self.return_channel is ReturnChannel.POSTAL
        if postal and value is None:
            raise InvalidInput(
                "return by public post needs a delivery address",
                rule="Decision 45/2016/QĐ-TTg Art. 5",
            )
        if not postal and value is not None:
            raise InvalidInput(
                f"a postal address is given but the result is returned by "
                f"{self.return_channel.value}; choose the postal channel or drop the address"
            )

    @property
    def regime(self) -> Regime:
        """The rule version in force on the receipt date."""
        return regime_for(self.dossier_code.received_on)

    @property
    def form_label(self) -> str:
        """``"Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả"`` under the receipt's regime."""
        return self.regime.form_label(Form.RECEIPT)


def issue_receipt(
    *,
    agency: ReceivingAgency,
    dossier_code: DossierCode,
    applicant: Applicant,
    procedure: Procedure,
    received_at: dt.datetime,
    deadlines: Deadlines,
    log_book: LogBookEntry,
    officer: str,
    documents: tuple[RequiredDocument, ...] | None = None,
    sets: int = 1,
    return_channel: ReturnChannel = ReturnChannel.DESK,
    postal_address: PostalAddress | None = None,
) -> Receipt:
    """Issue a receipt for a procedure, computing the due time from its legal processing time.

    Args:
        agency: The receiving agency.
        dossier_code: The code allocated to the dossier.
        applicant: The applicant.
        procedure: The catalogue entry (code, name, processing time, documents, fees).
        received_at: When the dossier was received.
        deadlines: Working-time arithmetic of the agency.
        log_book: The log-book entry.
        officer: The receiving officer.
        documents: Documents actually received; defaults to the procedure's list.
        sets: Number of sets.
        return_channel: Where the result is collected.
        postal_address: The delivery address for postal return.

    Raises:
        InvalidInput: If the receipt would break a rule of :class:`Receipt`.
    """
    return Receipt(
        agency=agency,
        dossier_code=dossier_code,
        applicant=applicant,
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        documents=procedure.documents if documents is None else documents,
        sets=sets,
        processing_time=procedure.processing_time,
        received_at=received_at,
        due_at=deadlines.due(received_at, procedure.processing_time),
        return_channel=return_channel,
        postal_address=postal_address,
        log_book=log_book,
        officer=officer,
        fees=procedure.fees,
    )
