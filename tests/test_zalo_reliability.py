"""Reliability of the Zalo channel against the fake platform over loopback HTTP.

* A token-refresh race between two real processes on one database: the
  single-use refresh token is spent once (reference zalo-oa.md §1.2, §6).
* A rate-limit storm: workers sharing the database's bucket never exceed the
  platform's limit; a ``-32`` anyway is retried and delivered once.
* A 10-minute outage (an injected clock): afterwards every queued message
  is delivered once, in order per citizen.
"""

from __future__ import annotations

import bisect
import datetime as dt
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._zalo import MovingClock

from tthc_adapters.bootstrap import Dispatcher
from tthc_adapters.storage import PostgresStore, SqliteStore
from tthc_adapters.zalo import (
    Ledger,
    OaClient,
    RateSettings,
    SqlRateLimiter,
    ZaloApiSettings,
    ZaloSender,
    postgres_token_store,
    sql_side_for,
    sqlite_token_store,
    token_store_for,
)
from tthc_adapters.zalo._fake_server import FakeZaloServer
from tthc_adapters.zalo._sqlside import sqlite_side
from tthc_core.storage import OutboundMessage, RetryPolicy, Store, drain_outbox

START = dt.datetime(2026, 11, 24, 2, tzinfo=dt.UTC)  # 09:00 in Vietnam


class Clock(MovingClock):
    def __init__(self) -> None:
        super().__init__(START)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeZaloServer]:
    with FakeZaloServer(clock=clock) as server:
        yield server


def _api(fake: FakeZaloServer) -> ZaloApiSettings:
    return ZaloApiSettings(fake.app_id, fake.app_secret, fake.base_url, fake.base_url)


_CHILD = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from tthc_adapters.zalo import OaClient, ZaloApiSettings
    from tthc_adapters.zalo import postgres_token_store, sqlite_token_store
    kind, where, schema, base, app_id, secret, user, start = sys.argv[1:9]
    tokens = (sqlite_token_store(where, "oa") if kind == "sqlite"
              else postgres_token_store(where, schema, "oa"))
    client = OaClient(ZaloApiSettings(app_id, secret, base, base), tokens,
                      clock=lambda: dt.datetime(2026, 11, 24, 2, tzinfo=dt.UTC))
    while time.time() < float(start):
        time.sleep(0.001)
    print(client.send_text(user, "song song"))
    """
)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_two_processes_refreshing_at_once_spend_the_refresh_token_once(
    kind: str, fake: FakeZaloServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "sqlite":
        store: Store = SqliteStore(tmp_path / "tthc.sqlite3")
        where, schema = str(tmp_path / "tthc.sqlite3"), ""
        tokens = sqlite_token_store(where, "oa")
    else:
        where = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("postgres_schema")
        store = PostgresStore(where, schema=schema)
        tokens = postgres_token_store(where, schema, "oa")
    request.addfinalizer(store.close)
    tokens.save(fake.grant())
    fake.expire_access_tokens()  # both processes will be told -220 and refresh
    for user in ("u-1", "u-2"):
        fake._last_seen[user] = fake.clock()
    start = str(time.time() + 3.0)  # both start interpreters first, then go together
    children = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [
                sys.executable,
                "-c",
                _CHILD,
                kind,
                where,
                schema,
                fake.base_url,
                fake.app_id,
                fake.app_secret,
                user,
                start,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for user in ("u-1", "u-2")
    ]
    outcomes = [child.communicate(timeout=60) for child in children]
    assert [child.returncode for child in children] == [0, 0], outcomes
    assert fake.refreshes == 1
    assert sorted(m.user_id for m in fake.sent) == ["u-1", "u-2"]
    assert token_store_for(store, "oa").current().access_token == tokens.current().access_token


def _queue(store: Store, messages: list[tuple[str, str]]) -> None:
    with store.unit_of_work() as uow:
        for key, user in messages:
            uow.outbox.put(OutboundMessage(key, "zalo", {"user_id": user, "text": key}))
        uow.commit()


def test_a_rate_limit_storm_stays_under_the_limit_and_a_minus_32_is_retried(
    fake: FakeZaloServer, tmp_path: Path
) -> None:
    """Four workers, each with its own connections, share one schedule of 40 a second.

    The requests are *scheduled* to leave spaced as the limit requires (the property the schedule
    guarantees); the platform, which counts on *arrival*, may still see a few
    squeezed together by the machine's scheduling — those ``-32`` pause every
    worker and are retried: every message arrives exactly once.
    """
    store = SqliteStore(tmp_path / "tthc.sqlite3")
    fake.rate_limit, fake.rate_window = 40, dt.timedelta(seconds=1)
    fake.clock = lambda: dt.datetime.now(dt.UTC)  # the platform counts in real time
    fake.rate_limit_next = 3  # and says -32 a few times anyway
    users = [f"u-{i}" for i in range(10)]
    for user in users:
        fake._last_seen[user] = fake.clock()
    keys = [f"reply:m-{i:03}" for i in range(200)]  # replies: sent at any hour
    _queue(store, [(key, users[i % 10]) for i, key in enumerate(keys)])
    rate = RateSettings(40, dt.timedelta(seconds=1), pause=dt.timedelta(seconds=0.2))
    tokens = sqlite_token_store(store.path, "oa")
    tokens.save(fake.grant())
    departures: list[dt.datetime] = []

    class Counted(SqlRateLimiter):
        """Notes each request's slot (a thread may wake a little late, within the tolerance)."""

        def acquire(self) -> dt.datetime:
            slot = super().acquire()
            departures.append(slot)
            return slot

    def worker(name: str) -> None:
        limiter = Counted(sqlite_side(store.path, durable=False), rate, clock=fake.clock)
        client = OaClient(_api(fake), tokens, clock=fake.clock, limiter=limiter)
        sender = ZaloSender(client, clock=fake.clock)
        dispatcher = Dispatcher(chat=lambda *_: None, postal=None, channels={"zalo": sender})
        retry = RetryPolicy(first_delay=dt.timedelta(milliseconds=100))
        deadline = time.monotonic() + 90
        while store.outbox_queue.counts().pending and time.monotonic() < deadline:
            drain_outbox(
                store.outbox_queue, dispatcher, owner=name, clock=fake.clock, batch=5, retry=retry
            )
            time.sleep(0.05)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert _most_in_any_window(departures, rate.window) <= 40
    assert fake.rate_limited >= 3
    assert sorted(m.text for m in fake.sent) == keys
    assert store.outbox_queue.counts().delivered == 200
    store.close()


