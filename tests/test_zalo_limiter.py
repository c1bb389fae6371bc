"""The send rate shared by every worker through the database (reference zalo-oa.md §1.3: 4,000/min).

The schedule's promise: in any interval of one window, at most ``limit`` requests
leave (``limit - slack // 2``: the rest absorbs jitter on the way), however
the requests fall, however many processes share it, however late their
workers are; one transaction per block of slots; and, when senders keep up,
99 % of the limit. ``-32`` pauses every sharer (the others after the block
they hold).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tthc_adapters.storage import PostgresStore, SqliteStore
from tthc_adapters.zalo import (
    MemoryRateLimiter,
    RateLimiter,
    RateSettings,
    SqlRateLimiter,
    sql_side_for,
)
from tthc_adapters.zalo._limiter import take
from tthc_adapters.zalo._sqlside import SqlSide, memory_side, postgres_side, sqlite_side
from tthc_core.errors import InvalidInput

START = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)


class VirtualTime:
    """A clock and a sleep that advances it (no real waiting)."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def _most_in_any_window(grants: list[dt.datetime], window: dt.timedelta) -> int:
    """The largest number of grants in any half-open interval [t, t + window)."""
    ordered = sorted(grants)
    return max(
        (bisect.bisect_left(ordered, start + window) - i for i, start in enumerate(ordered)),
        default=0,
    )


@settings(max_examples=200, deadline=None)
@given(
    limit=st.integers(2, 40),
    window_s=st.integers(1, 30),
    gaps=st.lists(st.floats(0, 3, allow_nan=False), min_size=1, max_size=150),
)
def test_no_window_ever_holds_more_than_the_limit(
    limit: int, window_s: int, gaps: list[float]
) -> None:
    """Requests arriving at any pace (bursts and lulls): the bound holds exactly."""
    rate = RateSettings(limit, dt.timedelta(seconds=window_s))
    bucket, now, grants = None, START, []
    for gap in gaps:  # requests arrive at any pace, from any number of senders
        now += dt.timedelta(seconds=gap)
        bucket, wait = take(bucket, now, rate)
        grants.append(now + dt.timedelta(seconds=wait))
    assert _most_in_any_window(grants, rate.window) <= limit


@settings(max_examples=150, deadline=None)
@given(
    limit=st.integers(2, 500),
    window_s=st.integers(1, 30),
    block=st.integers(1, 12),
    senders=st.integers(1, 4),
    steps=st.lists(
        st.tuples(
            st.integers(0, 3),  # which sender asks
            st.floats(0, 30, allow_nan=False),  # its work before asking, in intervals
            st.booleans(),  # Zalo answered -32 after it sent
        ),
        min_size=1,
        max_size=120,
    ),
)
def test_shared_blocks_never_let_a_window_hold_more_than_the_limit(
    limit: int,
    window_s: int,
    block: int,
    senders: int,
    steps: list[tuple[int, float, bool]],
) -> None:
    """Senders sharing one schedule in blocks, each busy for any time between requests: the bound.

    Every request is released within ``tolerance`` of a slot of its own; a
    window holds at most ``limit - slack // 2`` of them.
    """
    rate = RateSettings(
        limit, dt.timedelta(seconds=window_s), pause=dt.timedelta(seconds=1), block=block
    )
    time = VirtualTime()
    side = memory_side()  # one database, shared by every "process"
    limiters = [SqlRateLimiter(side, rate, clock=time, sleep=time.sleep) for _ in range(senders)]
    released = []
    for who, work, refused in steps:
        time.now += rate.interval * work
        limiter = limiters[who % senders]
        slot = limiter.acquire()
        assert dt.timedelta(0) <= time.now - slot <= rate.tolerance
        released.append(time.now)
        if refused:
            limiter.back_off()
    assert _most_in_any_window(released, rate.window) <= limit - rate.slack // 2


def test_a_slot_missed_by_more_than_the_tolerance_is_skipped_not_borrowed() -> None:
    time = VirtualTime()
    rate = RateSettings(4000, dt.timedelta(minutes=1))
    limiter = MemoryRateLimiter(rate, clock=time, sleep=time.sleep)
    first = limiter.acquire()
    assert rate.block_size == 8
    time.now += rate.tolerance + rate.interval * 3 / 2  # the worker was busy
    second = limiter.acquire()
    assert second == first + rate.interval * 2  # slot 1 missed by more than the tolerance
    assert time.now - second <= rate.tolerance
    time.now += rate.tolerance * 4  # the rest of the block is stale: a fresh block, from now
    now = time.now
    assert limiter.acquire() == now


