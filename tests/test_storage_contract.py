"""Every storage adapter passes the contract suite of tthc_core.testing.contracts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tthc_adapters.storage import MemoryStore, PostgresStore, SqliteStore
from tthc_core.storage import Store
from tthc_core.testing.contracts import (
    ConversationStorageContract,
    InboxQueueContract,
    ManualClock,
    ReadOnlyContract,
    StoreContract,
)


class TestMemoryStore(
    StoreContract, ReadOnlyContract, InboxQueueContract, ConversationStorageContract
):
    @pytest.fixture
    def store(self, clock: ManualClock) -> Iterator[Store]:
        store = MemoryStore(clock=clock)
        yield store
        store.close()


class TestSqliteStore(
    StoreContract, ReadOnlyContract, InboxQueueContract, ConversationStorageContract
):
    one_thread_units = False  # BEGIN IMMEDIATE: a second unit on the thread waits for the first
    @pytest.fixture
    def store(self, clock: ManualClock, tmp_path: Path) -> Iterator[Store]:
        store = SqliteStore(tmp_path / "tthc.sqlite3", clock=clock)
        yield store
        store.close()


@pytest.mark.postgres
class TestPostgresStore(
    StoreContract, ReadOnlyContract, InboxQueueContract, ConversationStorageContract
):
    @pytest.fixture
    def store(self, clock: ManualClock, postgres_dsn: str, postgres_schema: str) -> Iterator[Store]:
        store = PostgresStore(postgres_dsn, schema=postgres_schema, clock=clock, max_size=6)
        yield store
        store.close()
