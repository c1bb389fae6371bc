"""The OA API client against the fake Zalo server over loopback HTTP: tokens and error policy.

Reference zalo-oa.md §1.2 (25-hour access tokens, single-use refresh tokens),
§1.3 (errors in HTTP 200 envelopes), §1.7 (-216/-220 refresh, -32 back off,
-230/-232/-213 outside the window or not a follower).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tthc_adapters.bootstrap import Dispatcher
from tthc_adapters.storage import PostgresStore, SqliteStore
from tthc_adapters.zalo import (
    MemoryTokenStore,
    OaClient,
    RateLimited,
    TokenPair,
    TokenRefreshFailed,
    TokenStore,
    Unreachable,
    ZaloApiSettings,
    ZaloSender,
    postgres_token_store,
    sqlite_token_store,
    token_store_for,
)
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_core.storage import OutboundMessage, RetryPolicy, drain_outbox

START = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeZaloServer]:
    with FakeZaloServer(clock=clock) as server:
        yield server


def _client(fake: FakeZaloServer, tokens: TokenStore, clock: Clock) -> OaClient:
    settings = ZaloApiSettings(fake.app_id, fake.app_secret, fake.base_url, fake.base_url)
    return OaClient(settings, tokens, clock=clock)


def _open_window(fake: FakeZaloServer, user: str) -> None:
    """The user wrote to the OA (what a webhook event records on the fake)."""
    fake._last_seen[user] = fake.clock()


def test_a_text_is_sent_with_the_stored_token(fake: FakeZaloServer, clock: Clock) -> None:
    _open_window(fake, "u-1")
    client = _client(fake, MemoryTokenStore(fake.grant()), clock)
    assert client.send_text("u-1", "Xin chào").startswith("msg-")
    assert [(m.user_id, m.text) for m in fake.sent] == [("u-1", "Xin chào")]
    assert fake.refreshes == 0


def test_an_expired_token_is_refreshed_once_and_the_new_pair_stored(
    fake: FakeZaloServer, clock: Clock
) -> None:
    _open_window(fake, "u-1")
    first = fake.grant()
    tokens = MemoryTokenStore(first)
    client = _client(fake, tokens, clock)
    fake.expire_access_tokens()  # -220 on the next call
    client.send_text("u-1", "một")
    assert fake.refreshes == 1
    stored = tokens.current()
    assert stored.refresh_token != first.refresh_token
    client.send_text("u-1", "hai")
    assert fake.refreshes == 1
    assert len(fake.sent) == 2


def test_a_token_near_its_25_hours_is_refreshed_before_use(
    fake: FakeZaloServer, clock: Clock
) -> None:
    _open_window(fake, "u-1")
    tokens = MemoryTokenStore(fake.grant())
    client = _client(fake, tokens, clock)
    clock.now += dt.timedelta(hours=24, minutes=54)
    client.send_text("u-1", "a")
    assert fake.refreshes == 0
    clock.now += dt.timedelta(minutes=2)  # inside the 5-minute margin
    _open_window(fake, "u-1")
    client.send_text("u-1", "b")
    assert fake.refreshes == 1


def test_a_refresh_token_is_single_use_and_a_failed_refresh_is_an_alert(
    fake: FakeZaloServer, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    _open_window(fake, "u-1")
    pair = fake.grant()
    _client(fake, MemoryTokenStore(pair), clock).refresh(pair)  # spends pair's refresh token
    stale = MemoryTokenStore(pair)
    fake.expire_access_tokens()
    with caplog.at_level(logging.ERROR, logger="tthc.zalo"), pytest.raises(TokenRefreshFailed):
        _client(fake, stale, clock).send_text("u-1", "x")
    assert "ALERT" in caplog.text
    assert fake.refreshes == 1  # one refused attempt, no loop
    assert stale.current() == pair  # nothing stored on failure


def _sql_stores(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> tuple[TokenStore, TokenStore]:
    if kind == "sqlite":
        path = tmp_path / "tthc.sqlite3"
        sqlite = SqliteStore(path)  # migrates (0006 creates zalo_tokens)
        request.addfinalizer(sqlite.close)
        return token_store_for(sqlite, "oa"), sqlite_token_store(path, "oa")
    dsn = request.getfixturevalue("postgres_dsn")
    schema = request.getfixturevalue("postgres_schema")
    store = PostgresStore(dsn, schema=schema)
    request.addfinalizer(store.close)
    # One through the store's pool, one on its own connections (another process).
    return token_store_for(store, "oa"), postgres_token_store(dsn, schema, "oa")


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_concurrent_refreshes_across_two_stores_spend_the_refresh_token_once(
    fake: FakeZaloServer, clock: Clock, tmp_path: Path, request: pytest.FixtureRequest, kind: str
) -> None:
    first, second = _sql_stores(kind, tmp_path, request)
    first.save(fake.grant())
    for user in ("u-1", "u-2"):
        _open_window(fake, user)
    fake.expire_access_tokens()
    clients = [_client(fake, first, clock), _client(fake, second, clock)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def send(client: OaClient, user: str) -> None:
        barrier.wait()
        try:
            client.send_text(user, "song song")
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=send, args=(c, u))
        for c, u in zip(clients, ("u-1", "u-2"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert fake.refreshes == 1
    assert len(fake.sent) == 2
    assert first.current() == second.current()


def _outbox_once(fake: FakeZaloServer, clock: Clock, user: str) -> str:
    from tthc_adapters.storage import MemoryStore

    store = MemoryStore(clock=clock)
    with store.unit_of_work() as uow:
        uow.outbox.put(OutboundMessage("k-1", "zalo", {"user_id": user, "text": "kết quả"}))
        uow.commit()
    sender = ZaloSender(_client(fake, MemoryTokenStore(fake.grant()), clock), clock=clock)
    dispatcher = Dispatcher(chat=lambda *_: None, postal=None, channels={"zalo": sender})
    report = drain_outbox(
        store.outbox_queue, dispatcher, owner="t", clock=clock, retry=RetryPolicy(max_attempts=3)
    )
    return "delivered" if report.delivered else "parked" if report.parked else "retried"


def test_the_outbox_delivers_through_the_oa_api(fake: FakeZaloServer, clock: Clock) -> None:
    _open_window(fake, "u-1")
    outcome = _outbox_once(fake, clock, "u-1")
    assert outcome == "delivered"
    assert fake.sent[0].text == "kết quả"


def test_rate_limited_sends_are_retried_later(fake: FakeZaloServer, clock: Clock) -> None:
    _open_window(fake, "u-1")
    fake.rate_limit_next = 1
    outcome = _outbox_once(fake, clock, "u-1")
    assert outcome == "retried"
    assert fake.sent == []
    client = _client(fake, MemoryTokenStore(fake.grant()), clock)
    fake.rate_limit_next = 1
    with pytest.raises(RateLimited):
        client.send_text("u-1", "x")


def test_a_user_outside_the_7_day_window_is_parked_at_once(
    fake: FakeZaloServer, clock: Clock
) -> None:
    _open_window(fake, "u-1")
    clock.now += dt.timedelta(days=7, seconds=1)
    outcome = _outbox_once(fake, clock, "u-1")
    assert outcome == "parked"
    client = _client(fake, MemoryTokenStore(fake.grant()), clock)
    with pytest.raises(Unreachable) as raised:
        client.send_text("u-1", "x")
    assert raised.value.code == -230


def test_inside_the_window_on_its_last_instant(fake: FakeZaloServer, clock: Clock) -> None:
    _open_window(fake, "u-1")
    clock.now += dt.timedelta(days=7)
    client = _client(fake, MemoryTokenStore(fake.grant()), clock)
    client.send_text("u-1", "x")
    assert len(fake.sent) == 1


def test_a_text_over_2000_characters_is_refused_before_sending(
    fake: FakeZaloServer, clock: Clock
) -> None:
    from tthc_adapters.zalo import MAX_TEXT, ZaloApiError

    client = _client(fake, MemoryTokenStore(fake.grant()), clock)
    with pytest.raises(ZaloApiError):
        client.send_text("u-1", "a" * (MAX_TEXT + 1))
    assert fake.sent == []


def test_no_stored_pair_is_a_typed_error(fake: FakeZaloServer, clock: Clock) -> None:
    from tthc_adapters.zalo import NoTokens

    with pytest.raises(NoTokens):
        _client(fake, MemoryTokenStore(), clock).send_text("u-1", "x")
    assert isinstance(fake.grant(), TokenPair)
