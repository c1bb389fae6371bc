"""Event time: an inbound chat event counts from the server's receipt, never the sender's stamp.

The policy (tthc_adapters.app._event_time): the platform's timestamp is kept
as information and must lie within a day before and five minutes after the
receipt time, else the event is refused with a 400 that says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._app import CHAT_SECRET, NOW, TestClient, client_for
from tests._desk import receive

from tthc_adapters.app._event_time import (
    MAX_AGE,
    MAX_AHEAD,
    EventTimeRefused,
    check_event_time,
)
from tthc_adapters.webhooks import inbox_handlers
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk
from tthc_core.storage import Store, drain_inbox
from tthc_core.storage.kinds import COMPLAINTS

MS = dt.timedelta(milliseconds=1)


def _post(client: TestClient, sent_at: dt.datetime, text: str = "xin chào", n: int = 1) -> Any:
    body = {
        "event_id": f"evt-{n}",
        "user_id": "u-1",
        "text": text,
        "timestamp": round(sent_at.timestamp() * 1000),
    }
    return client.post(
        "/webhooks/chat", json=body, headers={"authorization": f"Bearer {CHAT_SECRET}"}
    )


@pytest.fixture
def client(store: Store, desk: Desk) -> TestClient:
    return client_for(store, desk)


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (-MAX_AGE, True),
        (-MAX_AGE - MS, False),
        (MAX_AHEAD, True),
        (MAX_AHEAD + MS, False),
        (dt.timedelta(0), True),
    ],
    ids=["a-day-old", "older", "five-minutes-ahead", "further-ahead", "now"],
)
def test_the_window_around_the_receipt_time(
    client: TestClient, store: Store, offset: dt.timedelta, accepted: bool
) -> None:
    response = _post(client, NOW + offset)
    assert response.status_code == (200 if accepted else 400)
    assert store.inbox_queue.counts().pending == int(accepted)
    if not accepted:
        assert "timestamp" in response.json()["reason"]


@pytest.mark.parametrize(
    "stamp",
    [dt.datetime(2000, 1, 1, tzinfo=VN_TZ), dt.datetime(2099, 12, 31, 23, 59, tzinfo=VN_TZ)],
    ids=["2000-01-01", "2099-12-31"],
)
def test_a_message_stamped_far_away_files_nothing(
    client: TestClient, store: Store, desk: Desk, stamp: dt.datetime
) -> None:
    dossier = receive(store, desk)
    response = _post(client, stamp, f"góp ý {dossier.code} cán bộ hướng dẫn tận tình")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_input"
    drain_inbox(
        store.inbox_queue, store.unit_of_work, inbox_handlers(desk), owner="w", clock=lambda: NOW
    )
    with store.read_only() as uow:
        assert uow.repository(COMPLAINTS).for_dossier(dossier.code) == []


def test_a_case_counts_from_the_receipt_not_from_the_senders_stamp(
    client: TestClient, store: Store, desk: Desk
) -> None:
    dossier = receive(store, desk)
    sent_at = NOW - dt.timedelta(hours=20)  # a late redelivery, still within the window
    response = _post(client, sent_at, f"góp ý {dossier.code} cán bộ hướng dẫn tận tình")
    assert response.status_code == 200
    report = drain_inbox(
        store.inbox_queue, store.unit_of_work, inbox_handlers(desk), owner="w", clock=lambda: NOW
    )
    assert report.handled == 1
    with store.read_only() as uow:
        (case,) = uow.repository(COMPLAINTS).for_dossier(dossier.code)
    assert case.received_at == NOW


@given(offset_ms=st.integers(-10 * 86_400_000, 10 * 86_400_000))
def test_check_event_time_accepts_exactly_the_window(offset_ms: int) -> None:
    offset = dt.timedelta(milliseconds=offset_ms)
    inside = -MAX_AGE <= offset <= MAX_AHEAD
    try:
        check_event_time(NOW + offset, NOW)
    except EventTimeRefused:
        assert not inside
    else:
        assert inside
