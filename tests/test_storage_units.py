"""Storage: migrations, the append-only trail, several processes on SQLite, the CLI, types."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import attrs
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_adapters.cli import main
from tthc_adapters.storage import (
    MemoryStore,
    PostgresStore,
    SchemaTooNew,
    SqliteStore,
    migrations,
    open_store,
)
from tthc_core.errors import InvalidInput
from tthc_core.links import CitizenLink
from tthc_core.serialization import converter
from tthc_core.storage import (
    AggregateKind,
    ConcurrencyConflict,
    Index,
    OutboundMessage,
    RetryPolicy,
    decode_event,
)
from tthc_core.testing.contracts import DOCKETS, Docket, ManualClock, docket_code
from tthc_core.testing.strategies import citizen_links, outbound_messages


def test_both_dialects_have_the_same_migrations() -> None:
    sqlite, postgres = migrations("sqlite"), migrations("postgres")
    versions = [m.version for m in sqlite]
    assert versions == [m.version for m in postgres]
    assert versions[0] == 1
    assert versions == sorted(set(versions))
    assert [m.name for m in sqlite] == [m.name for m in postgres]


def test_sqlite_upgrade_is_idempotent_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    store = SqliteStore(path, upgrade=False)
    versions = [m.version for m in migrations("sqlite")]
    assert store.upgrade() == versions
    assert store.upgrade() == []
    store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version, name FROM schema_migrations").fetchall() == [
            (m.version, m.name) for m in migrations("sqlite")
        ]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    SqliteStore(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')")
    with pytest.raises(SchemaTooNew, match="version 999"):
        SqliteStore(path)


def test_the_sqlite_audit_trail_is_append_only(tmp_path: Path) -> None:
    clock = ManualClock()
    store = SqliteStore(tmp_path / "db.sqlite3", clock=clock)
    with store.unit_of_work() as uow:
        uow.repository(DOCKETS).save(*Docket(docket_code(1)).advance(1, clock()))
        uow.commit()
    store.close()
    with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
        for statement in ("UPDATE events SET type = 'x'", "DELETE FROM events"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)


@pytest.mark.postgres
def test_the_postgres_audit_trail_is_append_only(postgres_dsn: str, postgres_schema: str) -> None:
    clock = ManualClock()
    store = PostgresStore(postgres_dsn, schema=postgres_schema, clock=clock)
    with store.unit_of_work() as uow:
        uow.repository(DOCKETS).save(*Docket(docket_code(1)).advance(1, clock()))
        uow.commit()
    assert store.upgrade() == []
    store.close()
    for statement in (b"UPDATE events SET type = 'x'", b"DELETE FROM events", b"TRUNCATE events"):
        with (
            psycopg.connect(postgres_dsn, options=f"-c search_path={postgres_schema}") as conn,
            pytest.raises(psycopg.errors.RaiseException, match="append-only"),
        ):
            conn.execute(statement)


SQLITE_WRITER = """
import sys
from tthc_adapters.storage import SqliteStore
from tthc_core.storage import ConcurrencyConflict
from tthc_core.testing.contracts import DOCKETS, docket_code, ManualClock
store, clock, done = SqliteStore(sys.argv[1]), ManualClock(), 0
while done < 100:
    read = None
    with store.unit_of_work() as uow:
        read = uow.repository(DOCKETS).get(str(docket_code(1)))
    try:
        with store.unit_of_work() as uow:
            uow.repository(DOCKETS).save(read.advance(int(sys.argv[2]), clock())[0])
            uow.commit()
        done += 1
    except ConcurrencyConflict:
        pass
