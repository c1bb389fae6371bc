"""Review findings on the desk service layer: each test pins a defect that was fixed."""

from __future__ import annotations

from tests._desk import at, receive

from tthc_core.codes import DossierCode
from tthc_core.desk import Desk, answer_chat
from tthc_core.desk.messages import dossier_not_found
from tthc_core.storage import Store
from tthc_core.storage.kinds import COMPLAINTS


def _chat(store: Store, desk: Desk, text: str, event: str) -> list[str]:
    with store.unit_of_work() as uow:
        replies = answer_chat(uow, desk, user_id="u9", event_id=event, text=text, at=at(11, 24, 9))
        uow.commit()
    return replies


def test_feedback_about_a_dossier_not_stored_here_opens_no_case(store: Store, desk: Desk) -> None:
    # Decree 61/2018 Art. 31: citizens rate the handling of *their* dossier. A
    # code this desk never received (mistyped, or another agency's) must not
    # open a feedback case with a statutory deadline for this agency.
    stranger = DossierCode.parse("000.00.15.H12-240307-0005")
    replies = _chat(store, desk, f"góp ý {stranger} cán bộ làm chậm", "f1")
    assert replies == [dossier_not_found(stranger)]
    with store.unit_of_work() as uow:
        assert uow.repository(COMPLAINTS).for_dossier(stranger) == []
    # A stored dossier's feedback is still logged.
    mine = receive(store, desk)
    (reply,) = _chat(store, desk, f"góp ý {mine.code} cán bộ làm chậm", "f2")
    assert reply.startswith("Đã tiếp nhận góp ý")
