"""The inbox worker's Zalo handlers: text, follow, unfollow, shared phone, photos, parking."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest
from tests._app import NOW
from tests._desk import APPLICANT, receive
from tests._zalo import body, client, drain, post

from tthc_adapters.zalo import PhotoFetcher, PhotoRefused, PhotoSettings
from tthc_core.desk import Desk, messages
from tthc_core.links import CitizenLink
from tthc_core.storage import Store


def _replies(store: Store) -> list[dict[str, Any]]:
    claimed = store.outbox_queue.claim(owner="t", now=NOW, lease=dt.timedelta(seconds=1), limit=50)
    return [dict(p.message.payload) | {"channel": p.message.channel} for p in claimed]


def test_a_typed_code_is_answered_through_the_zalo_channel(store: Store, desk: Desk) -> None:
    dossier = receive(store, desk)
    event = body(message={"msg_id": "m-1", "text": f"tra cứu {dossier.code}"})
    assert post(client(store, desk), event).status_code == 200
    assert drain(store, desk).handled == 1
    (reply,) = _replies(store)
    assert reply["channel"] == "zalo"
    assert reply["user_id"] == "u-1"
    assert str(dossier.code) in reply["text"]
    assert APPLICANT.name not in reply["text"]
    assert drain(store, desk).handled == 0


def test_a_follower_is_welcomed_in_vietnamese(store: Store, desk: Desk) -> None:
    post(client(store, desk), body("follow", user="u-7"))
    drain(store, desk)
    (reply,) = _replies(store)
    assert reply["user_id"] == "u-7"
    assert reply["text"] == messages.followed(desk.agency_name)
    assert unicodedata.is_normalized("NFC", reply["text"])
    assert "mã hồ sơ" in reply["text"]


def test_a_shared_phone_links_the_applicants_dossiers_and_unfollow_unlinks(
    store: Store, desk: Desk
) -> None:
    first, second = receive(store, desk), receive(store, desk)
    test_client = client(store, desk)
    info = {"name": "Hương", "phone": "84912345678"}
    post(test_client, body("user_submit_info", user="u-2", info=info))
    post(test_client, body("user_submit_info", user="u-3", info={"phone": "84987654321"}))
    assert drain(store, desk).handled == 2
    with store.unit_of_work() as uow:
        linked = {link.dossier_code for link in uow.links.for_user("zalo", "u-2")}
        assert uow.links.for_user("zalo", "u-3") == []
    assert linked == {first.code, second.code}
    texts = {r["user_id"]: r["text"] for r in _replies(store)}
    assert texts == {"u-2": messages.phone_linked(2), "u-3": messages.phone_linked(0)}
    assert str(first.code) not in texts["u-2"]  # a phone reveals no codes in chat
    post(test_client, body("unfollow", user="u-2"))
    drain(store, desk)
    with store.unit_of_work() as uow:
        assert uow.links.for_user("zalo", "u-2") == []


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (body("user_send_sticker", message={"msg_id": "s-1"}), "not handled"),
        (body("user_send_text", message={"msg_id": "t-1"}), "message.text"),
        (body("user_submit_info", info={"phone": "12"}), "phone"),
    ],
)
def test_unhandled_or_broken_events_are_parked_with_the_reason(
    store: Store, desk: Desk, event: dict[str, Any], reason: str
) -> None:
    post(client(store, desk), event)
    assert drain(store, desk).parked == 1
    (parked,) = store.inbox_queue.parked()
    assert reason in parked.error


def test_a_photo_from_a_host_not_allowed_is_parked_never_fetched(store: Store, desk: Desk) -> None:
    photos = PhotoFetcher(PhotoSettings(frozenset({"photo.zalo.example"})))
    image = {
        "msg_id": "i-1",
        "attachments": [{"type": "image", "payload": {"url": "https://169.254.169.254/x.jpg"}}],
    }
    post(client(store, desk), body("user_send_image", message=image))
    assert drain(store, desk, photos).parked == 1
    (parked,) = store.inbox_queue.parked()
    assert "169.254.169.254" in parked.error


@pytest.mark.parametrize(
    "url",
    [
        "http://photo.zalo.example/a.jpg",
        "https://evil.example/a.jpg",
        "https://user:pw@photo.zalo.example/a.jpg",
        "https://photo.zalo.example.evil.example/a.jpg",
        "file:///etc/passwd",
        "https://[::1/a",
    ],
)
def test_the_photo_url_check(url: str) -> None:
    photos = PhotoFetcher(PhotoSettings(frozenset({"photo.zalo.example"})))
    with pytest.raises(PhotoRefused):
        photos.check(url)
    photos.check("https://photo.zalo.example/a.jpg")


def test_generic_chat_events_still_reach_the_desk(store: Store, desk: Desk) -> None:
    from tests._app import CHAT_SECRET

    dossier = receive(store, desk)
    event = {
        "event_id": "g-1",
        "user_id": "u-9",
        "text": str(dossier.code),
        "timestamp": int(NOW.timestamp() * 1000),
    }
    client(store, desk).post(
        "/webhooks/chat", json=event, headers={"authorization": f"Bearer {CHAT_SECRET}"}
    )
    assert drain(store, desk).handled == 1
    assert _replies(store)[0]["user_id"] == "u-9"


def test_links_are_made_at_receipt_time(store: Store, desk: Desk) -> None:
    receive(store, desk)
    post(client(store, desk), body("user_submit_info", user="u-2", info={"phone": "0912345678"}))
    drain(store, desk)
    with store.unit_of_work() as uow:
        (link,) = uow.links.for_user("zalo", "u-2")
    assert isinstance(link, CitizenLink)
    assert link.linked_at == NOW


def test_tapping_chat_now_gets_the_help_text(store: Store, desk: Desk) -> None:
    tap = {"app_id": "a", "event_name": "user_click_chatnow", "user_id": "u-5", "oa_id": "o"}
    post(client(store, desk), tap | {"timestamp": body()["timestamp"]})
    drain(store, desk)
    assert _replies(store) == [{"user_id": "u-5", "text": messages.help_text(), "channel": "zalo"}]


@pytest.mark.parametrize(
    "message",
    ["a string", {"msg_id": "x-1", "attachments": []}, {"msg_id": "x-2", "attachments": ["url"]}],
)
def test_a_malformed_image_event_is_parked(store: Store, desk: Desk, message: object) -> None:
    photos = PhotoFetcher(PhotoSettings(frozenset({"photo.zalo.example"})))
    post(client(store, desk), body("user_send_image", message=message))
    assert drain(store, desk, photos).parked == 1
