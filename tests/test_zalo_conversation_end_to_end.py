"""The whole citizen story on Zalo, over real loopback HTTP and signed webhooks.

The fake Zalo platform signs and POSTs the citizen's events to tthc under
uvicorn; the inbox worker handles them; the outbox worker sends replies
through the fake OA API (buttons as ``oa.query.show``) and books the parcel
with the fake postal operator over HTTP, whose delivery callback comes back
to tthc's postal webhook. A tap on a button is posted back as the citizen's
text, exactly as its payload.

Story: follow, type a code, photo of the printed receipt, linked, share the
phone, result-ready notification, tap "Bưu điện", confirm the address (the
postage shown), the parcel is delivered, file a complaint by chat with a
photo, an officer answers it, the citizen reads the answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
from tests._app import POSTAL_SECRET, UNTHROTTLED
from tests._desk import HOME, at, receive
from tests._staff import Clock

from tthc_adapters.app import create_app, uvicorn_options
from tthc_adapters.bootstrap import DEMO_CATALOGUE, Dispatcher
from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.postal import FakePostalServer, PartnerConfig, PartnerPostalService
from tthc_adapters.qr import SegnoRenderer
from tthc_adapters.qr.testing import MODERATE, photograph, receipt_page
from tthc_adapters.storage import SqliteStore
from tthc_adapters.webhooks import inbox_handlers
from tthc_adapters.zalo import (
    PhotoFetcher,
    PhotoSettings,
    ZaloApiSettings,
    ZaloParts,
    ZaloSecrets,
    ZaloWebhookSettings,
    zalo_handlers,
)
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_core import complaint as cp
from tthc_core.delivery import ProviderStatus
from tthc_core.desk import Desk, act, messages, notify_case_sender
from tthc_core.dossier import DossierState, HandOver, Resolve
from tthc_core.storage import drain_inbox, drain_outbox
from tthc_core.storage.kinds import COMPLAINTS, DOSSIERS

USER = "246845883529197922"


@pytest.fixture
def clock() -> Clock:
    """One clock for tthc, its workers and both fakes, moved on as the story goes."""
    return Clock(at(11, 24, 9))


@pytest.fixture
def postal() -> Iterator[FakePostalServer]:
    with FakePostalServer() as server:
        yield server


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeZaloServer]:
    with FakeZaloServer(clock=clock) as server:
        yield server


def test_a_citizen_follows_gets_linked_chooses_the_post_and_files_a_complaint(
    tmp_path: Path, desk: Desk, fake: FakeZaloServer, postal: FakePostalServer, clock: Clock
) -> None:
    operator = PartnerPostalService(
        PartnerConfig(postal.base_url, "tthc", "secret", "C0001", timeout_seconds=5.0)
    )
    priced = attrs.evolve(desk, postage=operator)
    store = SqliteStore(tmp_path / "tthc.sqlite3", clock=clock)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    app = create_app(
        store,
        priced,
        postal_secret=POSTAL_SECRET,
        clock=clock,
        throttle=UNTHROTTLED,
        zalo=ZaloWebhookSettings(ZaloSecrets(fake.app_id, fake.oa_id, fake.oa_secret)),
    )
    with LoopbackServer(app, **uvicorn_options()) as server:
        url = f"{server.url}/webhooks/zalo"

        def callback(body: dict[str, Any], headers: dict[str, str]) -> None:
            httpx.post(f"{server.url}/webhooks/postal", json=body, headers=headers, timeout=10)

        postal.office.callback_headers = {"token": POSTAL_SECRET}
        postal.office.subscribe(callback)
        _story(store, priced, fake, postal, clock=clock, url=url)
    operator.close()
    store.close()


def _story(
    store: SqliteStore,
    desk: Desk,
    fake: FakeZaloServer,
    postal: FakePostalServer,
    *,
    clock: Clock,
    url: str,
) -> None:
    dossier = receive(store, desk, postal_address=HOME)
    photos = PhotoFetcher(PhotoSettings(frozenset({"127.0.0.1"}), allowed_schemes=("http",)))
    api = ZaloApiSettings(fake.app_id, fake.app_secret, fake.base_url, fake.base_url)
    # Photos are read by a job of the outbox worker, outside the inbox's transaction.
    parts = ZaloParts(store, desk, api, fake.oa_id, clock=clock, photos=photos)
    parts.tokens.save(fake.grant())
    handlers = zalo_handlers(desk, base=inbox_handlers(desk), photos=photos)
    operator = PartnerPostalService(
        PartnerConfig(postal.base_url, "tthc", "secret", "C0001", timeout_seconds=5.0)
    )
    dispatcher = Dispatcher(chat=lambda *_: None, postal=operator, channels=parts.channels())
    ids = iter(range(1, 1000))

    def work() -> None:
        inbox = drain_inbox(store.inbox_queue, store.unit_of_work, handlers, owner="w", clock=clock)
        assert inbox.parked == 0
        outbox = drain_outbox(store.outbox_queue, dispatcher, owner="w", clock=clock)
        assert outbox.parked == outbox.retried == 0

    def send(text: str) -> list[Any]:
        """The citizen types (or taps a button sending) ``text``; what they read back."""
        before = len(fake.sent)
        message = {"msg_id": f"m-{next(ids)}", "text": text}
        assert (
            fake.post_event(url, fake.event("user_send_text", USER, message=message)).status_code
            == 200
        )
        work()
        return fake.sent[before:]

    def send_photo(data: bytes) -> list[Any]:
        before = len(fake.sent)
        photo_url = fake.host_photo(data)
        attachment = {"type": "image", "payload": {"url": photo_url, "thumbnail": photo_url}}
        message = {"msg_id": f"m-{next(ids)}", "attachments": [attachment]}
        assert (
            fake.post_event(url, fake.event("user_send_image", USER, message=message)).status_code
            == 200
        )
        work()
        return fake.sent[before:]

    # Follow, type the code, send a photo of the printed receipt: linked.
    assert fake.post_event(url, fake.event("follow", USER)).status_code == 200
    work()
    assert fake.sent[-1].text == messages.followed(desk.agency_name)
    assert str(dossier.code) in send(f"tra cứu {dossier.code}")[0].text
    qr_text = desk.codec.url(desk.codec.sign(dossier.code, desk.keys))
    page = receipt_page(SegnoRenderer().png(qr_text, scale=1))
    linked = send_photo(photograph(page, "perspective", MODERATE, seed=1))
    assert linked[0].text == messages.linked(dossier.code)

    # Share the phone through Zalo's form: the same dossier, already followed.
    before = len(fake.sent)
    info = {"name": "Nguyễn Thị Hương", "phone": "84912345678"}
    fake.post_event(url, fake.event("user_submit_info", USER, info=info))
    work()
    assert "1 hồ sơ" in fake.sent[before].text

    # The officers finish; the follower gets the result, the choice as buttons and the date.
    clock.now = at(11, 24, 11)
    with store.unit_of_work() as uow:
        for step in dossier.steps:
            act(uow, desk, dossier.code, HandOver(step.unit), at=clock.now)
        act(uow, desk, dossier.code, Resolve(), at=clock.now)
        uow.commit()
    before = len(fake.sent)
    work()
    (notice,) = fake.sent[before:]
    assert "đã có kết quả" in notice.text
    assert "Hẹn trả kết quả" in notice.text
    postal_button, desk_button = notice.buttons
    assert desk_button.startswith("Nhận tại một cửa")

    # Tap "Bưu điện": the registered address and the operator's postage, to confirm.
    (shown,) = send(postal_button)
    assert "Thôn 3, đường Lê Lợi" in shown.text
    assert "Cước phí:" in shown.text
    assert "đồng" in shown.text
    assert shown.buttons[0] == "Xác nhận"
    assert postal.office.bookings == []  # nothing booked before the confirmation
    (booked,) = send(shown.buttons[0])
    assert booked.text.startswith("Đã đăng ký gửi kết quả")
    send(shown.buttons[0])  # a double tap
    (booking,) = postal.office.bookings

    # The post delivers; the callback comes to tthc over HTTP; the citizen is told.
    before = len(fake.sent)
    clock.now = at(11, 25, 10)
    postal.office.report(booking.reference, ProviderStatus.ACCEPTED, at(11, 24, 15))
    postal.office.report(
        booking.reference, ProviderStatus.DELIVERED, clock.now, received_by="Nguyễn Thị Hương"
    )
    work()
    assert any("đã được giao đến người nhận" in m.text for m in fake.sent[before:])
    with store.unit_of_work() as uow:
        stored = uow.repository(DOSSIERS).get(str(dossier.code))
    assert stored is not None
    assert stored.state is DossierState.RESULT_RETURNED

    # A complaint by chat, with a photo; one case with its statutory deadline.
    assert "nội dung" in send("Khiếu nại")[0].text
    assert "Đã nhận ảnh (1/10)" in send_photo(b"\xff\xd8 a photo of the decision")[0].text
    assert "họ và tên" in send("Bưu điện làm mất giấy tờ gốc của tôi khi trả kết quả")[0].text
    send("Nguyễn Thị Hương")
    (summary,) = send("Thôn 3, xã Krông Năng, tỉnh Đắk Lắk")
    assert "Ảnh kèm theo: 1" in summary.text
    (receipt,) = send(summary.buttons[0])
    with store.unit_of_work() as uow:
        (case,) = uow.repository(COMPLAINTS).page(limit=10)
    assert case.case_id in receipt.text
    assert case.kind is cp.CaseKind.COMPLAINT
    assert len(case.attachments) == 1
    assert "Hạn xem xét, thụ lý" in receipt.text

    # An officer accepts and answers it; the citizen reads the answer in Zalo.
    clock.now = at(11, 26, 9)
    with store.unit_of_work() as uow:
        cases = uow.repository(COMPLAINTS)
        accepted, events = cp.accept(case, at=clock.now, deadlines=desk.deadlines)
        accepted = cases.save(accepted, events)
        assigned, events = cp.assign(accepted, at=clock.now, unit="Thanh tra xã", handler="pakn")
        assigned = cases.save(assigned, events)
        verifying, events = cp.start_verification(assigned, at=clock.now)
        accepted = cases.save(verifying, events)
        answered, events = cp.resolve(
            accepted,
            at=clock.now,
            summary="Bưu điện đã tìm thấy và trả lại giấy tờ.",
            deadlines=desk.deadlines,
        )
        cases.save(answered, events)
        notify_case_sender(uow, desk, answered, events)
        uow.commit()
    before = len(fake.sent)
    work()
    (answer,) = fake.sent[before:]
    assert case.case_id in answer.text
    assert "đã tìm thấy và trả lại giấy tờ" in answer.text
    assert all(len(m.text) <= 2000 for m in fake.sent)
    operator.close()
