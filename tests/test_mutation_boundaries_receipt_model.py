"""Issuing a Mẫu 01 receipt keeps every argument given (``tthc_core.receipt._model``, issue 15).

Circular 01/2018/TT-VPCP Mẫu 01; Decree 61/2018 Art. 17: the receipt names the procedure by code
and name, the documents actually received, the number of sets, the return channel and address,
and the fees; the times on it are aware and printed to the minute.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from tthc_adapters.calendar import default_deadlines
from tthc_core.calendar import VN_TZ, Duration
from tthc_core.catalogue import CopyType, Fee, Procedure, RequiredDocument
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant, PostalAddress, ReturnChannel
from tthc_core.receipt import LogBookEntry, Receipt, ReceivingAgency, issue_receipt

D = default_deadlines()
AGENCY = ReceivingAgency(AgencyCode("000.24.31.H15"), "UBND xã Krông Năng", place="Krông Năng")
RECEIVED = dt.datetime(2026, 11, 27, 9, 15, tzinfo=VN_TZ)
CODE = DossierCode(AGENCY.code, RECEIVED.date(), 12)
APPLICANT = Applicant("Nguyễn Thị Hồng", "Buôn Ea Blang, xã Krông Năng", "0912 345 678")
PROCEDURE = Procedure(
    code=ProcedureCode.parse("1.001193"),
    name="Cấp bản sao trích lục hộ tịch",
    sector="Hộ tịch",
    processing_time=Duration.working_days(3),
    documents=(RequiredDocument("Tờ khai"), RequiredDocument("Giấy chứng sinh", CopyType.ORIGINAL)),
    fees=(Fee("Phí cấp bản sao trích lục hộ tịch", 8_000),),
)
ADDRESS = PostalAddress("Nguyễn Thị Hồng", "0912 345 678", "Buôn Ea Blang", "24346", "66")


def test_every_argument_given_is_on_the_receipt() -> None:
    received = (RequiredDocument("Tờ khai"),)
    log_book = LogBookEntry("01/2026", 125)
    receipt = issue_receipt(
        agency=AGENCY, dossier_code=CODE, applicant=APPLICANT, procedure=PROCEDURE,
        received_at=RECEIVED, deadlines=D, log_book=log_book, officer="Trần Văn Bình",
        documents=received, sets=2, return_channel=ReturnChannel.POSTAL, postal_address=ADDRESS,
    )  # fmt: skip
    assert receipt == Receipt(
        agency=AGENCY, dossier_code=CODE, applicant=APPLICANT, procedure_code=PROCEDURE.code,
        procedure_name=PROCEDURE.name, documents=received, sets=2,
        processing_time=PROCEDURE.processing_time, received_at=RECEIVED,
        due_at=D.due(RECEIVED, PROCEDURE.processing_time), return_channel=ReturnChannel.POSTAL,
        postal_address=ADDRESS, log_book=log_book, officer="Trần Văn Bình", fees=PROCEDURE.fees,
    )  # fmt: skip
    assert receipt.procedure_code == ProcedureCode.parse("1.001193")
    assert (receipt.documents, receipt.sets, receipt.fees) == (received, 2, PROCEDURE.fees)
    assert (receipt.return_channel, receipt.postal_address) == (ReturnChannel.POSTAL, ADDRESS)


class _NoOffset(dt.tzinfo):
    """A zone that knows no offset: the instant is not aware."""

    def utcoffset(self, value: dt.datetime | None) -> dt.timedelta | None:
        return None

    def dst(self, value: dt.datetime | None) -> dt.timedelta | None:
        return None


def test_a_time_whose_zone_has_no_offset_is_refused() -> None:
    """``datetime`` calls such a value naive although it carries a tzinfo."""
    receipt = issue_receipt(
        agency=AGENCY, dossier_code=CODE, applicant=APPLICANT, procedure=PROCEDURE,
        received_at=RECEIVED, deadlines=D, log_book=LogBookEntry("01/2026", 1), officer="Bình",
    )  # fmt: skip
    moment = RECEIVED.replace(tzinfo=_NoOffset())
    with pytest.raises(InvalidInput) as info:
        attrs.evolve(receipt, received_at=moment)
    assert info.value.reason == "received_at must be an aware datetime"
