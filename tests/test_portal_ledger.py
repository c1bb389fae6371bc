"""Issue 17: every sync-ledger adapter behaves alike (memory; SQLite and PostgreSQL over
migrations 0007 and 0013)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from tests._desk import at

from tthc_adapters.portal import MemoryLedger, PostgresLedger, SqliteLedger, SqlLedger
from tthc_adapters.storage import PostgresStore, SqliteStore
from tthc_core.portal import ItemState, SyncLedger

NOW = at(11, 23, 9)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SyncLedger]:
    if request.param == "memory":
        yield MemoryLedger()
        return
    made: SqlLedger
    if request.param == "sqlite":
        path = str(tmp_path / "tthc.sqlite3")
        SqliteStore(path).close()  # applies the migrations, 0007 and 0013 included
        made = SqliteLedger(path)
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("postgres_schema")
        PostgresStore(dsn, schema=schema).close()
        made = PostgresLedger(dsn, schema=schema)
    yield made
    made.close()


def test_enqueue_coalesces_per_dossier_and_target(ledger: SyncLedger) -> None:
    assert ledger.enqueue("A", "t", NOW) is True
    assert ledger.enqueue("A", "t", NOW) is False
    assert ledger.enqueue("B", "t", NOW) is True
    assert ledger.enqueue("A", "u", NOW) is True
    a, b = ledger.items("t")
    assert (a.dossier, a.changes, b.dossier, b.changes) == ("A", 2, "B", 1)
    assert a.seq < b.seq


def test_due_is_fifo_and_respects_backoff(ledger: SyncLedger) -> None:
    for d in "CAB":
        ledger.enqueue(d, "t", NOW)
    first = ledger.due("t", NOW, 10)[0]
    ledger.save(attrs.evolve(first, attempts=1, next_at=NOW + dt.timedelta(minutes=5)))
    assert [i.dossier for i in ledger.due("t", NOW, 10)] == ["A", "B"]
    assert [i.dossier for i in ledger.due("t", NOW + dt.timedelta(minutes=5), 10)] == [
        "C",
        "A",
        "B",
    ]
    assert len(ledger.due("t", NOW, 1)) == 1


def test_finish_keeps_an_item_changed_meanwhile(ledger: SyncLedger) -> None:
    ledger.enqueue("A", "t", NOW)
    [item] = ledger.due("t", NOW, 10)
    ledger.enqueue("A", "t", NOW)
    assert ledger.finish(item, NOW) is False
    [again] = ledger.due("t", NOW, 10)
    assert ledger.finish(again, NOW) is True
    assert ledger.items("t") == []


def test_dead_letters_wait_for_redrive(ledger: SyncLedger) -> None:
    ledger.enqueue("A", "t", NOW)
    ledger.enqueue("B", "t", NOW)
    for item in ledger.due("t", NOW, 10):
        ledger.save(attrs.evolve(item, attempts=3, state=ItemState.DEAD, last_error="x"))
    assert ledger.due("t", NOW, 10) == []
    assert ledger.redrive("t", "A", NOW) == 1
    [a] = ledger.due("t", NOW, 10)
    assert (a.dossier, a.attempts) == ("A", 0)
    assert ledger.redrive("t", None, NOW) == 1


def test_rows_insertion_and_alternate_codes_persist(ledger: SyncLedger) -> None:
    ledger.ack_rows("t", "A", ["r1", "r2"])
    ledger.ack_rows("t", "A", ["r2", "r3"])
    assert ledger.acked_rows("t", "A") == {"r1", "r2", "r3"}
    assert ledger.acked_rows("t", "B") == frozenset()
    ledger.mark_inserted("t", "A", True)
    assert ledger.inserted("t", "A")
    assert not ledger.inserted("u", "A")
    ledger.mark_inserted("t", "A", False)
    assert not ledger.inserted("t", "A")
    assert [ledger.next_serial("p"), ledger.next_serial("p"), ledger.next_serial("q")] == [1, 2, 1]
    assert ledger.alternate_code("A", lambda: "X-1") == "X-1"
    assert ledger.alternate_code("A", lambda: "X-2") == "X-1"  # never regenerated


def test_inbound_mark_is_kept_per_target(ledger: SyncLedger) -> None:
    assert ledger.inbound_mark("t") is None
    ledger.set_inbound_mark("t", "7")
    ledger.set_inbound_mark("t", "9")
    ledger.set_inbound_mark("u", "1")
    assert (ledger.inbound_mark("t"), ledger.inbound_mark("u")) == ("9", "1")


def test_redrive_of_one_dossier_leaves_the_others_dead(ledger: SyncLedger) -> None:
    for d in "AB":
        ledger.enqueue(d, "t", NOW)
    for item in ledger.due("t", NOW, 10):
        ledger.save(attrs.evolve(item, state=ItemState.DEAD))
    assert ledger.redrive("t", "B", NOW) == 1
    assert [(i.dossier, i.state) for i in ledger.items("t")] == [
        ("A", ItemState.DEAD),
        ("B", ItemState.PENDING),
    ]


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_two_processes_enqueueing_at_once_coalesce_and_never_share_a_seq(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Two ledgers on one database (the desk's worker and ``tthc worker``), in threads."""
    import threading

    made: list[SqlLedger] = []
    if kind == "sqlite":
        path = str(tmp_path / "tthc.sqlite3")
        SqliteStore(path).close()
        made = [SqliteLedger(path), SqliteLedger(path)]
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("postgres_schema")
        PostgresStore(dsn, schema=schema).close()
        made = [PostgresLedger(dsn, schema=schema), PostgresLedger(dsn, schema=schema)]
    dossiers = [f"D{n:02d}" for n in range(20)]

    def work(ledger: SqlLedger) -> None:
        for d in dossiers:
            ledger.enqueue(d, "t", NOW)

    threads = [threading.Thread(target=work, args=(ledger,)) for ledger in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    items = made[0].items("t")
    for ledger in made:
        ledger.close()
    assert sorted(i.dossier for i in items) == dossiers
    assert sum(i.changes for i in items) == 40  # no change lost
    assert len({i.seq for i in items}) == 20
