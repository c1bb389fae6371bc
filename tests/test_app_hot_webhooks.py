"""The chat and Zalo webhooks as hot routes (app/_hot.py) answer what the routed endpoints answer.

Hot routes skip Starlette's router and error middleware; the answers must not
change. The same hostile requests go to the app as built and to the same app
with its hot routes removed (every request through Starlette's routing), each
on a store of its own: status, headers and body must be identical, and so
must be what each store's inbox holds afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._app import CHAT_SECRET, NOW, TestClient, client_for
from tests._zalo import APP_ID, OA_SECRET, SECRETS, body, ms

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.storage import MemoryStore
from tthc_adapters.zalo import SIGNATURE_HEADER, ZaloWebhookSettings, mac
from tthc_core.desk import Desk
from tthc_core.storage import Store

FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\ud800", "\x00", "tra cứu 000.43.31.H15-261123-0001", " ", "{}"]),
)
_value = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _text
) | st.lists(st.integers(), max_size=2)
_chat = st.fixed_dictionaries(
    {},
    optional={
        "event_id": _value,
        "user_id": _value,
        "text": _value,
        "timestamp": st.one_of(
            _value, st.integers(-(10**9), 10**9).map(lambda s: int(NOW.timestamp() * 1000) + s)
        ),
        "file": st.one_of(_value, st.just("aGVsbG8="), st.just("!!")),
    },
)
_zalo = st.fixed_dictionaries(
    {
        "event_name": st.sampled_from(["user_send_text", "follow", "oa_send_text", ""]) | _text,
        "timestamp": st.one_of(
            st.integers(-(10**7), 10**7).map(lambda s: ms(NOW + dt.timedelta(seconds=s))), _value
        ),
    },
    optional={
        "sender": st.fixed_dictionaries({"id": _text}) | _value,
        "message": st.fixed_dictionaries({"msg_id": _text, "text": _text}) | _value,
    },
)
_content_type = st.sampled_from(
    ["application/json", "application/json; charset=utf-8", "text/plain", None]
)


Pair = tuple[tuple[TestClient, Store], tuple[TestClient, Store]]


def _store() -> Store:
    store = MemoryStore(clock=lambda: NOW)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return store


def _pair(desk: Desk) -> Pair:
    """The app as built, and the same app routing every request through Starlette."""
    zalo = ZaloWebhookSettings(SECRETS)
    hot_store, routed_store = _store(), _store()
    hot = client_for(hot_store, desk, zalo=zalo)
    routed = client_for(routed_store, desk, zalo=zalo)
    assert routed.app.hot["posts"].keys() == {"/webhooks/chat", "/webhooks/zalo"}  # type: ignore[attr-defined]
    routed.app.hot = None  # type: ignore[attr-defined]
    return (hot, hot_store), (routed, routed_store)


@pytest.fixture(scope="module")
def pair(desk: Desk) -> Pair:
    """One pair for every example: both stores see the same requests, so they stay alike."""
    return _pair(desk)


def _same(pair: Pair, requests: list[tuple[str, bytes, dict[str, str]]]) -> None:
    (hot, hot_store), (routed, routed_store) = pair
    for path, content, headers in requests:
        a = hot.post(path, content=content, headers=headers)
        b = routed.post(path, content=content, headers=headers)
        assert (a.status_code, a.content) == (b.status_code, b.content)
        assert dict(a.headers) == dict(b.headers)
        assert a.status_code < 500
    held = [
        sorted((e.event.event_id, e.event.raw) for e in s.inbox_queue.claim(
            owner="t", now=NOW, lease=dt.timedelta(minutes=1), limit=100
        ))
        for s in (hot_store, routed_store)
    ]  # fmt: skip
    assert held[0] == held[1]


def _headers(content_type: str | None, extra: dict[str, str]) -> dict[str, str]:
    return ({} if content_type is None else {"content-type": content_type}) | extra


@FUZZ
@given(
    events=st.lists(_chat, min_size=1, max_size=3),
    content_type=_content_type,
    auth=st.sampled_from([f"Bearer {CHAT_SECRET}", "Bearer wrong", "", f"bearer  {CHAT_SECRET}"]),
    repeat=st.booleans(),
)
def test_the_hot_chat_webhook_answers_as_the_routed_one(
    pair: Pair, events: list[dict[str, Any]], content_type: str | None, auth: str, repeat: bool
) -> None:
    headers = _headers(content_type, {"authorization": auth} if auth else {})
    raws = [json.dumps(e, ensure_ascii=False).encode("utf-8", "surrogatepass") for e in events]
    raws += raws[:1] if repeat else []
    _same(pair, [("/webhooks/chat", raw, headers) for raw in raws])


@FUZZ
@given(
    event=_zalo,
    content_type=_content_type,
    signature=st.sampled_from(["right", "wrong", "none"]),
    repeats=st.integers(1, 2),
)
def test_the_hot_zalo_webhook_answers_as_the_routed_one(
    pair: Pair, event: dict[str, Any], content_type: str | None, signature: str, repeats: int
) -> None:
    event = body() | event
    raw = json.dumps(event, ensure_ascii=False).encode("utf-8", "surrogatepass")
    stamp = str(event["timestamp"]).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    extra = {
        "right": {SIGNATURE_HEADER: f"mac={mac(APP_ID, raw, stamp, OA_SECRET)}"},
        "wrong": {SIGNATURE_HEADER: "mac=" + "0" * 64},
        "none": {},
    }[signature]
    _same(pair, [("/webhooks/zalo", raw, _headers(content_type, extra))] * repeats)
