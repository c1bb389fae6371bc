"""Deferred units of work: read without the write lock, write at commit, or keep nothing.

The inbox worker handles each batch in ``store.deferred_unit_of_work()``
(``storage._sql_deferred``): its writes are kept back and replayed in one short
write transaction at commit, each checked against the outcome predicted when
it was made. Another writer in between makes the commit raise
``ConcurrencyConflict`` and keep nothing; the worker then handles the batch the
ordinary way, so every event is still handled exactly once.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_adapters.storage import MemoryStore, PostgresStore, SqliteStore
from tthc_adapters.storage._sql import Undeferrable
from tthc_core.codes import AgencyCode
from tthc_core.storage import (
    ConcurrencyConflict,
    InboundEvent,
    OutboundMessage,
    Store,
    UnitOfWork,
    drain_inbox,
)
from tthc_core.testing.contracts import DOCKETS, Docket, ManualClock, docket_code

AT = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        opened: Any = SqliteStore(tmp_path / "t.sqlite3", clock=ManualClock())
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("postgres_schema")
        opened = PostgresStore(dsn, schema=schema, clock=ManualClock(), max_size=4)
    yield opened
    opened.close()


def _seed(store: Store, n: int = 1) -> Docket:
    with store.unit_of_work() as uow:
        saved = uow.repository(DOCKETS).save(Docket(docket_code(n)))
        uow.commit()
    return saved


def _docket(store: Store, n: int = 1) -> Docket | None:
    with store.unit_of_work() as uow:
        return uow.repository(DOCKETS).get(str(docket_code(n)))


def _recorded(store: Store, source: str, event_id: str) -> bool:
    """Whether ``(source, event_id)`` is recorded (probing in a unit of work rolled back)."""
    with store.unit_of_work() as uow:
        return not uow.inbox.record_once(source, event_id)


def test_nothing_is_written_before_commit_and_everything_at_commit(store: Any) -> None:
    docket = _seed(store)
    with store.deferred_unit_of_work() as uow:
        changed, events = docket.advance(7, AT)
        uow.repository(DOCKETS).save(changed, events)
        assert uow.inbox.record_once("chat", "e1")
        assert uow.outbox.put(OutboundMessage("reply:e1", "chat", {"text": "ok"}))
        assert _docket(store) == docket  # kept back
        assert not _recorded(store, "chat", "e1")
        uow.commit()
    stored = _docket(store)
    assert stored is not None
    assert (stored.total, stored.version) == (7, 2)
    assert _recorded(store, "chat", "e1")
    assert store.outbox_queue.counts().pending == 1
    with store.unit_of_work() as uow:  # the event went to the audit trail too
        assert [r.version for r in uow.audit.history(DOCKETS, str(docket.code))] == [2]


def test_it_reads_its_own_writes_where_they_are_exact(store: Any) -> None:
    docket = _seed(store)
    with store.deferred_unit_of_work() as uow:
        repo = uow.repository(DOCKETS)
        first = repo.get(str(docket.code))
        assert first == docket
        saved = repo.save(*first.advance(3, AT))  # type: ignore[union-attr]
        assert repo.get(str(docket.code)) == saved  # the identity map, not the snapshot
        again = repo.save(*saved.advance(4, AT))  # a second save on top of the first
        assert uow.inbox.record_once("chat", "e1")
        assert not uow.inbox.record_once("chat", "e1")
        message = OutboundMessage("k", "chat", {"text": "x"})
        assert uow.outbox.put(message)
        assert not uow.outbox.put(message)
        uow.commit()
    assert _docket(store) == again


def test_a_writer_in_between_makes_the_commit_raise_and_keep_nothing(store: Any) -> None:
    docket = _seed(store)
    with store.deferred_unit_of_work() as uow:
        read = uow.repository(DOCKETS).get(str(docket.code))
        assert read is not None
        uow.repository(DOCKETS).save(*read.advance(5, AT))
        assert uow.inbox.record_once("chat", "e1")
        uow.outbox.put(OutboundMessage("reply:e1", "chat", {"text": "late"}))
        with store.unit_of_work() as other:  # another writer commits first
            other.repository(DOCKETS).save(*docket.advance(9, AT))
            other.commit()
        with pytest.raises(ConcurrencyConflict):
            uow.commit()
    stored = _docket(store)
    assert stored is not None
    assert (stored.total, stored.version) == (9, 2)
    assert not _recorded(store, "chat", "e1")
    assert store.outbox_queue.counts().pending == 0


def test_a_key_recorded_meanwhile_makes_the_commit_raise(store: Any) -> None:
    with store.deferred_unit_of_work() as uow:
        assert uow.inbox.record_once("handled:chat", "e1")  # predicted free
        uow.outbox.put(OutboundMessage("reply:e1", "chat", {"text": "twice?"}))
        with store.unit_of_work() as other:
            assert other.inbox.record_once("handled:chat", "e1")
            other.commit()
        with pytest.raises(ConcurrencyConflict):
            uow.commit()
    assert store.outbox_queue.counts().pending == 0


def test_reads_and_writes_it_cannot_make_exact_are_refused(store: Any) -> None:
    docket = _seed(store)
    with store.deferred_unit_of_work() as uow:
        repo = uow.repository(DOCKETS)
        assert repo.for_dossier(docket.code) == [docket]  # nothing kept back yet: fine
        repo.save(*docket.advance(1, AT))
        with pytest.raises(Undeferrable):
            repo.for_dossier(docket.code)  # a query over a kind with a save kept back
        with pytest.raises(Undeferrable):
            uow.audit.history(DOCKETS, str(docket.code))  # the events table has rows kept back
        with pytest.raises(Undeferrable):
            uow.sequences.next_sequence(AgencyCode("000.43.31.H15"), AT.date())
    assert _docket(store) == docket


def test_on_sqlite_it_holds_no_write_lock_until_commit(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "t.sqlite3", clock=ManualClock())
    docket = _seed(store)
    _seed(store, 2)
    with store.deferred_unit_of_work() as uow:
        read = uow.repository(DOCKETS).get(str(docket.code))
        uow.repository(DOCKETS).save(*read.advance(2, AT))  # type: ignore[union-attr]
        # Meanwhile another process writes at once: the lock is free (no wait allowed).
        other = sqlite3.connect(tmp_path / "t.sqlite3", timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE aggregates SET state = 'open' WHERE key = ?", (str(docket_code(2)),))
        other.execute("COMMIT")
        other.close()
        uow.commit()  # another row changed: no conflict
    assert _docket(store).total == 2  # type: ignore[union-attr]
    store.close()


# -- the inbox worker's use: optimistic first, the ordinary way if that fails --------------


def _handler(interfere: dict[str, Any] | None = None) -> Any:
    """Advance the event's docket by its step and reply; ``interfere`` writes in between once."""

    def handle(uow: UnitOfWork, event: InboundEvent) -> None:
        n, step = int(event.payload["docket"]), int(event.payload["step"])
        repo = uow.repository(DOCKETS)
        docket = repo.get(str(docket_code(n))) or Docket(docket_code(n))
        if interfere is not None and not interfere.get("done"):
            interfere["done"] = True
            with interfere["store"].unit_of_work() as other:
                other.repository(DOCKETS).save(*docket.advance(1000, AT))
                other.commit()
        repo.save(*docket.advance(step, AT))
        uow.outbox.put(OutboundMessage(f"reply:{event.event_id}", "chat", {"step": step}))

    return handle


