"""Review findings on the desk service layer: each test pins a defect that was fixed."""

from __future__ import annotations

import datetime as dt

import pytest
from tests._desk import at, receive
from tests.test_desk_postal import ready  # noqa: F401 - the fixture

from tthc_core.codes import DossierCode
from tthc_core.desk import Desk, PostalReturnBooked, answer_chat, choose_return_channel
from tthc_core.desk.messages import dossier_not_found
from tthc_core.dossier import Dossier
from tthc_core.links import CitizenLink
from tthc_core.party import ReturnChannel
from tthc_core.storage import Store
from tthc_core.storage.kinds import COMPLAINTS, DOSSIERS, SHIPMENTS


def _chat(
    store: Store, desk: Desk, text: str, event: str, when: dt.datetime | None = None
) -> list[str]:
    with store.unit_of_work() as uow:
        replies = answer_chat(
            uow, desk, user_id="u9", event_id=event, text=text, at=when or at(11, 24, 9)
        )
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


def test_choosing_the_post_twice_books_one_parcel(
    store: Store,
    desk: Desk,
    ready: Dossier,  # noqa: F811 - the fixture
) -> None:
    # Decision 45/2016/QĐ-TTg: one result, one postal return. A citizen who
    # answers "1" twice (or a retried request) must not book a second parcel.
    shipments = []
    for minute in (0, 5):
        with store.unit_of_work() as uow:
            _, shipment = choose_return_channel(
                uow, desk, ready.code, ReturnChannel.POSTAL, at=at(12, 2, 15, minute)
            )
            uow.commit()
        assert shipment is not None
        shipments.append(shipment.reference)
    assert shipments[0] == shipments[1]
    with store.unit_of_work() as uow:
        assert len(uow.repository(SHIPMENTS).for_dossier(ready.code)) == 1
    assert store.outbox_queue.counts().pending == 1


def test_another_choice_after_the_post_was_booked_is_refused_in_vietnamese(
    store: Store,
    desk: Desk,
    ready: Dossier,  # noqa: F811 - the fixture
) -> None:
    # The booked order is already in the outbox for the operator; switching to
    # the desk silently would leave a parcel booked for a result kept at the desk.
    with store.unit_of_work() as uow:
        uow.links.link(CitizenLink("zalo", "u9", ready.code, at(12, 2, 14, 30)))
        uow.commit()
    assert "Xác nhận" in _chat(store, desk, "1", "c1", at(12, 2, 15))[0]  # address and postage
    assert _chat(store, desk, "xac nhan", "c1b", at(12, 2, 15, 1))[0].startswith("Đã đăng ký")
    (reply,) = _chat(store, desk, "2", "c2", at(12, 2, 15, 30))
    assert reply.startswith("Chưa ghi nhận được lựa chọn: kết quả đã được đăng ký gửi qua")
    with store.unit_of_work() as uow:
        stored = uow.repository(DOSSIERS).get(str(ready.code))
        with pytest.raises(PostalReturnBooked):
            choose_return_channel(uow, desk, ready.code, ReturnChannel.DESK, at=at(12, 2, 16))
    assert stored is not None
    assert stored.return_channel is ReturnChannel.POSTAL
    assert store.outbox_queue.counts().pending >= 1
