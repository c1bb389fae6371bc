"""Online dossiers are numbered on the day the desk receives them (issue #10, item 4).

Circular 01/2018/TT-VPCP Art. 19: the ``YYMMDD`` of the dossier code is the receipt
date; Decree 61/2018/NĐ-CP Art. 17(3): a received dossier gets a code, so a dossier
refused or returned at intake takes no number of the receipt sequence.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_core.calendar import Duration
from tthc_core.catalogue import RequiredDocument
from tthc_core.codes import AgencyCode, DossierCode
from tthc_core.dossier import (
    CodeNotDatedOnReceipt,
    DossierReceived,
    DossierState,
    HandOver,
    ReceiveDossier,
    handle,
    rebuild,
)
from tthc_core.events import DomainEvent
from tthc_core.receipt import LogBookEntry, ReceivingAgency, issue_receipt
from tthc_core.serialization import converter
from tthc_core.testing.dossiers import (
    BIRTH_REGISTRATION,
    STEP_UNITS,
    WEEKDAYS,
    applicant,
    drive,
    local,
    submitted,
)

AGENCY = AgencyCode("000.24.32.H15")
MONDAY_CODE = DossierCode(AGENCY, dt.date(2026, 3, 2), 7)
DESK = "Bộ phận Một cửa"


def test_a_dossier_received_the_next_day_needs_a_code_of_that_day() -> None:
    dossier, _ = submitted(at=local(2026, 3, 1, 23, 59))  # Sunday, a minute before midnight
    with pytest.raises(CodeNotDatedOnReceipt, match=r"Art\. 19") as info:
        handle(dossier, ReceiveDossier(DESK), at=local(2026, 3, 2, 0, 0), deadlines=WEEKDAYS)
    assert "receipt day" in str(info.value)


def test_received_the_same_day_it_keeps_its_code() -> None:
    dossier, _ = submitted(at=local(2026, 3, 2, 0, 0))  # Monday, at midnight
    received, events = handle(
        dossier, ReceiveDossier(DESK), at=local(2026, 3, 2, 23, 59), deadlines=WEEKDAYS
    )
    assert received.code == dossier.code
    assert received.submitted_as is None
    assert isinstance(events[0], DossierReceived)
    assert events[0].dossier_code is None


def test_the_code_of_the_receipt_day_replaces_the_submission_code() -> None:
    dossier, submit_events = submitted(at=local(2026, 3, 1, 21, 0))
    received, events = handle(
        dossier,
        ReceiveDossier(DESK, code=MONDAY_CODE),
        at=local(2026, 3, 2, 8, 0),
        deadlines=WEEKDAYS,
    )
    assert received.state is DossierState.RECEIVED
    assert received.code == MONDAY_CODE
    assert received.submitted_as == dossier.code
    assert received.due_at == WEEKDAYS.due(local(2026, 3, 2, 8, 0), Duration.working_days(5))
    # Later events carry the new code and replay rebuilds the same dossier.
    received, more = drive(received, (HandOver(STEP_UNITS[0]), local(2026, 3, 2, 9, 0)))
    history = [*submit_events, *events, *more]
    assert more[0].code == MONDAY_CODE
    assert rebuild(history) == received
    wire = [converter.unstructure(e, DomainEvent) for e in history]
    assert rebuild(converter.structure(w, DomainEvent) for w in wire) == received


def test_the_project_prints_mau_01_for_a_dossier_received_the_next_day() -> None:
    dossier, _ = submitted(at=local(2026, 3, 1, 21, 0))
    received, _ = handle(
        dossier,
        ReceiveDossier(DESK, code=MONDAY_CODE),
        at=local(2026, 3, 2, 8, 0),
        deadlines=WEEKDAYS,
    )
    assert received.received_at is not None
    receipt = issue_receipt(
        agency=ReceivingAgency(AGENCY, "UBND xã Krông Năng", place="Krông Năng"),
        dossier_code=received.code,
        applicant=applicant(),
        procedure=BIRTH_REGISTRATION,
        received_at=received.received_at,
        deadlines=WEEKDAYS,
        log_book=LogBookEntry("01/2026", 1),
        officer="Lê Thị Hoa",
        documents=(RequiredDocument("Tờ khai đăng ký khai sinh"),),
    )
    assert receipt.dossier_code == MONDAY_CODE


@pytest.mark.parametrize(
    "code",
    [
        DossierCode(AGENCY, dt.date(2026, 3, 1), 7),  # the submission day
        DossierCode(AGENCY, dt.date(2026, 3, 3), 7),  # the day after
        DossierCode(AgencyCode("000.24.31.H15"), dt.date(2026, 3, 2), 7),  # another agency
    ],
)
def test_a_code_not_of_the_receipt_day_is_refused(code: DossierCode) -> None:
    dossier, _ = submitted(at=local(2026, 3, 1, 21, 0))
    with pytest.raises(CodeNotDatedOnReceipt):
        handle(
            dossier, ReceiveDossier(DESK, code=code), at=local(2026, 3, 2, 8), deadlines=WEEKDAYS
        )


def test_the_receipt_day_is_the_day_in_vietnam() -> None:
    # 17:00 UTC on 1/3 is 00:00 on 2/3 in Vietnam: Monday's code fits.
    dossier, _ = submitted(at=local(2026, 3, 1, 21, 0))
    at = dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC)
    received, _ = handle(dossier, ReceiveDossier(DESK, code=MONDAY_CODE), at=at, deadlines=WEEKDAYS)
    assert received.code == MONDAY_CODE