def _events(steps: list[tuple[int, int]]) -> list[InboundEvent]:
    return [
        InboundEvent("t", f"e{i}", {"docket": n, "step": s}, b"{}", AT)
        for i, (n, s) in enumerate(steps)
    ]


def _drain(store: Any, handle: Any, *, optimistic: bool) -> None:
    drain_inbox(
        store.inbox_queue,
        store.unit_of_work,
        {"t": handle},
        owner="w",
        clock=lambda: AT,
        batch=7,
        optimistic=store.deferred_unit_of_work if optimistic else None,
    )


def test_a_conflicting_batch_is_handled_again_the_ordinary_way_exactly_once(store: Any) -> None:
    _seed(store)
    store.inbox_queue.accept_all(_events([(1, 2), (1, 3)]))
    _drain(store, _handler({"store": store}), optimistic=True)
    final = _docket(store)
    expected = Docket(docket_code(1))
    for step in (1000, 2, 3):  # the interfering write, then each event once
        expected = expected.advance(step, AT)[0]
    assert final is not None
    assert final.total == expected.total
    assert store.inbox_queue.counts().handled == 2
    assert store.outbox_queue.counts().pending == 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 99)), min_size=1, max_size=30))
def test_optimistic_drains_end_where_ordinary_drains_end(steps: list[tuple[int, int]]) -> None:
    events = _events(steps)
    oracle = MemoryStore(clock=ManualClock())
    oracle.inbox_queue.accept_all(events)
    _drain(oracle, _handler(), optimistic=False)
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "t.sqlite3", clock=ManualClock())
        store.inbox_queue.accept_all(events)
        _drain(store, _handler(), optimistic=True)
        for n in range(1, 5):
            assert _docket(store, n) == _docket(oracle, n)
        assert store.outbox_queue.counts() == oracle.outbox_queue.counts()
        assert store.inbox_queue.counts() == oracle.inbox_queue.counts()
        store.close()
