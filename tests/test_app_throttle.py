"""The rate-limit API on `limits` (issue 9: throttle look-ups with a maintained library)."""

from __future__ import annotations

import datetime as dt
import threading
import time
import unicodedata

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._app import CHAT_SECRET, NOW, TestClient, client_for
from tests._desk import receive

from tthc_adapters.app._throttle import (
    SWEEP_SECONDS,
    Decision,
    Throttle,
    ThrottleSettings,
    throttle_storage,
)
from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.storage import MemoryStore
from tthc_adapters.webhooks import inbox_handlers
from tthc_core.desk import Desk, messages
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store, drain_inbox

_STAMP = int(NOW.timestamp() * 1000)
_BEARER = {"authorization": f"Bearer {CHAT_SECRET}"}


def test_a_key_is_allowed_up_to_the_rate_then_told_when_to_return() -> None:
    throttle = Throttle("3/minute", scope="t")
    assert [throttle.hit("a").allowed for _ in range(3)] == [True, True, True]
    refused = throttle.hit("a")
    assert refused.allowed is False
    assert 1 <= refused.retry_after <= 60
    assert throttle.hit("b") == Decision(allowed=True)  # another key counts apart


def test_every_rate_of_several_must_fit_and_a_refused_hit_counts_nothing() -> None:
    throttle = Throttle("5/minute;2/hour", scope="t")
    assert throttle.hit("a").allowed
    assert throttle.hit("a").allowed
    refused = throttle.hit("a")
    assert not refused.allowed
    assert refused.retry_after > 60  # the hourly rate is the one spent


@pytest.mark.parametrize("rates", ["3/minute;2/hour", "2/minute;3/hour"])
def test_a_refused_hit_spends_no_rate_whichever_rate_refuses(rates: str) -> None:
    """The last rate is hit without a test of its own (one call for one rate): still all or none."""
    throttle = Throttle(rates, scope="t")
    assert throttle.hit("a").allowed
    assert throttle.hit("a").allowed
    for _ in range(3):
        assert not throttle.hit("a").allowed
    for rate in throttle.rates:
        stats = throttle._limiter.get_window_stats(rate, "t", "a")
        assert stats.remaining == rate.amount - 2


def test_a_cost_counts_as_that_many_hits() -> None:
    throttle = Throttle("5/minute", scope="t")
    assert throttle.hit("a", cost=4).allowed
    assert not throttle.hit("a", cost=2).allowed
    assert throttle.hit("a", cost=1).allowed
    assert throttle.hit("a", cost=0).allowed  # nothing to count
    never = throttle.hit("b", cost=6)
    assert (never.allowed, never.retry_after) == (False, 60)


def test_throttles_sharing_a_storage_count_apart_by_scope() -> None:
    storage = throttle_storage()
    pages = Throttle("1/minute", scope="pages", storage=storage)
    chat = Throttle("1/minute", scope="chat", storage=storage)
    assert pages.hit("a").allowed
    assert chat.hit("a").allowed
    assert not pages.hit("a").allowed
    pages.clear("a")
    assert pages.hit("a").allowed


