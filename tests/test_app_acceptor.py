"""Group commit of the chat webhook: concurrent events share commits, each gets its own outcome."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from tests._app import NOW

from tthc_adapters.app._acceptor import InboxAcceptor
from tthc_adapters.storage import MemoryStore, PostgresStore
from tthc_core.storage import InboundEvent, Store


def _event(n: int) -> InboundEvent:
    return InboundEvent("zalo", f"evt-{n}", {"n": n}, b"{}", NOW)


class _Counting:
    """A store whose inbox counts group commits, slows them down, and refuses ``bad`` events."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.commits = 0
        outer = self

        class _Queue:
            def accept_all(self, events: Any, *, durable: bool = True) -> list[bool]:
                assert durable
                for event in events:
                    if event.event_id.startswith("bad"):
                        raise RuntimeError(f"cannot record {event.event_id}")
                threading.Event().wait(0.005)  # a disk flush
                outer.commits += 1
                return store.inbox_queue.accept_all(events)

            def counts(self) -> Any:
                return store.inbox_queue.counts()

        self.inbox_queue = _Queue()


def test_concurrent_events_share_commits_and_each_learns_its_outcome() -> None:
    store = _Counting(MemoryStore())
    acceptor = InboxAcceptor(store)  # type: ignore[arg-type]
    events = [_event(n) for n in range(200)] + [_event(n) for n in range(0, 200, 10)]

    async def accept_all() -> list[bool]:
        return await asyncio.gather(*(acceptor.accept(e) for e in events))

    assert asyncio.run(accept_all()) == [True] * 200 + [False] * 20
    assert store.inbox_queue.counts().pending == 200
    assert store.commits < 200  # grouped


def test_the_worker_is_woken_once_per_group_that_recorded_something_new() -> None:
    store = _Counting(MemoryStore())
    wakes = []
    acceptor = InboxAcceptor(store, notify=lambda: wakes.append(1))  # type: ignore[arg-type]

    async def accept_all(events: list[InboundEvent]) -> list[bool]:
        return await asyncio.gather(*(acceptor.accept(e) for e in events))

    assert all(asyncio.run(accept_all([_event(n) for n in range(100)])))
    assert 1 <= len(wakes) == store.commits < 100
    before = len(wakes)
    assert not any(asyncio.run(accept_all([_event(n) for n in range(10)])))  # all seen before
    assert len(wakes) == before


def test_an_error_reaches_only_its_own_request() -> None:
    store = _Counting(MemoryStore())
    acceptor = InboxAcceptor(store)  # type: ignore[arg-type]
    names = [f"evt-{n}" if n % 7 else f"bad-{n}" for n in range(60)]

    async def accept(name: str) -> bool | str:
        try:
            return await acceptor.accept(InboundEvent("zalo", name, {}, b"{}", NOW))
        except RuntimeError as exc:
            return str(exc)

    async def accept_all() -> list[bool | str]:
        return await asyncio.gather(*(accept(name) for name in names))

    outcomes = dict(zip(names, asyncio.run(accept_all()), strict=True))
    for name, outcome in outcomes.items():
        assert outcome == (f"cannot record {name}" if name.startswith("bad") else True)
    assert store.inbox_queue.counts().pending == sum(not n.startswith("bad") for n in names)


def test_alone_an_event_is_recorded_at_once() -> None:
    store = MemoryStore()
    acceptor = InboxAcceptor(store)
    assert asyncio.run(acceptor.accept(_event(1)))
    assert not asyncio.run(acceptor.accept(_event(1)))  # another loop, the same committer
    assert store.inbox_queue.counts().pending == 1


# -- PostgreSQL: groups written from the event loop, one statement each ----------


@pytest.fixture
def pg_store(postgres_dsn: str, postgres_schema: str) -> Iterator[PostgresStore]:
    store = PostgresStore(postgres_dsn, schema=postgres_schema, max_size=2)
    yield store
    store.close()


def _stored(store: Store) -> list[tuple[str, str, Any, bytes, dt.datetime]]:
    claimed = store.inbox_queue.claim(
        owner="t", now=NOW + dt.timedelta(days=1), lease=dt.timedelta(minutes=1), limit=1000
    )
    return sorted(
        (c.event.source, c.event.event_id, c.event.payload, c.event.raw, c.event.received_at)
        for c in claimed
    )


@pytest.mark.postgres
def test_on_postgresql_groups_are_written_on_the_loop_as_the_queue_writes_them(
    pg_store: PostgresStore, postgres_dsn: str
) -> None:
    """The asynchronous writer stores exactly what ``inbox_queue.accept_all`` stores."""
    acceptor = InboxAcceptor(pg_store)
    assert acceptor.mode == "async"
    events = [
        InboundEvent("zalo", f"evt-{n}", {"n": n, "text": "tra cứu ✓"}, f"raw {n}".encode(), NOW)
        for n in range(40)
    ]
    repeated = events + events[::7]

    async def accept_all() -> list[bool]:
        return await asyncio.gather(*(acceptor.accept(e) for e in repeated))

    assert asyncio.run(accept_all()) == [True] * 40 + [False] * len(events[::7])
    assert pg_store.inbox_queue.counts().pending == 40
    peer = PostgresStore(postgres_dsn, schema=f"{pg_store.schema}_peer", max_size=2)
    try:
        assert peer.inbox_queue.accept_all(events) == [True] * 40
        assert _stored(pg_store) == _stored(peer)
    finally:
        peer.close()
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {pg_store.schema}_peer CASCADE")


@pytest.mark.postgres
@pytest.mark.parametrize("durable", [True, False])
def test_on_postgresql_an_error_reaches_only_its_own_request(
    pg_store: PostgresStore, durable: bool
) -> None:
    """jsonb refuses NUL: that event's request gets the error, its group's others are recorded."""
    acceptor = InboxAcceptor(pg_store, durable=durable)
    names = [f"evt-{n}" if n % 5 else f"bad-{n}" for n in range(30)]

    def event(name: str) -> InboundEvent:
        return InboundEvent(
            "zalo", name, {"t": "\x00" if name.startswith("bad") else "ok"}, b"", NOW
        )

    async def accept(name: str) -> bool | str:
        try:
            return await acceptor.accept(event(name))
        except psycopg.Error:
            return "refused"

    async def accept_all() -> list[bool | str]:
        return await asyncio.gather(*(accept(name) for name in names))

    outcomes = asyncio.run(accept_all())
    assert outcomes == ["refused" if n.startswith("bad") else True for n in names]
    assert pg_store.inbox_queue.counts().pending == sum(not n.startswith("bad") for n in names)


@pytest.mark.postgres
def test_on_postgresql_a_lost_connection_is_replaced(pg_store: PostgresStore) -> None:
    acceptor = InboxAcceptor(pg_store)

    async def scenario() -> list[bool]:
        assert await acceptor.accept(_event(0))
        with psycopg.connect(pg_store.dsn, autocommit=True) as conn:
            ended = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s",
                (f"tthc-inbox-accept-{pg_store.schema}",),
            ).fetchall()
        assert ended == [(True,)]
        # The group fails on the dead connection; each event is then recorded on a new one.
        return await asyncio.gather(acceptor.accept(_event(1)), acceptor.accept(_event(2)))

    assert asyncio.run(scenario()) == [True, True]
    assert pg_store.inbox_queue.counts().pending == 3
