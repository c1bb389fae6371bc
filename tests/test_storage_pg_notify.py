"""PostgreSQL wakes inbox workers by NOTIFY (migration 0008, storage/_pg_listen.py).

An event accepted by one process (``tthc serve``) wakes the inbox worker of
another (``tthc worker``) at once; polling stays as the fallback, and SQLite
keeps polling.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator

import pytest

from tthc_adapters.app._acceptor import InboxAcceptor
from tthc_adapters.bootstrap import system_clock
from tthc_adapters.cli._workers import QueueWorkers
from tthc_adapters.storage import PostgresStore, SqliteStore
from tthc_adapters.webhooks import chat_inbound
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk
from tthc_core.storage import InboundEvent

#: Generous: a notification arrives in milliseconds; the polls below are a minute apart.
_WAIT = 20.0


def _event(n: int) -> InboundEvent:
    now = dt.datetime.now(VN_TZ)
    return InboundEvent("chat", f"evt-{n}", {"text": "xin chào"}, b"{}", now)


@pytest.fixture
def listening(
    postgres_dsn: str, postgres_schema: str
) -> Iterator[tuple[PostgresStore, threading.Event]]:
    """A store in its own schema, LISTENing; its wake event cleared once it listens."""
    store = PostgresStore(postgres_dsn, schema=postgres_schema, max_size=2)
    wake, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=store.listen_inbox, args=(wake, stop), daemon=True)
    thread.start()
    assert wake.wait(_WAIT)  # set once it listens (for what came before)
    wake.clear()
    yield store, wake
    stop.set()
    thread.join(5)
    store.close()


def test_an_accepted_event_notifies_the_listener(
    listening: tuple[PostgresStore, threading.Event], postgres_dsn: str
) -> None:
    store, wake = listening
    other = PostgresStore(postgres_dsn, schema=store.schema, max_size=1)  # another process's
    assert other.inbox_queue.accept_all([_event(1), _event(2)]) == [True, True]
    assert wake.wait(_WAIT)
    other.close()


@pytest.mark.parametrize("durable", [True, False])
def test_the_webhooks_acceptor_notifies_after_its_commit(
    listening: tuple[PostgresStore, threading.Event], postgres_dsn: str, durable: bool
) -> None:
    """Migration 0018: the acceptor's own inserts skip the trigger and notify once committed."""
    store, wake = listening
    other = PostgresStore(postgres_dsn, schema=store.schema, max_size=1)  # another process's
    acceptor = InboxAcceptor(other, durable=durable)

    async def accept(events: list[InboundEvent]) -> list[bool]:
        return await asyncio.gather(*(acceptor.accept(e) for e in events))

    assert asyncio.run(accept([_event(n) for n in range(5)])) == [True] * 5
    assert wake.wait(_WAIT)
    wake.clear()
    assert asyncio.run(accept([_event(0)])) == [False]  # nothing new: no notification
    assert not wake.wait(1.0)
    other.close()


def test_the_trigger_notifies_unless_the_connection_turned_it_off(
    listening: tuple[PostgresStore, threading.Event], postgres_dsn: str
) -> None:
    """The setting only the acceptor's connections carry silences the trigger."""
    import psycopg

    store, wake = listening
    path = f"-c search_path={store.schema}"
    with psycopg.connect(postgres_dsn, options=f"{path} -c tthc.inbox_notify=off") as conn:
        conn.execute(
            "INSERT INTO inbox_events (source, event_id, payload, raw, received_at)"
            " VALUES ('chat', 'silent', '{}', '', now())"
        )
    assert not wake.wait(1.0)
    with psycopg.connect(postgres_dsn, options=path) as conn:
        conn.execute(
            "INSERT INTO inbox_events (source, event_id, payload, raw, received_at)"
            " VALUES ('chat', 'loud', '{}', '', now())"
        )
    assert wake.wait(_WAIT)


def test_another_schemas_events_do_not_wake_this_worker(
    listening: tuple[PostgresStore, threading.Event], postgres_dsn: str, postgres_schema: str
) -> None:
    _, wake = listening
    elsewhere = PostgresStore(postgres_dsn, schema=f"{postgres_schema}_b", max_size=1)
    try:
        elsewhere.inbox_queue.accept_all([_event(3)])
        assert not wake.wait(1.0)
    finally:
        elsewhere.close()
        import psycopg

        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {postgres_schema}_b CASCADE")


def test_the_worker_answers_at_once_though_it_polls_once_a_minute(
    postgres_dsn: str, postgres_schema: str, desk: Desk
) -> None:
    store = PostgresStore(postgres_dsn, schema=postgres_schema, max_size=3)
    workers = QueueWorkers(store, desk, lambda message: None, poll_interval=60)
    workers.start()
    try:
        accepted_by = PostgresStore(postgres_dsn, schema=postgres_schema, max_size=1)
        inbound = chat_inbound(
            desk,
            event_id="evt-notify",
            user_id="u1",
            text="xin chào",
            sent_at=system_clock(),
            raw=b"{}",
            received_at=system_clock(),
        )
        # The worker drained once at start; a minute passes before it polls again.
        threading.Event().wait(1.0)
        assert accepted_by.inbox_queue.accept_all([inbound]) == [True]
        accepted_by.close()
        answered = threading.Event()
        for _ in range(int(_WAIT * 10)):
            if store.inbox_queue.counts().handled == 1:
                answered.set()
                break
            threading.Event().wait(0.1)
        assert answered.is_set()
    finally:
        workers.stop()
        store.close()


def test_sqlite_has_no_listener_and_its_workers_poll(tmp_path: object, desk: Desk) -> None:
    store = SqliteStore(f"{tmp_path}/s.sqlite3")
    assert not hasattr(store, "listen_inbox")
    workers = QueueWorkers(store, desk, lambda message: None)
    assert workers._listener is None
    store.close()
