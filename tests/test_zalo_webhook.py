"""``POST /webhooks/zalo``: the signature (reference zalo-oa.md §2.4), the replay window,
the ``{}`` probe, echoes and deduplication (§2.5)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from tests._app import NOW
from tests._zalo import APP_ID, OA_ID, SECRETS, body, client, ms, post, signed

from tthc_adapters.zalo import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    FirstTerm,
    Secret,
    Stamp,
    Variant,
    ZaloSecrets,
    _signature,
    mac,
)
from tthc_core.desk import Desk
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store

TEXT = {"message": {"msg_id": "m-1", "text": "xin chào"}}


def _pending(store: Store) -> int:
    return store.inbox_queue.counts().pending


def test_a_rightly_signed_event_is_accepted_with_the_receipt_time(store: Store, desk: Desk) -> None:
    earlier = body(**TEXT) | {"timestamp": ms(NOW - dt.timedelta(minutes=3))}
    answer = post(client(store, desk), earlier)
    assert answer.status_code == 200
    assert answer.json() == {"accepted": True, "duplicate": False}
    claimed = store.inbox_queue.claim(owner="t", now=NOW, lease=dt.timedelta(minutes=1), limit=5)
    assert [c.event.event_id for c in claimed] == ["m-1"]
    assert claimed[0].event.received_at == NOW  # the server's clock, not the body's


@pytest.mark.parametrize(
    "header",
    [None, "", "mac=", "sha256=abc", "mac=" + "0" * 64, "MAC" + "0" * 64],
)
def test_a_missing_malformed_or_wrong_signature_is_refused(
    store: Store, desk: Desk, header: str | None
) -> None:
    raw, headers = signed(body(**TEXT))
    if header is None:
        del headers[SIGNATURE_HEADER]
    else:
        headers[SIGNATURE_HEADER] = header
    answer = client(store, desk).post("/webhooks/zalo", content=raw, headers=headers)
    assert answer.status_code == 401
    assert _pending(store) == 0


def test_a_changed_body_or_another_secret_is_refused(store: Store, desk: Desk) -> None:
    raw, headers = signed(body(**TEXT))
    test_client = client(store, desk)
    tampered = raw.replace(b"xin", b"XIN")
    assert test_client.post("/webhooks/zalo", content=tampered, headers=headers).status_code == 401
    assert post(test_client, body(**TEXT), secret="another").status_code == 401  # noqa: S106
    assert _pending(store) == 0


def test_upper_case_hex_is_the_same_signature(store: Store, desk: Desk) -> None:
    raw, headers = signed(body(**TEXT))
    headers[SIGNATURE_HEADER] = headers[SIGNATURE_HEADER].upper().replace("MAC=", "mac=")
    assert (
        client(store, desk).post("/webhooks/zalo", content=raw, headers=headers).status_code == 200
    )


@pytest.mark.parametrize(
    "variant",
    [
        Variant(FirstTerm.OA_ID),
        Variant(secret=Secret.APP),
        Variant(FirstTerm.OA_ID, Stamp.BODY, Secret.APP),
    ],
    ids=lambda v: v.name,
)
def test_an_uncertain_variant_is_refused_unless_configured_and_the_log_names_it(
    store: Store, desk: Desk, variant: Variant, caplog: pytest.LogCaptureFixture
) -> None:
    assert post(client(store, desk), body(**TEXT), variant=variant).status_code == 401
    both = ZaloSecrets(APP_ID, OA_ID, SECRETS.oa_secret, SECRETS.app_secret, (Variant(), variant))
    with caplog.at_level(logging.INFO, logger="tthc.zalo"):
        answer = post(client(store, desk, secrets=both), body(**TEXT), variant=variant)
    assert answer.status_code == 200
    assert f"signature variant {variant.name}" in caplog.text


def test_the_header_timestamp_variant(store: Store, desk: Desk) -> None:
    header_stamp = "1764900000000"
    raw, headers = signed(body(**TEXT))
    headers[TIMESTAMP_HEADER] = header_stamp
    headers[SIGNATURE_HEADER] = f"mac={mac(APP_ID, raw, header_stamp, SECRETS.oa_secret)}"
    assert (
        client(store, desk).post("/webhooks/zalo", content=raw, headers=headers).status_code == 401
    )
    secrets = ZaloSecrets(APP_ID, OA_ID, SECRETS.oa_secret, variants=(Variant(stamp=Stamp.HEADER),))
    answer = client(store, desk, secrets=secrets).post(
        "/webhooks/zalo", content=raw, headers=headers
    )
    assert answer.status_code == 200


def test_every_variant_is_compared_in_constant_time(
    monkeypatch: pytest.MonkeyPatch, store: Store, desk: Desk
) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = _signature.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(_signature.hmac, "compare_digest", spy)
    variants = (Variant(), Variant(FirstTerm.OA_ID), Variant(secret=Secret.APP))
    secrets = ZaloSecrets(APP_ID, OA_ID, SECRETS.oa_secret, SECRETS.app_secret, variants)
    assert post(client(store, desk, secrets=secrets), body(**TEXT)).status_code == 200
    assert len(calls) == len(variants)  # no early exit after the match


def test_settings_refuse_empty_keys_and_unset_app_secret() -> None:
    with pytest.raises(InvalidInput):
        ZaloSecrets(APP_ID, OA_ID, "")
    with pytest.raises(InvalidInput):
        ZaloSecrets(APP_ID, OA_ID, "k", variants=(Variant(secret=Secret.APP),))
    assert Variant.parse("oa_id+header+app_secret") == Variant(
        FirstTerm.OA_ID, Stamp.HEADER, Secret.APP
    )
    with pytest.raises(InvalidInput):
        Variant.parse("app_id+body")


PAST, FUTURE = dt.timedelta(hours=2), dt.timedelta(minutes=5)
MS = dt.timedelta(milliseconds=1)


@pytest.mark.parametrize(
    ("shift", "status"),
    [
        (-PAST, 200),
        (-PAST - MS, 401),
        (FUTURE, 200),
        (FUTURE + MS, 401),
        (-dt.timedelta(days=30), 401),
    ],
)
def test_the_replay_window_on_both_sides(
    store: Store, desk: Desk, shift: dt.timedelta, status: int
) -> None:
    event = body(**TEXT) | {"timestamp": ms(NOW + shift)}
    assert post(client(store, desk), event).status_code == status
    assert _pending(store) == (status == 200)


@pytest.mark.parametrize("stamp", [None, "", "abc", "-5", "1.5", True, "９９"])
def test_a_timestamp_that_is_not_milliseconds_is_a_bad_request(
    store: Store, desk: Desk, stamp: object
) -> None:
    event = body(**TEXT) | {"timestamp": stamp}
    assert post(client(store, desk), event).status_code == 400


def test_the_console_probe_is_answered_without_a_signature(store: Store, desk: Desk) -> None:
    answer = client(store, desk).post(
        "/webhooks/zalo", content=b"{}", headers={"content-type": "application/json"}
    )
    assert answer.status_code == 200
    assert answer.json() == {"ignored": "probe"}
    assert _pending(store) == 0


def test_echoes_of_our_own_sends_are_ignored(store: Store, desk: Desk) -> None:
    echo = body("oa_send_text", message={"msg_id": "m-9", "text": "reply"})
    answer = post(client(store, desk), echo)
    assert answer.json() == {"ignored": "echo"}
    assert _pending(store) == 0


def test_a_redelivered_event_is_a_duplicate(store: Store, desk: Desk) -> None:
    test_client = client(store, desk)
    assert post(test_client, body(**TEXT)).json()["duplicate"] is False
    assert post(test_client, body(**TEXT)).json()["duplicate"] is True
    follow = body("follow")
    assert post(test_client, follow).json()["duplicate"] is False
    assert post(test_client, follow).json()["duplicate"] is True
    later = follow | {"timestamp": ms(NOW + MS)}
    assert post(test_client, later).json()["duplicate"] is False  # event+timestamp+subject
    assert _pending(store) == 3


def test_without_settings_there_is_no_zalo_webhook(store: Store, desk: Desk) -> None:
    from tests._app import client_for

    raw, headers = signed(body(**TEXT))
    assert (
        client_for(store, desk).post("/webhooks/zalo", content=raw, headers=headers).status_code
        == 405
    )


def test_delivery_statuses_are_recorded_each_once_and_apart_from_each_other(
    store: Store, desk: Desk
) -> None:
    """``received`` and ``seen`` of one message share its ``msg_id``: both are kept."""
    test_client = client(store, desk)
    for name in ("user_received_message", "user_seen_message"):
        status = body(name, message={"msg_id": "d-1"})
        assert post(test_client, status).json() == {"accepted": True, "duplicate": False}
        assert post(test_client, status).json() == {"accepted": True, "duplicate": True}
    assert _pending(store) == 2
    status = body("user_seen_message", message={"msg_id": "d-1"})
    raw, headers = signed(status)
    headers[SIGNATURE_HEADER] = "mac=" + "0" * 64
    assert (
        client(store, desk).post("/webhooks/zalo", content=raw, headers=headers).status_code == 401
    )