class _Counting:
    """A side that counts its transactions."""

    def __init__(self, side: SqlSide) -> None:
        self.side, self.transactions = side, 0

    def __call__(self) -> SqlSide:
        def connect() -> object:
            self.transactions += 1
            return self.side.connect()

        return SqlSide(connect, self.side.dialect, self.side.release)


@pytest.mark.parametrize(("limit", "per_transaction"), [(4000, 8), (400, 2), (40, 1)])
def test_one_transaction_reserves_a_block_of_slots(
    limit: int, per_transaction: int, tmp_path: Path
) -> None:
    """8 requests per transaction at 4,000 a minute; fewer where a block would outlast tolerance."""
    store = SqliteStore(tmp_path / "tthc.sqlite3")
    counting = _Counting(sqlite_side(store.path, durable=False))
    time = VirtualTime()
    rate = RateSettings(limit, dt.timedelta(minutes=1))
    limiter = SqlRateLimiter(counting(), rate, clock=time, sleep=time.sleep)
    grants = [limiter.acquire() for _ in range(80)]
    assert counting.transactions == 80 // per_transaction
    assert rate.interval * (per_transaction - 1) <= rate.tolerance
    assert [b - a for a, b in itertools.pairwise(grants)] == [rate.interval] * 79
    store.close()


def test_a_steady_backlog_is_sent_at_99_percent_of_the_limit() -> None:
    time = VirtualTime()
    limiter = MemoryRateLimiter(
        RateSettings(4000, dt.timedelta(minutes=1)), clock=time, sleep=time.sleep
    )
    grants = []
    for _ in range(20_000):
        limiter.acquire()
        grants.append(time.now)
    elapsed = (grants[-1] - grants[0]).total_seconds()
    per_minute = (len(grants) - 1) / elapsed * 60
    assert 3959.5 <= per_minute <= 3960  # 1 % of slack; the interval rounded up to a microsecond
    assert _most_in_any_window(grants, dt.timedelta(minutes=1)) <= 4000


@pytest.mark.parametrize(
    "bad", [{"limit": 0}, {"window": dt.timedelta(0)}, {"pause": -dt.timedelta(1)}]
)
def test_settings_refuse_nonsense(bad: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        RateSettings(**bad)  # type: ignore[arg-type]


def _two(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest, rate: RateSettings, time: VirtualTime
) -> tuple[RateLimiter, RateLimiter]:
    """Two limiters on one database: one through the store, one on its own connections."""
    if kind == "sqlite":
        store = SqliteStore(tmp_path / "tthc.sqlite3")
        other = sqlite_side(store.path)
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("postgres_schema")
        store = PostgresStore(dsn, schema=schema)
        other = postgres_side(dsn, schema)
    request.addfinalizer(store.close)
    side = sql_side_for(store)
    assert side is not None
    return (
        SqlRateLimiter(side, rate, clock=time, sleep=time.sleep),
        SqlRateLimiter(other, rate, clock=time, sleep=time.sleep),  # one more "process"
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_two_processes_share_one_bucket(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    time = VirtualTime()
    rate = RateSettings(50, dt.timedelta(seconds=10))
    first, second = _two(kind, tmp_path, request, rate, time)
    grants = []
    for i in range(200):
        (first if i % 3 else second).acquire()
        grants.append(time.now)
    assert _most_in_any_window(grants, rate.window) <= 50
    elapsed = (grants[-1] - grants[0]).total_seconds()
    # No slack either: at most a microsecond of rounding per grant.
    assert elapsed == pytest.approx(199 * rate.interval.total_seconds(), abs=1e-9)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_minus_32_pauses_every_sharer(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Who got ``-32`` drops its slots; another finishes the block it holds, then waits."""
    time = VirtualTime()
    rate = RateSettings(4000, dt.timedelta(minutes=1), pause=dt.timedelta(seconds=10))
    first, second = _two(kind, tmp_path, request, rate, time)
    second.acquire()  # holds the rest of a block of 8
    first.acquire()
    first.back_off()
    paused_until = time.now + rate.pause
    held = [second.acquire() for _ in range(rate.block_size - 1)]
    assert all(slot < paused_until for slot in held)
    assert time.now - held[0] <= rate.block_size * rate.interval  # they span one block at most
    assert second.acquire() == paused_until == time.now
    assert first.acquire() > paused_until
