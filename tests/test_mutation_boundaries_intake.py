"""Intake (tiếp nhận, vào sổ): each refusal's exact reason and the defaults a received case keeps.

Law on Complaints 02/2011/QH13 Art. 8(2) and Law on Denunciations 25/2018/QH14 Art. 23(1): a
complaint or denunciation names its sender (name and address). A case carries the sender's words
or at least one attachment; service feedback is about a dossier or a desk (issue 15, survivors of
``complaint/_intake``).
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.test_complaint_escalation import AGENCY, D, local

from tthc_core import complaint as cp
from tthc_core.errors import InvalidInput
from tthc_core.party import Applicant

SENDER = Applicant("Trần Thị Lan", address="Buôn Đrao, xã Ea Tóh")
PHOTO = cp.Attachment("zalo://photo/1", media_type="image/jpeg")


def receive(**overrides: Any) -> cp.Case:
    arguments: dict[str, Any] = {
        "case_id": "PA-2026-0001",
        "kind": cp.CaseKind.PETITION,
        "at": local(7, 6, 9),
        "channel": cp.Channel.DESK,
        "agency": AGENCY,
        "deadlines": D,
        "sender": SENDER,
        "content": "Đường vào xã ngập nước",
    }
    case, _ = cp.receive(**{**arguments, **overrides})
    return case


def test_a_complaint_without_an_address_is_refused_with_the_confidentiality_reason() -> None:
    with pytest.raises(cp.MissingIdentity) as info:
        receive(kind=cp.CaseKind.COMPLAINT, sender=Applicant("Trần Thị Lan"))
    assert info.value.reason == (
        "a complaint must give the sender's address; ask for them before filing "
        "(the sender's identity stays confidential)"
    )
    assert info.value.rule == "Law on Complaints 02/2011/QH13 Art. 8(2)"


def test_words_alone_or_one_attachment_alone_is_enough_and_neither_is_refused() -> None:
    """Both sides of the content rule: no words and no attachment is refused; an attachment
    without words is received with empty words (the default) and an empty public summary."""
    with pytest.raises(InvalidInput) as info:
        receive(content="  ")
    assert info.value.reason == "a case needs the sender's words or at least one attachment"
    case, _ = cp.receive(
        case_id="PA-2026-0002",
        kind=cp.CaseKind.PETITION,
        at=local(7, 6, 9),
        channel=cp.Channel.CHAT,
        agency=AGENCY,
        deadlines=D,
        sender=SENDER,
        attachments=[PHOTO],
    )
    assert (case.content, case.public_summary, case.attachments) == ("", "", (PHOTO,))


def test_words_without_a_summary_keep_an_empty_public_summary() -> None:
    assert receive().public_summary == ""


def test_a_non_reference_attachment_is_refused_naming_its_type() -> None:
    with pytest.raises(InvalidInput) as info:
        receive(attachments=["zalo://photo/1"])
    assert info.value.reason == "attachments must be Attachment references, got <class 'str'>"


def test_service_feedback_about_neither_a_dossier_nor_a_desk_is_refused() -> None:
    with pytest.raises(InvalidInput) as info:
        receive(kind=cp.CaseKind.SERVICE_FEEDBACK, desk="  ")
    assert info.value.reason == "service feedback must be about a dossier (its code) or a desk"


def test_a_blank_case_id_is_refused_naming_the_case_id() -> None:
    with pytest.raises(InvalidInput) as info:
        receive(case_id=" ")
    assert info.value.reason == "case id must be given (a non-blank text)"


def test_a_blank_desk_is_refused_naming_the_desk() -> None:
    """A petition about a blank desk passes the feedback check (it is not feedback) and is
    refused by the desk's own check."""
    with pytest.raises(InvalidInput) as info:
        receive(desk=" ")
    assert info.value.reason == "desk must be given (a non-blank text)"
