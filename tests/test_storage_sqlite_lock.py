"""SQLite writers wait for the write lock by polling it (storage/_sqlite_lock.py).

Another process (``tthc worker`` beside ``tthc serve``) holding the write lock
briefly must delay a writer only until it lets go, and a lock never let go
must end in SQLite's own "database is locked" after the busy timeout.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tthc_adapters.storage import SqliteStore
from tthc_adapters.storage._sqlite_lock import PollingConnection


def _holder(path: Path) -> sqlite3.Connection:
    """Another connection (as another process would), holding the write lock."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def _writer(path: Path, busy_seconds: float) -> PollingConnection:
    conn = sqlite3.connect(path, timeout=0, isolation_level=None, factory=PollingConnection)
    conn.busy_seconds = busy_seconds
    return conn


def test_a_writer_takes_the_lock_once_the_holder_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "lock.sqlite3"
    SqliteStore(path).close()
    holder = _holder(path)
    let_go = threading.Timer(0.2, holder.rollback)
    let_go.start()
    writer = _writer(path, busy_seconds=30)
    writer.execute("BEGIN IMMEDIATE")  # waits for the holder, then holds the lock
    assert writer.in_transaction
    assert not holder.in_transaction
    writer.rollback()
    let_go.join()


def test_a_lock_never_let_go_is_database_is_locked_after_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "lock.sqlite3"
    SqliteStore(path).close()
    holder = _holder(path)
    writer = _writer(path, busy_seconds=0.05)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        writer.execute("BEGIN IMMEDIATE")
    holder.rollback()


def test_the_stores_writers_poll_and_its_readers_keep_sqlites_timeout(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3", busy_timeout=7)
    with store.unit_of_work() as uow:
        conn = uow.x("SELECT 1").connection
        assert isinstance(conn, PollingConnection)
        assert conn.busy_seconds == 7
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 0
    with store.read_only() as read:
        reader = read.x("SELECT 1").connection
        assert reader.execute("PRAGMA busy_timeout").fetchone()[0] == 7000
    store.close()