def _most_in_any_window(times: list[dt.datetime], window: dt.timedelta) -> int:
    ordered = sorted(times)
    return max(
        (bisect.bisect_left(ordered, t + window) - i for i, t in enumerate(ordered)), default=0
    )


def test_after_a_10_minute_outage_every_message_goes_once_in_order_per_citizen(
    fake: FakeZaloServer, clock: Clock, tmp_path: Path
) -> None:
    store = SqliteStore(tmp_path / "tthc.sqlite3", clock=clock)
    side = sql_side_for(store)
    assert side is not None
    tokens = token_store_for(store, fake.oa_id)
    tokens.save(fake.grant())
    users = ["u-a", "u-b", "u-c"]
    for user in users:
        fake._last_seen[user] = clock()
    sender = ZaloSender(OaClient(_api(fake), tokens, clock=clock), clock=clock, ledger=Ledger(side))
    dispatcher = Dispatcher(chat=lambda *_: None, postal=None, channels={"zalo": sender})
    expected: dict[str, list[str]] = {u: [] for u in users}
    fake.down = True
    outage_ends = START + dt.timedelta(minutes=10)
    n = 0
    while clock.now < START + dt.timedelta(minutes=40):
        if clock.now < outage_ends + dt.timedelta(minutes=2):  # messages keep arriving
            user = users[n % 3]
            key = f"{user}:{n:03}"
            _queue(store, [(key, user)])
            expected[user].append(key)
            n += 1
        fake.down = clock.now < outage_ends
        drain_outbox(store.outbox_queue, dispatcher, owner="w", clock=clock)
        clock.now += dt.timedelta(seconds=20)
    counts = store.outbox_queue.counts()
    assert (counts.pending, counts.parked) == (0, 0)
    for user in users:
        assert [m.text for m in fake.sent if m.user_id == user] == expected[user]
    assert len(fake.sent) == n
    store.close()
