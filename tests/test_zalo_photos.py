"""``user_send_image``: the photo is fetched within limits over loopback HTTP; a photo that
cannot be read gets a Vietnamese reply; a receipt QR not signed by this desk links nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from PIL import Image
from tests._app import NOW
from tests._desk import receive
from tests._zalo import body, client, drain, post, run_jobs

from tthc_adapters.qr import SegnoRenderer
from tthc_adapters.qr.testing import receipt_page
from tthc_adapters.zalo import PhotoFetcher, PhotoSettings
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_core.desk import Desk, messages
from tthc_core.receipt import ReceiptKey, StaticKeyRing
from tthc_core.storage import Store


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeZaloServer]:
    with FakeZaloServer(clock=lambda: NOW) as server:
        yield server


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _send(store: Store, desk: Desk, url: str, msg_id: str, **limits: int) -> list[str]:
    photos = PhotoFetcher(PhotoSettings(frozenset({"127.0.0.1"}), ("http",), **limits))
    image = {"msg_id": msg_id, "attachments": [{"type": "image", "payload": {"url": url}}]}
    post(client(store, desk), body("user_send_image", message=image))
    report = drain(store, desk, photos)
    assert report.parked == 0
    assert run_jobs(store, desk, photos) == 1
    claimed = store.outbox_queue.claim(owner="t", now=NOW, lease=dt.timedelta(seconds=1), limit=9)
    return [str(c.message.payload["text"]) for c in claimed]


def _receipt(desk: Desk, code: object, keys: StaticKeyRing | None = None) -> bytes:
    text = desk.codec.url(desk.codec.sign(code, keys or desk.keys))  # type: ignore[arg-type]
    return _png(receipt_page(SegnoRenderer().png(text, scale=1)))


def test_a_clean_receipt_photo_links_the_sender(
    store: Store, desk: Desk, fake: FakeZaloServer
) -> None:
    dossier = receive(store, desk)
    texts = _send(store, desk, fake.host_photo(_receipt(desk, dossier.code), "image/png"), "p-1")
    assert texts[0] == messages.linked(dossier.code)


def test_a_receipt_signed_with_another_key_links_nothing(
    store: Store, desk: Desk, fake: FakeZaloServer
) -> None:
    dossier = receive(store, desk)
    forged = StaticKeyRing([ReceiptKey("K1", b"x" * 32)])
    texts = _send(
        store, desk, fake.host_photo(_receipt(desk, dossier.code, forged), "image/png"), "p-2"
    )
    assert texts == [messages.scan_rejected()]
    with store.unit_of_work() as uow:
        assert uow.links.for_user("zalo", "u-1") == []


@pytest.mark.parametrize(
    "case",
    [
        (b"<html>not a photo</html>", "text/html", {}),
        (b"\xff\xd8\xff garbage", "image/jpeg", {}),
        ("blank", "image/png", {}),
        ("blank", "image/png", {"max_bytes": 100}),
        ("blank", "image/png", {"max_pixels": 100}),
    ],
    ids=["not-an-image-type", "corrupt", "no-qr", "too-many-bytes", "too-many-pixels"],
)
def test_an_unreadable_photo_gets_a_reply(
    store: Store, desk: Desk, fake: FakeZaloServer, case: tuple[bytes | str, str, dict[str, int]]
) -> None:
    data, kind, limits = case
    raw = _png(Image.new("L", (400, 300), 255)) if data == "blank" else data
    assert isinstance(raw, bytes)
    texts = _send(store, desk, fake.host_photo(raw, kind), "p-3", **limits)
    assert texts == [messages.photo_unreadable()]


def test_a_missing_photo_gets_a_reply(store: Store, desk: Desk, fake: FakeZaloServer) -> None:
    assert _send(store, desk, f"{fake.base_url}/photos/none.jpg", "p-4") == [
        messages.photo_unreadable()
    ]
