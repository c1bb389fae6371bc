"""Operating the Zalo channel: photo jobs outside the write lock, ZNS fallback, quiet hours,
delivery statuses and ratings (reference zalo-oa.md §1.7, §2.2, §3, §4)."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._app import NOW
from tests._desk import receive
from tests._zalo import body, client, drain, post, run_jobs

from tthc_adapters.bootstrap import DEMO_CATALOGUE, Dispatcher
from tthc_adapters.qr import SegnoRenderer
from tthc_adapters.qr.testing import receipt_page
from tthc_adapters.storage import MemoryStore, SqliteStore
from tthc_adapters.zalo import (
    JOB_CHANNEL,
    Ledger,
    MemoryTokenStore,
    OaClient,
    PhotoFetcher,
    PhotoSettings,
    ZaloApiSettings,
    ZaloSender,
    ZnsTemplate,
    memory_side,
    quiet_until,
    tracking_id_of,
)
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk, messages
from tthc_core.links import CitizenLink
from tthc_core.storage import Deferred, OutboundMessage, Store, drain_outbox


@pytest.fixture
def fake() -> Iterator[FakeZaloServer]:
    with FakeZaloServer(clock=lambda: NOW) as server:
        yield server


def _receipt_png(desk: Desk, code: object) -> bytes:
    text = desk.codec.url(desk.codec.sign(code, desk.keys))  # type: ignore[arg-type]
    out = io.BytesIO()
    receipt_page(SegnoRenderer().png(text, scale=1)).save(out, format="PNG")
    return out.getvalue()


# -- 1. the photo is downloaded outside any write transaction ---------------------------


def test_the_photo_download_holds_no_write_lock(
    tmp_path: Path, desk: Desk, fake: FakeZaloServer
) -> None:
    store = SqliteStore(tmp_path / "tthc.sqlite3", clock=lambda: NOW)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    dossier = receive(store, desk)
    fake.stall_photos = threading.Event()
    url = fake.host_photo(_receipt_png(desk, dossier.code), "image/png")
    image = {"msg_id": "p-1", "attachments": [{"type": "image", "payload": {"url": url}}]}
    post(client(store, desk), body("user_send_image", user="u-9", message=image))
    photos = PhotoFetcher(PhotoSettings(frozenset({"127.0.0.1"}), ("http",)))
    assert drain(store, desk, photos).handled == 1
    assert fake.photo_requests == 0  # the inbox worker only queued the job

    worker = threading.Thread(target=run_jobs, args=(store, desk, photos))
    worker.start()
    deadline = time.monotonic() + 20
    while fake.photo_requests == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert fake.photo_requests == 1  # the download is under way, and stalls
    other = sqlite3.connect(store.path, timeout=0.5, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # "database is locked" if anyone held the write lock
    other.execute("CREATE TABLE another_writer (x INTEGER)")
    other.execute("COMMIT")
    other.close()
    assert worker.is_alive()
    fake.stall_photos.set()
    worker.join(30)
    with store.unit_of_work() as uow:
        (link,) = uow.links.for_user("zalo", "u-9")
    assert link.dossier_code == dossier.code
    store.close()


def test_a_photo_job_whose_download_fails_is_retried_then_parked_with_the_reason(
    store: Store, desk: Desk
) -> None:
    url = "http://127.0.0.1:9/photos/p.jpg"  # nothing listens there: Zalo's photo host is down
    image = {"msg_id": "p-2", "attachments": [{"type": "image", "payload": {"url": url}}]}
    post(client(store, desk), body("user_send_image", user="u-8", message=image))
    photos = PhotoFetcher(PhotoSettings(frozenset({"127.0.0.1"}), ("http",), timeout=0.5))
    assert drain(store, desk, photos).handled == 1
    from tthc_adapters.zalo import ZaloJobs
    from tthc_core.storage import RetryPolicy

    jobs = ZaloJobs(store, desk, photos=photos, ledger=None)
    dispatcher = Dispatcher(chat=lambda *_: None, postal=None, channels={JOB_CHANNEL: jobs})
    report = drain_outbox(
        store.outbox_queue, dispatcher, owner="w", clock=lambda: NOW,
        retry=RetryPolicy(max_attempts=1),
    )  # fmt: skip
    assert report.parked == 1
    (parked,) = store.outbox_queue.parked()
    assert parked.message.channel == JOB_CHANNEL
    assert "ConnectError" in (parked.last_error or "")


# -- 3. outside the 7-day window: ZNS by phone, else parked ------------------------------


def _sender(fake: FakeZaloServer, store: Store, ledger: Ledger, **kw: object) -> ZaloSender:
    api = ZaloApiSettings(
        fake.app_id, fake.app_secret, fake.base_url, fake.base_url, zns_base=fake.base_url
    )
    oa = OaClient(api, MemoryTokenStore(fake.grant()), clock=lambda: NOW)
    from tthc_adapters.zalo import phone_lookup

    return ZaloSender(
        oa, clock=lambda: NOW, ledger=ledger, phone_for=phone_lookup(store, "zalo"), **kw
    )  # type: ignore[arg-type]


def _notice(store: Store, code: str, user: str, **extra: object) -> OutboundMessage:
    message = OutboundMessage(
        f"{code}#v9#zalo:{user}", "zalo",
        {"user_id": user, "text": messages.result_ready(code, postal_allowed=True), **extra},  # type: ignore[arg-type]
    )  # fmt: skip
    with store.unit_of_work() as uow:
        uow.outbox.put(message)
        uow.commit()
    return message


def _drain(store: Store, sender: ZaloSender) -> tuple[int, int]:
    dispatcher = Dispatcher(chat=lambda *_: None, postal=None, channels={"zalo": sender})
    report = drain_outbox(store.outbox_queue, dispatcher, owner="w", clock=lambda: NOW)
    return report.delivered, report.parked


def test_outside_the_window_a_citizen_who_gave_a_phone_gets_zns(
    store: Store, desk: Desk, fake: FakeZaloServer
) -> None:
    dossier = receive(store, desk)
    with store.unit_of_work() as uow:
        uow.links.link(CitizenLink("zalo", "u-1", dossier.code, NOW, "0912345678"))
        uow.commit()
    ledger = Ledger(memory_side())
    message = _notice(store, str(dossier.code), "u-1")
    sender = _sender(fake, store, ledger, zns=ZnsTemplate("tpl-1"))
    assert _drain(store, sender) == (1, 0)
    (sent,) = fake.sent
    assert sent.via == "zns"
    assert sent.user_id == "84912345678"
    assert str(dossier.code) in sent.text
    (delivery,) = ledger.deliveries(message.key)
    assert delivery.via == "zns"
    assert delivery.status == "sent"


def test_the_tracking_id_is_the_outbox_key_or_its_digest() -> None:
    assert tracking_id_of("k-1") == "k-1"
    long = "x" * 60
    assert len(tracking_id_of(long)) == 48 != len(long)
    assert tracking_id_of(long) == tracking_id_of(long) != tracking_id_of(long + "y")


@pytest.mark.parametrize("code", [-230, -232, -213])
@pytest.mark.parametrize("phone", [None, "0912345678"])
def test_without_a_phone_or_a_template_the_message_is_parked_with_the_reason(
    store: Store, desk: Desk, fake: FakeZaloServer, code: int, phone: str | None
) -> None:
    dossier = receive(store, desk)
    with store.unit_of_work() as uow:
        uow.links.link(CitizenLink("zalo", "u-2", dossier.code, NOW, phone))
        uow.commit()
    fake.force_error = code
    _notice(store, str(dossier.code), "u-2")
    sender = _sender(fake, store, Ledger(memory_side()), zns=None)
    assert _drain(store, sender) == (0, 1)
    (parked,) = store.outbox_queue.parked()
    why = "no phone was given" if phone is None else "no ZNS template is configured"
    assert str(code) in (parked.last_error or "")
    assert why in (parked.last_error or "")
    assert fake.sent == []


# -- 4. quiet hours ------------------------------------------------------------------------


@given(
    st.datetimes(
        min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001 - Hypothesis takes naive bounds
        max_value=dt.datetime(2035, 1, 1),  # noqa: DTZ001
        timezones=st.just(dt.UTC),
    )
)
def test_quiet_hours_are_22_to_06_vietnam_time(now: dt.datetime) -> None:
    local = now.astimezone(VN_TZ)
    until = quiet_until(now)
    quiet = local.hour >= 22 or local.hour < 6
    assert (until is not None) == quiet
    if until is not None:
        assert until.astimezone(VN_TZ).time() == dt.time(6)
        assert until > now
        assert until - now <= dt.timedelta(hours=8)


NIGHT = dt.datetime(2026, 11, 24, 23, 30, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("key", "extra", "deferred"),
    [
        ("D-1#v3#zalo:u", {}, True),  # a notice waits for 06:00
        ("D-1#v3#zalo:u", {"urgent": True}, False),  # unless urgent
        ("reply:zalo:e-1:0", {}, False),  # a reply to a citizen who just wrote goes now
        ("bc:1", {"article_id": "art-1"}, True),  # a broadcast never goes at night
    ],
)
def test_at_night_notices_and_broadcasts_wait_for_six(
    key: str, extra: dict[str, object], deferred: bool
) -> None:
    sent: list[str] = []

    class Client:
        def send_text(self, user_id: str, text: str) -> str:
            sent.append(text)
            return "m-1"

        def broadcast(self, article_id: str) -> str:
            sent.append(article_id)
            return "b-1"

    sender = ZaloSender(Client(), clock=lambda: NIGHT)  # type: ignore[arg-type]
    message = OutboundMessage(key, "zalo", {"user_id": "u", "text": "t", **extra})
    if deferred:
        with pytest.raises(Deferred) as caught:
            sender(message)
        assert caught.value.until == dt.datetime(2026, 11, 25, 6, tzinfo=VN_TZ)
        assert sent == []
    else:
        sender(message)
        assert sent == ["t"]


def test_a_deferred_notice_is_sent_at_six_once(
    store: Store, desk: Desk, fake: FakeZaloServer
) -> None:
    now = [NIGHT]
    api = ZaloApiSettings(fake.app_id, fake.app_secret, fake.base_url, fake.base_url)
    fake.clock = lambda: now[0]
    fake._last_seen["u-1"] = NIGHT
    oa = OaClient(api, MemoryTokenStore(fake.grant()), clock=lambda: now[0])
    sender = ZaloSender(oa, clock=lambda: now[0])
    dispatcher = Dispatcher(chat=lambda *_: None, postal=None, channels={"zalo": sender})
    _notice(store, "D-1", "u-1")
    report = drain_outbox(store.outbox_queue, dispatcher, owner="w", clock=lambda: now[0])
    assert (report.delivered, report.retried) == (0, 1)
    now[0] = dt.datetime(2026, 11, 25, 5, 59, tzinfo=VN_TZ)
    assert (
        drain_outbox(store.outbox_queue, dispatcher, owner="w", clock=lambda: now[0]).delivered == 0
    )
    now[0] = dt.datetime(2026, 11, 25, 6, 0, tzinfo=VN_TZ)
    assert (
        drain_outbox(store.outbox_queue, dispatcher, owner="w", clock=lambda: now[0]).delivered == 1
    )
    assert len(fake.sent) == 1


# -- 5. delivery statuses and ratings ------------------------------------------------------


def test_received_and_seen_events_set_the_delivery_status_and_ratings_are_kept(
    desk: Desk, fake: FakeZaloServer
) -> None:
    store = MemoryStore(clock=lambda: NOW)
    ledger = Ledger(memory_side())
    fake._last_seen["u-1"] = NOW
    message = _notice(store, "D-1", "u-1")
    sender = _sender(fake, store, ledger)
    assert _drain(store, sender) == (1, 0)
    assert [d.status for d in ledger.deliveries(message.key)] == ["sent"]
    test_client = client(store, desk)
    (received,) = fake.delivery_events("user_received_message")
    for event in (received, received):  # redelivered by Zalo: recorded once
        assert post(test_client, event).status_code == 200
    assert drain(store, desk).handled == 1
    assert run_jobs(store, desk, None, ledger) == 1
    assert [d.status for d in ledger.deliveries(message.key)] == ["received"]
    (seen,) = fake.delivery_events("user_seen_message")
    post(test_client, seen)
    rating = body("user_feedback", user="u-1", message={"msg_id": "r-1", "rate": 5, "note": "Tốt"})
    post(test_client, rating)
    assert drain(store, desk).handled == 2
    assert run_jobs(store, desk, None, ledger) == 2
    (delivery,) = ledger.deliveries(message.key)
    assert delivery.status == "seen"
    assert delivery.received_at is not None
    statuses = ledger.statuses()
    assert (statuses.sent, statuses.received, statuses.seen) == (0, 0, 1)
    assert (statuses.ratings, statuses.average_rating) == (1, 5.0)


def test_a_rating_that_is_not_a_number_is_parked(store: Store, desk: Desk) -> None:
    post(client(store, desk), body("user_feedback", message={"msg_id": "r-2", "rate": "năm"}))
    assert drain(store, desk).parked == 1