"""


def test_several_processes_share_one_sqlite_file(tmp_path: Path) -> None:
    """Two processes read and write the same docket 100 times each; none is lost."""
    path = tmp_path / "db.sqlite3"
    store = SqliteStore(path)
    with store.unit_of_work() as uow:
        uow.repository(DOCKETS).save(Docket(docket_code(1)))
        uow.commit()
    writers = [
        subprocess.Popen([sys.executable, "-c", SQLITE_WRITER, str(path), str(n)])  # noqa: S603
        for n in (1, 2)
    ]
    assert [w.wait(60) for w in writers] == [0, 0]
    with store.unit_of_work() as uow:
        final = uow.repository(DOCKETS).get(str(docket_code(1)))
        history = uow.audit.history(DOCKETS, str(docket_code(1)))
    assert final is not None
    assert final.version == 201
    assert history == []  # the writers saved no events


def test_cli_db_upgrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["db", "upgrade", "--url", url]) == 0
    assert main(["db", "upgrade", "--url", url]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{url}: applied migrations {', '.join(str(m.version) for m in migrations('sqlite'))}",
        f"{url}: up to date",
    ]
    assert main(["db", "upgrade", "--url", "memory:"]) == 2


def test_cli_db_upgrade_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TTHC_DATABASE_URL", str(tmp_path / "env.sqlite3"))
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "env.sqlite3").exists()
    assert "applied migrations 1, " in capsys.readouterr().out


def test_open_store_by_url(tmp_path: Path) -> None:
    assert isinstance(open_store("memory:"), MemoryStore)
    for url in (f"sqlite:///{tmp_path / 'a.db'}", str(tmp_path / "b.db")):
        store = open_store(url)
        assert isinstance(store, SqliteStore)
        store.close()
    assert (tmp_path / "a.db").exists()
    assert (tmp_path / "b.db").exists()


def test_conflict_reasons_say_what_to_do() -> None:
    stale = ConcurrencyConflict("dossier", "X", expected=3, actual=5)
    assert "reload it and apply the action again" in stale.reason
    assert "already exists" in ConcurrencyConflict("dossier", "X", expected=0, actual=1).reason
    assert "does not exist" in ConcurrencyConflict("dossier", "X", expected=2, actual=None).reason


def test_kinds_and_indexes_validate() -> None:
    with pytest.raises(InvalidInput, match="lower-case"):
        AggregateKind("Dossier", Docket, key=lambda d: str(d.code))
    with pytest.raises(InvalidInput, match="aware"):
        Index(due_at=dt.datetime(2025, 1, 1))  # noqa: DTZ001 - the naive value under test
    with pytest.raises(InvalidInput, match="unknown"):
        decode_event(converter, "NoSuchEvent", {})


def test_naive_times_are_refused_by_sql_stores(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "db.sqlite3")
    naive = dt.datetime(2025, 1, 1)  # noqa: DTZ001 - the naive value under test
    with store.unit_of_work() as uow, pytest.raises(InvalidInput, match="aware"):
        uow.repository(DOCKETS).due_before(naive)
    store.close()


@given(st.integers(1, 40))
def test_retry_delay_doubles_up_to_the_cap(attempts: int) -> None:
    policy = RetryPolicy(first_delay=dt.timedelta(seconds=30), max_delay=dt.timedelta(hours=1))
    delay = policy.delay(attempts)
    assert delay == min(dt.timedelta(hours=1), dt.timedelta(seconds=30) * 2 ** (attempts - 1))
    assert policy.delay(attempts + 1) >= delay


@given(citizen_links())
def test_citizen_links_round_trip_through_json(link: CitizenLink) -> None:
    text = json.dumps(converter.unstructure(link))
    assert converter.structure(json.loads(text), CitizenLink) == link


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(st.lists(outbound_messages(), max_size=5, unique_by=lambda m: m.key))
def test_outbound_messages_round_trip_through_sqlite(
    tmp_path: Path, messages: list[OutboundMessage]
) -> None:
    store = SqliteStore(tmp_path / f"{os.urandom(6).hex()}.sqlite3", clock=ManualClock())
    with store.unit_of_work() as uow:
        keys = [m.key for m in messages if uow.outbox.put(m)]
        uow.commit()
    claimed = store.outbox_queue.claim(
        owner="w", now=ManualClock()(), lease=dt.timedelta(1), limit=100
    )
    store.close()
    assert keys == [m.key for m in messages]
    assert [p.message for p in claimed] == messages


@given(st.builds(Docket, code=st.just(docket_code(1)), total=st.integers(0, 10**6)))
def test_memory_store_round_trips_any_docket(docket: Docket) -> None:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        saved = uow.repository(DOCKETS).save(docket)
        uow.commit()
    with store.unit_of_work() as uow:
        assert (
            uow.repository(DOCKETS).get(str(docket.code))
            == saved
            == attrs.evolve(docket, version=1)
        )