def test_the_memory_backend_sweeps_at_most_once_a_second_under_load(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each sweep starts a timer thread; the library's own backend starts one every 10 ms."""
    started: list[object] = []
    real_start = threading.Timer.start

    def counted(timer: threading.Timer) -> None:
        started.append(timer)
        real_start(timer)

    monkeypatch.setattr(threading.Timer, "start", counted)
    throttle = Throttle("100000/minute", scope="t", storage=throttle_storage())
    began = time.monotonic()
    for _ in range(300):
        assert throttle.hit("a").allowed
        time.sleep(0.001)
    seconds = time.monotonic() - began
    assert len(started) <= seconds / SWEEP_SECONDS + 2


def test_swept_or_not_a_moving_window_frees_hits_as_they_expire() -> None:
    throttle = Throttle("2/second", scope="t", storage=throttle_storage())
    assert [throttle.hit("a").allowed for _ in range(3)] == [True, True, False]
    time.sleep(1.05)  # before the next sweep may run
    assert throttle.hit("a").allowed


@pytest.mark.parametrize("rates", ["", "many", "3/fortnight", "-1/minute"])
def test_a_rate_that_is_not_a_limits_string_is_refused(rates: str) -> None:
    with pytest.raises(InvalidInput, match="rate"):
        Throttle(rates, scope="t")


@pytest.mark.parametrize("uri", ["nosuch://x", "not a uri"])
def test_an_unknown_storage_is_refused_naming_it(uri: str) -> None:
    with pytest.raises(InvalidInput, match="rate-limit storage"):
        throttle_storage(uri)


# -- in the app: status pages and the look-up form per address, chat per sender ----


def _app(store: Store, desk: Desk, **rates: str | None) -> TestClient:
    return client_for(store, desk, throttle=ThrottleSettings(**rates))


@pytest.fixture
def memory_store() -> Store:
    made = MemoryStore(clock=lambda: NOW)
    with made.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return made


def test_status_pages_past_the_rate_are_a_vietnamese_429_with_retry_after(
    memory_store: Store, desk: Desk
) -> None:
    dossier = receive(memory_store, desk)
    client = _app(memory_store, desk, pages="3/minute")
    other = attrs.evolve(dossier.code, sequence=2)
    paths = [f"/{dossier.code}", f"/{other}", f"/?ma={dossier.code}"]
    assert [client.get(p, follow_redirects=False).status_code for p in paths] == [200, 404, 303]
    refused = client.get(f"/{dossier.code}")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert '<html lang="vi">' in refused.text
    assert "Tạm ngừng tra cứu" in refused.text
    assert unicodedata.is_normalized("NFC", refused.text)
    as_json = client.get(f"/{dossier.code}", headers={"accept": "application/json"})
    assert as_json.status_code == 429
    assert as_json.json()["error"] == "too_many_requests"
    assert "thử lại sau" in as_json.json()["message"]
    assert "retry-after" in as_json.headers
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_the_home_page_and_other_routes_are_not_counted(memory_store: Store, desk: Desk) -> None:
    client = _app(memory_store, desk, pages="1/minute")
    for _ in range(3):
        assert client.get("/").status_code == 200
        assert client.get("/healthz").status_code == 200
        assert client.get("/open311/v2/services.json").status_code == 200
    assert client.get("/?ma=000.43.31.H15-261123-0001", follow_redirects=False).status_code == 303
    assert client.get("/?ma=000.43.31.H15-261123-0001").status_code == 429


def test_each_client_address_has_its_own_rate(memory_store: Store, desk: Desk) -> None:
    dossier = receive(memory_store, desk)
    app = _app(memory_store, desk, pages="1/minute").app
    first = TestClient(app, client=("203.0.113.1", 5000))
    second = TestClient(app, client=("203.0.113.2", 5000))
    assert first.get(f"/{dossier.code}").status_code == 200
    assert first.get(f"/{dossier.code}").status_code == 429
    assert second.get(f"/{dossier.code}").status_code == 200


def test_chat_look_ups_past_the_senders_budget_are_refused_in_vietnamese(
    memory_store: Store, desk: Desk
) -> None:
    """The inbox worker spends the sender's budget (the webhook only acknowledges)."""
    codes = [receive(memory_store, desk).code for _ in range(3)]
    client = _app(memory_store, desk)
    _, budget = ThrottleSettings(chat_lookups="2/hour").build()

    def chat(event: str, user: str, text: str) -> list[str]:
        body = {"event_id": event, "user_id": user, "text": text, "timestamp": _STAMP}
        response = client.post("/webhooks/chat", json=body, headers=_BEARER)
        assert response.status_code == 200
        assert response.json() == {"accepted": True, "duplicate": False}
        drain_inbox(
            memory_store.inbox_queue,
            memory_store.unit_of_work,
            inbox_handlers(desk, budget=budget),
            owner="test",
            clock=lambda: NOW,
        )
        claimed = memory_store.outbox_queue.claim(
            owner="t", now=NOW, lease=dt.timedelta(seconds=1), limit=50
        )
        for pending in claimed:
            memory_store.outbox_queue.delivered(pending.id, owner="t", now=NOW)
        return [str(p.message.payload["text"]) for p in claimed]

    assert len(chat("e1", "u1", f"{codes[0]} {codes[1]}")) == 2
    assert chat("e2", "u1", str(codes[2])) == [messages.lookups_spent()]
    assert str(codes[2]) in chat("e3", "u2", str(codes[2]))[0]


def test_default_settings_throttle_both(memory_store: Store, desk: Desk) -> None:
    pages, chat = ThrottleSettings().build()
    assert pages is not None
    assert chat is not None
    assert ThrottleSettings(pages=None, chat_lookups=None).build() == (None, None)


def test_settings_from_the_environment() -> None:
    assert ThrottleSettings.from_env({}) == ThrottleSettings()
    settings = ThrottleSettings.from_env(
        {
            "TTHC_THROTTLE_PAGES": "5/minute",
            "TTHC_THROTTLE_CHAT_LOOKUPS": "off",
            "TTHC_THROTTLE_STORAGE": "memory://",
        }
    )
    assert settings == ThrottleSettings(pages="5/minute", chat_lookups=None)
    with pytest.raises(InvalidInput, match="TTHC_THROTTLE_PAGES"):
        ThrottleSettings.from_env({"TTHC_THROTTLE_PAGES": "lots"})


def test_the_throttled_budget_keeps_the_ports_promises() -> None:
    """``LookupBudget.allow``: fits are counted, a refusal counts nothing, senders count apart."""
    _, budget = ThrottleSettings(pages=None, chat_lookups="3/hour").build()
    assert budget is not None
    assert budget.allow("a", 2, NOW)
    assert not budget.allow("a", 2, NOW)
    assert budget.allow("a", 1, NOW)
    assert not budget.allow("a", 1, NOW)
    assert budget.allow("b", 3, NOW)


@given(
    st.integers(1, 20),
    st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 8)), max_size=40),
)
def test_within_one_window_a_key_gets_exactly_its_rate(
    rate: int, hits: list[tuple[str, int]]
) -> None:
    """Against a model: a hit is allowed iff the key's counted hits plus its cost fit the rate."""
    throttle = Throttle(f"{rate}/hour", scope="property")
    counted: dict[str, int] = {}
    for key, cost in hits:
        fits = cost == 0 or counted.get(key, 0) + cost <= rate
        decision = throttle.hit(key, cost=cost)
        assert decision.allowed is fits
        if fits:
            counted[key] = counted.get(key, 0) + cost
        else:
            assert 1 <= decision.retry_after <= 3600
