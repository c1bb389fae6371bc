"""A citizen on Zalo, end to end over real loopback HTTP and signed webhooks.

The fake Zalo platform signs and POSTs events to tthc under uvicorn; the
inbox worker handles them (downloading the photo from the fake's photo
host); the outbox worker sends the replies through the fake OA API. The
citizen follows, types a code, sends a photo of the printed receipt, is
linked, and reads every reply on the fake platform.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._app import NOW, POSTAL_SECRET, UNTHROTTLED
from tests._desk import receive

from tthc_adapters.app import create_app, uvicorn_options
from tthc_adapters.bootstrap import DEMO_CATALOGUE, Dispatcher
from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.qr import SegnoRenderer
from tthc_adapters.qr.testing import MODERATE, photograph, receipt_page
from tthc_adapters.storage import SqliteStore
from tthc_adapters.webhooks import inbox_handlers
from tthc_adapters.zalo import (
    JOB_CHANNEL,
    Ledger,
    OaClient,
    PhotoFetcher,
    PhotoSettings,
    ZaloApiSettings,
    ZaloJobs,
    ZaloSecrets,
    ZaloSender,
    ZaloWebhookSettings,
    sql_side_for,
    sqlite_token_store,
    zalo_handlers,
)
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_core.desk import Desk, messages
from tthc_core.storage import drain_inbox, drain_outbox


@pytest.fixture
def fake() -> Iterator[FakeZaloServer]:
    with FakeZaloServer(clock=lambda: NOW) as server:
        yield server


@pytest.fixture
def served(tmp_path: Path, desk: Desk, fake: FakeZaloServer) -> Iterator[tuple[SqliteStore, str]]:
    store = SqliteStore(tmp_path / "tthc.sqlite3", clock=lambda: NOW)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    secrets = ZaloSecrets(fake.app_id, fake.oa_id, fake.oa_secret)
    app = create_app(
        store,
        desk,
        postal_secret=POSTAL_SECRET,
        clock=lambda: NOW,
        throttle=UNTHROTTLED,
        zalo=ZaloWebhookSettings(secrets),
    )
    with LoopbackServer(app, **uvicorn_options()) as server:
        yield store, f"{server.url}/webhooks/zalo"
    store.close()


def test_follow_type_a_code_send_the_receipt_photo_and_get_linked(
    served: tuple[SqliteStore, str], desk: Desk, fake: FakeZaloServer, tmp_path: Path
) -> None:
    store, url = served
    dossier = receive(store, desk)
    tokens = sqlite_token_store(store.path, fake.oa_id)
    tokens.save(fake.grant())
    client = OaClient(
        ZaloApiSettings(fake.app_id, fake.app_secret, fake.base_url, fake.base_url),
        tokens,
        clock=lambda: NOW,
    )
    photos = PhotoFetcher(PhotoSettings(frozenset({"127.0.0.1"}), allowed_schemes=("http",)))
    handlers = zalo_handlers(desk, base=inbox_handlers(desk), photos=photos)
    ledger = Ledger(sql_side_for(store))
    jobs = ZaloJobs(store, desk, photos=photos, ledger=ledger)
    sender = ZaloSender(client, clock=lambda: NOW, ledger=ledger)
    dispatcher = Dispatcher(
        chat=lambda *_: None, postal=None, channels={"zalo": sender, JOB_CHANNEL: jobs}
    )

    def work() -> None:
        inbox = drain_inbox(
            store.inbox_queue, store.unit_of_work, handlers, owner="w", clock=lambda: NOW
        )
        assert inbox.parked == 0
        outbox = drain_outbox(store.outbox_queue, dispatcher, owner="w", clock=lambda: NOW)
        assert outbox.parked == outbox.retried == 0

    user = "246845883529197922"
    assert fake.post_event(url, fake.event("follow", user)).json()["accepted"] is True
    work()
    assert fake.sent[-1].text == messages.followed(desk.agency_name)

    typed = fake.event(
        "user_send_text", user, message={"msg_id": "m-1", "text": f"tra cứu {dossier.code}"}
    )
    assert fake.post_event(url, typed).status_code == 200
    assert fake.post_event(url, typed).json()["duplicate"] is True  # Zalo redelivers
    work()
    assert str(dossier.code) in fake.sent[-1].text
    with store.unit_of_work() as uow:
        assert uow.links.for_user("zalo", user) == []  # a typed code links nothing

    qr_text = desk.codec.url(desk.codec.sign(dossier.code, desk.keys))
    page = receipt_page(SegnoRenderer().png(qr_text, scale=1))
    photo_url = fake.host_photo(photograph(page, "perspective", MODERATE, seed=1))
    attachment = {"type": "image", "payload": {"url": photo_url, "thumbnail": photo_url}}
    sent_photo = fake.event(
        "user_send_image", user, message={"msg_id": "m-2", "attachments": [attachment]}
    )
    assert fake.post_event(url, sent_photo).status_code == 200
    work()
    with store.unit_of_work() as uow:
        (link,) = uow.links.for_user("zalo", user)
    assert link.dossier_code == dossier.code
    texts = [m.text for m in fake.sent if m.user_id == user]
    assert messages.linked(dossier.code) in texts
    assert len(texts) == 4  # welcome, status, linked + status: each once
    assert fake.refreshes == 0
