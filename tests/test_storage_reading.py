"""The read-only unit of work is read-only in the database too, not only in Python."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from tthc_adapters.storage import PostgresStore, SqliteStore
from tthc_adapters.storage._sql import SqlUnitOfWork

_WRITE = "INSERT INTO procedures (code, body) VALUES ('x', '{}')"


def _write_past_the_guard(store: SqliteStore | PostgresStore) -> None:
    with store.read_only() as reader:
        assert isinstance(reader, SqlUnitOfWork)
        reader.x(_WRITE)  # x() skips the Python guard w() applies


def test_sqlite_read_connections_are_query_only(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "tthc.sqlite3")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        _write_past_the_guard(store)
    store.close()


@pytest.mark.postgres
def test_postgres_read_connections_are_read_only(postgres_dsn: str, postgres_schema: str) -> None:
    store = PostgresStore(postgres_dsn, schema=postgres_schema, max_size=2)
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        _write_past_the_guard(store)
    with store.read_only() as reader:
        assert isinstance(reader, SqlUnitOfWork)
        assert reader.x("SHOW transaction_read_only").fetchone() == ("on",)
    store.close()
