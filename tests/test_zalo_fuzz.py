"""Fuzzed Zalo webhook bodies and headers (issue 11: no 5xx; forged and replayed events
never processed; duplicates processed once). The nightly profile runs 2,000 examples each."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests._app import NOW
from tests._zalo import OA_SECRET, body, client, drain, ms, signed

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.storage import MemoryStore
from tthc_adapters.zalo import SIGNATURE_HEADER
from tthc_core.desk import Desk
from tthc_core.storage import Store

FUZZ = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
_names = st.sampled_from(
    [
        "user_send_text",
        "user_send_image",
        "follow",
        "unfollow",
        "user_submit_info",
        "oa_send_text",
        "user_seen_message",
        "",
    ]
) | st.text(max_size=70)
_stamps = st.one_of(
    st.integers(-(10**7), 10**7).map(lambda s: ms(NOW + dt.timedelta(seconds=s))),
    st.integers(),
    st.text(max_size=15),
    st.none(),
)
_events = st.fixed_dictionaries(
    {"event_name": _names, "timestamp": _stamps},
    optional={
        "app_id": _json,
        "sender": st.fixed_dictionaries({"id": st.text(max_size=30)}) | _json,
        "follower": _json,
        "message": st.fixed_dictionaries(
            {"msg_id": st.text(max_size=250), "text": st.text(max_size=300)}
        )
        | _json,
        "info": _json,
    },
)
_header_text = st.text(
    st.characters(min_codepoint=0x20, exclude_categories=("Cs",), exclude_characters="\x7f"),
    max_size=80,
)
_signatures = st.one_of(st.none(), _header_text, st.from_regex(r"mac=[0-9a-f]{64}", fullmatch=True))


def _fresh() -> Store:
    store = MemoryStore(clock=lambda: NOW)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return store


def _raw(event: dict[str, Any]) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode("utf-8")


@FUZZ
@given(event=_events, signature=_signatures, junk=st.binary(max_size=64))
def test_forged_events_are_never_recorded_and_never_5xx(
    desk: Desk, event: dict[str, Any], signature: str | None, junk: bytes
) -> None:
    store = _fresh()
    test_client = client(store, desk)
    headers = {"content-type": b"application/json"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature.encode("utf-8")  # any bytes a client may send
    for raw in (_raw(event), junk):
        answer = test_client.post("/webhooks/zalo", content=raw, headers=headers)
        assert answer.status_code < 500
        assert answer.status_code != 200 or "accepted" not in answer.json()
    assert store.inbox_queue.counts().pending == 0


@FUZZ
@given(event=_events, skew=st.integers(-(10**8), 10**8), repeats=st.integers(1, 3))
def test_signed_events_inside_the_window_are_handled_once_and_replays_never(
    desk: Desk, event: dict[str, Any], skew: int, repeats: int
) -> None:
    store = _fresh()
    test_client = client(store, desk)
    sent_at = NOW + dt.timedelta(milliseconds=skew)
    event = body() | event | {"timestamp": ms(sent_at)}
    raw, headers = signed(event)
    answers = [
        test_client.post("/webhooks/zalo", content=raw, headers=headers) for _ in range(repeats)
    ]
    assert all(a.status_code < 500 for a in answers)
    inside = NOW - dt.timedelta(hours=2) <= sent_at <= NOW + dt.timedelta(minutes=5)
    accepted = [
        a.json().get("duplicate")
        for a in answers
        if a.status_code == 200 and "accepted" in a.json()
    ]
    if not inside:
        assert accepted == []
    if accepted:
        assert accepted == [False] + [True] * (repeats - 1)
    report = drain(store, desk)
    assert report.handled + report.parked == len(accepted[:1])
    assert drain(store, desk).handled == 0
    assert OA_SECRET not in json.dumps([a.json() for a in answers])
